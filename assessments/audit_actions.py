"""The sentences of the framework editor's entries in the audit trail (platform actions: no organisation)."""

from django.utils.translation import gettext as _

from itaportal.audit.registry import register


def _fields(changes: dict) -> str:
    return ", ".join(changes) or "–"


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
    return _("Changed the details of the year: %(fields)s.") % {"fields": _fields(data["changes"])}


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
    return _("Changed item %(code)s: %(fields)s.") % {"code": data["code"], "fields": _fields(data["changes"])}


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
