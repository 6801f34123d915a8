"""Dates as Thai offices type and read them: in the Buddhist Era (พ.ศ.), with Thai or Arabic digits.

One reader for every date input of the portal (forms, repeated inputs, imports):

- `15/01/2566`, `15-1-2566`, `15.01.2566`, `๑๕/๐๑/๒๕๖๖`: day, month, year;
- `๑๕ ม.ค. ๒๕๖๖`, `15 มกราคม 2566`, `15 ม.ค. 66`, `15มค66`, `วันที่ ๑๕ เดือน มกราคม พ.ศ. ๒๕๖๖`: month
  names full, abbreviated with or without dots, or as spoken (`มกรา`);
- `2023-01-15` (ISO: year first).

The year rule, the same everywhere:
- four digits from 2400 are Buddhist Era, below 2400 Christian Era (`15/01/2023` is 2023 CE = 2566 BE);
  no year a Thai office writes is between 2100 and 2400 in either era, so nothing real is ambiguous;
- two digits are 25xx BE, as documents abbreviate them (`66` is 2566 BE = 2023 CE);
- `พ.ศ.` or `ค.ศ.` written before the year says the era outright.
A date is accepted from 1 January 1990 to 31 December 2100 CE (2533 – 2643 BE); anything else is refused
with a message saying how it was read, so that a year typed in the wrong era is seen, not stored.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pythainlp.util.date import thai_abbr_months, thai_full_months

from .thai import BE_OFFSET, EN_DASH, thai_date, to_arabic_digits, to_thai_digits

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)
FIRST_BE_YEAR = 2400

# What a person may type for a month, once dots and spaces are taken out: the full name, the
# abbreviation, the spoken short form (มกรา, เมษา) and the usual misspelling of July (กรกฏาคม).
_MONTH_WORDS = {
    **{name: number for number, name in enumerate(thai_full_months, start=1)},
    **{abbr.replace(".", ""): number for number, abbr in enumerate(thai_abbr_months, start=1)},
    **{
        spoken: number
        for number, spoken in enumerate(
            ["มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา", "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา"],
            start=1,
        )
    },
    "กรกฏาคม": 7,
    "กรกฏา": 7,
}

_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")
_SPACES = re.compile(r"\s+")
_LEAD_WORD = re.compile(r"^วันที่\s*")
_MONTH_WORD = re.compile(r"เดือน\s*")
# The era written before the year: พ.ศ. (also พ.ศ, พศ) or ค.ศ.; no month abbreviation contains ศ.
_ERA = re.compile(r"(พ|ค)\s*\.?\s*ศ\s*\.?\s*(?=\d)")

_NUMERIC = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d+)")
_YEAR_FIRST = re.compile(r"(\d{4})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_NAMED = re.compile(r"(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d+)")
_MONTH_NUMERIC = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")
_MONTH_YEAR_FIRST = re.compile(r"(\d{4})\s*[/.-]\s*(\d{1,2})")
_MONTH_NAMED = re.compile(r"([^\d\s][^\d]*?)\s*(\d+)")

DATE_EXAMPLES = "15/01/2566, ๑๕ ม.ค. ๒๕๖๖, 15 มกราคม 2566, 2023-01-15"
MONTH_EXAMPLES = "ต.ค. 2566, ตุลาคม ๒๕๖๖, 10/2566"


class DateInputError(ValidationError):
    """A typed date that cannot be taken, with a message for the person who typed it.

    Codes: "invalid" (not a date at all), "month" (no such month), "day" (no such day in that month,
    29 February of a common year included), "range" (outside 1990–2100 CE)."""


@dataclass(frozen=True)
class Month:
    """A whole month, as plan periods are often written (ต.ค. ๖๔ – มี.ค. ๖๕)."""

    year: int  # Christian Era, as date() takes it
    month: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


# --- showing dates -----------------------------------------------------------------------------

def _is_thai() -> bool:
    return (get_language() or "th").startswith("th")


def _number(value: int) -> str:
    return to_thai_digits(value) if _is_thai() else str(value)


def _month_name(month: int, abbreviated: bool = False) -> str:
    if _is_thai():
        return (thai_abbr_months if abbreviated else thai_full_months)[month - 1]
    return str(MONTHS_3[month]).title() if abbreviated else str(MONTHS[month])


def screen_date(value: date, style: str = "full") -> str:
    """A date on a page: in Thai as the documents print it (๑๕ ม.ค. ๖๖); in another language the same
    Buddhist Era date with that language's month names and Arabic digits (15 Jan 2566), never a
    Christian year, so that a page and its printed document always agree on the year."""
    if _is_thai():
        return thai_date(value, style)
    be = value.year + BE_OFFSET
    if style == "month_abbr":
        return f"{_month_name(value.month, True)} {be}"
    month = _month_name(value.month, abbreviated=style == "abbr")
    if style == "long":
        return f"{value.day} {month} B.E. {be}"
    return f"{value.day} {month} {be}"


def screen_period(start: date, end: date, style: str = "abbr") -> str:
    """๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘; a period in months with style "month_abbr": ต.ค. ๖๔ – มี.ค. ๖๕."""
    return f"{screen_date(start, style)} {EN_DASH} {screen_date(end, style)}"


def _reading(day: int | None, month: int, be: int) -> str:
    """How a typed date (or a month, without a day) was read: the year may be one no date() holds."""
    text = f"{_month_name(month)} {_number(be)}"
    return text if day is None else f"{_number(day)} {text}"


def input_text(value: date) -> str:
    """A date as a date box shows it, `15/01/2566`: Arabic digits, which every phone keyboard has."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + BE_OFFSET}"


