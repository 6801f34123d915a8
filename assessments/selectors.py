"""Reads of the assessments app, scoped to the organisation of the person's membership."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from itaportal.accounts.models import Organisation

from .models import AnalysisIssue, Assessment, Framework, Indicator, Item, ItemScore, ItemSuccession, Tool
from .scoring import Scoreboard, build_scoreboard

CANDIDATE_THRESHOLD = 85
LOWEST_PER_TOOL = 3


def frameworks() -> QuerySet[Framework]:
    """The years offices can work on: drafts are the framework editors' alone."""
    return Framework.objects.filter(state=Framework.State.PUBLISHED).order_by("-fiscal_year")


# --- the framework editor (platform pages: every state) -------------------------------------------


def editor_frameworks() -> QuerySet[Framework]:
    return Framework.objects.annotate(
        item_count=Count("items", distinct=True),
        provisional_items=Count("items", filter=Q(items__provisional=True), distinct=True),
        assessment_count=Count("assessments", distinct=True),
    ).order_by("-fiscal_year")


def get_framework_or_404(fiscal_year: int) -> Framework:
    framework = Framework.objects.filter(fiscal_year=fiscal_year).select_related("published_by").first()
    if framework is None:
        raise Http404
    return framework


def get_framework_item_or_404(framework: Framework, pk: int) -> Item:
    item = framework.items.select_related("tool", "indicator").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


# --- the crosswalk between years ---------------------------------------------------------------


def item_successors(fiscal_year: int) -> dict[int, int | None]:
    """The decided lines from the year's items to the next year's: item id -> successor id, None for
    "no successor". An undecided item is absent."""
    return dict(
        ItemSuccession.objects.filter(item__framework__fiscal_year=fiscal_year).values_list("item_id", "successor_id")
    )


def item_mapping(from_year: int, to_year: int) -> dict[int, int | None]:
    """Item ids of `from_year` -> their counterparts in the later `to_year`, following the crosswalk
    year by year (for comparisons across years and for carrying records forward). None: the item was
    dropped on the way; absent: a line on the way is undecided."""
    if to_year <= from_year:
        raise ValueError("item_mapping goes forward: to_year must come after from_year")
    mapping: dict[int, int | None] = {
        pk: pk for pk in Item.objects.filter(framework__fiscal_year=from_year).values_list("pk", flat=True)
    }
    for year in range(from_year, to_year):
        step = item_successors(year)
        mapping = {
            start: (None if current is None else step[current])
            for start, current in mapping.items()
            if current is None or current in step
        }
    return mapping


@dataclass(frozen=True)
class PreviousScore:
    fiscal_year: int
    code: str  # the item's code that year, which the crosswalk may have changed since
    score: Decimal


def previous_item_scores(assessment: Assessment) -> dict[int, PreviousScore]:
    """For each item of this assessment, the organisation's score of its counterpart in the nearest
    earlier assessment, through the crosswalk: item id -> that year's score."""
    previous = (
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            framework__fiscal_year__lt=assessment.framework.fiscal_year,
        )
        .select_related("framework")
        .order_by("-framework__fiscal_year")
        .first()
    )
    if previous is None:
        return {}
    mapping = item_mapping(previous.framework.fiscal_year, assessment.framework.fiscal_year)
    result = {}
    for score in ItemScore.objects.filter(assessment=previous).select_related("item"):
        new = mapping.get(score.item_id)
        if new is not None:
            result.setdefault(new, PreviousScore(previous.framework.fiscal_year, score.item.code, score.score))
    return result


def assessments_of(organisation: Organisation) -> QuerySet[Assessment]:
    """With everything a scoreboard needs, in a constant number of queries however many years."""
    return (
        Assessment.objects.filter(organisation=organisation)
        .select_related("framework", "organisation")
        .prefetch_related(
            Prefetch("framework__tools", queryset=Tool.objects.order_by("order")),
            Prefetch("framework__indicators", queryset=Indicator.objects.order_by("order")),
            "tool_scores__tool",
            "indicator_scores__indicator",
        )
        .order_by("-framework__fiscal_year")
    )


def get_assessment_for_member(organisation: Organisation, fiscal_year: int) -> Assessment:
    """The organisation's assessment of that year; 404 for any other organisation's."""
    assessment = assessments_of(organisation).filter(framework__fiscal_year=fiscal_year).first()
    if assessment is None:
        raise Http404
    return assessment


def scoreboard_of(assessment: Assessment) -> Scoreboard:
    framework = assessment.framework
    tools = list(framework.tools.all())
    top_indicators: dict[str, list[str]] = {}
    tool_codes = {tool.pk: tool.code for tool in tools}
    for indicator in framework.indicators.all():
        if indicator.parent_id is None:
            top_indicators.setdefault(tool_codes[indicator.tool_id], []).append(indicator.number)
    return build_scoreboard(
        tools=[(tool.code, tool.name, tool.weight) for tool in tools],
        top_indicators_by_tool=top_indicators,
        published_tools={s.tool.code: s.score for s in assessment.tool_scores.all()},
        indicator_scores={s.indicator.number: s.score for s in assessment.indicator_scores.all()},
        published_overall=assessment.published_overall,
        published_level=assessment.published_level,
        level_rules=assessment.level_rules,
        acknowledged=assessment.acknowledged_warnings,
        pass_mark=framework.pass_mark,
    )


def item_scores_of(assessment: Assessment) -> dict[int, ItemScore]:
    return {s.item_id: s for s in ItemScore.objects.filter(assessment=assessment)}


def items_of(framework: Framework) -> QuerySet[Item]:
    return Item.objects.filter(framework=framework).select_related("tool", "indicator").order_by("order")


def issues_of(assessment: Assessment) -> QuerySet[AnalysisIssue]:
    return (
        AnalysisIssue.objects.filter(assessment=assessment)
        .select_related("tool", "indicator")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("order")))
    )


def get_issue_for_member(assessment: Assessment, pk: int) -> AnalysisIssue:
    issue = issues_of(assessment).filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


def analysis_candidates(assessment: Assessment) -> list[dict]:
    """Items worth an issue: each tool's lowest scores, every item under 85, every OIT item not met."""
    scores = item_scores_of(assessment)
    scored = [(item, scores[item.pk].score) for item in items_of(assessment.framework) if item.pk in scores]
    chosen: dict[int, dict] = {}

    def propose(item: Item, score, reason: str) -> None:
        chosen.setdefault(item.pk, {"item": item, "score": score, "reasons": []})["reasons"].append(reason)

    by_tool: dict[str, list] = {}
    for item, score in scored:
        by_tool.setdefault(item.tool.code, []).append((item, score))
        if item.tool.checklist:
            if score < 100:
                propose(item, score, "oit_not_met")
        elif score < CANDIDATE_THRESHOLD:
            propose(item, score, "below_threshold")
    for pairs in by_tool.values():
        if pairs[0][0].tool.checklist:
            continue
        for item, score in sorted(pairs, key=lambda pair: (pair[1], pair[0].order))[:LOWEST_PER_TOOL]:
            propose(item, score, "lowest_of_tool")
    return sorted(chosen.values(), key=lambda c: (c["item"].tool.order, c["score"], c["item"].order))
