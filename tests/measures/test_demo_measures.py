from datetime import date

import pytest

from demo import measures as demo_measures
from itaportal.thai import fiscal_year_bounds
from measures.models import Activity, Measure, MeasureStep, ProgressEntry, ReportingRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    """The demo measures, loaded twice as `load_demo` may be run again on a filled database."""
    demo_measures.load()
    demo_measures.load()


def measures(slug: str, year: int):
    return Measure.objects.filter(organisation__slug=slug, fiscal_year=year).order_by("number")


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Measure, MeasureStep, ReportingRound, ProgressEntry, Activity)
    }


def test_phusang_plans_fy_2568_for_every_issue_of_its_fy_2567_analysis(loaded):
    plan = measures("phusang", 2568)
    assert plan.count() == 8
    issues = [m.issues.get() for m in plan]
    assert [i.order for i in issues] == [1, 2, 3, 3, 4, 5, 6, 7]
    assert {i.assessment.framework.fiscal_year for i in issues} == {2567}
    whole_year = fiscal_year_bounds(2568)
    assert all(m.all_units and (m.start_date, m.end_date) == whole_year for m in plan)
    assert list(plan.get(number=7).steps.values_list("order", flat=True)) == [1, 2, 3]
    assert plan.get(number=1).title == "พัฒนาระบบคิว มีการจัดระบบคิวที่ชัดเจนและเหมาะสม"
    assert ReportingRound.objects.filter(organisation__slug="phusang", fiscal_year=2568).count() == 2


def test_nasom_reports_fy_2566_in_the_12_month_round_with_indicators_linked(loaded):
    plan = measures("nasom", 2566)
    assert plan.count() == 11
    assert [list(m.indicators.values_list("number", flat=True)) for m in plan] == [
        ["9.4"], ["8"], ["4"], ["1"], ["2"], ["3"], ["4"], ["5"], ["6"], ["7"], ["8"]
    ]
    assert all(m.indicators.get().framework.fiscal_year == 2566 for m in plan)
    first_row = plan.get(number=4)
    assert first_row.title == "แนวทางยกระดับตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่"
    assert first_row.all_units
    assert list(plan.get(number=5).departments.values_list("name", flat=True)) == ["สำนักปลัด", "กองคลัง"]

    entries = ProgressEntry.objects.filter(measure__in=plan)
    assert entries.count() == 11
    assert set(entries.values_list("round__number", "status")) == {(2, "done")}
    assert all(e.outcome and e.updated_by.username == "staff.nasom" for e in entries)
    dated = Activity.objects.filter(entry__measure__in=plan)
    assert list(dated.values_list("entry__measure__number", "date")) == [(1, date(2023, 1, 4))]


def test_wangthong_reports_the_6_month_round_with_its_suggestions(loaded):
    plan = measures("wangthong", 2566)
    assert plan.count() == 8
    reported = ProgressEntry.objects.filter(measure__in=plan).select_related("measure", "round")
    entries = {e.measure.number: e for e in reported}
    assert sorted(entries) == list(range(1, 9))
    assert {e.round.number for e in entries.values()} == {1}
    assert entries[3].suggestions == "ให้มีการรายงานผลต่อคณะผู้บริหารทุก ๓ เดือน"
    assert entries[5].suggestions == ""
    assert {n for n, e in entries.items() if e.status == "done"} == {5, 6, 8}

    first = plan.get(number=1)
    assert (first.start_date, first.end_date) == (date(2023, 1, 1), date(2023, 9, 30))
    assert list(first.departments.values_list("name", flat=True)) == ["สำนักปลัด"]
    assert (plan.get(number=3).start_date, plan.get(number=3).end_date) == fiscal_year_bounds(2566)
    assert list(plan.get(number=7).departments.values_list("name", flat=True)) == ["กองคลัง"]
    assert list(plan.get(number=8).oit_items.values_list("code", flat=True)) == ["o26"]
    assert list(entries[1].activities.values_list("date", flat=True)) == [date(2023, 2, 15)]


def test_loading_again_changes_nothing_and_keeps_edits(loaded):
    entry = ProgressEntry.objects.get(measure__organisation__slug="wangthong", measure__number=1)
    entry.outcome = "แก้ไขแล้ว"
    entry.save(update_fields=["outcome"])
    before = counts()

    demo_measures.load()

    assert counts() == before
    entry.refresh_from_db()
    assert entry.outcome == "แก้ไขแล้ว"


def test_a_removed_measure_is_not_recreated_and_the_others_keep_their_progress(loaded):
    plan = measures("nasom", 2566)
    # The demo's approved memo 001 locked round 2; reopened, it is as before that memo was approved.
    ReportingRound.objects.filter(organisation__slug="nasom", fiscal_year=2566, number=2).update(locked_at=None)
    removed = plan.get(number=2)
    removed.delete()
    ProgressEntry.objects.filter(measure__in=plan).delete()

    demo_measures.load()

    assert not plan.filter(number=2).exists()
    assert ProgressEntry.objects.filter(measure__in=plan).count() == 10


def test_a_locked_round_is_not_filled_again(loaded):
    plan = measures("nasom", 2566)
    assert ReportingRound.objects.get(organisation__slug="nasom", fiscal_year=2566, number=2).is_locked
    ProgressEntry.objects.filter(measure__in=plan).delete()

    demo_measures.load()

    assert not ProgressEntry.objects.filter(measure__in=plan).exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๔ มกราคม ๒๕๖๖", date(2023, 1, 4)),
        ("๑๕ ก.พ. ๖๖", date(2023, 2, 15)),
        ("30 ก.ย. 2566", date(2023, 9, 30)),
        ("๑๑ กุมภาพันธ์ พ.ศ. ๒๕๖๘", date(2025, 2, 11)),
    ],
)
def test_thai_dates_are_read_as_printed(text, expected):
    assert demo_measures.parse_thai_date(text) == expected


@pytest.mark.parametrize("text", ["๓๑ เมษายน ๒๕๖๖", "มี.ค. ๖๖", "๔ เมษ ๒๕๖๖"])
def test_a_date_that_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError):
        demo_measures.parse_thai_date(text)
