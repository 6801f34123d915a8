"""The NACC's published scores of each year and the analysis of them: the issues (ประเด็น)."""

from datetime import timedelta
from decimal import Decimal

from assessments.models import AnalysisIssue, Assessment, IndicatorScore, Item, ItemScore, ToolScore
from assessments.scoring import Scoreboard, build_scoreboard, mean, round_score
from itaportal.thai import fiscal_year_bounds, format_number, to_thai_digits

from .places import FrameworkData
from .words import ADVICE, ISSUES
from .world import AssessmentPlan, Context, IssuePlan, Rows, World, office_time, score_of


def build_assessment(ctx: Context, world: World, rows: Rows, data: FrameworkData, index: int) -> AssessmentPlan:
    """The NACC's published figures of one year: indicators (and sub-indicators), the tools as their
    means, the weighted overall, and the level the year's rules give, as the NACC would publish them."""
    rng = world.rng
    quality = min(1.0, max(0.0, world.quality + 0.03 * index + rng.gauss(0, 0.04)))
    centres = {"IIT": 88 + 11 * quality, "EIT": 82 + 16 * quality}
    met_chance = 0.25 + 0.74 * quality
    item_scores: dict[str, Decimal] = {}
    indicator_scores: dict[str, Decimal] = {}
    for tool in data.tools:
        items = data.items.get(tool.code, [])
        if tool.checklist:
            for item in items:
                item_scores[item.code] = Decimal("100.00") if rng.random() < met_chance else Decimal("0.00")
            for indicator in data.top[tool.code]:
                subs = data.subs.get(indicator.number, [])
                for sub in subs:
                    own = [item_scores[i.code] for i in items if i.indicator_id == sub.pk]
                    # A sub-indicator is the share of its items met; without items in the data, drawn alike.
                    indicator_scores[sub.number] = (
                        round_score(sum(own) / len(own)) if own else score_of(rng.gauss(100 * met_chance, 12)))
                indicator_scores[indicator.number] = (
                    mean([indicator_scores[s.number] for s in subs]) if subs else score_of(rng.gauss(100 * met_chance, 12)))
        else:
            for indicator in data.top[tool.code]:
                indicator_scores[indicator.number] = score_of(rng.gauss(centres[tool.code], 3))
            for item in items:
                around = indicator_scores.get(item.indicator.number if item.indicator else "", centres[tool.code])
                item_scores[item.code] = score_of(rng.gauss(float(around), 2.5))
    tool_scores = {tool.code: mean([indicator_scores[i.number] for i in data.top[tool.code]]) for tool in data.tools}
    board = _scoreboard(data, tool_scores, indicator_scores, None, "", data.level_rules)
    published_level = board.level.name if board.level and rng.random() < 0.95 else ""
    board = _scoreboard(data, tool_scores, indicator_scores, board.derived_overall, published_level, data.level_rules)
    created = office_time(fiscal_year_bounds(data.year)[1] - timedelta(days=rng.randint(0, 20)), rng)
    assessment = rows.add(Assessment(
        organisation_id=world.organisation.pk, framework_id=data.framework.pk, published_overall=board.derived_overall,
        published_level=published_level, level_rules=data.level_rules, acknowledged_warnings={},
        created_at=created, updated_at=created + timedelta(days=rng.randint(0, 30)),
        updated_by_id=world.users["staff"].pk))
    for tool in data.tools:
        rows.values(ToolScore, assessment_id=assessment.pk, tool_id=tool.pk, score=tool_scores[tool.code])
    for indicator in data.indicators:
        if indicator.number in indicator_scores:
            rows.values(IndicatorScore, assessment_id=assessment.pk, indicator_id=indicator.pk,
                        score=indicator_scores[indicator.number])
    for items in data.items.values():
        for item in items:
            rows.values(ItemScore, assessment_id=assessment.pk, item_id=item.pk, score=item_scores[item.code])
    plan = AssessmentPlan(assessment, data, board, indicator_scores, item_scores)
    build_issues(world, rows, plan)
    return plan


def _top(item: Item) -> str:
    """The number of the top-level indicator an item counts towards (9 for an item of 9.3)."""
    indicator = item.indicator
    if indicator is None:
        return ""
    return indicator.number.split(".", 1)[0]


def _scoreboard(data: FrameworkData, tool_scores: dict, indicator_scores: dict, overall, level: str,
                rules: list[dict]) -> Scoreboard:
    return build_scoreboard(
        tools=[(tool.code, tool.name, tool.weight) for tool in data.tools],
        top_indicators_by_tool={code: [i.number for i in top] for code, top in data.top.items()},
        published_tools=tool_scores, indicator_scores=indicator_scores, published_overall=overall,
        published_level=level, level_rules=rules, acknowledged={}, pass_mark=data.framework.pass_mark)


def build_issues(world: World, rows: Rows, plan: AssessmentPlan) -> None:
    """Three to seven issues (ประเด็น), each tied to a tool and its weakest items: urgent below 85."""
    rng, data = world.rng, plan.data
    codes = [tool.code for tool in data.tools]
    tools = codes + [rng.choice(codes) for _extra in range(rng.randint(0, 4))]
    titles = {code: rng.sample(ISSUES[code], len(ISSUES[code])) for code in codes}
    used_items: set[str] = set()
    year = to_thai_digits(data.year)
    for order, code in enumerate(tools, start=1):
        tool = next(t for t in data.tools if t.code == code)
        title, number = titles[code].pop()
        # The items the issue is about: those of its indicator that no earlier issue took.
        candidates = [i for i in data.items.get(code, []) if i.code not in used_items and _top(i) == number]
        if tool.checklist:
            items = [i for i in candidates if plan.item_scores[i.code] < 100][: rng.randint(1, 3)]
            weakest = Decimal(0) if items else plan.indicator_scores.get(number, Decimal(100))
        else:
            items = sorted(candidates, key=lambda i: (plan.item_scores[i.code], i.order))[: rng.randint(1, 2)]
            weakest = min([plan.item_scores[i.code] for i in items] or [plan.indicator_scores.get(number, Decimal(100))])
        used_items.update(i.code for i in items)
        kind = AnalysisIssue.Kind.URGENT if weakest < 85 else AnalysisIssue.Kind.DEVELOP
        if tool.checklist and items:
            finding = f"ยังไม่ได้เปิดเผยข้อมูลครบตามองค์ประกอบ {to_thai_digits(len(items))} ข้อ"
        else:
            finding = f"มีคะแนน {format_number(weakest)} คะแนน"
        analysis = (
            f"จากผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} ในเรื่อง{title} "
            f"ผลการประเมินของ{world.organisation.full_name} {finding} {rng.choice(ADVICE[kind])}"
        )
        issue = rows.add(AnalysisIssue(assessment_id=plan.assessment.pk, order=order, title=title, tool=tool,
                                       analysis=analysis, kind=kind))
        for item in items:
            rows.link(AnalysisIssue.items, issue, item)
        plan.issues.append(IssuePlan(issue, items))
