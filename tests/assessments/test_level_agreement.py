"""The level in Python (`evaluate_level`, the organisation's own pages and documents) and in SQL
(`level_sql`, the oversight roll-up) agree at every threshold of every framework: the seven bands of
FY 2564 (AA … F, by the overall alone) and the five levels from FY 2566 (ผ่านดีเยี่ยม and ผ่านดี also ask
each tool's score), with scores on each minimum, a hundredth under it, and a tool's score missing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import DecimalField, Q, Value

from assessments.models import Assessment, Framework
from assessments.scoring import evaluate_level, level_sql
from assessments.selectors import assessments_of, scoreboard_of
from assessments.services import assessment_save_scores, assessment_start
from itaportal.accounts.models import District, Organisation, Province, User
from oversight import selectors as oversight
from oversight.models import OversightMembership

pytestmark = pytest.mark.django_db

SCORE = DecimalField(max_digits=6, decimal_places=2)
HUNDREDTH = Decimal("0.01")
YEARS = [2564, 2566, 2567, 2568]
TODAY = date(2026, 12, 1)


def rules_of(year: int) -> list[dict]:
    return [rule.as_snapshot() for rule in Framework.objects.get(fiscal_year=year).level_rules.all()]


def cases(rules: list[dict], tool_count: int) -> list[tuple[Decimal, list[Decimal | None]]]:
    """Overall scores on and just under each minimum, each against tool scores on and just under each
    tool minimum (one tool at a time), with a tool missing, and all tools perfect."""
    overall_minimums = {Decimal(rule["min_overall"]) for rule in rules}
    overalls = sorted(overall_minimums | {m - HUNDREDTH for m in overall_minimums if m} | {Decimal(100)})
    floors = {Decimal(rule["min_each_tool"]) for rule in rules if rule.get("min_each_tool") is not None}
    tool_sets = [[Decimal(100)] * tool_count, [Decimal(100)] * (tool_count - 1) + [None]]
    for floor in sorted(floors):
        tool_sets.append([floor] * tool_count)
        for index in range(tool_count):
            under = [floor] * tool_count
            under[index] = floor - HUNDREDTH
            tool_sets.append(under)
    return [(overall, tools) for overall in overalls for tools in tool_sets]


def python_level(rules, overall, tools) -> tuple[str | None, int | None]:
    level = evaluate_level(rules, overall, tools)
    if level is None:
        return None, None
    return level.name, [rule["name"] for rule in rules].index(level.name)


@pytest.mark.parametrize("year", YEARS)
def test_python_and_sql_agree_at_every_threshold(year):
    rules = rules_of(year)
    framework = Framework.objects.get(fiscal_year=year)
    tool_count = framework.tools.count()
    tool_names = [f"tool_{index}" for index in range(tool_count)]
    found = cases(rules, tool_count)
    for overall, tools in found:
        row = Framework.objects.filter(pk=framework.pk).annotate(
            score=Value(overall, output_field=SCORE),
            **{name: Value(score, output_field=SCORE) for name, score in zip(tool_names, tools)},
        )
        sql = row.annotate(
            level=level_sql([(Q(), rules)], "score", tool_names),
            rank=level_sql([(Q(), rules)], "score", tool_names, rank=True),
        ).values_list("level", "rank").get()
        assert sql == python_level(rules, overall, tools), (overall, tools)
    # Every level of the year is reached by some case, so each threshold was crossed both ways.
    assert {python_level(rules, overall, tools)[0] for overall, tools in found} == {rule["name"] for rule in rules}


def test_a_year_without_tool_scores_never_reaches_a_level_that_asks_for_them():
    rules = rules_of(2566)
    row = Framework.objects.filter(fiscal_year=2566).annotate(score=Value(Decimal(99), output_field=SCORE))
    assert row.annotate(level=level_sql([(Q(), rules)], "score", [])).values_list("level", flat=True).get() == (
        evaluate_level(rules, Decimal(99), []).name
    ) == "ผ่าน"


@pytest.fixture
def scope():
    province = Province.objects.create(code="97", name="ทดสอบระดับ", abbreviation="ทร")
    District.objects.create(province=province, code="9701", name="เมืองระดับ")
    return OversightMembership.objects.create(user=User.objects.create_user("oversight.levels"), province=province)


@pytest.mark.parametrize("year", YEARS)
def test_the_rollup_prints_the_level_of_the_organisations_own_pages(scope, year):
    """Published scores stored as they are entered, one office per case, read back by one roll-up query."""
    framework = Framework.objects.get(fiscal_year=year)
    tools = list(framework.tools.order_by("order"))
    district = District.objects.get(province=scope.province)
    expected = {}
    for number, (overall, scores) in enumerate(cases(rules_of(year), len(tools))):
        organisation = Organisation.objects.create(
            slug=f"level-{year}-{number}", kind="sao", name=f"ระดับ{year}{number:03d}",
            province=scope.province, district=district,
        )
        assessment = assessment_start(organisation=organisation, framework=framework, user=None)
        assessment_save_scores(
            assessment=assessment, user=None, published_overall=overall, published_level="",
            tool_scores={tool: score for tool, score in zip(tools, scores) if score is not None},
            indicator_scores={}, item_scores={},
        )
        expected[organisation.pk] = python_level(assessment.level_rules, overall, scores)[0]
    assert Assessment.objects.filter(framework=framework, organisation__province=scope.province).count() == len(expected)

    rollup = oversight.rollup(scope, year, TODAY)
    shown = {}
    for organisation in rollup.rows:
        row = oversight.describe(organisation, rollup, TODAY)
        shown[organisation.pk] = row.level.name if row.level else None
        board = scoreboard_of(assessments_of(organisation).get())
        assert shown[organisation.pk] == (board.level.name if board.level else None)
    assert shown == expected
