"""Writes of the assessments app. Views and commands call these; nothing else saves these models.

By area: assessments and their analysis here, the frameworks (seed files, editor, publishing) in
`frameworks`, the crosswalk between consecutive years in `crosswalk`.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import Organisation, User
from itaportal.accounts.services import own_position_title
from itaportal.audit.services import audit, changes

from ..models import (
    AnalysisIssue,
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    Item,
    ItemScore,
    Tool,
    ToolScore,
)
from ..selectors import item_mapping
from .errors import AssessmentError
# Commands, the demo and the scale generator load the seed files through this module.
from .seeds import FRAMEWORK_DIR, load_all_frameworks, load_framework  # noqa: F401

# --- the trail --------------------------------------------------------------------------------


def _record(organisation: Organisation, action: str, target, user: User | None, data: dict) -> None:
    """One entry of the trail (sentences: assessments/audit_actions.py), in the change's transaction."""
    audit(organisation=organisation, action=action, target=target, actor=user,
          actor_position=own_position_title(user, organisation), data=data)


def figure(value: Decimal | None) -> str | None:
    """A score as the trail keeps it: 99.9 typed and 99.90 stored are the same figure."""
    return None if value is None else f"{value:.2f}"


def _pairs(before: dict, after: dict) -> dict[str, list]:
    return {key: [figure(before.get(key)), figure(after.get(key))]
            for key in sorted({*before, *after}) if before.get(key) != after.get(key)}


# --- assessments ------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, organisation: Organisation, framework: Framework, user: User | None) -> Assessment:
    if not framework.is_published:
        raise AssessmentError(_("The framework of this fiscal year is not published yet."))
    if Assessment.objects.filter(organisation=organisation, framework=framework).exists():
        raise AssessmentError(_("This fiscal year already has an assessment."))
    assessment = Assessment.objects.create(
        organisation=organisation,
        framework=framework,
        level_rules=[rule.as_snapshot() for rule in framework.level_rules.all()],
        updated_by=user,
    )
    _record(organisation, "ita.assessment.started", assessment, user, {"year": framework.fiscal_year})
    return assessment


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
    changes = {
        "tools": _pairs(
            {s.tool.code: s.score for s in assessment.tool_scores.select_related("tool")},
            {tool.code: score for tool, score in tool_scores.items() if score is not None},
        ),
        "indicators": _pairs(
            {s.indicator.number: s.score for s in assessment.indicator_scores.select_related("indicator")},
            {indicator.number: score for indicator, score in indicator_scores.items() if score is not None},
        ),
        "items": _pairs(
            {s.item.code: s.score for s in assessment.item_scores.select_related("item")},
            {item.code: score for item, score in item_scores.items() if score is not None},
        ),
    }
    if assessment.published_overall != published_overall:
        changes["overall"] = [figure(assessment.published_overall), figure(published_overall)]
    if assessment.published_level != published_level.strip():
        changes["level"] = [assessment.published_level, published_level.strip()]
    if not any(changes.values()):
        # A save that changes no figure writes nothing (a second load of the demo, a form sent twice).
        return assessment
    assessment.published_overall = published_overall
    assessment.published_level = published_level.strip()
    assessment.updated_by = user
    assessment.save(update_fields=["published_overall", "published_level", "updated_by", "updated_at"])
    _replace_scores(ToolScore, assessment, "tool", tool_scores)
    _replace_scores(IndicatorScore, assessment, "indicator", indicator_scores)
    _replace_scores(ItemScore, assessment, "item", item_scores)
    changed = {key: pairs for key, pairs in changes.items() if pairs}
    _record(assessment.organisation, "ita.assessment.scores_saved", assessment, user,
            {"year": assessment.framework.fiscal_year, **changed})
    return assessment


@transaction.atomic
def assessment_acknowledge_warning(*, assessment: Assessment, key: str, open_keys: set[str], user: User) -> None:
    """Accept a warning after checking the figures; it returns if the figures change (the key embeds them)."""
    if key not in open_keys:
        raise AssessmentError(_("This warning no longer applies to the current figures."))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.acknowledged_warnings[key] = {"by": user.username, "at": timezone.now().isoformat()}
    assessment.save(update_fields=["acknowledged_warnings", "updated_at"])
    # The key names what was checked and its figures (assessments.scoring): "tool:IIT:99.84:99.77",
    # "overall:95.15:95.10", "level:<published>:<by the rules>".
    what, *figures = key.split(":")
    _record(assessment.organisation, "ita.assessment.warning_acknowledged", assessment, user,
            {"year": assessment.framework.fiscal_year, "key": key, "what": what, "figures": figures})


# --- analysis ---------------------------------------------------------------------------------


def _check_issue_targets(assessment: Assessment, tool: Tool, items: list[Item], indicator: Indicator | None) -> None:
    if tool.framework_id != assessment.framework_id:
        raise AssessmentError(_("The tool belongs to another fiscal year's framework."))
    if any(item.tool_id != tool.pk for item in items):
        raise AssessmentError(_("Every item of an issue must belong to its tool."))
    if indicator is not None and indicator.tool_id != tool.pk:
        raise AssessmentError(_("The indicator of an issue must belong to its tool."))


def _issue_data(issue: AnalysisIssue) -> dict:
    # The assessment's id lets the analysis page find the entries of issues removed since (about_kind).
    return {"assessment": issue.assessment_id, "year": issue.assessment.framework.fiscal_year,
            "order": issue.order, "title": issue.title}


def _issue_values(issue: AnalysisIssue) -> dict:
    return {
        "title": issue.title,
        "tool": issue.tool.code,
        "indicator": issue.indicator.number if issue.indicator_id else "",
        "items": sorted(item.code for item in issue.items.all()),
        "kind": issue.kind,
        "analysis": issue.analysis,
        "recommendation": issue.recommendation,
    }


