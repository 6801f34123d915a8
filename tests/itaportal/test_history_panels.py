"""Each object's page shows its history: the entries about it (and its children, and those since removed)
from itaportal.audit.selectors.history, in one query, in the panel templates/_history.html."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings

from assessments.models import Assessment
from itaportal.accounts.models import Organisation, User
from itaportal.audit.selectors import about, about_rows, history
from measures.models import Measure, ProgressEntry, ReportingRound

from .test_audit_coverage import CASES, assessment, measure, round_of

pytestmark = pytest.mark.django_db


def page(client, username: str, url: str, **headers):
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def actions(response, key: str = "history") -> list[str]:
    return [entry.action for entry, _sentence in response.context[key]]


def phusang_measure_url(view: str = "detail") -> str:
    target = measure()
    if view == "progress":
        return f"/o/phusang/measures/m/{target.pk}/r/{round_of().pk}/"
    return f"/o/phusang/measures/m/{target.pk}/"


# Each page: what is done (a case of the coverage table), who looks, where, and the actions it then lists.
PANELS = [
    ("measures.services.plan.measure_update", "auditor.phusang", phusang_measure_url,
     ["ita.measure.changed"]),
    ("measures.services.progress.progress_save", "staff.phusang", lambda: phusang_measure_url("progress"),
     ["ita.progress.saved"]),
    ("measures.services.plan.round_update_due_date", "auditor.phusang",
     lambda: "/o/phusang/measures/2568/rounds/", ["ita.round.due_date_changed"]),
    ("measures.services.plan.rounds_configure", "auditor.phusang", lambda: "/o/phusang/measures/2569/rounds/",
     ["ita.rounds.configured"]),
    ("measures.services.oit.oit_entry_save", "auditor.nasom", lambda: "/o/nasom/oit/2566/",
     ["ita.oit.entry_saved"]),
    ("assessments.services.assessment_save_scores", "auditor.phusang", lambda: "/o/phusang/assessments/2567/",
     ["ita.assessment.scores_saved"]),
    ("assessments.services.issue_delete", "auditor.phusang", lambda: "/o/phusang/assessments/2567/analysis/",
     ["ita.issue.deleted"]),
    ("reports.services.config.chain_remove", "admin.phusang", lambda: "/o/phusang/memos/chain/",
     ["ita.chain.removed", "ita.chain.changed"]),
    ("reports.services.config.delegation_end", "admin.phusang", lambda: "/o/phusang/memos/delegations/",
     ["ita.delegation.ended"]),
]


@pytest.mark.parametrize("service, username, url, expected", PANELS, ids=[p[0] for p in PANELS])
def test_the_page_shows_what_was_done(client, service, username, url, expected, media_root):
    CASES[service]()()
    response = page(client, username, url())
    assert actions(response)[: len(expected)] == expected
    assert 'id="history-title"' in response.content.decode()


def test_the_measure_shows_its_progress_and_evidence_in_every_round(client, media_root):
    CASES["measures.services.progress.progress_save"]()()
    CASES["measures.services.plan.measure_update"]()()
    assert actions(page(client, "auditor.phusang", phusang_measure_url()))[:2] == [
        "ita.measure.changed", "ita.progress.saved"]


def test_the_progress_form_shows_the_evidence_removed_since(client, media_root):
    CASES["measures.services.evidence.evidence_remove"]()()
    target, open_round = measure("nasom", 2566, 1), round_of("nasom", 2566, 1)
    response = page(client, "staff.nasom", f"/o/nasom/measures/m/{target.pk}/r/{open_round.pk}/")
    assert actions(response)[:2] == ["ita.evidence.removed", "ita.evidence.added"]


def test_the_oit_row_being_edited_shows_its_own_history(client):
    CASES["measures.services.oit.oit_entry_save"]()()
    from measures.models import OitEntry

    entry = OitEntry.objects.filter(organisation__slug="nasom", item__framework__fiscal_year=2566).order_by(
        "item__order").first()
    url = f"/o/nasom/oit/2566/{entry.item_id}/"
    # The demo's own entry (loaded through the same service) comes after this one.
    assert actions(page(client, "staff.nasom", url), "entry_history")[:2] == ["ita.oit.entry_saved"] * 2
    row = page(client, "staff.nasom", url, HTTP_HX_REQUEST="true")
    assert actions(row, "entry_history")[:2] == ["ita.oit.entry_saved"] * 2
    assert 'id="oit-entry-history-title"' in row.content.decode()


def test_the_issue_form_shows_the_issue_history(client):
    CASES["assessments.services.issue_update"]()()
    issue = assessment().issues.order_by("order").first()
    response = page(client, "staff.phusang", f"/o/phusang/assessments/2567/analysis/{issue.pk}/")
    assert actions(response)[0] == "ita.issue.changed"


def test_a_history_is_one_query_however_many_children(django_assert_num_queries):
    from measures.services.progress import ActivityData, progress_save

    target = measure()
    rounds = ReportingRound.objects.filter(organisation=target.organisation, fiscal_year=target.fiscal_year)
    for round in rounds:
        progress_save(measure=target, round=round, user=None, status="done", outcome="", suggestions="",
                      budget_used=Decimal("1"), activities=[ActivityData(None, "สรุป")])
    with django_assert_num_queries(1):
        shown = history(about(target), about_rows(ProgressEntry.objects.filter(measure=target)))
    assert [entry.action for entry, _sentence in shown] == [
        "ita.progress.saved", "ita.progress.saved", "ita.measure.created"]


def test_a_record_not_written_yet_has_no_history(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert history(about(None)) == []
    assert history(about(Measure(organisation=Organisation.objects.first()))) == []


def test_the_due_date_sentence_reads_the_buddhist_era_in_the_readers_language():
    from django.utils import translation

    CASES["measures.services.plan.round_update_due_date"]()()
    target = round_of()
    (_entry, sentence), *_rest = history(about(target))
    with translation.override("en"):
        (_entry, english), *_rest = history(about(target))
    due = target.due_date
    assert f"{due.day} Apr {due.year + 543}" in english and (due - timedelta(days=7)).year + 543 == 2568
    assert sentence


def test_the_scores_page_lists_only_the_scores_trail(client):
    CASES["assessments.services.issue_create"]()()
    CASES["assessments.services.assessment_save_scores"]()()
    shown = actions(page(client, "auditor.phusang", "/o/phusang/assessments/2567/"))
    assert "ita.issue.created" not in shown and shown[0] == "ita.assessment.scores_saved"
    assert Assessment.objects.filter(organisation__slug="phusang").exists()
