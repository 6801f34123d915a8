"""The sentences of the assessments app's entries in the audit trail: the framework editor's (platform
actions: no organisation), then an office's assessment, scores and analysis."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from itaportal.audit.registry import register

from .models import AnalysisIssue, Framework, Item


def _fields(model, changes: dict) -> str:
    """The changed fields by their labels in the reader's language, never the code's field names."""
    names = []
    for name in changes:
        try:
            names.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            names.append(name)
    return ", ".join(names) or "–"


@register("ita.framework.seeded")
def _seeded(data: dict) -> str:
    if data.get("created"):
        return _("Loaded fiscal year %(year)s from the seed file %(file)s.") % data
    return _("Brought fiscal year %(year)s up to its seed file %(file)s.") % data


@register("ita.framework.created")
def _created(data: dict) -> str:
    return _("Created fiscal year %(year)s as a draft, copied from fiscal year %(source)s.") % data


@register("ita.framework.settings_changed")
def _settings(data: dict) -> str:
    return _("Changed the details of the year: %(fields)s.") % {"fields": _fields(Framework, data["changes"])}


@register("ita.framework.tools_changed")
def _tools(data: dict) -> str:
    return _("Changed the tools and weights: %(tools)s.") % {"tools": ", ".join(data["tools"])}


@register("ita.framework.indicators_changed")
def _indicators(data: dict) -> str:
    return _("Changed the indicators (%(count)s kept).") % data


@register("ita.framework.levels_changed")
def _levels(data: dict) -> str:
    if data.get("marks_only"):
        return _("Changed the provisional marks of the levels %(levels)s.") % {"levels": ", ".join(data["levels"])}
    return _("Changed the level rules: %(levels)s.") % {"levels": ", ".join(data["levels"])}


@register("ita.framework.item_added")
def _item_added(data: dict) -> str:
    return _("Added item %(code)s.") % data


@register("ita.framework.item_changed")
def _item_changed(data: dict) -> str:
    return _("Changed item %(code)s: %(fields)s.") % {"code": data["code"], "fields": _fields(Item, data["changes"])}


@register("ita.framework.item_removed")
def _item_removed(data: dict) -> str:
    return _("Removed item %(code)s.") % data


@register("ita.framework.items_imported")
def _imported(data: dict) -> str:
    return _("Imported the item table: %(added)s added, %(changed)s changed, %(removed)s removed.") % data


@register("ita.framework.published")
def _published(data: dict) -> str:
    return _("Published fiscal year %(year)s: offices can use it.") % data


@register("ita.framework.unpublished")
def _unpublished(data: dict) -> str:
    return _("Took fiscal year %(year)s back to a draft.") % data


@register("ita.framework.deleted")
def _deleted(data: dict) -> str:
    return _("Deleted the draft of fiscal year %(year)s.") % data


@register("ita.framework.crosswalk_saved")
def _crosswalk(data: dict) -> str:
    return _("Saved the crosswalk from fiscal year %(year)s to %(next)s: %(count)s lines decided.") % data


# --- an office's assessment and its analysis (organisation set) ----------------------------------

# How many figures a sentence lists before it counts the rest.
SHOWN_FIGURES = 8


def _figures(data: dict) -> str:
    parts = []
    if "overall" in data:
        parts.append(_("overall score %(before)s → %(after)s") % _pair(data["overall"]))
    if "level" in data:
        parts.append(_("published level %(before)s → %(after)s") % _pair(data["level"]))
    for code, pair in (data.get("tools") or {}).items():
        parts.append(f"{code} {_pair(pair)['before']} → {_pair(pair)['after']}")
    for number, pair in (data.get("indicators") or {}).items():
        parts.append(_("indicator %(number)s %(before)s → %(after)s") % {"number": number, **_pair(pair)})
    for code, pair in (data.get("items") or {}).items():
        parts.append(f"{code} {_pair(pair)['before']} → {_pair(pair)['after']}")
    if len(parts) > SHOWN_FIGURES:
        rest = len(parts) - SHOWN_FIGURES
        parts = [*parts[:SHOWN_FIGURES], _("%(count)s more") % {"count": rest}]
    return "; ".join(parts) or "–"


def _pair(pair: list) -> dict:
    before, after = pair
    return {"before": before or "–", "after": after or "–"}


@register("ita.assessment.started")
def _assessment_started(data: dict) -> str:
    return _("Started recording the ITA results of fiscal year %(year)s.") % data


@register("ita.assessment.scores_saved")
def _scores_saved(data: dict) -> str:
    return _("Saved the scores: %(figures)s.") % {"figures": _figures(data)}


@register("ita.assessment.scores_imported")
def _scores_imported(data: dict) -> str:
    if data.get("overall") or data.get("level"):
        return _("Imported %(count)s scores of fiscal year %(year)s from a file; %(figures)s.") % {
            **data, "figures": _figures(data)}
    return _("Imported %(count)s scores of fiscal year %(year)s from a file.") % data


@register("ita.assessment.warning_acknowledged")
def _warning_acknowledged(data: dict) -> str:
    figures = data["figures"]
    if data["what"] == "tool":
        return _("Confirmed the published %(tool)s score %(published)s, though the mean of its indicators is "
                 "%(derived)s.") % {"tool": figures[0], "published": figures[1], "derived": figures[2]}
    if data["what"] == "overall":
        return _(
            "Confirmed the published overall score %(published)s, though the tool scores give %(derived)s."
        ) % {"published": figures[0], "derived": figures[1]}
    return _("Confirmed the published level “%(published)s”, though the rules give “%(level)s”.") % {
        "published": figures[0], "level": figures[1]}


def _issue_changes(data: dict) -> str:
    labels = {"tool": _("tool"), "indicator": _("indicator"), "items": _("items"), "kind": _("kind"),
              "title": _("title"), "analysis": _("analysis"), "recommendation": _("recommendation")}
    parts = []
    for field, (before, after) in (data.get("changes") or {}).items():
        if field == "items":
            before, after = ", ".join(before), ", ".join(after)
        elif field == "kind":
            before, after = _kind(before), _kind(after)
        parts.append(f"{labels.get(field, field)}: {before or '–'} → {after or '–'}")
    edited = [str(labels.get(field, field)) for field in data.get("edited") or []]
    if edited:
        parts.append(_("edited %(fields)s") % {"fields": ", ".join(edited)})
    return "; ".join(parts) or _("nothing changed")


def _kind(kind: str) -> str:
    return str(AnalysisIssue.Kind(kind).label) if kind in AnalysisIssue.Kind.values else kind


@register("ita.issue.created")
def _issue_created(data: dict) -> str:
    return _("Added issue %(order)s of the analysis: %(title)s") % data


@register("ita.issue.changed")
def _issue_changed(data: dict) -> str:
    return _("Changed issue %(order)s “%(title)s”: %(changes)s.") % {**data, "changes": _issue_changes(data)}


@register("ita.issue.deleted")
def _issue_deleted(data: dict) -> str:
    return _("Removed issue %(order)s of the analysis: %(title)s") % data


@register("ita.issue.moved")
def _issue_moved(data: dict) -> str:
    return _("Moved the issue “%(title)s” from place %(from)s to place %(order)s.") % data


@register("ita.analysis.carried_over")
def _carried_over(data: dict) -> str:
    return _("Started the analysis from the %(count)s issues of fiscal year %(from)s.") % data
