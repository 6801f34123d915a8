"""The framework editor's changes, publishing, copying a year: the rule of what may change when is in
the docstring of assessments.models.Framework, and each change leaves an entry in the audit trail (a
platform action: no organisation)."""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import User
from itaportal.audit.services import audit
from itaportal.thai import to_thai_digits

from ..framework_format import (
    HUNDRED,
    FrameworkSpec,
    ItemSpec,
    LevelSpec,
    framework_spec,
    level_problems,
    plain,
    structure_problems,
    twice,
)
from ..models import Framework, Indicator, Item, ItemSuccession, LevelRule, Tool
from .errors import AssessmentError, FieldsError

FIRST_YEAR, LAST_YEAR = 2500, 2700
CODE = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,9}")


# --- in use, and the trail ------------------------------------------------------------------------

_OWN_MODELS = {Framework, Tool, Indicator, Item, LevelRule, ItemSuccession}


def _referenced(model: type[Model], queryset: QuerySet) -> bool:
    """Whether any row outside the framework's own tables points at one of these rows. Read from the
    model's reverse relations, so that a new kind of reference (in any app) counts without a change here."""
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.related_model in _OWN_MODELS:
            continue
        if relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": queryset}).exists():
            return True
    return False


def framework_in_use(framework: Framework) -> bool:
    """An assessment, an OIT checklist entry, a measure or a score refers to the framework or its parts."""
    return (
        _referenced(Framework, Framework.objects.filter(pk=framework.pk))
        or _referenced(Tool, framework.tools.all())
        or _referenced(Indicator, framework.indicators.all())
        or _referenced(Item, framework.items.all())
    )


def record(framework: Framework, action: str, user: User | None, **data) -> None:
    audit(organisation=None, action=action, target=framework, actor=user,
          data={"year": framework.fiscal_year, **data})


def _lock(framework: Framework) -> Framework:
    return Framework.objects.select_for_update().get(pk=framework.pk)


def _edited(framework: Framework) -> None:
    """Edited in the portal: its seed file no longer applies to it (see load_framework)."""
    framework.data_hash = ""
    framework.save(update_fields=["data_hash", "loaded_at"])


def _require_draft(framework: Framework, message: str) -> None:
    if framework.is_published:
        raise AssessmentError(message)


def _changes(before: dict, after: dict) -> dict:
    return {key: [str(before[key]), str(after[key])] for key in after if before[key] != after[key]}


# --- writing a whole structure ---------------------------------------------------------------------


def write_structure(framework: Framework, spec: FrameworkSpec) -> None:
    """Make the framework's tools, indicators, items and level rules exactly the spec's. Only for a
    framework that nothing uses: rows left out are deleted, with anything that hangs on them."""
    framework.tools.exclude(code__in=[tool.code for tool in spec.tools]).delete()
    tools = {}
    for order, tool in enumerate(spec.tools):
        tools[tool.code], _created = Tool.objects.update_or_create(
            framework=framework,
            code=tool.code,
            defaults={"name": tool.name, "weight": tool.weight, "checklist": tool.checklist, "order": order},
        )
    framework.indicators.exclude(number__in=[ind.number for ind in spec.indicators]).delete()
    indicators = {}
    # Main indicators first, so that each parent exists when its sub-indicators are saved.
    for order, ind in sorted(enumerate(spec.indicators, start=1), key=lambda pair: pair[1].parent is not None):
        indicators[ind.number], _created = Indicator.objects.update_or_create(
            framework=framework,
            number=ind.number,
            defaults={"tool": tools[ind.tool], "name": ind.name, "parent": indicators.get(ind.parent), "order": order},
        )
    framework.items.exclude(code__in=[item.code for item in spec.items]).delete()
    for order, item in enumerate(spec.items):
        Item.objects.update_or_create(framework=framework, code=item.code, defaults=item_fields(item, tools,
                                                                                                  indicators, order))
    framework.level_rules.all().delete()
    LevelRule.objects.bulk_create(
        LevelRule(
            framework=framework,
            order=order,
            name=level.name,
            min_overall=level.min_overall,
            min_each_tool=level.min_each_tool,
            provisional=level.provisional,
            provisional_source=level.provisional_source,
        )
        for order, level in enumerate(spec.levels)
    )


def item_fields(item: ItemSpec, tools: dict[str, Tool], indicators: dict[str, Indicator], order: int) -> dict:
    return {
        "tool": tools[item.tool],
        "indicator": indicators[item.indicator] if item.indicator else None,
        "text": item.text,
        "data_elements": item.data_elements,
        "provisional": item.provisional,
        "provisional_source": item.provisional_source,
        "order": order,
    }


