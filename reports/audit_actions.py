"""The sentences of the reports app's entries in the audit trail: memos, their documents, the approval
chains and acting appointments. Imported at ready() (apps.py), so that every page and worker reads them."""

from django.utils.translation import gettext as _

from itaportal.audit.registry import register

from .models import Document, MemoKind


# --- memos ------------------------------------------------------------------------------------


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


# --- the chains and appointments -------------------------------------------------------------


def _kind_label(kind: str) -> str:
    if kind in MemoKind.values:
        return str(MemoKind(kind).label)
    return _("every kind of memo")


@register("ita.chain.changed")
def _chain_changed(data: dict) -> str:
    sentence = _("Set the approval chain for %(kind)s: %(positions)s.") % {
        "kind": _kind_label(data["kind"]),
        "positions": " → ".join(data["positions"]),
    }
    if data.get("address_via"):
        sentence += " " + _("The addressee line names the intermediate levels.")
    return sentence


@register("ita.chain.removed")
def _chain_removed(data: dict) -> str:
    return _("Removed the approval chain for %(kind)s; it now follows the general chain.") % {
        "kind": _kind_label(data["kind"])
    }


@register("ita.delegation.created")
def _delegation(data: dict) -> str:
    return _("Appointed %(person)s to act for %(position)s from %(start)s to %(end)s.") % data


@register("ita.delegation.ended")
def _delegation_ended(data: dict) -> str:
    return _("Ended the appointment of %(person)s for %(position)s on %(end)s.") % data


# --- documents --------------------------------------------------------------------------------


def _document_kind(kind: str) -> str:
    return str(Document.Kind(kind).label) if kind in Document.Kind.values else kind


@register("ita.document.draft_requested")
def _draft_requested(data: dict) -> str:
    if data.get("again"):
        return _("Asked again for the draft PDF of the %(kind)s of fiscal year %(year)s after it failed.") % {
            "kind": _document_kind(data["kind"]), "year": data["year"]}
    return _("Asked for a draft PDF of the %(kind)s of fiscal year %(year)s.") % {
        "kind": _document_kind(data["kind"]), "year": data["year"]}


@register("ita.document.rendered")
def _rendered(data: dict) -> str:
    return _("Made the PDF of the approved %(kind)s: %(pages)s pages, SHA-256 %(sha)s.") % {
        "kind": _document_kind(data["kind"]), "pages": data["pages"], "sha": data["sha256"][:16]}
