"""The item table of a framework as XLSX: the export, and the all-or-nothing import of the same layout
with its errors by row and column."""

import io

import openpyxl
import pytest
from django.utils import translation

from assessments.item_table import HEADERS, export_table, export_xlsx, import_items
from assessments.importing import read_table
from assessments.models import Framework
from assessments.services.frameworks import framework_publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(rows) -> list[list[str]]:
    return read_table(io.BytesIO(xlsx(rows)), "items.xlsx")


def errors(result) -> list[tuple]:
    return [(e.row, e.column_letter, e.message) for e in result.errors]


def codes(framework: Framework) -> list[str]:
    return list(framework.items.order_by("order").values_list("code", flat=True))


def test_the_export_reads_back_unchanged(draft, editor):
    before = export_table(draft)[1]
    rows = read_table(io.BytesIO(export_xlsx(draft)), "items.xlsx")
    assert rows[0] == HEADERS
    outcome = import_items(framework=draft, table=rows, user=editor)
    assert not outcome.errors
    assert (outcome.result.added, outcome.result.changed, outcome.result.removed) == (0, 0, 0)
    assert export_table(draft)[1] == before


def test_data_elements_starting_with_a_dash_survive_the_round_trip(editor):
    framework = Framework.objects.get(fiscal_year=2566)
    source = framework.items.get(code="o1").data_elements
    assert source.startswith("- ")
    rows = read_table(io.BytesIO(export_xlsx(framework)), "items.xlsx")
    o1 = next(row for row in rows if row[0] == "o1")
    assert o1[4].startswith("'- ")  # escaped for the spreadsheet, never run as a formula
    copy = Framework.objects.get(fiscal_year=2570)
    Framework.objects.filter(pk=copy.pk).update(state=Framework.State.DRAFT)
    copy.refresh_from_db()
    # 2566's items into a draft with the same tools and indicators: o1 gets its data elements back.
    outcome = import_items(framework=copy, table=[r for r in rows if not r[0].startswith(("i", "e"))], user=editor)
    assert not outcome.errors, errors(outcome)
    assert copy.items.get(code="o1").data_elements == source


def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(draft, editor):
    before = export_table(draft)[1]
    rows = table([
        ["code", "tool", "indicator", "text", "provisional"],
        ["o1", "OIT", "", "ข้อหนึ่ง", ""],
        ["o2", "OIT", "99.9", "ข้อสอง", ""],          # unknown indicator
        ["O1", "OIT", "", "ซ้ำ", ""],                 # the code of row 2 again
        ["o3", "XYZ", "", "ข้อสาม", ""],              # unknown tool
        ["o4", "IIT", "9.1", "ผิดเครื่องมือ", "maybe"],  # 9.1 is OIT's; "maybe" is not yes or blank
        ["", "OIT", "", "ไม่มีรหัส", ""],             # no code
        ["o6", "OIT", "", "", ""],                   # no text
        ["o7", "OIT", "", "=HYPERLINK(\"x\")", ""],   # a formula
        [],
        ["o8", "", "", "ไม่มีเครื่องมือ", ""],          # neither tool nor indicator
    ])
    outcome = import_items(framework=draft, table=rows, user=editor)
    assert errors(outcome) == [
        (3, "C", "This framework has no indicator 99.9."),
        (4, "A", "Row 2 already has the code O1."),
        (5, "B", "Choose a tool of this framework: IIT, EIT, OIT."),
        (6, "C", "Indicator 9.1 belongs to OIT, not to IIT."),
        (6, "E", "Type yes, or leave the cell blank."),
        (7, "A", "Type the item's code, such as o12."),
        (8, "D", "Type the item's text."),
        (9, "D", "Formulas are not accepted: type the text itself."),
        (11, "B", "Name the tool (IIT, EIT, OIT) or the indicator."),
    ]
    assert str(outcome.errors[0]) == "row 3, column C (indicator): This framework has no indicator 99.9."
    assert outcome.result is None and export_table(draft)[1] == before


def test_the_header_must_name_known_columns(draft, editor):
    outcome = import_items(framework=draft, table=table([["code", "texts", "code"], ["o1", "x", "o1"]]), user=editor)
    assert errors(outcome) == [
        (1, "B", "Unknown column. The columns are: code, tool, indicator, text, data_elements, provisional, "
                 "provisional_source."),
        (1, "C", "This column repeats column A."),
        (1, "", "The column text is missing."),
        (1, "", "The column tool is missing."),
    ]


def test_a_draft_takes_the_whole_table_in_its_order(draft, editor):
    rows = table([
        ["code", "indicator", "tool", "text", "data_elements", "provisional", "provisional_source"],
        ["o2", "9.1", "", "ข้อมูลผู้บริหาร", "- ชื่อ\n- ตำแหน่ง", "", ""],
        ["o1", "", "oit", "โครงสร้าง", "", "yes", "คู่มือ 2571 ยังไม่ออก"],
    ])
    outcome = import_items(framework=draft, table=rows, user=editor)
    assert not outcome.errors
    assert codes(draft) == ["o2", "o1"]
    o2, o1 = draft.items.order_by("order")
    assert (o2.tool.code, o2.indicator.number, o2.data_elements, o2.provisional) == ("OIT", "9.1", "- ชื่อ\n- ตำแหน่ง",
                                                                                     False)
    assert (o1.provisional, o1.provisional_source, o1.indicator) == (True, "คู่มือ 2571 ยังไม่ออก", None)
    assert (outcome.result.added, outcome.result.changed, outcome.result.removed) == (1, 1, 31)


def test_a_published_framework_refuses_a_table_that_removes_or_moves_items(draft, editor):
    framework_publish(framework=draft, user=editor)
    draft.refresh_from_db()
    draft.items.filter(code="o4").update(provisional=False)
    headers, rows = export_table(draft)
    rows = [[cell or "" for cell in row] for row in rows if row[0] != "o1"]
    o4 = next(row for row in rows if row[0] == "o4")
    o4[2] = "9.1"  # a confirmed item moved to another indicator
    rows.append(["o40", "OIT", "", "ข้อใหม่จากคู่มือ", "", "yes", "คู่มือ 2571"])
    outcome = import_items(framework=draft, table=table([headers, *rows]), user=editor)
    messages = errors(outcome)
    assert messages[0] == (1, "A", "The table leaves out o1: items of a published framework cannot be removed.")
    assert messages[1][1:] == ("C", "The indicator of a confirmed item of a published framework cannot change; "
                                    "mark it provisional first, with the reason.")
    assert len(messages) == 2 and "o40" not in codes(draft)


def test_a_published_framework_takes_new_items_and_wording(draft, editor):
    framework_publish(framework=draft, user=editor)
    draft.refresh_from_db()
    headers, rows = export_table(draft)
    rows = [[cell or "" for cell in row] for row in rows]
    rows[-1][3] = "ข้อความที่ถูกต้องตามคู่มือ"
    rows.append(["o27", "OIT", "9.1", "ข้อใหม่จากคู่มือ", "", "yes", "คู่มือ 2571"])
    outcome = import_items(framework=draft, table=table([headers, *rows]), user=editor)
    assert not outcome.errors, errors(outcome)
    assert (outcome.result.added, outcome.result.changed) == (1, 1)
    assert codes(draft)[-1] == "o27"
