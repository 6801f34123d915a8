from datetime import date

import pytest

from assessments.models import AnalysisIssue
from itaportal.accounts.models import Organisation
from measures.models import Measure, ReportingRound
from measures.services import MeasureError
from measures.services.plan import MeasureData, default_rounds, measure_delete, measure_update, round_update_due_date
from measures.services.progress import progress_save, round_lock

pytestmark = pytest.mark.django_db


def test_measures_are_numbered_in_order_and_default_to_the_whole_fiscal_year(make_measure):
    first, second = make_measure(title="หนึ่ง"), make_measure(title="สอง")
    assert (first.number, second.number) == (1, 2)
    assert (first.start_date, first.end_date) == (date(2024, 10, 1), date(2025, 9, 30))
    assert list(first.steps.values_list("order", "text")) == [(1, "ขั้นที่หนึ่ง")]


def test_a_removed_measure_leaves_a_gap_and_numbers_are_never_reused_while_others_stay(make_measure):
    first, second = make_measure(title="หนึ่ง"), make_measure(title="สอง")
    measure_delete(measure=first)
    assert make_measure(title="สาม").number == 3
    assert Measure.objects.get(pk=second.pk).number == 2


def test_a_reported_measure_cannot_be_removed(make_measure, make_rounds):
    measure = make_measure()
    round = make_rounds()[0]
    progress_save(measure=measure, round=round, user=None, status="in_progress", outcome="", suggestions="",
                  budget_used=None, activities=[])
    with pytest.raises(MeasureError):
        measure_delete(measure=measure)


def test_a_department_or_issue_of_another_organisation_is_refused(make_measure, department):
    with pytest.raises(MeasureError):
        make_measure(departments=[department("กองคลัง", slug="nasom")])
    foreign_issue = AnalysisIssue.objects.filter(assessment__organisation__slug="phusang").first()
    with pytest.raises(MeasureError):
        make_measure(issues=[foreign_issue])
    assert not Measure.objects.filter(organisation__slug="wangthong", fiscal_year=2568).exists()


def test_a_measure_needs_someone_responsible(make_measure):
    organisation = Organisation.objects.get(slug="wangthong")
    measure = make_measure()
    with pytest.raises(MeasureError):
        measure_update(measure=measure, data=MeasureData(kind="measure", title="x", steps=[], all_units=False))
    assert organisation.measures.get(fiscal_year=2568).all_units


def test_a_period_that_ends_before_it_starts_is_refused(make_measure):
    with pytest.raises(MeasureError):
        make_measure(start_date=date(2025, 3, 1), end_date=date(2025, 2, 1))


@pytest.mark.parametrize(
    "scheme, due_dates",
    [
        ("half", [date(2025, 3, 31), date(2025, 9, 30)]),
        ("quarter", [date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30)]),
    ],
)
def test_default_rounds(scheme, due_dates):
    rounds = default_rounds(2568, scheme)
    assert [r["due_date"] for r in rounds] == due_dates
    assert all(r["period_start"] == date(2024, 10, 1) for r in rounds)


def test_monthly_rounds_end_on_each_months_last_day():
    rounds = default_rounds(2568, "month")
    assert len(rounds) == 12
    assert [r["due_date"] for r in rounds][:5] == [
        date(2024, 10, 31), date(2024, 11, 30), date(2024, 12, 31), date(2025, 1, 31), date(2025, 2, 28)
    ]


def test_rounds_can_be_replaced_until_someone_reports(make_measure, make_rounds):
    make_rounds(scheme="half")
    rounds = make_rounds(scheme="quarter")
    assert ReportingRound.objects.filter(organisation__slug="wangthong", fiscal_year=2568).count() == 4
    progress_save(measure=make_measure(), round=rounds[0], user=None, status="done", outcome="", suggestions="",
                  budget_used=None, activities=[])
    with pytest.raises(MeasureError):
        make_rounds(scheme="half")
    assert ReportingRound.objects.filter(organisation__slug="wangthong", fiscal_year=2568).count() == 4


def test_a_locked_rounds_due_date_cannot_change(make_rounds):
    round = round_lock(round=make_rounds()[0])
    with pytest.raises(MeasureError):
        round_update_due_date(round=round, due_date=date(2025, 4, 15))
    with pytest.raises(MeasureError):
        round_lock(round=round)