@transaction.atomic
def issue_create(
    *, assessment: Assessment, title: str, tool: Tool, items: list[Item], analysis: str, kind: str,
    indicator: Indicator | None = None, recommendation: str = "", user: User | None = None,
) -> AnalysisIssue:
    _check_issue_targets(assessment, tool, items, indicator)
    last = assessment.issues.order_by("-order").values_list("order", flat=True).first()
    issue = AnalysisIssue.objects.create(
        assessment=assessment,
        order=(last or 0) + 1,
        title=title.strip(),
        tool=tool,
        indicator=indicator,
        analysis=analysis.strip(),
        recommendation=recommendation.strip(),
        kind=kind,
    )
    issue.items.set(items)
    _record(assessment.organisation, "ita.issue.created", issue, user, _issue_data(issue))
    return issue


@transaction.atomic
def issue_update(
    *, issue: AnalysisIssue, title: str, tool: Tool, items: list[Item], analysis: str, kind: str,
    indicator: Indicator | None = None, recommendation: str = "", user: User | None = None,
) -> AnalysisIssue:
    _check_issue_targets(issue.assessment, tool, items, indicator)
    before = _issue_values(issue)
    issue.title, issue.tool, issue.analysis, issue.kind = title.strip(), tool, analysis.strip(), kind
    issue.indicator, issue.recommendation = indicator, recommendation.strip()
    issue.save(update_fields=["title", "tool", "indicator", "analysis", "recommendation", "kind"])
    issue.items.set(items)
    changed = changes(before, _issue_values(issue))
    # The texts are named as edited, not copied into the trail.
    texts = ("title", "analysis", "recommendation")
    _record(issue.assessment.organisation, "ita.issue.changed", issue, user, {
        **_issue_data(issue),
        "changes": {field: pair for field, pair in changed.items() if field not in texts},
        "edited": [field for field in changed if field in texts],
    })
    return issue


@transaction.atomic
def issue_delete(*, issue: AnalysisIssue, user: User | None = None) -> None:
    assessment = issue.assessment
    # Written before the delete, while the issue still has the id the entry refers to.
    _record(assessment.organisation, "ita.issue.deleted", issue, user, _issue_data(issue))
    issue.delete()
    _renumber(assessment)


def _renumber(assessment: Assessment) -> None:
    issues = list(assessment.issues.order_by("order", "pk"))
    for number, issue in enumerate(issues, start=1):
        issue.order = number
    AnalysisIssue.objects.bulk_update(issues, ["order"])


@transaction.atomic
def issue_move(*, issue: AnalysisIssue, offset: int, user: User | None = None) -> None:
    """Move an issue up (-1) or down (+1) in the list."""
    issues = list(issue.assessment.issues.select_for_update().order_by("order", "pk"))
    index = next(i for i, other in enumerate(issues) if other.pk == issue.pk)
    target = index + offset
    if 0 <= target < len(issues):
        issues[index], issues[target] = issues[target], issues[index]
        for number, other in enumerate(issues, start=1):
            other.order = number
        AnalysisIssue.objects.bulk_update(issues, ["order"])
        moved = issues[target]
        _record(moved.assessment.organisation, "ita.issue.moved", moved, user,
                {**_issue_data(moved), "from": index + 1})


def _counterparts(source: Framework, target: Framework) -> dict[int, Item | None]:
    """Item id of `source` -> the item of `target` that continues it: through the crosswalk where its
    lines are decided (None: dropped), else the item with the same code, as before the crosswalk."""
    items = {item.pk: item for item in target.items.all()}
    by_code = {item.code: item for item in items.values()}
    mapping = (
        item_mapping(source.fiscal_year, target.fiscal_year) if source.fiscal_year < target.fiscal_year else {}
    )
    return {
        old.pk: (items.get(mapping[old.pk]) if old.pk in mapping else by_code.get(old.code))
        for old in source.items.all()
    }


@transaction.atomic
def analysis_carry_over(*, assessment: Assessment, source: Assessment, user: User | None = None) -> int:
    """Copy last year's issues as a starting point, with tools matched by code and items through the
    crosswalk (by code where it is undecided); items the new framework no longer has are dropped.
    Returns how many were copied."""
    if source.organisation_id != assessment.organisation_id:
        raise AssessmentError(_("Issues can only be carried over within one organisation."))
    if assessment.issues.exists():
        raise AssessmentError(_("This analysis already has issues; carry-over only starts an empty one."))
    tools = {tool.code: tool for tool in assessment.framework.tools.all()}
    indicators = {indicator.number: indicator for indicator in assessment.framework.indicators.all()}
    counterparts = _counterparts(source.framework, assessment.framework)
    copied = 0
    for old in source.issues.select_related("tool", "indicator").prefetch_related("items").order_by("order", "pk"):
        tool = tools.get(old.tool.code)
        if tool is None:
            continue
        copied += 1
        # Indicators keep their numbers from year to year; one the new year gives another tool is left unnamed.
        indicator = indicators.get(old.indicator.number) if old.indicator_id else None
        new = AnalysisIssue.objects.create(
            assessment=assessment, order=copied, title=old.title, tool=tool, analysis=old.analysis, kind=old.kind,
            indicator=indicator if indicator is not None and indicator.tool_id == tool.pk else None,
            recommendation=old.recommendation,
        )
        items = [counterparts.get(i.pk) for i in old.items.all()]
        new.items.set([item for item in items if item is not None and item.tool_id == tool.pk])
    if copied:
        _record(assessment.organisation, "ita.analysis.carried_over", assessment, user, {
            "year": assessment.framework.fiscal_year, "from": source.framework.fiscal_year, "count": copied,
        })
    return copied
