"""Reading and writing an uploaded table (CSV or XLSX) as rows of text, for the foundation's imports.

The same rules as the score import of assessments/importing.py, which predates this module and keeps
its own copy for now: UTF-8 CSV with the separator found from the header row, the first sheet of a
workbook with formulas read as their text (never evaluated), size limits checked before parsing, and
errors that name the spreadsheet's row and column.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
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
    column_letter: str  # A, B, … AA; empty when the error concerns the whole row
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


def read_table(file, filename: str, max_rows: int) -> list[list[str]]:
    """The cells of a CSV or XLSX file as text, row by row, the header first; at most `max_rows` rows
    after it. Blank rows inside the data are kept so that row numbers match the sheet."""
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise TableFileError(
            _("The file is larger than %(size)s MB. Split it into several files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        rows = _csv_rows(data)
    elif extension == "xlsx":
        rows = _xlsx_rows(data)
    else:
        raise TableFileError(_("Upload a CSV or XLSX file (Excel: “Save as” CSV UTF-8 or Excel workbook)."))
    return _limit(rows, max_rows)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableFileError(
            _("The CSV file is not in UTF-8. In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”.")
        ) from None
    # Excel writes semicolons or tabs in some locales: the separator that occurs most in the header.
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise TableFileError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            uncompressed = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise TableFileError(_("The file is not a valid XLSX workbook.")) from None
    if uncompressed > MAX_XLSX_UNCOMPRESSED:
        raise TableFileError(
            _("The workbook unpacks to more than %(size)s MB. Remove other sheets, images and formatting.")
            % {"size": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
        )
    try:
        # data_only=False: a formula comes back as its text, never evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises anything from KeyError to TypeError on a damaged workbook
        raise TableFileError(_("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        # Some programs write wrong dimensions; read the cells that are there instead.
        sheet.reset_dimensions()
        return [[_xlsx_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except Exception:
        raise TableFileError(_("The file is not a valid XLSX workbook.")) from None
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return getattr(value, "text", None) or "="
    if isinstance(value, float) and value.is_integer():
        # Excel stores 72401 as a float; "72401.0" would not read as the number typed.
        return str(int(value))
    return str(value)


def _limit(rows: list[list[str]], max_rows: int) -> list[list[str]]:
    table: list[list[str]] = []
    pending_blank = 0
    for cells in rows:
        end = len(cells)
        while end and not cells[end - 1].strip():
            end -= 1
        row = cells[:end]
        if not row:
            pending_blank += 1
            continue
        if len(row) > MAX_COLUMNS:
            raise TableFileError(_("The file has more than %(max)s columns.") % {"max": MAX_COLUMNS})
        table.extend([] for _blank in range(pending_blank))
        pending_blank = 0
        table.append(list(row))
        if len(table) > max_rows + 1:
            raise TableFileError(
                _("The file has more than %(max)s rows. Split it into several files.") % {"max": max_rows}
            )
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
