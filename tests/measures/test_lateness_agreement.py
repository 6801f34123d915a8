"""Every consumer of lateness says the same of every entry: the measures dashboard, the round report, the
progress form, "what I must report", the daily reminders and the oversight roll-up, on generated data that
holds every case, against the rule as measures/lateness.py documents it.

The office reports FY 2567 in halves (the 6-month round open, the 12-month one approved, as in issue 15)
and FY 2568 in quarters (the first and third rounds approved, the second due on 15 April, two weeks after
its period). Its measures take every period that matters at the rounds' edges — ending on a period's last
day or the day after, starting on it or the day after — each with several random sets of entries.
"""

import random
from datetime import date, timedelta
from unittest import mock

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from itaportal.accounts.models import Department, District, Membership, Organisation, Province, Role, User
from itaportal.notifications.models import Notification
from itaportal.notifications.registry import PROGRESS_DUE_SOON, PROGRESS_OVERDUE
from oversight import selectors as oversight
from oversight.models import OversightMembership
from itaportal.thai import fiscal_year_bounds
from measures.lateness import late_by_key, late_condition, measure_rounds, outstanding_condition
from measures.models import Measure, ProgressEntry, ReportingRound
from measures.selectors.progress import entries_by_key
from measures.services.plan import rounds_configure
from measures.tasks import DUE_SOON_DAYS, OVERDUE_DAYS, progress_reminders

pytestmark = pytest.mark.django_db

SCHEMES = {2567: "half", 2568: "quarter"}
LOCKED = {(2567, 2), (2568, 1), (2568, 3)}
MOVED_DUE = {(2568, 2): date(2025, 4, 15)}
DAYS = [
    date(2024, 3, 31),  # FY 2567's 6-month round due today: nothing late yet
    date(2024, 4, 1),
    date(2024, 12, 31),  # FY 2568's first quarter due today; FY 2567 wholly past
    date(2025, 4, 15),  # the second quarter's moved due date itself, its period over for two weeks
    date(2025, 4, 16),
    date(2025, 10, 1),  # every round past
]
STATUSES = [None, None, "not_started", "in_progress", "done", "done"]
PATTERNS_PER_PERIOD = 3


def _periods(year: int, rounds: list[ReportingRound]) -> list[tuple[date, date]]:
    start, end = fiscal_year_bounds(year)
    periods = [(start, end)]
    for round in rounds[:-1]:
        edge = round.period_end
        periods += [(start, edge), (start, edge + timedelta(days=1)), (edge, end), (edge + timedelta(days=1), end)]
    return periods


@pytest.fixture
def office():
    """An office of a province of its own (so the roll-up counts it alone), with a staff member of a
    unit, an admin and an overseer; its measures are every unit's, so everyone reports on every one."""
    province = Province.objects.create(code="97", name="ทดสอบล่าช้า", abbreviation="ทล")
    district = District.objects.create(province=province, code="9701", name="เมืองล่าช้า")
    organisation = Organisation.objects.create(
        slug="lateness-office", kind="sao", name="ล่าช้าทดสอบ", province=province, district=district
    )
    unit = Department.objects.create(organisation=organisation, name="สำนักปลัด")
    staff = User.objects.create_user("staff.lateness", email="staff@lateness.example")
    admin = User.objects.create_user("admin.lateness", email="admin@lateness.example")
    Membership.objects.create(user=staff, organisation=organisation, role=Role.STAFF, department=unit)
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    scope = OversightMembership.objects.create(user=User.objects.create_user("oversight.lateness"), province=province)
    rng = random.Random(15)
    rounds = {}
    for year, scheme in SCHEMES.items():
        year_rounds = rounds_configure(organisation=organisation, fiscal_year=year, scheme=scheme)
        for round in year_rounds:
            round.due_date = MOVED_DUE.get((year, round.number), round.due_date)
            round.locked_at = timezone.now() if (year, round.number) in LOCKED else None
            round.save(update_fields=["due_date", "locked_at"])
            rounds[round.pk] = round
        number = 0
        for start, end in _periods(year, year_rounds):
            for _ in range(PATTERNS_PER_PERIOD):
                number += 1
                measure = Measure.objects.create(
                    organisation=organisation, fiscal_year=year, number=number, title=f"มาตรการ {year}-{number}",
                    start_date=start, end_date=end, all_units=True,
                )
                # Entries are written directly: the approved rounds held them before they were locked.
                ProgressEntry.objects.bulk_create(
                    ProgressEntry(measure=measure, round=round, status=status)
                    for round in year_rounds
                    if (status := rng.choice(STATUSES)) and round.period_end >= start
                )
    Notification.objects.all().delete()
    return {"organisation": organisation, "staff": staff, "admin": admin, "scope": scope, "rounds": rounds}


