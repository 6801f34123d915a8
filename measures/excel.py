"""The plan and a round's progress as spreadsheets, and a plan imported from one.

The exports are documents in Thai whatever the UI language, like the memo: Thai headers, Thai digits
in text, Sarabun, A4 landscape with the header row repeated on every page. The import reads the
template's format with the score import's rules (assessments/importing.py): every cell is checked,
every error names its spreadsheet row and column, and nothing is saved unless everything is right.
See docs/import.md, "Measures plan".
"""

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from pythainlp.util.date import thai_abbr_months

from assessments.importing import CellError, ScoreFileError, escape_cell
from assessments.models import AnalysisIssue
from itaportal.accounts.models import Department, Organisation, Position, User
from itaportal.dates import DateInputError, Month, parse_day_or_month, parse_thai_date
from itaportal.thai import (
    EN_DASH,
    be_year,
    fiscal_year_bounds,
    parse_decimal,
    thai_date,
    thai_date_range,
    to_arabic_digits,
    to_thai_digits,
)

from .models import Evidence, Measure, ProgressEntry, ReportingRound
from .selectors.plan import measures_of
from .selectors.progress import entries_by_key
from .services import MeasureError
from .services.plan import MeasureData, measure_create

FONT_NAME = "Sarabun"
ALL_UNITS_LABEL = "ทุกสำนัก ทุกกอง"
# The document's words, in Thai whatever the language of the person who downloads it.
KIND_LABELS = {
    Measure.Kind.MEASURE: "มาตรการ",
    Measure.Kind.PROJECT: "โครงการ",
    Measure.Kind.ACTIVITY: "กิจกรรม",
}
STATUS_LABELS = {
    ProgressEntry.Status.NOT_STARTED: "ยังไม่ได้ดำเนินการ",
    ProgressEntry.Status.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    ProgressEntry.Status.DONE: "ดำเนินการแล้ว",
}
PLAN_TITLE = "แผนมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
PROGRESS_TITLE = (
    "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year}"
)
MONEY_FORMAT = "#,##0.00"
# A plan holds tens of measures; each is created through the service (a dozen queries), so a file
# of thousands would hold the request for minutes.
MAX_MEASURES = 500

_WHITESPACE = re.compile(r"\s+")
# Digits inside a web address or an e-mail stay Arabic: turned Thai, the link would break.
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+")


def thai_text(text: str) -> str:
    parts, last = [], 0
    for match in _URLISH.finditer(text):
        parts += [to_thai_digits(text[last : match.start()]), match.group()]
        last = match.end()
    parts.append(to_thai_digits(text[last:]))
    return "".join(parts)


# --- the documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    header: str
    min_width: int
    max_width: int
    number_format: str = ""
    centred: bool = False


PLAN_COLUMNS = [
    _Column("ลำดับ", 6, 6, "0", centred=True),
    _Column("ประเด็น", 18, 30),
    _Column("มาตรการ/โครงการ/กิจกรรม", 20, 40),
    _Column("ประเภท", 9, 10, centred=True),
    _Column("ขั้นตอนหรือวิธีปฏิบัติ", 24, 50),
    _Column("ระยะเวลา", 14, 22, centred=True),
    _Column("ผู้รับผิดชอบ", 14, 28),
    _Column("การกำกับติดตาม", 16, 36),
    _Column("งบประมาณ", 12, 14, MONEY_FORMAT),
    _Column("เป้าหมาย", 16, 32),
]
PROGRESS_COLUMNS = [
    _Column("ลำดับ", 6, 6, "0", centred=True),
    _Column("มาตรการ", 18, 36),
    _Column("วิธีดำเนินการ", 22, 44),
    _Column("ผู้รับผิดชอบ", 14, 26),
    _Column("ระยะเวลา", 14, 22, centred=True),
    _Column("สถานะ", 12, 16, centred=True),
    _Column("ผลการดำเนินงาน", 24, 50),
    _Column("ผลลัพธ์หรือความสำเร็จ", 18, 40),
    _Column("ข้อเสนอแนะ", 16, 36),
    _Column("งบประมาณที่ใช้", 13, 14, MONEY_FORMAT),
    _Column("หลักฐาน", 18, 44),
]

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="D9E2F3", end_color="D9E2F3")


