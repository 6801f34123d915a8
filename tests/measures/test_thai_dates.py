"""Dates typed in พ.ศ. on the measures pages, undated activities, periods in months, and the warning
for an activity dated outside its measure's period or its round (issue 14.5, 14.6)."""

import importlib
import re
import subprocess
from datetime import date

import pytest
from django.apps import apps
from django.utils import translation

from itaportal.accounts.models import Organisation
from measures.excel import plan_workbook, progress_workbook
from measures.models import Activity, Measure, ProgressEntry, ReportingRound
from measures.services.progress import ActivityData, progress_save
from reports.documents import build_content, render_draft, render_html

pytestmark = pytest.mark.django_db

# A year no demo office has measures in: the documents list only what the tests make.
YEAR = 2569  # 1 Oct 2025 – 30 Sep 2026
SLUG = "wangthong"


def pdf_text(pdf: bytes) -> str:
    """The text in reading order (no -layout: a table cell's paragraphs stay together), no whitespace."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode("utf-8"))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def progress_url(measure, round, suffix=""):
    return f"/o/{SLUG}/measures/m/{measure.pk}/r/{round.pk}/{suffix}"


def progress_data(dates, texts, **fields):
    return {"status": "in_progress", "outcome": "", "suggestions": "", "budget_used": "",
            "activity_date": dates, "activity_text": texts, **fields}


@pytest.fixture
def measure(make_measure):
    return make_measure(year=YEAR, title="มาตรการเผยแพร่ข้อมูล")


@pytest.fixture
def rounds(make_rounds):
    return make_rounds(year=YEAR)


@pytest.fixture
def staff(login):
    client = login(f"staff.{SLUG}")
    client.cookies["ita_language"] = "th"
    return client


class TestProgressForm:
    def test_it_takes_a_buddhist_date_and_shows_it_back(self, staff, measure, rounds):
        response = staff.post(progress_url(measure, rounds[0]), progress_data(["15/01/2569", ""], ["ประชุมชี้แจง", ""]))
        assert response.status_code == 302
        (activity,) = Activity.objects.filter(entry__measure=measure)
        assert activity.date == date(2026, 1, 15)
        html = staff.get(progress_url(measure, rounds[0])).content.decode()
        assert 'value="15/01/2569"' in html and 'placeholder="วว/ดด/ปปปป"' in html
        report = staff.get(f"/o/{SLUG}/measures/{YEAR}/rounds/{rounds[0].pk}/").content.decode()
        assert "๑๕ ม.ค. ๖๙" in report and "๐๙" not in report

    def test_thai_digits_and_month_names_are_taken(self, staff, measure, rounds):
        data = progress_data(["๑๕ ม.ค. ๖๙", "2 กุมภาพันธ์ 2569"], ["ก", "ข"])
        assert staff.post(progress_url(measure, rounds[0]), data).status_code == 302
        assert [a.date for a in Activity.objects.filter(entry__measure=measure)] == [date(2026, 1, 15),
                                                                                     date(2026, 2, 2)]

    def test_a_wrong_date_keeps_what_was_typed_and_says_why_next_to_it(self, staff, measure, rounds):
        data = progress_data(["29/02/2569", ""], ["อบรมเจ้าหน้าที่", ""])
        html = staff.post(progress_url(measure, rounds[0]), data).content.decode()
        assert 'value="29/02/2569"' in html and "อบรมเจ้าหน้าที่" in html
        assert "๒๕๖๙" in html  # the message names the year, in Thai digits
        assert re.search(r'name="activity_date"[^>]*class="form-control is-invalid"', html)
        assert not Activity.objects.filter(entry__measure=measure).exists()

    def test_an_undated_activity_is_a_summary_line(self, staff, measure, rounds):
        data = progress_data(["", "12/01/2569"], ["สรุปผลทั้งรอบ", "ประชุมชี้แจง"])
        assert staff.post(progress_url(measure, rounds[0]), data).status_code == 302
        activities = list(Activity.objects.filter(entry__measure=measure))
        assert [(a.date, a.description) for a in activities] == [(None, "สรุปผลทั้งรอบ"),
                                                                (date(2026, 1, 12), "ประชุมชี้แจง")]
        report = staff.get(f"/o/{SLUG}/measures/{YEAR}/rounds/{rounds[0].pk}/").content.decode()
        assert "<div>สรุปผลทั้งรอบ</div>" in report

    def test_a_date_without_a_description_is_still_refused(self, staff, measure, rounds):
        html = staff.post(progress_url(measure, rounds[0]), progress_data(["12/01/2569"], [""])).content.decode()
        assert 'value="12/01/2569"' in html and "is-invalid" in html
        assert not ProgressEntry.objects.filter(measure=measure, activities__isnull=False).exists()

    def test_a_date_outside_the_measure_or_the_round_is_saved_with_a_warning(self, staff, make_measure, rounds):
        measure = make_measure(year=YEAR, start_date=date(2025, 11, 1), end_date=date(2025, 12, 31))
        # 20 October: before the measure's period; 15 April 2569: after the first round (to 31 March).
        data = progress_data(["20/10/2568", "15/04/2569", "1/12/2568"], ["ก่อน", "หลัง", "ตรง"])
        with translation.override("en"):
            response = staff.post(progress_url(measure, rounds[0]), data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        assert Activity.objects.filter(entry__measure=measure).count() == 3
        staff.cookies["ita_language"] = "en"
        html = staff.get(progress_url(measure, rounds[0])).content.decode()
        warnings = re.findall(r'activity-warning">([^<]*)<', html)
        assert len(warnings) == 2
        assert "outside the measure" in warnings[0] and "1 Nov 2568 – 31 Dec 2568" in warnings[0]
        assert "outside the period of" in warnings[1] and "31 Mar 2569" in warnings[1]

    def test_a_bad_date_in_autosave_keeps_a_draft(self, staff, measure, rounds):
        response = staff.post(progress_url(measure, rounds[0], "autosave/"),
                              progress_data(["15/01/2666"], ["ก"]), HTTP_HX_REQUEST="true")
        assert "text-warning-emphasis" in response.content.decode()
        entry = ProgressEntry.objects.get(measure=measure)
        assert entry.draft["data"]["activity_date"] == ["15/01/2666"]


class TestRoundsDueDate:
    def test_a_buddhist_due_date_is_taken(self, login, rounds):
        client = login(f"admin.{SLUG}")
        response = client.post(f"/o/{SLUG}/measures/{YEAR}/rounds/{rounds[0].pk}/due/", {"due_date": "๑๕/๔/๒๕๖๙"})
        assert response.status_code == 302
        rounds[0].refresh_from_db()
        assert rounds[0].due_date == date(2026, 4, 15)
        html = client.get(f"/o/{SLUG}/measures/{YEAR}/rounds/").content.decode()
        assert 'value="15/04/2569"' in html and "data-thai-date" in html

    def test_a_wrong_due_date_is_shown_as_typed_with_its_reason(self, login, rounds):
        client = login(f"admin.{SLUG}")
        client.cookies["ita_language"] = "en"
        response = client.post(f"/o/{SLUG}/measures/{YEAR}/rounds/{rounds[1].pk}/due/", {"due_date": "31/04/2569"})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'value="31/04/2569"' in html and "April 2569 has 30 days" in html
        assert f'aria-describedby="id_due_{rounds[1].pk}_due_date-error"' in html
        assert html.count("is-invalid") == 1
        rounds[1].refresh_from_db()
        assert rounds[1].due_date == date(2026, 9, 30)


class TestMeasurePeriod:
    def form(self, **fields):
        return {"kind": "measure", "title": "จัดทำคู่มือ", "steps": "ร่างคู่มือ", "all_units": "on", **fields}

    def test_a_period_in_months(self, login):
        client = login(f"admin.{SLUG}")
        response = client.post(f"/o/{SLUG}/measures/{YEAR}/new/", self.form(start_date="ต.ค. ๖๘", end_date="มี.ค. ๖๙"))
        assert response.status_code == 302
        measure = Measure.objects.get(organisation__slug=SLUG, fiscal_year=YEAR)
        assert (measure.start_date, measure.end_date, measure.period_in_months) == (
            date(2025, 10, 1), date(2026, 3, 31), True)
        client.cookies["ita_language"] = "th"
        assert "ต.ค. ๖๘ – มี.ค. ๖๙" in client.get(f"/o/{SLUG}/measures/{YEAR}/").content.decode()
        assert "ต.ค. ๖๘ – มี.ค. ๖๙" in client.get(f"/o/{SLUG}/measures/m/{measure.pk}/").content.decode()
        edit = client.get(f"/o/{SLUG}/measures/m/{measure.pk}/edit/").content.decode()
        assert 'value="ต.ค. 2568"' in edit and 'value="มี.ค. 2569"' in edit

    def test_days_in_buddhist_era_and_a_month_and_a_day(self, login):
        client = login(f"admin.{SLUG}")
        client.post(f"/o/{SLUG}/measures/{YEAR}/new/", self.form(start_date="1/11/2568", end_date="10/2569"))
        client.post(f"/o/{SLUG}/measures/{YEAR}/new/", self.form(start_date="11/2568", end_date="15/01/2569"))
        first, second = Measure.objects.filter(organisation__slug=SLUG, fiscal_year=YEAR).order_by("number")
        # A month as the end is its last day; mixed with a day, the period prints in days.
        assert (first.start_date, first.end_date, first.period_in_months) == (date(2025, 11, 1), date(2026, 10, 31),
                                                                              False)
        assert (second.start_date, second.end_date, second.period_in_months) == (date(2025, 11, 1),
                                                                                 date(2026, 1, 15), False)

    def test_a_wrong_period_keeps_what_was_typed(self, login):
        client = login(f"admin.{SLUG}")
        client.cookies["ita_language"] = "en"
        html = client.post(f"/o/{SLUG}/measures/{YEAR}/new/",
                           self.form(start_date="ต.ค. 2700", end_date="soon")).content.decode()
        assert 'value="ต.ค. 2700"' in html and 'value="soon"' in html
        assert "October 2700 (CE 2157)" in html and "10/2566" in html
        assert not Measure.objects.filter(organisation__slug=SLUG, fiscal_year=YEAR).exists()

    def test_months_print_as_months_in_the_documents_and_the_spreadsheets(self, make_measure, rounds):
        organisation = Organisation.objects.get(slug=SLUG)
        measure = make_measure(year=YEAR, start_date=date(2025, 10, 1), end_date=date(2026, 3, 31),
                               period_in_months=True)
        progress_save(measure=measure, round=rounds[0], user=None, status="in_progress", outcome="", suggestions="",
                      budget_used=None, activities=[ActivityData(None, "สรุปผล")])
        # A table's text comes out line by line across its columns: each month is read on its own.
        for kind, round in (("measures", None), ("progress", 1)):
            text = pdf_text(render_draft(kind, organisation, YEAR, round))
            assert "ต.ค.๖๘" in text and "มี.ค.๖๙" in text, kind
            assert "๑ต.ค.๖๘" not in text and "๓๑มี.ค.๖๙" not in text, kind
        assert "ต.ค. ๖๘ – มี.ค. ๖๙" in render_html("measures", build_content("measures", organisation, YEAR), True)
        from openpyxl import load_workbook
        import io

        plan = load_workbook(io.BytesIO(plan_workbook(organisation, YEAR))).active
        assert any(cell.value == "ต.ค. ๖๘ – มี.ค. ๖๙" for row in plan.iter_rows() for cell in row)
        progress = load_workbook(io.BytesIO(progress_workbook(organisation, rounds[0]))).active
        assert any(cell.value == "สรุปผล" for row in progress.iter_rows() for cell in row)


def test_the_progress_report_prints_an_undated_activity_without_a_date(measure, rounds):
    organisation = Organisation.objects.get(slug=SLUG)
    progress_save(measure=measure, round=rounds[0], user=None, status="in_progress", outcome="", suggestions="",
                  budget_used=None, activities=[ActivityData(date(2026, 1, 12), "ประชุมชี้แจง"),
                                                ActivityData(None, "สรุปผลทั้งรอบ")])
    text = pdf_text(render_draft("progress", organisation, YEAR, 1))
    assert "สรุปผลทั้งรอบ" in text and "–สรุปผลทั้งรอบ" not in text
    assert "๑๒ม.ค.๖๙–ประชุมชี้แจง" in text
    # The summary line first, as it was typed, with no date and no dash.
    html = render_html("progress", build_content("progress", organisation, YEAR, 1), True)
    summary, dated = [squeeze(re.sub(r"<[^>]+>|\u200b", "", p)) for p in re.findall(r'<p class="activity">(.*?)</p>', html)]
    assert (summary, dated) == ("สรุปผลทั้งรอบ", "๑๒ม.ค.๖๙–ประชุมชี้แจง")


def test_stored_buddhist_years_are_repaired(make_measure, rounds):
    """Migration 0004: dates saved through the old browser box with a พ.ศ. year as if Christian."""
    measure = make_measure(year=YEAR)
    entry = progress_save(measure=measure, round=rounds[0], user=None, status="done", outcome="", suggestions="",
                          budget_used=None, activities=[ActivityData(date(2026, 1, 15), "ก")])
    Activity.objects.filter(entry=entry).update(date=date(2569, 1, 15))
    Measure.objects.filter(pk=measure.pk).update(end_date=date(2569, 9, 30))
    ReportingRound.objects.filter(pk=rounds[0].pk).update(due_date=date(2569, 3, 31))
    leap = Activity.objects.create(entry=entry, order=2, date=date(2568, 2, 29), description="ข")  # 2025 has no 29 Feb

    importlib.import_module("measures.migrations.0004_buddhist_years_typed_as_christian").repair(apps, None)

    assert Activity.objects.get(entry=entry, order=1).date == date(2026, 1, 15)
    assert Measure.objects.get(pk=measure.pk).end_date == date(2026, 9, 30)
    assert ReportingRound.objects.get(pk=rounds[0].pk).due_date == date(2026, 3, 31)
    assert Activity.objects.get(pk=leap.pk).date == date(2568, 2, 29)


def test_an_imported_plan_takes_whole_months_and_names_a_wrong_date():
    from tests.measures.test_excel import CODES, run_import, row

    phusang = Organisation.objects.get(slug="phusang")
    Measure.objects.filter(organisation=phusang, fiscal_year=2568).delete()
    result = run_import(phusang, [CODES, row(title="ก", units="all", start="ต.ค. 67", end="๓/๒๕๖๘"),
                                  row(title="ข", units="all", start="2024-11-01 00:00:00", end="30/9/68")])
    assert not result.errors
    months, days = sorted(result.created, key=lambda m: m.title)
    assert (months.start_date, months.end_date, months.period_in_months) == (date(2024, 10, 1), date(2025, 3, 31), True)
    assert (days.start_date, days.end_date, days.period_in_months) == (date(2024, 11, 1), date(2025, 9, 30), False)
    errors = run_import(phusang, [CODES, row(title="ค", units="all", start="29/02/2568")]).errors
    assert [e.message for e in errors] == ["29 February 2568 does not exist: 2568 is not a leap year, its February "
                                           "has 28 days."]
