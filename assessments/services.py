"""Writes of the assessments app. Views and commands call these; nothing else saves these models."""

import hashlib
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import Organisation, User

from .models import (
    AnalysisIssue,
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    Item,
    ItemScore,
    LevelRule,
    Tool,
    ToolScore,
)

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"


class AssessmentError(Exception):
    """A refused change, with a message fit for the person who asked for it."""


# --- frameworks -------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _prune(queryset, keep: set[str], field: str, in_use) -> None:
    stale = queryset.exclude(**{f"{field}__in": keep})
    if in_use(stale):
        raise AssessmentError(
            _("The framework file leaves out %(what)s that assessments already use: %(codes)s")
            % {"what": queryset.model._meta.verbose_name_plural, "codes": ", ".join(stale.values_list(field, flat=True))}
        )
    stale.delete()


@transaction.atomic
def load_framework(*, path: Path) -> tuple[Framework, bool]:
    """Create or update the framework described by a YAML file; returns it and whether it changed."""
    raw = path.read_bytes()
    data_hash = hashlib.sha256(raw).hexdigest()
    data = yaml.safe_load(raw)
    framework = Framework.objects.filter(fiscal_year=data["fiscal_year"]).first()
    if framework and framework.data_hash == data_hash:
        return framework, False
    framework, _created = Framework.objects.update_or_create(
        fiscal_year=data["fiscal_year"],
        defaults={
            "name": data["name"],
            "source": data.get("source", ""),
            "provisional": data.get("provisional", False),
            "pass_mark": _decimal(data.get("pass_mark", 85)),
            "data_hash": data_hash,
        },
    )
    tools, indicators = {}, {}
    indicator_order = 0
    for order, spec in enumerate(data["tools"]):
        tools[spec["code"]], _created = Tool.objects.update_or_create(
            framework=framework,
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "weight": _decimal(spec["weight"]),
                "checklist": spec.get("checklist", False),
                "order": order,
            },
        )
        for ind in spec["indicators"]:
            for number, name, parent in [(ind["number"], ind["name"], None)] + [
                (sub["number"], sub["name"], ind["number"]) for sub in ind.get("sub", [])
            ]:
                indicator_order += 1
                indicators[str(number)], _created = Indicator.objects.update_or_create(
                    framework=framework,
                    number=str(number),
                    defaults={
                        "tool": tools[spec["code"]],
                        "name": name,
                        "parent": indicators.get(str(parent)) if parent else None,
                        "order": indicator_order,
                    },
                )
    item_codes = set()
    for order, spec in enumerate(data.get("items", [])):
        code = spec["code"]
        item_codes.add(code)
        indicator = indicators[str(spec["indicator"])] if spec.get("indicator") else None
        tool = tools[spec["tool"]] if spec.get("tool") else indicator.tool
        Item.objects.update_or_create(
            framework=framework,
            code=code,
            defaults={
                "tool": tool,
                "indicator": indicator,
                "text": spec["text"].strip(),
                "data_elements": (spec.get("data_elements") or "").strip(),
                "order": order,
                "provisional": spec.get("provisional", False),
            },
        )
    _prune(
        Item.objects.filter(framework=framework), item_codes, "code",
        lambda stale: ItemScore.objects.filter(item__in=stale).exists(),
    )
    _prune(
        Indicator.objects.filter(framework=framework), set(indicators), "number",
        lambda stale: IndicatorScore.objects.filter(indicator__in=stale).exists(),
    )
    _prune(
        Tool.objects.filter(framework=framework), set(tools), "code",
        lambda stale: ToolScore.objects.filter(tool__in=stale).exists()
        or AnalysisIssue.objects.filter(tool__in=stale).exists(),
    )
    framework.level_rules.all().delete()
    LevelRule.objects.bulk_create(
        LevelRule(
            framework=framework,
            order=order,
            name=spec["name"],
            min_overall=_decimal(spec.get("min_overall", 0)),
            min_each_tool=_decimal(spec.get("min_each_tool")),
            provisional=spec.get("provisional", False),
        )
        for order, spec in enumerate(data["levels"])
    )
    return framework, True


def load_all_frameworks() -> list[tuple[Framework, bool]]:
    return [load_framework(path=path) for path in sorted(FRAMEWORK_DIR.glob("fy*.yaml"))]


# --- assessments ------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, organisation: Organisation, framework: Framework, user: User | None) -> Assessment:
    if Assessment.objects.filter(organisation=organisation, framework=framework).exists():
        raise AssessmentError(_("This fiscal year already has an assessment."))
    return Assessment.objects.create(
        organisation=organisation,
        framework=framework,
        level_rules=[rule.as_snapshot() for rule in framework.level_rules.all()],
        updated_by=user,
    )


def _replace_scores(model, assessment: Assessment, field: str, scores: dict) -> None:
    """Keep exactly the given scores: a blank field removes the stored figure."""
    model.objects.filter(assessment=assessment).delete()
    model.objects.bulk_create(
        model(assessment=assessment, **{field: target}, score=score)
        for target, score in scores.items()
        if score is not None
    )