def _display_width(line: str) -> int:
    # Thai vowels above and below and the tone marks are combining characters without a width.
    return sum(1 for char in line if unicodedata.category(char) != "Mn")


def _width(column: _Column, values: list) -> float:
    lines = [column.header]
    for value in values:
        if isinstance(value, str):
            lines += value.splitlines()
        elif value is not None:
            lines.append(f"{value:,.2f}" if isinstance(value, Decimal) else str(value))
    # Sarabun 14 pt is wider than the default font that Excel measures column widths in.
    longest = max(_display_width(line) for line in lines) * 1.15 + 2
    return min(max(longest, column.min_width), column.max_width)


def _document(sheet_title: str, title_lines: list[str], columns: list[_Column], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    count = len(columns)
    for number, line in enumerate(title_lines, start=1):
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=count)
        cell = sheet.cell(number, 1, escape_cell(line))
        cell.font = Font(name=FONT_NAME, size=16, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    header_row = len(title_lines) + 1
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(header_row, index, column.header)
        cell.font = Font(name=FONT_NAME, size=14, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    body_font = Font(name=FONT_NAME, size=14)
    for row_number, values in enumerate(rows, start=header_row + 1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row_number, index)
            if isinstance(value, str):
                cell.value = escape_cell(value)
                # Stored as text even if openpyxl would still take it for a formula.
                cell.data_type = "s"
            elif value is not None:
                cell.value = value
                if column.number_format:
                    cell.number_format = column.number_format
            cell.font = body_font
            cell.border = _BORDER
            cell.alignment = Alignment(
                horizontal="center" if column.centred else None, vertical="top", wrap_text=True
            )

    for index, column in enumerate(columns, start=1):
        values = [row[index - 1] for row in rows]
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, values)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    # As wide as the page, as many pages long as it takes.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "- &P -"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _steps(measure: Measure) -> str:
    return "\n".join(
        f"{to_thai_digits(number)}. {thai_text(step.text)}"
        for number, step in enumerate(measure.steps.all(), start=1)
    )


def _responsible(measure: Measure) -> str:
    if measure.all_units:
        return ALL_UNITS_LABEL
    names = [d.name for d in measure.departments.all()] + [p.full_title for p in measure.positions.all()]
    return "\n".join(thai_text(name) for name in names)


def _period(measure: Measure) -> str:
    return thai_date_range(measure.start_date, measure.end_date, style=measure.period_style)


def _organisation_line(organisation: Organisation) -> str:
    return thai_text(f"{organisation.full_name} {organisation.location}")


def plan_workbook(organisation: Organisation, year: int) -> bytes:
    """The year's plan as an XLSX document, one row per measure in their numbered order."""
    rows = [
        [
            measure.number,
            "\n".join(thai_text(issue.title) for issue in measure.issues.all()),
            thai_text(measure.title),
            KIND_LABELS.get(measure.kind, measure.kind),
            _steps(measure),
            _period(measure),
            _responsible(measure),
            thai_text(measure.monitoring),
            measure.planned_budget,
            thai_text(measure.target),
        ]
        for measure in measures_of(organisation, year)
    ]
    titles = [PLAN_TITLE.format(year=to_thai_digits(year)), _organisation_line(organisation)]
    return _document("แผนมาตรการ", titles, PLAN_COLUMNS, rows)


def _activities(entry: ProgressEntry | None) -> str:
    if entry is None:
        return ""
    # An undated activity is a summary line, written without a date as on paper.
    return "\n".join(
        f"{thai_date(activity.date, 'abbr')} {EN_DASH} {thai_text(activity.description)}"
        if activity.date
        else thai_text(activity.description)
        for activity in entry.activities.all()
    )


def _evidence(entry: ProgressEntry | None, file_url: Callable[[Evidence], str] | None) -> str:
    if entry is None:
        return ""
    lines = []
    for evidence in entry.evidence.all():
        if evidence.kind == Evidence.Kind.LINK:
            parts = [thai_text(evidence.title), evidence.url]
        else:
            name = thai_text(evidence.title or evidence.original_name)
            parts = [name, file_url(evidence) if file_url else ""]
        lines.append(" ".join(part for part in parts if part))
    return "\n".join(lines)


def progress_workbook(
    organisation: Organisation, round: ReportingRound, file_url: Callable[[Evidence], str] | None = None
) -> bytes:
    """One round's progress, one row per measure of the year; `file_url` gives an uploaded file's
    address in the portal (the file itself is only served to members)."""
    measures = list(measures_of(organisation, round.fiscal_year))
    entries = entries_by_key(measures, [round])
    rows = []
    for measure in measures:
        entry = entries.get((measure.pk, round.pk))
        status = entry.status if entry else ProgressEntry.Status.NOT_STARTED
        rows.append(
            [
                measure.number,
                thai_text(measure.title),
                _steps(measure),
                _responsible(measure),
                _period(measure),
                STATUS_LABELS.get(status, status),
                _activities(entry),
                thai_text(entry.outcome) if entry else "",
                thai_text(entry.suggestions) if entry else "",
                entry.budget_used if entry else None,
                _evidence(entry, file_url),
            ]
        )
    titles = [
        PROGRESS_TITLE.format(year=to_thai_digits(round.fiscal_year)),
        f"{thai_text(round.name)} ({thai_date_range(round.period_start, round.period_end, style='abbr')})",
        _organisation_line(organisation),
    ]
    return _document("ผลการดำเนินงาน", titles, PROGRESS_COLUMNS, rows)


# --- the import format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportColumn:
    code: str
    label: str  # the Thai name, accepted in the header instead of the code
    required: bool = False


IMPORT_COLUMNS = [
    ImportColumn("issues", "ประเด็นที่"),
    ImportColumn("title", "มาตรการ/โครงการ/กิจกรรม", required=True),
    ImportColumn("kind", "ประเภท"),
    ImportColumn("steps", "ขั้นตอนหรือวิธีปฏิบัติ"),
    ImportColumn("start", "วันเริ่มต้น"),
    ImportColumn("end", "วันสิ้นสุด"),
    ImportColumn("units", "ผู้รับผิดชอบ", required=True),
    ImportColumn("monitoring", "การกำกับติดตาม"),
    ImportColumn("budget", "งบประมาณ"),
    ImportColumn("target", "เป้าหมาย"),
]
_BY_NAME = {key: c.code for c in IMPORT_COLUMNS for key in (c.code, _WHITESPACE.sub(" ", c.label))}
_LABELS = {c.code: c.label for c in IMPORT_COLUMNS}

_KINDS = {
    **{kind.value: kind.value for kind in Measure.Kind},
    **{label: kind for kind, label in KIND_LABELS.items()},
}
_ALL_UNITS = {"all", _WHITESPACE.sub("", ALL_UNITS_LABEL)}
# A list line in a Thai document ("- ประชุมชี้แจง") is text; "-1" or "-A1" is what a formula looks like.
_FORMULA = re.compile(r"[=+@]|-\S")
# The plan numbers its steps itself: "๑." or "1)" or a bullet typed before a step is dropped.
_STEP_MARK = re.compile(r"(?:[-•*]\s+|[0-9๐-๙]{1,3}[.)](?![0-9๐-๙]))\s*")
# A date cell of Excel reads as "2024-10-01 00:00:00".
_MIDNIGHT = re.compile(r"(?<=\d)[ T]00:00(?::00)?$")


def is_formula(text: str) -> bool:
    """Whether a trimmed cell is refused as a formula: it starts with =, + or @, or with - followed by
    anything but a space (a "- " list line is text)."""
    return bool(_FORMULA.match(text))


def parse_date(text: str) -> date | None:
    """A date cell as the portal's date boxes read it (itaportal.dates), or None."""
    try:
        return parse_thai_date(_MIDNIGHT.sub("", text.strip()))
    except DateInputError:
        return None


def _key(text: str) -> str:
    return _WHITESPACE.sub(" ", text.strip())


@dataclass
class PlanImportResult:
    created: list[Measure] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


class _PlanChecker:
    """Checks a table cell by cell, collecting every error, and keeps the measures of the right rows."""

    def __init__(self, organisation: Organisation, year: int, header_row: list[str]):
        self.organisation = organisation
        self.year = year
        self.errors: list[CellError] = []
        self.rows: list[tuple[int, MeasureData]] = []
        self.labels = [cell.strip() for cell in header_row]
        self.columns: dict[str, int] = {}  # code -> index of the column read
        self.refused_headers: set[int] = set()
        self.first_day, self.last_day = fiscal_year_bounds(year)
        self.departments = {_key(d.name): d for d in Department.objects.filter(organisation=organisation)}
        self.positions: dict[str, Position] = {}
        for position in Position.objects.filter(organisation=organisation).select_related("organisation"):
            self.positions.setdefault(_key(position.title), position)
            self.positions.setdefault(_key(position.full_title), position)
        # Measures answer the analysis of the year before: the plan of 2568 follows the assessment of 2567.
        self.issues: dict[int, AnalysisIssue] = {}
        for issue in AnalysisIssue.objects.filter(
            assessment__organisation=organisation, assessment__framework__fiscal_year=year - 1
        ).select_related("assessment"):
            self.issues.setdefault(issue.order, issue)

    def error(self, row: int, index: int | None, message: str) -> None:
        letter = get_column_letter(index + 1) if index is not None else ""
        header = self.labels[index] if index is not None and index < len(self.labels) else ""
        self.errors.append(CellError(row, letter, header, message))

    def check_header(self) -> bool:
        for index, label in enumerate(self.labels):
            if not label:
                continue
            code = _BY_NAME.get(_key(label).lower())
            if code is None:
                self.refused_headers.add(index)
                self.error(
                    1,
                    index,
                    _("Unknown column. Use %(codes)s, or their Thai names.")
                    % {"codes": ", ".join(c.code for c in IMPORT_COLUMNS)},
                )
            elif code in self.columns:
                self.refused_headers.add(index)
                self.error(
                    1,
                    index,
                    _("This column repeats column %(column)s.")
                    % {"column": get_column_letter(self.columns[code] + 1)},
                )
            else:
                self.columns[code] = index
        missing = [c for c in IMPORT_COLUMNS if c.required and c.code not in self.columns]
        for column in missing:
            self.errors.append(
                CellError(1, "", column.code, _("The column %(name)s is missing.") % {"name": column.code})
            )
        return not missing

    def is_label_row(self, cells: list[str]) -> bool:
        """The template's second row repeats each column's Thai name under its code."""
        filled = [(index, _key(text)) for index, text in enumerate(cells) if text.strip()]
        codes = {index: code for code, index in self.columns.items()}
        return bool(filled) and all(
            index in codes and text in (_LABELS[codes[index]], codes[index]) for index, text in filled
        )

    def check_row(self, number: int, cells: list[str]) -> None:
        errors_before = len(self.errors)
        codes = {index: code for code, index in self.columns.items()}
        values: dict[str, str] = {}
        for index, raw in enumerate(cells):
            text = raw.strip()
            if not text or index in self.refused_headers:
                continue
            if is_formula(text):
                self.error(
                    number,
                    index,
                    _(
                        "Formulas and cells starting with =, +, @ or - are not accepted: type the text "
                        "itself (a line starting with a dash and a space, “- step”, is fine)."
                    ),
                )
            elif index not in codes:
                self.error(number, index, _("This column has no header, so its value cannot be imported."))
            else:
                values[codes[index]] = text

        def report(code: str, message: str) -> None:
            self.error(number, self.columns[code], message)

        def refused(code: str) -> bool:
            index = self.columns.get(code)
            return index is not None and index < len(cells) and is_formula(cells[index].strip())

        title = values.get("title", "")
        if not title and not refused("title"):
            report("title", _("Name the measure, project or activity."))
        kind = self._kind(values.get("kind", ""), report)
        start, start_month = self._date(values, "start", report)
        end, end_month = self._date(values, "end", report)
        if start and end and end < start:
            report("end", _("The period ends before it starts."))
        all_units, departments, positions = self._units(values.get("units", ""), refused("units"), report)
        budget = self._budget(values.get("budget", ""), report)
        issues = self._issues(values.get("issues", ""), report)
        if len(self.errors) == errors_before:
            lines = values.get("steps", "").splitlines()
            steps = [_STEP_MARK.sub("", line.strip(), count=1).strip() for line in lines]
            self.rows.append(
                (
                    number,
                    MeasureData(
                        kind=kind,
                        title=title,
                        steps=[step for step in steps if step],
                        start_date=start,
                        end_date=end,
                        period_in_months=start_month and end_month,
                        all_units=all_units,
                        departments=departments,
                        positions=positions,
                        issues=issues,
                        monitoring=values.get("monitoring", ""),
                        planned_budget=budget,
                        target=values.get("target", ""),
                    ),
                )
            )

    def _kind(self, text: str, report) -> str:
        if not text:
            return Measure.Kind.MEASURE
        kind = _KINDS.get(text.lower())
        if kind is None:
            report("kind", _("Use measure, project or activity (มาตรการ, โครงการ or กิจกรรม)."))
            return Measure.Kind.MEASURE
        return kind

    def _date(self, values: dict[str, str], code: str, report) -> tuple[date | None, bool]:
        """The day, and whether a whole month was written (ต.ค. 2567: its first day as the start, its
        last as the end)."""
        text = values.get(code, "")
        if not text:
            return None, False
        try:
            read = parse_day_or_month(_MIDNIGHT.sub("", text))
        except DateInputError as error:
            report(code, error.messages[0])
            return None, False
        whole_month = isinstance(read, Month)
        day = (read.first_day if code == "start" else read.last_day) if whole_month else read
        if not self.first_day <= day <= self.last_day:
            report(
                code,
                _("The date is outside fiscal year %(year)s (%(period)s).")
                % {
                    "year": self.year,
                    "period": thai_date_range(self.first_day, self.last_day, style="abbr"),
                },
            )
            return None, False
        return day, whole_month

    def _units(self, text: str, refused: bool, report) -> tuple[bool, list[Department], list[Position]]:
        names = [_key(part) for part in re.split(r"[\n,]", text) if part.strip()]
        if not names:
            if not refused:
                report(
                    "units", _("Name at least one responsible unit, or %(all)s.") % {"all": ALL_UNITS_LABEL}
                )
            return False, [], []
        if any(_WHITESPACE.sub("", name).lower() in _ALL_UNITS for name in names):
            if len(names) > 1:
                report(
                    "units",
                    _("%(all)s already means every unit: name no other unit with it.")
                    % {"all": ALL_UNITS_LABEL},
                )
            return True, [], []
        departments, positions, unknown = [], [], []
        for name in names:
            if name in self.departments:
                if self.departments[name] not in departments:
                    departments.append(self.departments[name])
            elif name in self.positions:
                if self.positions[name] not in positions:
                    positions.append(self.positions[name])
            else:
                unknown.append(name)
        if unknown:
            report(
                "units",
                _("Unknown unit: %(unknown)s. Use %(all)s or the names of the units: %(units)s.")
                % {
                    "unknown": ", ".join(f"“{name}”" for name in unknown),
                    "all": ALL_UNITS_LABEL,
                    "units": ", ".join(self.departments),
                },
            )
        return False, departments, positions

    def _budget(self, text: str, report) -> Decimal | None:
        text = text.removesuffix("บาท").strip()
        # "-" is how a Thai plan writes "no budget".
        if not text or text == "-":
            return None
        try:
            amount = parse_decimal(text)
        except ValueError:
            report("budget", _("Type the budget in baht as a number, such as 15000 or 15,000.00."))
            return None
        if amount < 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e12"):
            report("budget", _("The budget is zero or more baht, with at most two decimals."))
            return None
        return amount

    def _issues(self, text: str, report) -> list[AnalysisIssue]:
        numbers = [part for part in re.split(r"[\s,]+", to_arabic_digits(text)) if part]
        if not numbers:
            return []
        if not self.issues:
            report(
                "issues",
                _("The analysis of fiscal year %(year)s has no issues: leave this cell blank.")
                % {"year": self.year - 1},
            )
            return []
        found, unknown = [], []
        for number in numbers:
            issue = self.issues.get(int(number)) if number.isdigit() else None
            if issue is None:
                unknown.append(number)
            elif issue not in found:
                found.append(issue)
        if unknown:
            report(
                "issues",
                _(
                    "The analysis of fiscal year %(year)s has no issue %(unknown)s; "
                    "its issues are %(numbers)s."
                )
                % {
                    "year": self.year - 1,
                    "unknown": ", ".join(unknown),
                    "numbers": ", ".join(str(order) for order in sorted(self.issues)),
                },
            )
        return found


def import_plan(
    *, organisation: Organisation, year: int, table: list[list[str]], user: User | None = None
) -> PlanImportResult:
    """Check every cell of the table, then create all of its measures, after the year's existing
    ones and in the order of the rows, or, if anything is wrong, none."""
    checker = _PlanChecker(organisation, year, table[0] if table else [])
    if not any(checker.labels):
        checker.errors.append(
            CellError(1, "", "", _("The first row must name the columns, such as title and units."))
        )
        return PlanImportResult(errors=checker.errors)
    if not checker.check_header():
        return PlanImportResult(errors=checker.errors)
    rows = [
        (number, cells) for number, cells in enumerate(table[1:], start=2) if any(c.strip() for c in cells)
    ]
    if rows and rows[0][0] == 2 and checker.is_label_row(rows[0][1]):
        rows = rows[1:]
    if len(rows) > MAX_MEASURES:
        raise ScoreFileError(
            _("The file has more than %(max)s measures. Split it into several files.") % {"max": MAX_MEASURES}
        )
    for number, cells in rows:
        checker.check_row(number, cells)
    if not rows and not checker.errors:
        checker.errors.append(CellError(2, "", "", _("The file has no measures below its header.")))
    if checker.errors:
        errors = sorted(checker.errors, key=lambda e: (e.row, len(e.column_letter), e.column_letter))
        return PlanImportResult(errors=errors)
    return _create(organisation, year, checker.rows, user)


def _create(
    organisation: Organisation, year: int, rows: list[tuple[int, MeasureData]], user: User | None
) -> PlanImportResult:
    created = []
    with transaction.atomic():
        for number, data in rows:
            try:
                created.append(measure_create(
                    organisation=organisation, fiscal_year=year, data=data, user=user, imported=True
                ))
            except MeasureError as error:
                # The checks above should have caught it; whatever it is, the file stays all or nothing.
                transaction.set_rollback(True)
                return PlanImportResult(errors=[CellError(number, "", "", str(error))])
    return PlanImportResult(created=created)


# --- the template -------------------------------------------------------------------------------------


def _typed_date(day: date) -> str:
    return f"{day.day} {thai_abbr_months[day.month - 1]} {be_year(day.year)}"


def template_workbook(organisation: Organisation, year: int) -> bytes:
    """The import format: codes in row 1, Thai names in row 2 (skipped on import), one example row,
    and a second sheet that explains the columns and lists the units and issue numbers."""
    first_day, last_day = fiscal_year_bounds(year)
    departments = list(Department.objects.filter(organisation=organisation))
    issues = list(
        AnalysisIssue.objects.filter(
            assessment__organisation=organisation, assessment__framework__fiscal_year=year - 1
        ).order_by("order", "pk")
    )
    example = {
        "issues": str(issues[0].order) if issues else "",
        "title": "เสริมสร้างความรู้ความเข้าใจเรื่องการเปิดเผยข้อมูลต่อสาธารณะ",
        "kind": KIND_LABELS[Measure.Kind.MEASURE],
        "steps": "- จัดทำคำสั่งมอบหมายผู้รับผิดชอบ\n- ประชุมชี้แจงแนวทางการปฏิบัติ\n- รายงานผลต่อผู้บริหาร",
        "start": _typed_date(first_day),
        "end": _typed_date(last_day),
        "units": "\n".join(d.name for d in departments[:2]) or ALL_UNITS_LABEL,
        "monitoring": "รายงานผลการดำเนินงานรอบ ๖ เดือน และรอบ ๑๒ เดือน",
        "budget": 10000,
        "target": "บุคลากรทุกคนทราบแนวทางการปฏิบัติ",
    }

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "plan"
    bold = Font(name=FONT_NAME, size=14, bold=True)
    label_font = Font(name=FONT_NAME, size=12, italic=True, color="595959")
    body = Font(name=FONT_NAME, size=14)
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        code = sheet.cell(1, index, column.code)
        code.font, code.fill, code.border = bold, _HEADER_FILL, _BORDER
        label = sheet.cell(2, index, column.label)
        label.font, label.fill, label.border = label_font, _HEADER_FILL, _BORDER
        value = example[column.code]
        cell = sheet.cell(3, index, escape_cell(value) if isinstance(value, str) else value)
        cell.font, cell.border = body, _BORDER
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if column.code in ("start", "end"):
            # As text: Excel would read 5/3/2568 as 3 May in some locales.
            for row in range(3, 3 + MAX_MEASURES):
                sheet.cell(row, index).number_format = "@"
        if column.code == "budget":
            cell.number_format = MONEY_FORMAT
        width = max(_display_width(line) for line in [column.code, column.label, *str(value).splitlines()])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width * 1.15 + 2, 10), 45)
    sheet.freeze_panes = "A3"

    notes = workbook.create_sheet(_("Help"))
    descriptions = {
        "issues": _("Numbers of the issues of the analysis of fiscal year %(year)s, separated by commas.")
        % {"year": year - 1},
        "title": _("Required. The measure, project or activity."),
        "kind": _("มาตรการ, โครงการ or กิจกรรม (measure, project, activity); blank is มาตรการ."),
        "steps": _("One step per line inside the cell (Alt+Enter in Excel); the plan numbers them."),
        "start": _("1 ต.ค. 2567, 1/10/2567 or 2024-10-01; blank is the first day of the fiscal year."),
        "end": _("As the start; blank is the last day of the fiscal year."),
        "units": _("Required. Unit names as listed below, one per line or separated by commas, or %(all)s.")
        % {"all": ALL_UNITS_LABEL},
        "monitoring": _("How the measure is monitored and reported."),
        "budget": _("Planned budget in baht, a number; blank if none."),
        "target": _("The target."),
    }
    notes.append([_("Column"), _("Thai name"), _("Content")])
    for column in IMPORT_COLUMNS:
        notes.append([column.code, column.label, descriptions[column.code]])
    notes.append([])
    notes.append([_("Units")])
    for department in departments:
        notes.append([escape_cell(department.name)])
    notes.append([ALL_UNITS_LABEL])
    if issues:
        notes.append([])
        notes.append([_("Issues of fiscal year %(year)s") % {"year": year - 1}])
        for issue in issues:
            notes.append([issue.order, escape_cell(issue.title)])
    for row in notes.iter_rows():
        for cell in row:
            cell.font = Font(name=FONT_NAME, size=14, bold=cell.row == 1)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 28
    notes.column_dimensions["C"].width = 70
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