def month_input_text(value: date) -> str:
    """A whole month as a period box shows it, `ต.ค. 2564`."""
    return f"{thai_abbr_months[value.month - 1]} {value.year + BE_OFFSET}"


# --- reading dates -----------------------------------------------------------------------------

def _normalise(text: str) -> tuple[str, str | None]:
    """Arabic digits, single spaces, no leading วันที่ nor the word เดือน; the era if one is written."""
    text = _SPACES.sub(" ", _INVISIBLE.sub("", to_arabic_digits(str(text or "")))).strip()
    text = _MONTH_WORD.sub(" ", _LEAD_WORD.sub("", text)).strip()
    era = None
    if match := _ERA.search(text):
        era = "be" if match.group(1) == "พ" else "ce"
        text = (text[: match.start()] + " " + text[match.end():]).strip()
    return _SPACES.sub(" ", text), era


def _month_word(text: str) -> int | None:
    return _MONTH_WORDS.get(re.sub(r"[\s.]", "", text))


def _ce_year(digits: str, era: str | None) -> int | None:
    """The Christian year a typed year means (see the module's rule); None for 1 or 3 digits."""
    if len(digits) == 2:
        return 2000 + int(digits) if era == "ce" else 2500 + int(digits) - BE_OFFSET
    if len(digits) != 4:
        return None
    year = int(digits)
    if era == "be" or (era is None and year >= FIRST_BE_YEAR):
        return year - BE_OFFSET
    return year


def _invalid(message: str) -> DateInputError:
    return DateInputError(message, code="invalid")


def _date_format_error() -> DateInputError:
    return _invalid(
        _("Type the date as day/month/year of the Buddhist Era, for example %(examples)s.")
        % {"examples": DATE_EXAMPLES}
    )


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise DateInputError(
            _("There is no month %(month)s: months are numbered 1 to 12.") % {"month": _number(month)},
            code="month",
        )


def _check_range(day: int | None, month: int, ce: int) -> None:
    if not FIRST_DAY.year <= ce <= LAST_DAY.year:
        raise DateInputError(
            _("Read as %(date)s (CE %(ce_year)s), which is outside the dates the portal takes: "
              "%(first)s to %(last)s.")
            % {
                "date": _reading(day, month, ce + BE_OFFSET),
                "ce_year": ce,
                "first": _reading(FIRST_DAY.day, FIRST_DAY.month, FIRST_DAY.year + BE_OFFSET),
                "last": _reading(LAST_DAY.day, LAST_DAY.month, LAST_DAY.year + BE_OFFSET),
            },
            code="range",
        )


def _build(day: int, month: int, ce: int) -> date:
    _check_month(month)
    if 1 <= ce <= 9999:
        days = calendar.monthrange(ce, month)[1]
        if not 1 <= day <= days:
            be = _number(ce + BE_OFFSET)
            if month == 2 and day == 29:
                message = _(
                    "29 February %(year)s does not exist: %(year)s is not a leap year, its February has 28 days."
                ) % {"year": be}
            else:
                message = _("%(month)s %(year)s has %(days)s days: there is no day %(day)s.") % {
                    "month": _month_name(month), "year": be, "days": _number(days), "day": _number(day)}
            raise DateInputError(message, code="day")
    _check_range(day, month, ce)
    return date(ce, month, day)


def parse_thai_date(text: str) -> date:
    """The date a person typed (see the module's forms and year rule), or DateInputError."""
    text, era = _normalise(text)
    if match := _YEAR_FIRST.fullmatch(text):
        year_digits, _separator, month, day = match.groups()
    elif match := _NUMERIC.fullmatch(text):
        day, _separator, month, year_digits = match.groups()
    elif (match := _NAMED.fullmatch(text)) and (named := _month_word(match.group(2))):
        day, month, year_digits = match.group(1), named, match.group(3)
    else:
        raise _date_format_error()
    ce = _ce_year(year_digits, era)
    if ce is None:
        raise _date_format_error()
    return _build(int(day), int(month), ce)


def parse_thai_month(text: str) -> Month:
    """A whole month: `ต.ค. ๖๔`, `ตุลาคม 2564`, `10/2564` or `2021-10`; DateInputError otherwise."""
    text, era = _normalise(text)
    if match := _MONTH_YEAR_FIRST.fullmatch(text):
        year_digits, month = match.group(1), int(match.group(2))
    elif match := _MONTH_NUMERIC.fullmatch(text):
        month, year_digits = int(match.group(1)), match.group(2)
    elif (match := _MONTH_NAMED.fullmatch(text)) and (named := _month_word(match.group(1))):
        month, year_digits = named, match.group(2)
    else:
        raise _invalid(_("Type a month such as %(examples)s.") % {"examples": MONTH_EXAMPLES})
    ce = _ce_year(year_digits, era)
    if ce is None:
        raise _invalid(_("Type a month such as %(examples)s.") % {"examples": MONTH_EXAMPLES})
    _check_month(month)
    _check_range(None, month, ce)
    return Month(ce, month)


def parse_day_or_month(text: str) -> date | Month:
    """A plan period's start or end: a day, or a whole month. A date that fails for a reason other
    than its form (no such day, out of range) says that reason, not the list of forms."""
    try:
        return parse_thai_date(text)
    except DateInputError as error:
        if error.code != "invalid":
            raise
    try:
        return parse_thai_month(text)
    except DateInputError as error:
        if error.code != "invalid":
            raise
    raise _invalid(
        _("Type a date such as %(dates)s, or a whole month such as %(months)s.")
        % {"dates": DATE_EXAMPLES, "months": MONTH_EXAMPLES}
    )
