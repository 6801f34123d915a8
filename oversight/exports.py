"""The roll-up as a spreadsheet: XLSX (itaportal.tables.export_xlsx, so memory stays flat) and CSV.

These are data to sort and sum, not printed documents: numbers stay numbers with Arabic digits.
"""

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from itaportal.tables import export_xlsx

from .selectors import Row

SCORE_FORMAT = "0.00"
# A text cell starting with one of these is a formula to Excel; names come from people, so never.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [
        _("Organisation"),
        _("District"),
        _("Score"),
        _("Level"),
        _("Change from last year"),
        _("Late entries"),
        _("Reported this round"),
        _("Memos waiting"),
        _("Longest wait (days)"),
        _("Stuck"),
        _("Approved documents"),
    ]


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _reported(value: bool | None) -> str:
    if value is None:
        return _("no round")
    return _("yes") if value else _("no")


def values(row: Row) -> list:
    organisation = row.organisation
    return [
        _text(organisation.short_name),
        _text(organisation.district.name if organisation.district_id else ""),
        row.score,
        _text(row.level.name) if row.level else "",
        row.change,
        row.late,
        _reported(row.reported),
        row.memos_waiting,
        row.waiting_days,
        _("yes") if row.stuck else "",
        row.approved_documents,
    ]


def xlsx(rows: Iterable[Row], title: str) -> bytes:
    return export_xlsx(
        title,
        headers(),
        [24, 16, 9, 20, 10, 10, 12, 10, 10, 8, 10],
        (values(row) for row in rows),
        # The score and its change from last year.
        number_formats={2: SCORE_FORMAT, 4: SCORE_FORMAT},
    )


def csv_text(rows: Iterable[Row]) -> str:
    """With a byte-order mark: without it Excel reads UTF-8 as the local code page and garbles Thai."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows:
        writer.writerow(["" if value is None else value for value in values(row)])
    return out.getvalue()
