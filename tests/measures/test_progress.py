from datetime import date, timedelta
from decimal import Decimal

import pytest

from measures.models import ProgressEntry
from measures.lateness import is_late
from measures.services import MeasureError
from measures.services.progress import ActivityData, progress_save, progress_save_draft, round_lock

pytestmark = pytest.mark.django_db


def save(measure, round, status="in_progress", **kwargs):
    arguments = {"outcome": "", "suggestions": "", "budget_used": None, "activities": []}
    arguments.update(kwargs)
    return progress_save(measure=measure, round=round, user=None, status=status, **arguments)


def test_saving_creates_one_entry_per_measure_and_round_and_replaces_activities(make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    save(measure, round, activities=[ActivityData(date(2025, 1, 12), "ประชุม"), ActivityData(date(2025, 2, 1), "อบรม")])
    entry = save(measure, round, status="done", outcome="สำเร็จ", budget_used=Decimal("2500"),
                 activities=[ActivityData(date(2025, 3, 1), "สรุปผล")])
    assert ProgressEntry.objects.filter(measure=measure).count() == 1
    assert (entry.status, entry.outcome, entry.budget_used) == ("done", "สำเร็จ", Decimal("2500"))
    assert list(entry.activities.values_list("description", flat=True)) == ["สรุปผล"]


def test_a_draft_is_kept_and_cleared_by_a_proper_save(make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    draft = progress_save_draft(measure=measure, round=round, user=_user(), raw={"budget_used": ["abc"]})
    assert draft.draft["data"] == {"budget_used": ["abc"]}
    assert save(measure, round).draft == {}


def _user():
    from itaportal.accounts.models import User

    return User.objects.get(username="staff.wangthong")


def test_a_locked_round_refuses_saves_and_drafts(make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    save(measure, round)
    round_lock(round=round)
    with pytest.raises(MeasureError):
        save(measure, round, status="done")
    with pytest.raises(MeasureError):
        progress_save_draft(measure=measure, round=round, user=_user(), raw={})
    assert ProgressEntry.objects.get(measure=measure).status == "in_progress"


def test_a_round_of_another_year_is_refused(make_measure, make_rounds):
    with pytest.raises(MeasureError):
        save(make_measure(year=2568), make_rounds(year=2569)[0])


class TestLateness:
    def test_the_due_date_itself_is_on_time_and_the_day_after_is_late(self, make_measure, make_rounds):
        measure, round = make_measure(), make_rounds()[0]
        assert not is_late(measure, round, None, reported_later=False, today=round.due_date)
        assert is_late(measure, round, None, reported_later=False, today=round.due_date + timedelta(days=1))

    def test_a_reported_measure_still_running_is_not_late(self, make_measure, make_rounds):
        measure, round = make_measure(), make_rounds()[0]
        entry = save(measure, round)
        assert not is_late(measure, round, entry, reported_later=False, today=round.due_date + timedelta(days=30))

    def test_a_measure_that_should_have_ended_and_is_not_done_is_late(self, make_measure, make_rounds):
        measure = make_measure(start_date=date(2024, 10, 1), end_date=date(2025, 3, 31))
        round = make_rounds()[0]
        entry = save(measure, round)
        assert is_late(measure, round, entry, reported_later=False, today=round.due_date + timedelta(days=1))
        entry = save(measure, round, status="done")
        assert not is_late(measure, round, entry, reported_later=False, today=round.due_date + timedelta(days=1))

    def test_a_measure_not_yet_started_in_the_round_is_not_late(self, make_measure, make_rounds):
        measure = make_measure(start_date=date(2025, 4, 1), end_date=date(2025, 9, 30))
        round = make_rounds()[0]
        assert not is_late(measure, round, None, reported_later=False, today=round.due_date + timedelta(days=10))


def test_a_report_in_a_later_round_clears_the_lateness_of_an_earlier_one(make_measure, make_rounds):
    from measures.selectors.progress import progress_grid

    measure = make_measure()
    first, second = make_rounds()
    today = second.due_date + timedelta(days=1)
    _measures, _rounds, grid = progress_grid(measure.organisation, 2568, today)
    assert grid[(measure.pk, first.pk)].late and grid[(measure.pk, second.pk)].late
    save(measure, second, status="done")
    _measures, _rounds, grid = progress_grid(measure.organisation, 2568, today)
    assert not grid[(measure.pk, first.pk)].late and not grid[(measure.pk, second.pk)].late
