from datetime import date

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from itaportal import thai

register = template.Library()

# A missing template variable reaches filters as "" (string_if_invalid), so it is blank like None.
_BLANK = (None, "")


@register.filter
def thai_digits(value) -> str:
    return thai.to_thai_digits(value)


@register.filter
def thai_number(value, places=2) -> str:
    return "" if value in _BLANK else thai.format_number(value, int(places))


# Aware datetimes are shown in the current time zone, so the date part is the local one.
@register.filter(expects_localtime=True)
def thai_date(value: date | str | None, style: str = "full") -> str:
    """Also takes an ISO date string, as frozen documents store their dates."""
    if value in _BLANK:
        return ""
    return thai.thai_date(date.fromisoformat(value) if isinstance(value, str) else value, style)


@register.filter
def be_year(value: int | None) -> str:
    # A string, so that USE_THOUSAND_SEPARATOR never renders the year as "2,568"; chain |thai_digits for ๒๕๖๘.
    return "" if value in _BLANK else str(thai.be_year(int(value)))


@register.simple_tag
def thai_period(start: date | None, end: date | None, style: str = "abbr") -> str:
    """`{% thai_period measure.start_date measure.end_date %}` → ๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘"""
    return "" if start in _BLANK or end in _BLANK else thai.thai_date_range(start, end, style)


@register.filter(needs_autoescape=True)
def thai_wrap(value, keep=(), autoescape=True) -> str:
    """Thai text whose lines may break between words only: each word is kept whole (class "w",
    white-space: nowrap) and a <wbr> between two words offers the break. `keep` lists phrases
    (names, positions) that must stay whole too."""
    if value in _BLANK:
        return ""
    esc = conditional_escape if autoescape else str
    parts, previous_word = [], False
    for word in thai.thai_words(str(value), tuple(keep or ())):
        if word.isspace():
            parts.append(word)
            previous_word = False
            continue
        if previous_word:
            parts.append("<wbr>")
        parts.append(f'<span class="w">{esc(word)}</span>')
        previous_word = True
    return mark_safe("".join(parts))