@transaction.atomic
def assessment_save_scores(
    *,
    assessment: Assessment,
    user: User | None,
    published_overall: Decimal | None,
    published_level: str,
    tool_scores: dict[Tool, Decimal | None],
    indicator_scores: dict[Indicator, Decimal | None],
    item_scores: dict[Item, Decimal | None],
) -> Assessment:
    framework_id = assessment.framework_id
    for target in [*tool_scores, *indicator_scores, *item_scores]:
        if target.framework_id != framework_id:
            raise AssessmentError(_("A score belongs to another fiscal year's framework."))
    assessment.published_overall = published_overall
    assessment.published_level = published_level.strip()
    assessment.updated_by = user
    assessment.save(update_fields=["published_overall", "published_level", "updated_by", "updated_at"])
    _replace_scores(ToolScore, assessment, "tool", tool_scores)
    _replace_scores(IndicatorScore, assessment, "indicator", indicator_scores)
    _replace_scores(ItemScore, assessment, "item", item_scores)
    return assessment


@transaction.atomic
def assessment_acknowledge_warning(*, assessment: Assessment, key: str, open_keys: set[str], user: User) -> None:
    """Accept a warning after checking the figures; it returns if the figures change (the key embeds them)."""
    if key not in open_keys:
        raise AssessmentError(_("This warning no longer applies to the current figures."))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.acknowledged_warnings[key] = {"by": user.username, "at": timezone.now().isoformat()}
    assessment.save(update_fields=["acknowledged_warnings", "updated_at"])


# --- analysis ---------------------------------------------------------------------------------


def _check_issue_targets(assessment: Assessment, tool: Tool, items: list[Item]) -> None:
    if tool.framework_id != assessment.framework_id:
        raise AssessmentError(_("The tool belongs to another fiscal year's framework."))
    if any(item.tool_id != tool.pk for item in items):
        raise AssessmentError(_("Every item of an issue must belong to its tool."))


@transaction.atomic
def issue_create(
    *, assessment: Assessment, title: str, tool: Tool, items: list[Item], analysis: str, kind: str
) -> AnalysisIssue:
    _check_issue_targets(assessment, tool, items)
    last = assessment.issues.order_by("-order").values_list("order", flat=True).first()
    issue = AnalysisIssue.objects.create(
        assessment=assessment,
        order=(last or 0) + 1,
        title=title.strip(),
        tool=tool,
        analysis=analysis.strip(),
        kind=kind,
    )
    issue.items.set(items)
    return issue


@transaction.atomic
def issue_update(
    *, issue: AnalysisIssue, title: str, tool: Tool, items: list[Item], analysis: str, kind: str
) -> AnalysisIssue:
    _check_issue_targets(issue.assessment, tool, items)
    issue.title, issue.tool, issue.analysis, issue.kind = title.strip(), tool, analysis.strip(), kind
    issue.save(update_fields=["title", "tool", "analysis", "kind"])
    issue.items.set(items)
    return issue


@transaction.atomic
def issue_delete(*, issue: AnalysisIssue) -> None:
    assessment = issue.assessment
    issue.delete()
    _renumber(assessment)


def _renumber(assessment: Assessment) -> None:
    issues = list(assessment.issues.order_by("order", "pk"))
    for number, issue in enumerate(issues, start=1):
        issue.order = number
    AnalysisIssue.objects.bulk_update(issues, ["order"])


@transaction.atomic
def issue_move(*, issue: AnalysisIssue, offset: int) -> None:
    """Move an issue up (-1) or down (+1) in the list."""
    issues = list(issue.assessment.issues.select_for_update().order_by("order", "pk"))
    index = next(i for i, other in enumerate(issues) if other.pk == issue.pk)
    target = index + offset
    if 0 <= target < len(issues):
        issues[index], issues[target] = issues[target], issues[index]
        for number, other in enumerate(issues, start=1):
            other.order = number
        AnalysisIssue.objects.bulk_update(issues, ["order"])


@transaction.atomic
def analysis_carry_over(*, assessment: Assessment, source: Assessment) -> int:
    """Copy last year's issues as a starting point, matching tools and items by code in this year's
    framework; items the new framework no longer has are dropped. Returns how many were copied."""
    if source.organisation_id != assessment.organisation_id:
        raise AssessmentError(_("Issues can only be carried over within one organisation."))
    if assessment.issues.exists():
        raise AssessmentError(_("This analysis already has issues; carry-over only starts an empty one."))
    tools = {tool.code: tool for tool in assessment.framework.tools.all()}
    items = {item.code: item for item in assessment.framework.items.all()}
    copied = 0
    for old in source.issues.select_related("tool").prefetch_related("items").order_by("order", "pk"):
        tool = tools.get(old.tool.code)
        if tool is None:
            continue
        copied += 1
        new = AnalysisIssue.objects.create(
            assessment=assessment, order=copied, title=old.title, tool=tool, analysis=old.analysis, kind=old.kind
        )
        new.items.set([items[i.code] for i in old.items.all() if i.code in items and items[i.code].tool_id == tool.pk])
    return copied
