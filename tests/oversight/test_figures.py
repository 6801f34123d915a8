"""Every figure of the roll-up says what the owning app says of the same organisation: the score and
level of its own pages, the lateness of its measures dashboard, the auditors' approved documents."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.selectors import assessments_of, scoreboard_of
from oversight import selectors
from measures.models import ProgressEntry
from measures.selectors.plan import rounds_of
from measures.selectors.progress import current_round, progress_grid
from reports.models import Memo
from reports.selectors.documents import approved_documents

pytestmark = pytest.mark.django_db

TODAY = date(2025, 5, 15)


def rows_by_slug(scope, year, today=TODAY) -> dict:
    rollup = selectors.rollup(scope, year, today)
    return {o.slug: selectors.describe(o, rollup, today) for o in rollup.rows}


def test_only_the_scopes_organisations_appear(province, other_province, make_org, overseer):
    north = [make_org(province), make_org(province, district="ดอยทดสอบ"), make_org(province, district=None)]
    make_org(other_province, district="ทะเลทดสอบ")
    inactive = make_org(province)
    inactive.is_active = False
    inactive.save()
    assert set(rows_by_slug(overseer(province), 2567)) == {o.slug for o in north}
    assert set(rows_by_slug(overseer(province, "ดอยทดสอบ"), 2567)) == {north[1].slug}


@pytest.mark.parametrize(
    "recorded",
    [
        {"overall": "99.78"},
        # 001: 95.15 overall with EIT 94.00 is ผ่านดี, not ผ่านดีเยี่ยม.
        {"overall": "95.15", "tools": {"IIT": "99.84", "EIT": "94.00", "OIT": "92.50"}},
        {"tools": {"IIT": "99.84", "EIT": "94.00", "OIT": "92.50"}},
        {"tools": {"IIT": "80.00", "EIT": "90.00", "OIT": "70.50"}},
        # No overall and one tool missing: no score and no level are made up.
        {"tools": {"IIT": "99.84", "EIT": "94.00"}},
        {"overall": "72.10", "tools": {"IIT": "90", "EIT": "90"}},
        {"overall": "60.00"},
        {},
    ],
)
def test_score_and_level_are_those_of_the_organisations_own_pages(province, make_org, overseer, scores, recorded):
    organisation = make_org(province)
    scores(organisation, 2567, **recorded)
    board = scoreboard_of(assessments_of(organisation).get())
    row = rows_by_slug(overseer(province), 2567)[organisation.slug]
    assert row.score == board.overall
    assert (row.level.name if row.level else None) == (board.level.name if board.level else None)
    if board.level:
        assert (row.level.passed, row.level.provisional) == (board.level.passed, board.level.provisional)


def test_a_tool_score_is_derived_from_its_indicators_when_all_are_known(province, make_org, overseer, scores):
    complete, partial = make_org(province), make_org(province)
    indicators = {"1": "90.11", "2": "90.12", "3": "90.13", "4": "90.14", "5": "90.16", "6": "88", "7": "88.5",
                  "8": "87", "9": "96", "10": "94"}
    scores(complete, 2567, indicators=indicators)
    scores(partial, 2567, indicators={k: v for k, v in indicators.items() if k != "2"})
    rows = rows_by_slug(overseer(province), 2567)
    for organisation in (complete, partial):
        board = scoreboard_of(assessments_of(organisation).get())
        assert rows[organisation.slug].score == board.overall
        assert getattr(rows[organisation.slug].level, "name", None) == getattr(board.level, "name", None)
    assert rows[complete.slug].score is not None and rows[partial.slug].score is None


def test_the_level_comes_from_the_assessments_own_rules(province, make_org, overseer, scores):
    """A framework corrected after an assessment started does not change the level it prints."""
    before, after = make_org(province), make_org(province)
    first = scores(before, 2567, overall="90.00")
    first.level_rules = [{"name": "ระดับเดิม", "min_overall": "80.00", "min_each_tool": None, "provisional": False}]
    first.save()
    scores(after, 2567, overall="90.00")
    rows = rows_by_slug(overseer(province), 2567)
    assert rows[before.slug].level.name == "ระดับเดิม"
    assert rows[after.slug].level.name == scoreboard_of(assessments_of(after).get()).level.name == "ผ่าน"


def test_change_is_from_last_years_score(province, make_org, overseer, scores):
    better, new = make_org(province), make_org(province)
    scores(better, 2567, overall="88.50")
    scores(better, 2568, overall="91.25")
    scores(new, 2568, overall="80.00")
    rows = rows_by_slug(overseer(province), 2568)
    assert str(rows[better.slug].change) == "2.75"
    assert rows[new.slug].change is None


def _grid_truth(organisation, year, today):
    """The dashboard's count of late entries in every round of the year, and the current round's lock."""
    rounds = list(rounds_of(organisation, year))
    current = current_round(rounds, today)
    if current is None:
        return None, None
    _measures, _rounds, grid = progress_grid(organisation, year, today)
    return sum(cell.late for cell in grid.values()), current.is_locked


@pytest.mark.parametrize("only_first_round", [False, True])
@pytest.mark.parametrize("first_locked", [False, True])
@pytest.mark.parametrize(
    "today", [date(2025, 4, 1), date(2025, 4, 15), date(2025, 4, 16), date(2025, 10, 15), date(2025, 11, 2)]
)
def test_late_and_reported_follow_the_measures_dashboard(
    province, make_org, overseer, rounds, measure, entry, today, only_first_round, first_locked
):
    """Cases around the rounds (due 2025-04-15 and 2025-10-15; the due date itself is on time): nothing
    reported, done, in progress past the measure's end or before it, reported only in the later round,
    starting after the period; with the first round approved or not, and with it alone or not."""
    organisation = make_org(province)
    first, second = rounds(organisation, 2568, due=(date(2025, 4, 15), date(2025, 10, 15)), locked=(first_locked, False))
    whole_year = (date(2024, 10, 1), date(2025, 9, 30))
    first_half = (date(2024, 10, 1), date(2025, 3, 31))
    measure(organisation, 2568, *whole_year)
    entry(measure(organisation, 2568, *first_half), first, ProgressEntry.Status.DONE)
    entry(measure(organisation, 2568, *first_half), first)
    entry(measure(organisation, 2568, *first_half), first, ProgressEntry.Status.IN_PROGRESS)
    entry(measure(organisation, 2568, *whole_year), first)
    entry(measure(organisation, 2568, *first_half), second)
    measure(organisation, 2568, date(2025, 6, 1), date(2025, 9, 30))
    measure(organisation, 2568, date(2025, 10, 5), date(2025, 12, 31))
    entry(measure(organisation, 2568, *first_half), second, ProgressEntry.Status.DONE)
    measure(organisation, 2567, *whole_year)
    if only_first_round:
        second.delete()
    row = rows_by_slug(overseer(province), 2568, today)[organisation.slug]
    assert (row.late, row.reported) == _grid_truth(organisation, 2568, today)


def test_late_counts_every_round_whose_due_date_has_passed(province, make_org, overseer, rounds, measure):
    """Three measures never reported: late in the 6-month round from its due date on, then in both."""
    organisation = make_org(province)
    rounds(organisation, 2568, due=(date(2025, 4, 15), date(2025, 10, 15)))
    for _ in range(3):
        measure(organisation, 2568, date(2024, 10, 1), date(2025, 9, 30))
    for today, late in [(date(2025, 4, 15), 0), (date(2025, 4, 16), 3), (date(2025, 11, 1), 6)]:
        row = rows_by_slug(overseer(province), 2568, today)[organisation.slug]
        assert (row.late, row.reported) == (late, False) == _grid_truth(organisation, 2568, today)


def test_a_round_approved_is_reported_and_no_round_is_neither(province, make_org, overseer, rounds):
    approved, none = make_org(province), make_org(province)
    rounds(approved, 2568, due=(date(2025, 4, 15), date(2025, 10, 15)), locked=(True, True))
    rows = rows_by_slug(overseer(province), 2568, date(2025, 11, 1))
    assert (rows[approved.slug].reported, rows[approved.slug].late) == (True, 0)
    assert (rows[none.slug].reported, rows[none.slug].late) == (None, None)


def test_memos_waiting_and_their_longest_wait(province, make_org, overseer, memo, long_ago):
    stuck, fresh, quiet = make_org(province), make_org(province), make_org(province)
    memo(stuck, 2568, since=long_ago(20))
    memo(stuck, 2568, since=long_ago(3))
    memo(fresh, 2568, since=long_ago(14))
    for state in (Memo.State.DRAFT, Memo.State.RETURNED, Memo.State.APPROVED):
        memo(quiet, 2568, state=state)
    memo(quiet, 2567, since=long_ago(40))
    today = timezone.localdate()
    rows = rows_by_slug(overseer(province), 2568, today)
    assert (rows[stuck.slug].memos_waiting, rows[stuck.slug].waiting_days, rows[stuck.slug].stuck) == (2, 20, True)
    # Fourteen days is not yet more than fourteen.
    assert (rows[fresh.slug].memos_waiting, rows[fresh.slug].waiting_days, rows[fresh.slug].stuck) == (1, 14, False)
    assert (rows[quiet.slug].memos_waiting, rows[quiet.slug].waiting_days, rows[quiet.slug].stuck) == (0, None, False)


def test_a_memo_waits_since_it_was_last_moved_up_the_chain(province, make_org, overseer, memo, long_ago):
    from unittest import mock

    from itaportal.audit.services import audit

    organisation = make_org(province)
    moving = memo(organisation, 2568, since=long_ago(30))
    with mock.patch("django.utils.timezone.now", return_value=long_ago(2)):
        audit(organisation=organisation, action="ita.memo.forwarded", target=moving, actor=moving.author)
    row = rows_by_slug(overseer(province), 2568, timezone.localdate())[organisation.slug]
    assert (row.waiting_days, row.stuck) == (2, False)


def test_approved_documents_are_the_auditors(province, make_org, overseer, document):
    organisation = make_org(province)
    document(organisation, 2568)
    document(organisation, 2568)
    document(organisation, 2568, ready=False)
    document(organisation, 2568, approved=False)
    document(organisation, 2567)
    row = rows_by_slug(overseer(province), 2568)[organisation.slug]
    expected = approved_documents(organisation).filter(version__memo__fiscal_year=2568).count()
    assert row.approved_documents == expected == 2


def test_the_default_year_is_the_latest_with_scores(province, make_org, overseer, scores, rounds):
    organisation = make_org(province)
    scores(organisation, 2567, overall="90")
    rounds(organisation, 2568)
    scope = overseer(province)
    assert selectors.rollup_years(scope, TODAY) == ([2568, 2567], 2567)
    assert selectors.rollup_years(overseer(province, "ดอยทดสอบ"), TODAY + timedelta(days=365)) == ([2569], 2569)
