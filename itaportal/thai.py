"""Thai typography helpers: Thai digits, Buddhist Era dates, fiscal years, names."""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import (
    arabic_digit_to_thai_digit,
    bahttext,
    num_to_thaiword,
    thai_digit_to_arabic_digit,
    thai_strftime,
)

BE_OFFSET = 543
FISCAL_YEAR_START_MONTH = 10

# Either plain digits or correctly grouped thousands; anything else (exponents,
# "NaN", stray commas) is a typing error rather than a number.
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?", re.ASCII)

_DATE_FORMATS = {
    "full": "%-d %B %Y",
    "abbr": "%-d %b %y",
    "month_abbr": "%b %y",
    "long": "%-d เดือน %B พ.ศ. %Y",
}

EN_DASH = "\u2013"


def to_thai_digits(value: str | int | Decimal | None) -> str:
    if value is None:
        return ""
    return arabic_digit_to_thai_digit(str(value))


def to_arabic_digits(text: str) -> str:
    return thai_digit_to_arabic_digit(text)


def parse_decimal(text: str) -> Decimal:
    """Read a number typed with Thai or Arabic digits, e.g. "๙๙.๗๘" or "1,250.50"."""
    normalised = to_arabic_digits(text).strip()
    if not _DECIMAL_RE.fullmatch(normalised):
        raise ValueError(f"not a number: {text!r}")
    return Decimal(normalised.replace(",", ""))


def _as_decimal(value: str | int | float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    # str() first so that a float such as 99.78 keeps its shortest decimal form.
    return parse_decimal(str(value))


def format_number(value: str | int | float | Decimal, places: int = 2, thai: bool = True) -> str:
    # Official documents round half up; Decimal's default formatting would round half to even.
    number = _as_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return to_thai_digits(text) if thai else text


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    return be_year - BE_OFFSET


def thai_date(d: date, style: str = "full", thai_digits: bool = True) -> str:
    """Styles: full "๑๑ กุมภาพันธ์ ๒๕๖๘", abbr "๑๑ ก.พ. ๖๘", month_abbr "ก.พ. ๖๘",
    long "๑๑ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๘"."""
    try:
        fmt = _DATE_FORMATS[style]
    except KeyError:
        raise ValueError(f"unknown date style: {style!r}") from None
    return thai_strftime(d, fmt, thaidigit=thai_digits)


def thai_date_range(start: date, end: date, style: str = "month_abbr") -> str:
    return f"{thai_date(start, style)} {EN_DASH} {thai_date(end, style)}"


def fiscal_year(d: date) -> int:
    """The BE year the fiscal year ends in: 1 Oct 2024 – 30 Sep 2025 is 2568."""
    ends_in = d.year + 1 if d.month >= FISCAL_YEAR_START_MONTH else d.year
    return be_year(ends_in)


def fiscal_year_bounds(be_fiscal_year: int) -> tuple[date, date]:
    ends_in = ce_year(be_fiscal_year)
    return date(ends_in - 1, FISCAL_YEAR_START_MONTH, 1), date(ends_in, 9, 30)


def thai_number_words(n: int) -> str:
    return num_to_thaiword(n)


def baht_text(amount: str | int | float | Decimal) -> str:
    # bahttext only takes int/float; rounding to satang first keeps the float exact enough.
    satang = _as_decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return bahttext(float(satang))


def person_name(prefix: str | None, first: str | None, last: str | None) -> str:
    """Thai convention: the prefix is written onto the first name, "นางสาวหทัยทิพย์ วงศ์ทะนา"."""
    given = f"{(prefix or '').strip()}{(first or '').strip()}"
    return " ".join(part for part in (given, (last or "").strip()) if part)