def apply_header(framework: Framework, spec: FrameworkSpec) -> None:
    framework.name, framework.source = spec.name, spec.source
    framework.provisional, framework.provisional_source = spec.provisional, spec.provisional_source
    framework.pass_mark = spec.pass_mark


# --- the editor: a year and its details ------------------------------------------------------------


def _check_year(fiscal_year: int) -> None:
    if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
        raise FieldsError({"fiscal_year": _("Type the fiscal year in the Buddhist Era, such as 2571.")})
    if Framework.objects.filter(fiscal_year=fiscal_year).exists():
        raise FieldsError({"fiscal_year": _("Fiscal year %(year)s already has a framework.") % {"year": fiscal_year}})


def _renamed(name: str, old: int, new: int) -> str:
    return name.replace(str(old), str(new)).replace(to_thai_digits(old), to_thai_digits(new))


@transaction.atomic
def framework_copy(*, source: Framework, fiscal_year: int, user: User | None) -> Framework:
    """A draft of a new fiscal year with everything of `source`: tools and weights, indicators, items,
    level rules and provisional marks. Between neighbouring years each item is linked in the crosswalk
    to its copy, which the editor changes where the new manual renumbers or drops it."""
    _check_year(fiscal_year)
    spec = replace(
        framework_spec(source),
        fiscal_year=fiscal_year,
        name=_renamed(source.name, source.fiscal_year, fiscal_year),
        state=Framework.State.DRAFT,
        successors={},
    )
    framework = Framework(fiscal_year=fiscal_year)
    apply_header(framework, spec)
    framework.save()
    write_structure(framework, spec)
    copies = {item.code: item for item in framework.items.all()}
    originals = list(source.items.all())
    if fiscal_year == source.fiscal_year + 1:
        decided = set(ItemSuccession.objects.filter(item__in=originals).values_list("item_id", flat=True))
        ItemSuccession.objects.bulk_create(
            ItemSuccession(item=item, successor=copies[item.code], decided_by=user)
            for item in originals
            if item.pk not in decided
        )
    elif fiscal_year == source.fiscal_year - 1:
        ItemSuccession.objects.bulk_create(
            ItemSuccession(item=copies[item.code], successor=item, decided_by=user) for item in originals
        )
    record(framework, "ita.framework.created", user, source=source.fiscal_year)
    return framework


@transaction.atomic
def framework_settings_save(
    *,
    framework: Framework,
    user: User | None,
    name: str,
    source: str,
    pass_mark: Decimal,
    provisional: bool,
    provisional_source: str,
) -> Framework:
    framework = _lock(framework)
    before = {"name": framework.name, "source": framework.source, "pass_mark": framework.pass_mark,
              "provisional": framework.provisional, "provisional_source": framework.provisional_source}
    after = {"name": name.strip(), "source": source.strip(), "pass_mark": pass_mark, "provisional": provisional,
             "provisional_source": provisional_source.strip()}
    if framework.is_published and pass_mark != framework.pass_mark:
        raise FieldsError({"pass_mark": _("The pass mark of a published framework cannot change.")})
    changes = _changes(before, after)
    if not changes:
        return framework
    for key, value in after.items():
        setattr(framework, key, value)
    framework.save()
    _edited(framework)
    record(framework, "ita.framework.settings_changed", user, changes=changes)
    return framework


# --- tools, indicators, level rules (a formset each) ----------------------------------------------


@dataclass
class ToolRow:
    tool: Tool | None
    code: str
    name: str
    weight: Decimal
    checklist: bool = False
    delete: bool = False


@dataclass
class IndicatorRow:
    indicator: Indicator | None
    number: str
    name: str
    tool: Tool
    parent: str = ""  # the number of the indicator this one is a sub-indicator of
    delete: bool = False


@dataclass
class LevelRow:
    rule: LevelRule | None
    name: str
    min_overall: Decimal
    min_each_tool: Decimal | None = None
    provisional: bool = False
    provisional_source: str = ""
    delete: bool = False


def _renumber_keys(rows: list, key: str) -> None:
    """Give the kept rows temporary keys first, so that two rows can swap their codes or numbers
    without the unique constraint refusing the first save."""
    for row in rows:
        setattr(row, key, f"~{row.pk}")
        row.save(update_fields=[key])