def documented(measure: Measure, round: ReportingRound, statuses: dict[int, str], today: date) -> tuple[bool, bool, str]:
    """(late, outstanding, case) as measures/lateness.py words the rule; `statuses` by round number."""
    if measure.start_date > round.period_end:
        return False, False, "not expected in the round"
    status = statuses.get(round.number)
    ended = measure.end_date <= round.period_end
    would_be = status is None or (ended and status != "done")
    if any(number > round.number for number in statuses):
        case = "settled by a later round" if would_be and today > round.due_date else "reported later"
        return False, False, case
    if not would_be:
        return False, False, "ended and done" if ended else "reported, running"
    if today <= round.due_date:
        return False, True, "outstanding on its due date" if today == round.due_date else "outstanding, not due"
    case = "late: nothing reported" if status is None else "late: ended, not done"
    return True, True, f"{case}, approved round" if round.is_locked else case


def truth(office, today: date) -> dict[tuple[int, int], tuple[bool, bool, str]]:
    rounds = office["rounds"]
    statuses: dict[int, dict[int, str]] = {}
    for measure_pk, round_pk, status in ProgressEntry.objects.values_list("measure", "round", "status"):
        if round_pk in rounds:
            statuses.setdefault(measure_pk, {})[rounds[round_pk].number] = status
    return {
        (measure.pk, round.pk): documented(measure, round, statuses.get(measure.pk, {}), today)
        for measure in Measure.objects.filter(organisation=office["organisation"])
        for round in rounds.values()
        if round.fiscal_year == measure.fiscal_year
    }


def late_pairs(facts: dict, year: int | None = None, rounds=None) -> set[tuple[int, int]]:
    return {
        key for key, (late, _outstanding, _case) in facts.items()
        if late and (year is None or rounds[key[1]].fiscal_year == year)
    }


