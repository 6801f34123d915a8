from datetime import date

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from itaportal import thai
from itaportal.date_fields import ThaiDateInput
from itaportal.dates import screen_date, screen_period

register = template.Library()

# A missing template variable reaches filters as "" (string_if_invalid), so it is blank like None.
_BLANK = (None, "")


@register.filter
def thai_digits(value) -> str:
    return thai.to_thai_digits(value)


@register.filter
def thai_number(value, places=2) -> str:
    return "" if value in _BLANK else thai.format_number(value, int(places))


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


# Aware datetimes are shown in the current time zone, so the date part is the local one.
@register.filter(expects_localtime=True)
def thai_date(value: date | str | None, style: str = "full") -> str:
    """Every date on a page or in a document: full ๑๕ มกราคม ๒๕๖๖, abbr ๑๕ ม.ค. ๖๖, month_abbr ม.ค. ๖๖,
    long ๑๕ เดือน มกราคม พ.ศ. ๒๕๖๖; in the English interface the same พ.ศ. year with English month
    names (documents always render in Thai). Also takes an ISO date string, as frozen documents
    store their dates."""
    if value in _BLANK:
        return ""
    return screen_date(_as_date(value), style)


@register.filter
def be_year(value: int | None) -> str:
    # A string, so that USE_THOUSAND_SEPARATOR never renders the year as "2,568"; chain |thai_digits for ๒๕๖๘.
    return "" if value in _BLANK else str(thai.be_year(int(value)))


@register.simple_tag
def thai_period(start: date | str | None, end: date | str | None, style: str = "abbr") -> str:
    """`{% thai_period measure.start_date measure.end_date %}` → ๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘; a plan period
    in months: `{% thai_period m.start_date m.end_date m.period_style %}` → ต.ค. ๖๔ – มี.ค. ๖๕."""
    if start in _BLANK or end in _BLANK:
        return ""
    return screen_period(_as_date(start), _as_date(end), style)


@register.simple_tag
def thai_date_input(name: str, value=None, label: str = "", invalid=False, css: str = "form-control",
                    id: str = "", months: bool = False) -> str:
    """A พ.ศ. date box outside a Django form (repeated inputs, one-field forms in a table row):
    `{% thai_date_input "activity_date" row.date label=date_label invalid=row.error %}`. An invalid box
    with an `id` is described by the element `<id>-error`, where the page puts the message."""
    attrs = {"class": f"{css} is-invalid" if invalid else css}
    if label:
        attrs["aria-label"] = label
    if id:
        attrs["id"] = id
        if invalid:
            attrs["aria-describedby"] = f"{id}-error"
    return ThaiDateInput(months=months).render(name, None if value in _BLANK else value, attrs)


ZWSP = "\u200b"


@register.filter(needs_autoescape=True)
def thai_wrap(value, keep=(), autoescape=True) -> str:
    """Thai text whose lines may break between words only. `keep` lists phrases (names, places)
    that must stay whole too.

    On screen each word is kept whole (class "w", white-space: nowrap) and a <wbr> between two
    words offers the break, whatever the browser's own Thai dictionary says. For print, `keep`
    also knows where the PDF renderer itself would break (see reports.rendering.PrintPhrases):
    only the words it would split get a nowrap box, the others stay plain text, which the
    renderer lays out several times faster."""
    if value in _BLANK:
        return ""
    esc = conditional_escape if autoescape else str
    words = thai.thai_words(str(value), tuple(keep or ()))
    breaks = getattr(keep, "renderer_breaks", None)
    return mark_safe(_print_wrap(words, breaks, esc) if breaks else _screen_wrap(words, esc))


def _screen_wrap(words: list[str], esc) -> str:
    parts, previous_word = [], False
    for word in words:
        if word.isspace():
            parts.append(word)
            previous_word = False
            continue
        if previous_word:
            parts.append("<wbr>")
        parts.append(f'<span class="w">{esc(word)}</span>')
        previous_word = True
    return "".join(parts)


def _print_wrap(words: list[str], renderer_breaks, esc) -> str:
    """Plain runs of words joined by zero-width spaces (the break <wbr> would give, without an element
    box); a word the renderer would break inside, in its run, is boxed and the runs are checked again,
    as the renderer's dictionary reads each run as a whole."""
    boxed: set[int] = set()
    while True:
        parts, run, run_words, previous_word = [], [], [], False

        def close_run():
            if run:
                parts.append(("run", "".join(run), list(run_words)))
                run.clear()
                run_words.clear()

        for index, word in enumerate(words):
            if word.isspace():
                run.append(word)
                previous_word = False
                continue
            if previous_word:
                run.append(ZWSP)
            if index in boxed:
                close_run()
                parts.append(("box", word, index))
            else:
                run_words.append((sum(len(piece) for piece in run), index))
                run.append(word)
            previous_word = True
        close_run()
        newly = set()
        for part in parts:
            if part[0] != "run":
                continue
            _kind, text, starts = part
            for position in renderer_breaks(text):
                for start, index in starts:
                    if start < position < start + len(words[index]):
                        newly.add(index)
        if not newly:
            break
        boxed |= newly
    return "".join(
        esc(part[1]) if part[0] == "run" else f'<span class="w">{esc(part[1])}</span>' for part in parts
    )