@transaction.atomic
def framework_tools_save(*, framework: Framework, rows: list[ToolRow], user: User | None) -> None:
    framework = _lock(framework)
    _require_draft(framework, _("The tools and weights of a published framework cannot change."))
    kept = [row for row in rows if not row.delete]
    problems = []
    for row in kept:
        if not CODE.fullmatch(row.code):
            problems.append(_("“%(code)s” is not a code such as IIT.") % {"code": row.code})
    doubled = twice([row.code for row in kept])
    if doubled:
        problems.append(_("These tool codes are used twice: %(codes)s") % {"codes": ", ".join(doubled)})
    total = sum((row.weight for row in kept), Decimal(0))
    if total != HUNDRED:
        problems.append(_("The weights add up to %(total)s; they must add up to 100.") % {"total": plain(total)})
    for row in rows:
        if row.delete and row.tool and (row.tool.items.exists() or row.tool.indicators.exists()):
            problems.append(
                _("%(code)s still has indicators or items; move or remove them first.") % {"code": row.tool.code}
            )
    if problems:
        raise AssessmentError(" ".join(problems))
    for row in rows:
        if row.delete and row.tool:
            row.tool.delete()
    _renumber_keys([row.tool for row in kept if row.tool], "code")
    for order, row in enumerate(kept):
        tool = row.tool or Tool(framework=framework)
        tool.code, tool.name, tool.weight, tool.checklist, tool.order = (
            row.code, row.name.strip(), row.weight, row.checklist, order)
        tool.save()
    _edited(framework)
    record(framework, "ita.framework.tools_changed", user,
            tools=[f"{row.code} {plain(row.weight)}" for row in kept])


@transaction.atomic
def framework_indicators_save(*, framework: Framework, rows: list[IndicatorRow], user: User | None) -> None:
    framework = _lock(framework)
    _require_draft(framework, _("The indicators of a published framework cannot change."))
    kept = [row for row in rows if not row.delete]
    numbers = {row.number: row for row in kept}
    problems = []
    doubled = twice([row.number for row in kept])
    if doubled:
        problems.append(_("These indicator numbers are used twice: %(numbers)s") % {"numbers": ", ".join(doubled)})
    for row in kept:
        if row.tool.framework_id != framework.pk:
            problems.append(_("Choose a tool of this framework."))
        if not row.parent:
            continue
        parent = numbers.get(row.parent)
        if parent is None or parent.parent or parent is row:
            problems.append(
                _("%(number)s: %(parent)s is not a main indicator of this framework.")
                % {"number": row.number, "parent": row.parent}
            )
        elif parent.tool != row.tool:
            problems.append(
                _("%(number)s: a sub-indicator belongs to the tool of its indicator %(parent)s.")
                % {"number": row.number, "parent": row.parent}
            )
    for row in rows:
        if row.delete and row.indicator and row.indicator.items.exists():
            problems.append(
                _("Items are filed under %(number)s; file them elsewhere first.") % {"number": row.indicator.number}
            )
        if row.delete and row.indicator and any(other.parent == row.indicator.number for other in kept):
            problems.append(
                _("%(number)s still has sub-indicators; remove them first.") % {"number": row.indicator.number}
            )
    for row in kept:
        if row.indicator and row.indicator.tool_id != row.tool.pk and row.indicator.items.exists():
            problems.append(
                _("Items are filed under %(number)s; it cannot move to another tool.") % {"number": row.number}
            )
    if problems:
        raise AssessmentError(" ".join(problems))
    for row in rows:
        if row.delete and row.indicator:
            row.indicator.delete()
    _renumber_keys([row.indicator for row in kept if row.indicator], "number")
    saved: dict[str, Indicator] = {}
    # Main indicators first, so that each sub-indicator's parent is saved when it is.
    for order, row in sorted(enumerate(kept, start=1), key=lambda pair: bool(pair[1].parent)):
        indicator = row.indicator or Indicator(framework=framework)
        indicator.number, indicator.name, indicator.tool, indicator.order = (
            row.number, row.name.strip(), row.tool, order)
        indicator.parent = saved.get(row.parent) if row.parent else None
        indicator.save()
        saved[row.number] = indicator
    _edited(framework)
    record(framework, "ita.framework.indicators_changed", user, count=len(kept))


