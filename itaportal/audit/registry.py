"""Each audit action and the sentence it reads as in the history panel (in the reader's language)."""

from collections.abc import Callable

from django.utils.translation import gettext as _

ACTIONS: dict[str, Callable[[dict], str]] = {}


def register(action: str) -> Callable:
    def decorator(function: Callable[[dict], str]) -> Callable[[dict], str]:
        ACTIONS[action] = function
        return function

    return decorator


def describe(entry) -> str:
    render = ACTIONS.get(entry.action)
    try:
        return render(entry.data) if render else entry.action
    except (KeyError, TypeError, ValueError):
        return entry.action


@register("ita.memo.created")
def _created(data: dict) -> str:
    return _("Composed the memo.")


@register("ita.memo.edited")
def _edited(data: dict) -> str:
    return _("Edited the text of the memo.")


@register("ita.memo.submitted")
def _submitted(data: dict) -> str:
    if data.get("override_reason"):
        return _("Submitted the memo as number %(number)s despite the consistency check, because: %(reason)s") % {
            "number": data.get("number", ""),
            "reason": data["override_reason"],
        }
    return _("Submitted the memo as number %(number)s.") % {"number": data.get("number", "")}


@register("ita.memo.forwarded")
def _forwarded(data: dict) -> str:
    return _("Approved at level %(level)s and forwarded. Comment: %(comment)s") % {
        "level": data["level"],
        "comment": data.get("comment") or "–",
    }


@register("ita.memo.approved")
def _approved(data: dict) -> str:
    return _("Approved the memo (เห็นชอบ). Comment: %(comment)s") % {"comment": data.get("comment") or "–"}


@register("ita.memo.returned")
def _returned(data: dict) -> str:
    return _("Returned the memo to its author for revision: %(comment)s") % {"comment": data.get("comment") or "–"}


@register("ita.memo.rejected")
def _rejected(data: dict) -> str:
    return _("Rejected the memo (ไม่เห็นชอบ) because: %(comment)s") % {"comment": data.get("comment") or "–"}


@register("ita.memo.cancelled")
def _cancelled(data: dict) -> str:
    return _("Cancelled the memo; its number stays used.")


@register("ita.memo.frozen")
def _frozen(data: dict) -> str:
    return _("Froze the approved version (SHA-256 %(sha)s).") % {"sha": data.get("sha256", "")[:16]}


@register("ita.delegation.created")
def _delegation(data: dict) -> str:
    return _("Appointed %(person)s to act for %(position)s from %(start)s to %(end)s.") % data
