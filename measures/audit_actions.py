"""The sentences of the measures app's entries in the audit trail: the plan, the rounds, progress and
its evidence, the OIT checklist. Imported at ready() (apps.py), so that every page and worker reads
them; the services write the entries (measures/services/)."""

from datetime import date

from django.utils.translation import gettext as _

from itaportal.audit.registry import register
from itaportal.dates import screen_date

from .models import Measure, OitEntry, ProgressEntry

# The field names an entry's data uses, as the history panel prints them.
FIELD_LABELS = {
    "kind": lambda: _("kind"),
    "title": lambda: _("title"),
    "steps": lambda: _("steps"),
    "period": lambda: _("period"),
    "period_in_months": lambda: _("period in whole months"),
    "all_units": lambda: _("every unit"),
    "departments": lambda: _("units"),
    "positions": lambda: _("positions"),
    "issues": lambda: _("issues"),
    "indicators": lambda: _("indicators"),
    "oit_items": lambda: _("OIT items"),
    "monitoring": lambda: _("monitoring and reporting"),
    "planned_budget": lambda: _("planned budget"),
    "target": lambda: _("target"),
    "status": lambda: _("status"),
    "outcome": lambda: _("outcome"),
    "suggestions": lambda: _("suggestions"),
    "budget_used": lambda: _("budget used"),
    "activities": lambda: _("activities"),
    "owner": lambda: _("owner unit"),
    "url": lambda: _("public URL"),
    "note": lambda: _("note"),
}


def _label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return label() if label else field


def _value(field: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if field == "kind" and value in Measure.Kind.values:
        return str(Measure.Kind(value).label)
    if field == "status" and value in ProgressEntry.Status.values:
        return str(ProgressEntry.Status(value).label)
    if field == "oit_status" and value in OitEntry.Status.values:
        return str(OitEntry.Status(value).label)
    if field == "period" and len(value) == 2:
        return f"{_day(value[0])} – {_day(value[1])}"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe_changes(data: dict, status_field: str = "status") -> str:
    """"status: ยังไม่ได้ดำเนินการ → ดำเนินการแล้ว; outcome edited" from {"changes": {field: [before,
    after]}, "edited": [fields]}: long texts are named as edited, not copied into the trail."""
    parts = []
    for field, (before, after) in (data.get("changes") or {}).items():
        shown = status_field if field == "status" else field
        parts.append(f"{_label(field)}: {_value(shown, before)} → {_value(shown, after)}")
    edited = [_label(field) for field in data.get("edited") or []]
    if edited:
        parts.append(_("edited %(fields)s") % {"fields": ", ".join(edited)})
    return "; ".join(parts) or _("nothing changed")


def _day(value: str) -> str:
    return screen_date(date.fromisoformat(value), "abbr") if value else "–"


# --- the plan ----------------------------------------------------------------------------------


@register("ita.measure.created")
def _measure_created(data: dict) -> str:
    if data.get("imported"):
        return _("Added measure %(number)s of fiscal year %(year)s from the imported plan: %(title)s") % data
    return _("Added measure %(number)s of fiscal year %(year)s: %(title)s") % data


@register("ita.measure.changed")
def _measure_changed(data: dict) -> str:
    if not data.get("changes") and not data.get("edited"):
        return _("Saved measure %(number)s without changing it.") % data
    return _("Changed measure %(number)s: %(changes)s.") % {
        "number": data["number"], "changes": describe_changes(data)}


@register("ita.measure.deleted")
def _measure_deleted(data: dict) -> str:
    return _("Removed measure %(number)s of fiscal year %(year)s: %(title)s") % data


@register("ita.measure.carried_forward")
def _measure_carried(data: dict) -> str:
    return _(
        "Carried measure %(number)s of fiscal year %(from)s forward as measure %(new)s of %(to)s."
    ) % data


# --- rounds ------------------------------------------------------------------------------------


@register("ita.rounds.configured")
def _rounds_configured(data: dict) -> str:
    sentence = _("Set the reporting rounds of fiscal year %(year)s: %(rounds)s.") % {
        "year": data["year"], "rounds": ", ".join(data["rounds"])}
    if data.get("replaced"):
        sentence += " " + _("They replace %(count)s earlier rounds, in which nobody had reported.") % {
            "count": data["replaced"]}
    return sentence


@register("ita.round.due_date_changed")
def _due_date_changed(data: dict) -> str:
    return _("Moved the due date of the %(round)s from %(before)s to %(after)s.") % {
        "round": data["round"], "before": _day(data["before"]), "after": _day(data["after"])}


@register("ita.round.locked")
def _round_locked(data: dict) -> str:
    return _("The progress report of the %(round)s was approved: its entries are read-only.") % data


# --- progress and evidence ---------------------------------------------------------------------


@register("ita.progress.saved")
def _progress_saved(data: dict) -> str:
    if data.get("created"):
        return _("Reported the progress of measure %(measure)s in the %(round)s: %(changes)s.") % {
            "measure": data["measure"], "round": data["round"], "changes": describe_changes(data)}
    return _("Saved the progress of measure %(measure)s in the %(round)s: %(changes)s.") % {
        "measure": data["measure"], "round": data["round"], "changes": describe_changes(data)}


@register("ita.progress.autosaved")
def _progress_autosaved(data: dict) -> str:
    # One entry stands for a person's autosaves of the next ten minutes (measures.services.progress).
    if data.get("draft"):
        return _(
            "Worked on the progress of measure %(measure)s in the %(round)s; what was typed is kept as a "
            "draft until it is corrected and saved (autosaves of the next ten minutes are not listed)."
        ) % data
    return _(
        "Worked on the progress of measure %(measure)s in the %(round)s, saved automatically as typed "
        "(autosaves of the next ten minutes are not listed)."
    ) % data


@register("ita.evidence.added")
def _evidence_added(data: dict) -> str:
    if data.get("kind") == "link":
        return _("Added the link %(name)s as evidence.") % data
    return _("Added the file %(name)s as evidence.") % data


@register("ita.evidence.removed")
def _evidence_removed(data: dict) -> str:
    if data.get("kind") == "link":
        return _("Removed the link %(name)s from the evidence.") % data
    return _("Removed the file %(name)s from the evidence.") % data


# --- the OIT checklist -------------------------------------------------------------------------


@register("ita.oit.entry_saved")
def _oit_entry_saved(data: dict) -> str:
    return _("Saved %(code)s of the OIT checklist of fiscal year %(year)s: %(changes)s.") % {
        "code": data["code"], "year": data["year"],
        "changes": describe_changes(data, status_field="oit_status"),
    }


@register("ita.oit.carried_forward")
def _oit_carried(data: dict) -> str:
    return _(
        "Started the OIT checklist of fiscal year %(to)s from %(from)s: %(copied)s entries carried over "
        "(owner unit, URL and note)."
    ) % data