@transaction.atomic
def framework_levels_save(*, framework: Framework, rows: list[LevelRow], user: User | None) -> None:
    """On a draft, the rules are replaced as listed. On a published framework only the provisional
    marks and their sources change: the thresholds are what started assessments copied."""
    framework = _lock(framework)
    if framework.is_published:
        stored = {rule.pk: rule for rule in framework.level_rules.all()}
        if any(row.delete or row.rule is None or row.rule.pk not in stored for row in rows):
            raise AssessmentError(_("The level rules of a published framework cannot be added or removed."))
        changed = []
        for row in rows:
            rule = stored[row.rule.pk]
            if (rule.name, rule.min_overall, rule.min_each_tool) != (row.name, row.min_overall, row.min_each_tool):
                raise AssessmentError(_("The thresholds of a published framework cannot change."))
            if (rule.provisional, rule.provisional_source) != (row.provisional, row.provisional_source.strip()):
                rule.provisional, rule.provisional_source = row.provisional, row.provisional_source.strip()
                rule.save(update_fields=["provisional", "provisional_source"])
                changed.append(rule.name)
        if changed:
            _edited(framework)
            record(framework, "ita.framework.levels_changed", user, levels=changed, marks_only=True)
        return
    kept = [row for row in rows if not row.delete]
    levels = [LevelSpec(row.name.strip(), row.min_overall, row.min_each_tool) for row in kept]
    problems = level_problems(levels)
    if problems:
        raise AssessmentError(" ".join(problems))
    framework.level_rules.all().delete()
    LevelRule.objects.bulk_create(
        LevelRule(framework=framework, order=order, name=row.name.strip(), min_overall=row.min_overall,
                  min_each_tool=row.min_each_tool, provisional=row.provisional,
                  provisional_source=row.provisional_source.strip())
        for order, row in enumerate(kept)
    )
    _edited(framework)
    record(framework, "ita.framework.levels_changed", user, levels=[row.name for row in kept])


# --- items ---------------------------------------------------------------------------------------

ITEM_FIELDS = ("code", "tool", "indicator", "text", "data_elements", "provisional", "provisional_source")


def item_problems(
    *,
    published: bool,
    before: Item | None,
    after: ItemSpec,
    tools: dict[str, Tool],
    indicators: dict[str, Indicator],
) -> dict[str, str]:
    """Why one item cannot become `after`, by field; empty when it can. Codes used twice are checked
    by the caller, who knows the other items (the form the database, the import the file)."""
    problems = {}
    if not CODE.fullmatch(after.code):
        problems["code"] = _("Type a code of letters and digits, such as o12, at most 10 characters.")
    if not after.text:
        problems["text"] = _("Type the item's text.")
    tool = tools.get(after.tool)
    if tool is None:
        problems["tool"] = _("Choose a tool of this framework: %(tools)s.") % {"tools": ", ".join(tools)}
    if after.indicator:
        indicator = indicators.get(after.indicator)
        if indicator is None:
            problems["indicator"] = _("This framework has no indicator %(number)s.") % {"number": after.indicator}
        elif tool is not None and indicator.tool_id != tool.pk:
            problems["indicator"] = _("Indicator %(number)s belongs to %(tool)s, not to %(item_tool)s.") % {
                "number": indicator.number, "tool": indicator.tool.code, "item_tool": tool.code}
    if published and before is not None:
        if tool is not None and before.tool_id != tool.pk:
            problems["tool"] = _("The tool of an item of a published framework cannot change.")
        if not before.provisional:
            if after.code != before.code:
                problems["code"] = _(
                    "The code of a confirmed item of a published framework cannot change; mark it provisional "
                    "first, with the reason."
                )
            if (after.indicator or None) != (before.indicator.number if before.indicator_id else None):
                problems["indicator"] = _(
                    "The indicator of a confirmed item of a published framework cannot change; mark it "
                    "provisional first, with the reason."
                )
    return problems


def _item_values(item: Item) -> dict:
    return {
        "code": item.code,
        "tool": item.tool.code,
        "indicator": item.indicator.number if item.indicator_id else "",
        "text": item.text,
        "data_elements": item.data_elements,
        "provisional": item.provisional,
        "provisional_source": item.provisional_source,
    }


@transaction.atomic
def item_save(*, framework: Framework, item: Item | None, data: ItemSpec, user: User | None) -> Item:
    framework = _lock(framework)
    if item is not None and item.framework_id != framework.pk:
        raise AssessmentError(_("The item belongs to another fiscal year's framework."))
    tools = {tool.code: tool for tool in framework.tools.all()}
    indicators = {ind.number: ind for ind in framework.indicators.select_related("tool")}
    problems = item_problems(published=framework.is_published, before=item, after=data, tools=tools,
                             indicators=indicators)
    others = framework.items.filter(code__iexact=data.code)
    if item is not None:
        others = others.exclude(pk=item.pk)
    if "code" not in problems and others.exists():
        problems["code"] = _("Another item of this year has the code %(code)s.") % {"code": data.code}
    if problems:
        raise FieldsError(problems)
    before = _item_values(item) if item else None
    if item is None:
        last = framework.items.order_by("-order").values_list("order", flat=True).first()
        item = Item(framework=framework, order=0 if last is None else last + 1)
    for key, value in item_fields(data, tools, indicators, item.order).items():
        setattr(item, key, value)
    item.code = data.code
    item.save()
    _edited(framework)
    if before is None:
        record(framework, "ita.framework.item_added", user, code=item.code)
    else:
        changes = _changes(before, _item_values(item))
        if changes:
            record(framework, "ita.framework.item_changed", user, code=item.code, changes=changes)
    return item


