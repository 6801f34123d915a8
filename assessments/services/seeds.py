"""The seed files `frameworks/fy<BE>.yaml`: the years the portal does not have yet come from them, and
a year still exactly as an earlier version of its file left it is brought up to date. A year edited in
the portal is never touched by a file again: the database is the source of truth."""

import hashlib
from collections.abc import Callable
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..framework_format import FrameworkSpec, LevelSpec, framework_spec, spec_from_data
from ..models import Framework, Item, ItemSuccession
from .errors import AssessmentError
from .frameworks import apply_header, framework_in_use, item_fields, record, write_structure

FRAMEWORK_DIR = Path(__file__).resolve().parent.parent / "frameworks"


def _merge_into_published(framework: Framework, spec: FrameworkSpec) -> None:
    """Apply a newer seed file to a published year that offices use, as far as the rule allows: the
    wording, the provisional marks and sources, new items, and the code-free corrections of provisional
    items. Anything else refuses the whole file, and the year stays as it was."""
    current = framework_spec(framework)
    problems = []
    if spec.state != Framework.State.PUBLISHED:
        problems.append(_("the file makes the year a draft"))
    if spec.pass_mark != current.pass_mark:
        problems.append(_("the pass mark"))
    if spec.tools != current.tools:
        problems.append(_("the tools or their weights"))
    if spec.indicators != current.indicators:
        problems.append(_("the indicators"))

    def rule(level: LevelSpec) -> tuple:
        return level.name, level.min_overall, level.min_each_tool

    if [rule(level) for level in spec.levels] != [rule(level) for level in current.levels]:
        problems.append(_("the level rules"))
    stored = {item.code: item for item in current.items}
    removed = sorted(set(stored) - {item.code for item in spec.items})
    if removed:
        problems.append(_("removes the items %(codes)s") % {"codes": ", ".join(removed)})
    for item in spec.items:
        before = stored.get(item.code)
        if before is None:
            continue
        if before.tool != item.tool:
            problems.append(_("moves item %(code)s to another tool") % {"code": item.code})
        elif before.indicator != item.indicator and not before.provisional:
            problems.append(_("moves the confirmed item %(code)s to another indicator") % {"code": item.code})
    if problems:
        raise AssessmentError(
            _(
                "Fiscal year %(year)s is published and in use, and its seed file changes what recorded results "
                "depend on (%(problems)s); nothing of the file was applied. Make the correction in the framework "
                "editor if the rule allows it."
            )
            % {"year": framework.fiscal_year, "problems": "; ".join(problems)}
        )
    apply_header(framework, spec)
    framework.save()
    tools = {tool.code: tool for tool in framework.tools.all()}
    indicators = {ind.number: ind for ind in framework.indicators.all()}
    for order, item in enumerate(spec.items):
        Item.objects.update_or_create(framework=framework, code=item.code, defaults=item_fields(item, tools,
                                                                                                  indicators, order))
    for rule_row, level in zip(framework.level_rules.order_by("order"), spec.levels, strict=True):
        rule_row.provisional, rule_row.provisional_source = level.provisional, level.provisional_source
        rule_row.save(update_fields=["provisional", "provisional_source"])


def _seed_spec(path: Path) -> tuple[FrameworkSpec, str]:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise AssessmentError(_("%(file)s is not valid YAML: %(error)s") % {"file": path.name, "error": error}) from None
    try:
        return spec_from_data(data), hashlib.sha256(raw).hexdigest()
    except AssessmentError as error:
        raise AssessmentError(f"{path.name}: {error}") from None


@transaction.atomic
def load_framework(*, path: Path, report: Callable[[str], None] | None = None) -> tuple[Framework, bool]:
    """Seed one fiscal year from its file; returns the framework and whether the file changed it.

    A year not in the database is created from the file. A year edited in the portal is never touched
    by a file again. A year still exactly as an earlier version of its file left it is brought up to
    the file: in full while nothing uses it, else as far as the rule for published years allows."""
    framework, changed, _spec = _load(path, report)
    return framework, changed


@transaction.atomic
def _load(path: Path, report: Callable[[str], None] | None) -> tuple[Framework, bool, FrameworkSpec | None]:
    """load_framework, with the spec of the file when the year is as the file has it (else None)."""
    spec, data_hash = _seed_spec(path)
    framework = Framework.objects.select_for_update().filter(fiscal_year=spec.fiscal_year).first()
    if framework is not None and framework.data_hash == data_hash:
        return framework, False, spec
    if framework is not None and not framework.data_hash:
        if report:
            report(f"{spec.fiscal_year}: edited in the portal, {path.name} not applied")
        return framework, False, None
    created = framework is None
    if created:
        framework = Framework(fiscal_year=spec.fiscal_year)
    if created or not framework_in_use(framework):
        apply_header(framework, spec)
        framework.state = spec.state
        framework.save()
        write_structure(framework, spec)
    else:
        _merge_into_published(framework, spec)
    if framework.is_published and framework.published_at is None:
        framework.published_at = timezone.now()
    framework.data_hash = data_hash
    framework.save(update_fields=["data_hash", "published_at", "loaded_at"])
    record(framework, "ita.framework.seeded", None, file=path.name, created=created)
    return framework, True, spec


def _seed_successors(spec: FrameworkSpec) -> None:
    """The crosswalk lines a seed file gives, where a person has not decided them yet."""
    if not spec.successors:
        return
    items = {item.code: item for item in Item.objects.filter(framework__fiscal_year=spec.fiscal_year)}
    following = {item.code: item for item in Item.objects.filter(framework__fiscal_year=spec.fiscal_year + 1)}
    if not following:
        return
    decided = set(ItemSuccession.objects.filter(item__in=items.values()).values_list("item_id", flat=True))
    for code, successor in spec.successors.items():
        if items[code].pk in decided:
            continue
        if successor is not None and successor not in following:
            raise AssessmentError(
                _("Item %(code)s of fiscal year %(year)s names the successor %(successor)s, which the next year "
                  "does not have.") % {"code": code, "year": spec.fiscal_year, "successor": successor}
            )
        ItemSuccession.objects.create(item=items[code], successor=following.get(successor))


@transaction.atomic
def load_all_frameworks(report: Callable[[str], None] | None = None) -> list[tuple[Framework, bool]]:
    """Every seed file. With `report` (the command), a year whose file cannot be applied is reported and
    left as it is while the others load; without it, the refusal stops the load."""
    results, seeded = [], []
    for path in sorted(FRAMEWORK_DIR.glob("fy*.yaml")):
        try:
            framework, changed, spec = _load(path, report)
        except AssessmentError as error:
            if report is None:
                raise
            report(str(error))
            continue
        results.append((framework, changed))
        if spec is not None:
            seeded.append(spec)
    # Once every year exists, so that a line can name an item of the year after.
    for spec in seeded:
        _seed_successors(spec)
    return results