def on(today: date):
    """The pages' today: every `timezone.localdate()` without an argument."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return today if value is None else real(value, timezone)

    return mock.patch("django.utils.timezone.localdate", side_effect=localdate)


def test_the_data_holds_every_case(office):
    cases = {case for today in DAYS for (_late, _outstanding, case) in truth(office, today).values()}
    assert cases >= {
        "not expected in the round",
        "reported, running",
        "ended and done",
        "late: nothing reported",
        "late: ended, not done",
        "late: nothing reported, approved round",
        "late: ended, not done, approved round",
        "settled by a later round",
        "outstanding on its due date",
        "outstanding, not due",
    }
    # The period edges: a measure starting on a period's last day is expected in it, the next day's is not.
    rounds = sorted(office["rounds"].values(), key=lambda r: (r.fiscal_year, r.number))
    starts = set(Measure.objects.filter(organisation=office["organisation"]).values_list("start_date", flat=True))
    ends = set(Measure.objects.filter(organisation=office["organisation"]).values_list("end_date", flat=True))
    for round in rounds[:1]:
        assert {round.period_end, round.period_end + timedelta(days=1)} <= starts & ends


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_every_consumer_gives_the_same_answer_for_every_entry(client, office, today):
    facts = truth(office, today)
    rounds, organisation = office["rounds"], office["organisation"]
    slug = organisation.slug

    # The one function and its SQL twin.
    measures = list(Measure.objects.filter(organisation=organisation))
    entries = entries_by_key(measures, list(rounds.values()), details=False)
    python = late_by_key(measures, list(rounds.values()), entries, today)
    assert {key for key, late in python.items() if late} == late_pairs(facts)
    pairs = measure_rounds(Measure.objects.filter(organisation=organisation)).order_by()
    assert set(pairs.filter(late_condition(today)).values_list("pk", F("round_id"))) == late_pairs(facts)
    outstanding = {key for key, (_late, owed, _case) in facts.items() if owed}
    assert set(pairs.filter(outstanding_condition()).values_list("pk", F("round_id"))) == outstanding

    client.force_login(office["staff"])
    with on(today):
        for year in SCHEMES:
            # The dashboard: its list of late entries, and the count per unit and round.
            response = client.get(reverse("measures_dashboard", args=[slug]) + f"?year={year}")
            listed = {(cell.measure.pk, cell.round.pk) for cell in response.context["late"]}
            assert listed == late_pairs(facts, year, rounds)
            year_rounds = [r for r in rounds.values() if r.fiscal_year == year]
            (every_unit,) = response.context["unit_rows"]
            assert [cell["late"] for cell in every_unit["cells"]] == [
                sum(1 for (_m, round_pk) in late_pairs(facts, year, rounds) if round_pk == r.pk)
                for r in sorted(year_rounds, key=lambda r: r.number)
            ]
            # The round report, and the progress form of every entry.
            for round in year_rounds:
                response = client.get(reverse("round_report", args=[slug, year, round.pk]))
                assert {row["measure"].pk: row["late"] for row in response.context["rows"]} == {
                    measure_pk: late for (measure_pk, round_pk), (late, _o, _c) in facts.items()
                    if round_pk == round.pk
                }
                for (measure_pk, round_pk), (late, _o, _c) in facts.items():
                    if round_pk == round.pk:
                        form = client.get(reverse("progress_form", args=[slug, measure_pk, round_pk]))
                        assert form.context["late"] == late, (measure_pk, round.fiscal_year, round.number)

        # What I must report: every open round of both years, the measures expected in each.
        response = client.get(reverse("my_reporting", args=[slug]))
    sections = response.context["rounds"]
    assert [section.round.pk for section in sections] == [
        r.pk for r in sorted(rounds.values(), key=lambda r: (r.fiscal_year, r.number)) if not r.is_locked
    ]
    shown = {(cell.measure.pk, cell.round.pk): cell.late for section in sections for cell in section.cells}
    assert shown == {
        key: late for key, (late, _o, case) in facts.items()
        if not rounds[key[1]].is_locked and case != "not expected in the round"
    }
    assert response.context["late_count"] == sum(shown.values())

    # The reminders: overdue is late in an open round (for OVERDUE_DAYS), due soon outstanding before it.
    progress_reminders(today)
    told: dict[str, set] = {PROGRESS_OVERDUE: set(), PROGRESS_DUE_SOON: set()}
    for kind, key in Notification.objects.filter(organisation=organisation).values_list("kind", "dedupe_key"):
        _kind, measure_pk, round_pk, _user, _day = key.split(":")
        told[kind].add((int(measure_pk), int(round_pk)))
    open_rounds = {pk for pk, r in rounds.items() if not r.is_locked}
    assert told[PROGRESS_OVERDUE] == {
        (m, r) for (m, r) in late_pairs(facts) if r in open_rounds and rounds[r].due_date >= today - timedelta(days=OVERDUE_DAYS)
    }
    assert told[PROGRESS_DUE_SOON] == {
        (m, r) for (m, r), (late, owed, _c) in facts.items()
        if owed and not late and r in open_rounds and rounds[r].due_date <= today + timedelta(days=DUE_SOON_DAYS)
    }

    # The oversight roll-up: the year's late entries of the office.
    for year in SCHEMES:
        rollup = oversight.rollup(office["scope"], year, today)
        (row,) = [oversight.describe(o, rollup, today) for o in rollup.rows]
        assert row.late == len(late_pairs(facts, year, rounds))