@transaction.atomic
def item_delete(*, item: Item, user: User | None) -> None:
    framework = _lock(item.framework)
    _require_draft(framework, _("Items of a published framework cannot be removed."))
    if _referenced(Item, Item.objects.filter(pk=item.pk)):
        raise AssessmentError(_("Scores, checklists or measures refer to this item; it cannot be removed."))
    code = item.code
    item.delete()
    _edited(framework)
    record(framework, "ita.framework.item_removed", user, code=code)


@dataclass
class ItemsResult:
    added: int = 0
    changed: int = 0
    removed: int = 0


@transaction.atomic
def items_replace(*, framework: Framework, items: list[ItemSpec], user: User | None) -> ItemsResult:
    """Make the year's items exactly `items`, in that order (the item table import, already checked
    row by row by its caller against item_problems)."""
    framework = _lock(framework)
    stored = {item.code: item for item in framework.items.select_related("tool", "indicator")}
    keep = {spec.code for spec in items}
    stale = [item for code, item in stored.items() if code not in keep]
    if stale and framework.is_published:
        raise AssessmentError(_("Items of a published framework cannot be removed."))
    if stale and _referenced(Item, Item.objects.filter(pk__in=[item.pk for item in stale])):
        raise AssessmentError(_("Scores, checklists or measures refer to the items the table leaves out."))
    tools = {tool.code: tool for tool in framework.tools.all()}
    indicators = {ind.number: ind for ind in framework.indicators.all()}
    result = ItemsResult(removed=len(stale))
    Item.objects.filter(pk__in=[item.pk for item in stale]).delete()
    for order, spec in enumerate(items):
        item = stored.get(spec.code)
        before = _item_values(item) if item else None
        item = item or Item(framework=framework, code=spec.code)
        for key, value in item_fields(spec, tools, indicators, order).items():
            setattr(item, key, value)
        item.save()
        if before is None:
            result.added += 1
        elif _changes(before, _item_values(item)):
            result.changed += 1
    _edited(framework)
    record(framework, "ita.framework.items_imported", user, added=result.added, changed=result.changed,
            removed=result.removed)
    return result


# --- publishing ------------------------------------------------------------------------------------


def publish_problems(framework: Framework) -> list[str]:
    return structure_problems(framework_spec(framework))


@transaction.atomic
def framework_publish(*, framework: Framework, user: User | None) -> Framework:
    framework = _lock(framework)
    if framework.is_published:
        raise AssessmentError(_("This framework is already published."))
    problems = publish_problems(framework)
    if problems:
        raise AssessmentError(_("The framework cannot be published yet: %(problems)s") % {"problems": " ".join(problems)})
    framework.state = Framework.State.PUBLISHED
    framework.published_at, framework.published_by = timezone.now(), user
    framework.save(update_fields=["state", "published_at", "published_by", "loaded_at"])
    _edited(framework)
    record(framework, "ita.framework.published", user)
    return framework


@transaction.atomic
def framework_unpublish(*, framework: Framework, user: User | None) -> Framework:
    framework = _lock(framework)
    if not framework.is_published:
        raise AssessmentError(_("This framework is a draft already."))
    if framework_in_use(framework):
        raise AssessmentError(
            _(
                "Offices already use this framework (assessments, OIT checklists or measures): it stays "
                "published, and only the corrections the rule allows can be made."
            )
        )
    framework.state = Framework.State.DRAFT
    framework.save(update_fields=["state", "loaded_at"])
    _edited(framework)
    record(framework, "ita.framework.unpublished", user)
    return framework


@transaction.atomic
def framework_delete(*, framework: Framework, user: User | None) -> None:
    """Only a draft nothing uses (a year copied by mistake). A year that has a seed file comes back at
    the next `load_frameworks`."""
    framework = _lock(framework)
    _require_draft(framework, _("Only a draft can be deleted."))
    if framework_in_use(framework):
        raise AssessmentError(_("Something refers to this framework; it cannot be deleted."))
    record(framework, "ita.framework.deleted", user)
    framework.delete()

