"""Reading and writing an uploaded table (CSV or XLSX) as rows of text, for every import of the portal,
and the workbook the exports write.

One set of reading rules for the office registration here and the score import of
assessments/importing.py (which passes its own, larger limits): UTF-8 CSV with the separator found
from the header row, the first sheet of a workbook with formulas read as their text (never
evaluated), size limits checked before parsing, and errors that name the spreadsheet's row and column.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 100
# An XLSX is a zip: a few MB can inflate to gigabytes of XML. Refused before openpyxl sees it.
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
# Spreadsheet programs run a cell starting with these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@")


class TableFileError(Exception):
    """A file that cannot be read as a table at all, with a message fit for the person who sent it."""


@dataclass(frozen=True)
class CellError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column_letter: str  # A, B, … AA; empty when the error concerns the whole row or a missing column
    header: str
    message: str

    def __str__(self) -> str:
        place = {"row": self.row, "column": self.column_letter, "header": self.header, "message": self.message}
        if self.column_letter and self.header:
            return _("row %(row)s, column %(column)s (%(header)s): %(message)s") % place
        if self.column_letter:
            return _("row %(row)s, column %(column)s: %(message)s") % place
        return _("row %(row)s: %(message)s") % place


def column_letter(index: int) -> str:
    """The letter of the 0-based column `index`: 0 → A."""
    return get_column_letter(index + 1)


def read_table(
    file,
    filename: str,
    max_rows: int,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_columns: int = MAX_COLUMNS,
    max_uncompressed: int = MAX_XLSX_UNCOMPRESSED,
    too_many_rows: str | None = None,
) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, row by row, the header first; at most `max_rows` rows
    after it. Blank rows inside the data are kept so that row numbers match the sheet.

    An import whose files are larger passes its own limits, and `too_many_rows` (a translated
    message with `%(max)s`) to say what its rows are."""
    data = file.read(max_file_bytes + 1)
    if len(data) > max_file_bytes:
        raise TableFileError(
            _("The file is larger than %(size)s MB. Split it into several files.")
            % {"size": max_file_bytes // (1024 * 1024)}
        )
    if too_many_rows is None:
        too_many_rows = _("The file has more than %(max)s rows. Split it into several files.")
    limit = partial(_limit, max_rows=max_rows, max_columns=max_columns, too_many_rows=too_many_rows)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        return limit(_csv_rows(data))
    if extension == "xlsx":
        return _read_xlsx(data, max_uncompressed, limit)
    raise TableFileError(_("Upload a CSV or XLSX file (Excel: “Save as” CSV UTF-8 or Excel workbook)."))


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableFileError(
            _("The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”.")
        ) from None
    # The header names are plain ASCII, so the separator that occurs most in it is the delimiter
    # (Excel writes semicolons or tabs in some locales).
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        # A generator: the row limit stops reading a huge file instead of holding it all.
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise TableFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _read_xlsx(data: bytes, max_uncompressed: int, limit) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            uncompressed = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise TableFileError(_("The file is not a valid XLSX workbook.")) from None
    if uncompressed > max_uncompressed:
        raise TableFileError(
            _("The workbook unpacks to more than %(size)s MB. Remove other sheets, images and formatting.")
            % {"size": max_uncompressed // (1024 * 1024)}
        )
    # data_only=False: a formula comes back as its text and is never evaluated (nor its cached
    # result trusted), so it can be refused as a formula.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises anything from KeyError to TypeError on a damaged workbook
        raise TableFileError(_("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write wrong dimensions; read the cells that are there instead.
        sheet.reset_dimensions()
        # The limit reads the sheet row by row while the workbook is open.
        return limit([_xlsx_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
    except TableFileError:
        raise
    except Exception:
        raise TableFileError(_("The file is not a valid XLSX workbook.")) from None
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        # Array and data-table formulas come as objects; they are formulas all the same.
        return getattr(value, "text", None) or "="
    if isinstance(value, float) and value.is_integer():
        # Excel stores 2567 and 72401 as floats; "2567.0" would not read as the number typed.
        return str(int(value))
    return str(value)


def _limit(rows, *, max_rows: int, max_columns: int, too_many_rows: str) -> list[list[str]]:
    """Apply the row and column limits, ignoring the empty cells and rows that formatting leaves
    after the data; blank rows inside the data are kept so that row numbers match the sheet."""
    table: list[list[str]] = []
    pending_blank = 0
    for cells in rows:
        # Formatting can leave thousands of empty cells after the data; cut them in one slice.
        end = len(cells)
        while end and not cells[end - 1].strip():
            end -= 1
        row = cells[:end]
        if not row:
            pending_blank += 1
            continue
        if len(row) > max_columns:
            raise TableFileError(_("The file has more than %(max)s columns.") % {"max": max_columns})
        table.extend([] for _blank in range(pending_blank))
        pending_blank = 0
        table.append(list(row))
        if len(table) > max_rows + 1:
            raise TableFileError(too_many_rows % {"max": max_rows})
    return table


def write_xlsx(headers: list[str], rows: list[list[str]], sheet_title: str) -> bytes:
    """A workbook with a bold header row, for the templates of the imports."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        longest = max([len(header)] + [len(str(row[index - 1])) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 40)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_xlsx(
    title: str,
    headers: list[str],
    widths: list[float],
    rows: Iterable[list],
    number_formats: dict[int, str] | None = None,
) -> bytes:
    """A workbook for the exports: a bold, frozen header row, one fixed width a column, then `rows`;
    `number_formats` gives the format of the numbers in some columns (by 0-based index).

    openpyxl's write-only mode, so that memory stays flat however many rows an office exports."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths):
        sheet.column_dimensions[column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in rows:
        cells = list(values)
        for index, number_format in (number_formats or {}).items():
            if cells[index] is not None:
                cell = WriteOnlyCell(sheet, value=cells[index])
                cell.number_format = number_format
                cells[index] = cell
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
