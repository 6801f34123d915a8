import pytest
from django.utils import translation

from itaportal.notifications.models import Notification
from itaportal.notifications.registry import KINDS, PROGRESS_DUE_SOON, PROGRESS_OVERDUE, register, render

pytestmark = pytest.mark.django_db

PROGRESS = {"number": 12, "title": "Publish the plan", "round": "6-month round", "due_date": "2025-03-31"}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", ["th", "en"])
def test_every_kind_reads_as_a_sentence_in_every_language(kind, language):
    with translation.override(language):
        # Called directly: render() would hide a broken kind behind its fallback.
        text = KINDS[kind].render(KINDS[kind].example)
    assert text.strip() and "%(" not in text and "{" not in text


def test_progress_reminders_read_in_thai_with_thai_digits_and_dates():
    with translation.override("th"):
        due_soon, overdue = render(PROGRESS_DUE_SOON, PROGRESS), render(PROGRESS_OVERDUE, PROGRESS)
    for text in (due_soon, overdue):
        assert "๑๒" in text and "Publish the plan" in text and "6-month round" in text
        assert "๓๑ มีนาคม ๒๕๖๘" in text
    assert due_soon != overdue


def test_progress_reminders_read_in_english():
    with translation.override("en"):
        assert render(PROGRESS_DUE_SOON, PROGRESS) == (
            "Progress of measure 12 “Publish the plan” (6-month round) is due on 31 March 2568."
        )
        assert "was due on 31 March 2568" in render(PROGRESS_OVERDUE, PROGRESS)


def test_a_notification_reads_in_the_language_active_when_it_is_shown(make_notification):
    notification = make_notification(number=7)
    with translation.override("en"):
        assert "measure 7 " in notification.text
    with translation.override("th"):
        assert "๗" in notification.text and "มีนาคม" in notification.text


def test_a_long_title_is_shortened():
    with translation.override("en"):
        text = render(PROGRESS_DUE_SOON, {**PROGRESS, "title": "word " * 100})
    assert len(text) < 250


def test_an_unknown_kind_or_broken_data_falls_back_instead_of_breaking_the_page():
    with translation.override("en"):
        assert render("ita.gone", {}) == "Notification"
        assert render(PROGRESS_DUE_SOON, {"number": 1}) == "Notification"
        assert Notification(kind="ita.gone", data={}).text == "Notification"


def test_a_kind_cannot_be_registered_twice():
    with pytest.raises(ValueError):
        register(PROGRESS_DUE_SOON, example={})(lambda data: "")
