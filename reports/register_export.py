"""The memo register as a spreadsheet (XLSX, written by itaportal.tables.export_xlsx as the roll-up is).

The number prints as on the memo (พย ๗๒๔๐๑/๑๒๐) and dates as the office writes them, in Thai:
a register is read and printed by the office, not summed.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from assessments.importing import escape_cell
from itaportal.tables import export_xlsx
from itaportal.thai import thai_date, to_thai_digits

from .selectors.register import RegisterRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = [18, 48, 26, 10, 22, 16, 24, 30, 30, 22]


def headers() -> list[str]:
    return [
        _("Number"), _("Subject"), _("Kind"), _("Fiscal year"), _("State"), _("Submitted on"), _("Author"),
        _("Waiting at"), _("Who can decide it"), _("Waiting since"),
    ]


def holders_text(row: RegisterRow) -> str:
    if row.desk is None:
        return ""
    return ", ".join(f"{h.name} ({h.capacity})" if h.capacity else h.name for h in row.desk.holders)


def since_text(row: RegisterRow) -> str:
    if row.desk is None or row.desk.since is None:
        return ""
    since = row.desk.since
    return f"{thai_date(since.date(), 'abbr')} {to_thai_digits(since.strftime('%H:%M'))} น."


def values(row: RegisterRow) -> list:
    memo = row.memo
    return [
        to_thai_digits(row.number),
        escape_cell(memo.subject),
        memo.get_kind_display(),
        memo.fiscal_year,
        memo.get_state_display(),
        thai_date(memo.date, "abbr") if memo.date else "",
        escape_cell(memo.author.display_name),
        escape_cell(row.desk.position) if row.desk else "",
        escape_cell(holders_text(row)),
        since_text(row),
    ]


def xlsx(rows: Iterable[RegisterRow], title: str) -> bytes:
    return export_xlsx(title, headers(), WIDTHS, (values(row) for row in rows))
