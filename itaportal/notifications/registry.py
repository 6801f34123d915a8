"""Kinds of notification and the sentence each one reads as.

A notification stores its kind and data, never its text: the sentence is made when it is shown
or mailed, in the language active then, like pretix's log display. Another app adds its kinds
with `register`:

    @register("ita.memo.waiting", example={"subject": "…"})
    def _memo_waiting(data: dict) -> str:
        return _("The memo “%(subject)s” waits for you.") % {"subject": data["subject"]}

`example` is data that the tests render in every language, so each kind is proven to read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from itaportal.dates import screen_date
from itaportal.thai import to_thai_digits

PROGRESS_DUE_SOON = "ita.progress.due_soon"
PROGRESS_OVERDUE = "ita.progress.overdue"


@dataclass(frozen=True)
class Kind:
    render: Callable[[dict], str]
    example: dict


KINDS: dict[str, Kind] = {}


def register(kind: str, *, example: dict) -> Callable:
    def decorator(function: Callable[[dict], str]) -> Callable[[dict], str]:
        if kind in KINDS:
            raise ValueError(f"notification kind {kind!r} is registered twice")
        KINDS[kind] = Kind(render=function, example=example)
        return function

    return decorator


def render(kind: str, data: dict) -> str:
    entry = KINDS.get(kind)
    if entry is None:
        # A kind that a later version dropped must not break the page that lists old notifications.
        return _("Notification")
    try:
        return entry.render(data)
    except (KeyError, TypeError, ValueError):
        return _("Notification")


def _is_thai() -> bool:
    return (get_language() or "th").startswith("th")


def show_date(iso: str) -> str:
    # พ.ศ. in every language, as on every page.
    return screen_date(date.fromisoformat(iso), "full")


def show_number(value: int | str) -> str:
    return to_thai_digits(value) if _is_thai() else str(value)


def _progress_fields(data: dict) -> dict:
    return {
        "number": show_number(data["number"]),
        # Some titles are a paragraph long: the sentence stays readable in a list and a subject line.
        "title": Truncator(" ".join(str(data["title"]).split())).chars(120),
        "round": data["round"],
        "due": show_date(data["due_date"]),
    }


PROGRESS_EXAMPLE = {
    "number": 3,
    "title": "Publish the procurement plan",
    "round": "6-month round",
    "due_date": "2025-03-31",
}


@register(PROGRESS_DUE_SOON, example=PROGRESS_EXAMPLE)
def _progress_due_soon(data: dict) -> str:
    fields = _progress_fields(data)
    return _("Progress of measure %(number)s “%(title)s” (%(round)s) is due on %(due)s.") % fields


@register(PROGRESS_OVERDUE, example=PROGRESS_EXAMPLE)
def _progress_overdue(data: dict) -> str:
    fields = _progress_fields(data)
    return (
        _("Progress of measure %(number)s “%(title)s” (%(round)s) was due on %(due)s and is overdue.")
        % fields
    )
