"""The item table of a fiscal year's framework as a spreadsheet: the export, and the import that reads
the same layout back (docs: assessments/frameworks/README.md).

Columns (header row 1, case-insensitive, in any order): `code`, `tool`, `indicator` (the number of an
indicator or sub-indicator, such as 9.1), `text`, `data_elements`, `provisional` (yes or blank) and
`provisional_source`. One row per item, in the order of the NACC's list.

An import replaces the year's item table and is all or nothing, as the score file is (importing.py):
every cell is checked first, each error names its spreadsheet row and column, and a single error
writes nothing. On a published framework the rule of assessments.models.Framework applies row by row.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .importing import ESCAPE_START, CellError, write_xlsx
from .models import Framework
from .services.errors import AssessmentError
from .framework_format import ItemSpec
from .services.frameworks import ItemsResult, item_problems, items_replace

CODE, TOOL, INDICATOR, TEXT, DATA_ELEMENTS, PROVISIONAL, PROVISIONAL_SOURCE = (
    "code", "tool", "indicator", "text", "data_elements", "provisional", "provisional_source",
)
HEADERS = [CODE, TOOL, INDICATOR, TEXT, DATA_ELEMENTS, PROVISIONAL, PROVISIONAL_SOURCE]
YES = {"yes", "y", "true", "1", "x", "✓", "ใช่", "จริง"}
NO = {"", "no", "n", "false", "0", "ไม่", "ไม่ใช่"}


def export_table(framework: Framework) -> tuple[list[str], list[list]]:
    rows = [
        [
            item.code,
            item.tool.code,
            item.indicator.number if item.indicator_id else None,
            item.text,
            item.data_elements or None,
            "yes" if item.provisional else None,
            item.provisional_source or None,
        ]
        for item in framework.items.select_related("tool", "indicator").order_by("order")
    ]
    return HEADERS, rows


def export_xlsx(framework: Framework) -> bytes:
    headers, rows = export_table(framework)
    return write_xlsx(headers, rows, sheet_title=_("Items %(year)s") % {"year": framework.fiscal_year})


@dataclass
class ItemImportResult:
    errors: list[CellError] = field(default_factory=list)
    result: ItemsResult | None = None


def _cell(text: str) -> str:
    """The text of a cell; the apostrophe the export puts before a text such as "- แสดง…" (so that a
    spreadsheet never runs it as a formula) is taken off again."""
    text = text.strip()
    if text.startswith("'") and text[1:2] and text[1] in ESCAPE_START:
        return text[1:]
    return text


class _Checker:
    def __init__(self, framework: Framework, header_row: list[str]):
        self.framework = framework
        self.labels = [cell.strip() for cell in header_row]
        self.headers = [label.lower() for label in self.labels]
        self.columns: dict[str, int] = {}
        self.errors: list[CellError] = []
        self.items: list[ItemSpec] = []
        self.seen: dict[str, int] = {}  # code (lower case) -> its row
        self.tools = {tool.code: tool for tool in framework.tools.all()}
        self.tools_by_key = {code.lower(): code for code in self.tools}
        self.indicators = {ind.number: ind for ind in framework.indicators.select_related("tool")}
        self.stored = {item.code: item for item in framework.items.select_related("tool", "indicator")}

    def error(self, row: int, column: int | None, message: str, header: str = "") -> None:
        letter = get_column_letter(column + 1) if column is not None else ""
        label = self.labels[column] if column is not None and column < len(self.labels) else header
        self.errors.append(CellError(row, letter, label, message))

    def check_header(self) -> bool:
        for index, header in enumerate(self.headers):
            if not header:
                continue
            if header in self.columns:
                self.error(1, index, _("This column repeats column %(column)s.")
                           % {"column": get_column_letter(self.columns[header] + 1)})
            elif header not in HEADERS:
                self.error(1, index, _("Unknown column. The columns are: %(columns)s.")
                           % {"columns": ", ".join(HEADERS)})
            else:
                self.columns[header] = index
        missing = [name for name in (CODE, TEXT) if name not in self.columns]
        if TOOL not in self.columns and INDICATOR not in self.columns:
            missing.append(TOOL)
        for name in missing:
            self.errors.append(CellError(1, "", name, _("The column %(name)s is missing.") % {"name": name}))
        return not missing

    def check_row(self, number: int, cells: list[str]) -> None:
        before = len(self.errors)
        values: dict[str, str] = {}
        # The columns of this row that already have their error: one error per cell is enough.
        reported: set[str] = set()
        for index, raw in enumerate(cells):
            text = raw.strip()
            header = self.headers[index] if index < len(self.headers) else ""
            if not text or (header and self.columns.get(header) != index):
                continue
            if text.startswith("="):
                self.error(number, index, _("Formulas are not accepted: type the text itself."))
                reported.add(header)
            elif not header:
                self.error(number, index, _("This column has no header, so its value cannot be imported."))
            else:
                values[header] = _cell(text)

        def column(name: str) -> int | None:
            return self.columns.get(name)

        def report(name: str, message: str) -> None:
            if name not in reported:
                reported.add(name)
                self.error(number, column(name), message, header=name)

        code = values.get(CODE, "")
        if code:
            key = code.lower()
            if key in self.seen:
                report(CODE, _("Row %(row)s already has the code %(code)s.") % {"row": self.seen[key], "code": code})
            else:
                self.seen[key] = number
        else:
            report(CODE, _("Type the item's code, such as o12."))
        provisional = values.get(PROVISIONAL, "").lower()
        if provisional not in YES | NO:
            report(PROVISIONAL, _("Type yes, or leave the cell blank."))
        indicator = values.get(INDICATOR) or None
        tool = self.tools_by_key.get(values.get(TOOL, "").lower(), values.get(TOOL, ""))
        if not tool and indicator in self.indicators:
            tool = self.indicators[indicator].tool.code
        elif not tool and not indicator:
            report(TOOL if TOOL in self.columns else INDICATOR,
                   _("Name the tool (%(tools)s) or the indicator.") % {"tools": ", ".join(self.tools)})
        spec = ItemSpec(
            code=code,
            text=values.get(TEXT, ""),
            tool=tool,
            indicator=indicator,
            data_elements=values.get(DATA_ELEMENTS, ""),
            provisional=provisional in YES,
            provisional_source=values.get(PROVISIONAL_SOURCE, ""),
        )
        problems = item_problems(
            published=self.framework.is_published,
            before=self.stored.get(code),
            after=spec,
            tools=self.tools,
            indicators=self.indicators,
        )
        for name, message in problems.items():
            if name == TOOL and not tool:
                continue  # already asked to name the tool or the indicator
            report(name, message)
        if len(self.errors) == before:
            self.items.append(spec)

    def check_removed(self) -> None:
        if not self.framework.is_published:
            return
        left_out = [code for code in self.stored if code.lower() not in self.seen]
        if left_out:
            self.error(1, self.columns.get(CODE),
                       _("The table leaves out %(codes)s: items of a published framework cannot be removed.")
                       % {"codes": ", ".join(left_out)})


def import_items(*, framework: Framework, table: list[list[str]], user) -> ItemImportResult:
    """Check every cell of the table, then replace the year's items with it or, if anything is wrong,
    change nothing."""
    checker = _Checker(framework, table[0] if table else [])
    if not any(checker.headers):
        return ItemImportResult(errors=[CellError(1, "", "", _("The first row must name the columns: %(columns)s.")
                                                  % {"columns": ", ".join(HEADERS)})])
    if not checker.check_header():
        return ItemImportResult(errors=checker.errors)
    for number, cells in enumerate(table[1:], start=2):
        if any(cell.strip() for cell in cells):
            checker.check_row(number, cells)
    checker.check_removed()
    if checker.errors:
        return ItemImportResult(errors=sorted(checker.errors, key=lambda e: (e.row, len(e.column_letter),
                                                                              e.column_letter)))
    try:
        return ItemImportResult(result=items_replace(framework=framework, items=checker.items, user=user))
    except AssessmentError as error:
        return ItemImportResult(errors=[CellError(1, "", "", str(error))])
