"""What an assessment's figures mean: derived scores, the level, and the warnings. No queries here: the
level's SQL twin (`level_sql`) is an expression that lists computed in the database use, beside the Python
rule it restates; tests/assessments/test_level_agreement.py holds the two together.

Rounding: every derived figure (a tool's score from its indicators, the weighted overall) is rounded
half-up to two decimals, as the NACC publishes them, and the overall is computed from the two-decimal
tool scores shown. The level is decided on the two-decimal figure shown, so the word a document
prints always agrees with the number beside it: 84.995 is shown as 85.00 and passes the 85 mark.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")
# Published figures are rounded; a gap up to this is rounding, beyond it probably a typing error.
TOLERANCE = Decimal("0.05")
PASS_MARK = Decimal("85")


def round_score(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ToolResult:
    code: str
    name: str
    weight: Decimal
    published: Decimal | None
    from_indicators: Decimal | None

    @property
    def shown(self) -> Decimal | None:
        """The NACC's figure stands where it exists; the derived one only fills a gap."""
        return self.published if self.published is not None else self.from_indicators

    @property
    def is_derived(self) -> bool:
        return self.published is None and self.from_indicators is not None


@dataclass(frozen=True)
class ScoreWarning:
    key: str
    message: str
    acknowledged: bool
    # What the warning is about ("overall", a tool's code, or "level") and, for a score, the two figures
    # that disagree: documents restate the warning in their own words from these.
    subject: str = ""
    published: Decimal | None = None
    derived: Decimal | None = None


@dataclass(frozen=True)
class Level:
    name: str
    provisional: bool
    # Whether the level's threshold reaches the pass mark (85, the national target).
    passed: bool


@dataclass
class Scoreboard:
    tools: list[ToolResult]
    published_overall: Decimal | None
    derived_overall: Decimal | None
    level: Level | None
    warnings: list[ScoreWarning] = field(default_factory=list)

    @property
    def overall(self) -> Decimal | None:
        return self.published_overall if self.published_overall is not None else self.derived_overall

    @property
    def overall_is_derived(self) -> bool:
        return self.published_overall is None and self.derived_overall is not None

    @property
    def open_warnings(self) -> list[ScoreWarning]:
        return [w for w in self.warnings if not w.acknowledged]


def mean(scores: list[Decimal]) -> Decimal | None:
    return round_score(sum(scores) / len(scores)) if scores else None


def weighted_overall(tools: list[ToolResult]) -> Decimal | None:
    if not tools or any(tool.shown is None for tool in tools):
        return None
    return round_score(sum(tool.weight * tool.shown for tool in tools) / Decimal(100))


def rule_level(rule: dict, pass_mark: Decimal = PASS_MARK) -> Level:
    """The level a rule gives; it passes when its threshold reaches the pass mark."""
    return Level(rule["name"], bool(rule.get("provisional")), Decimal(rule["min_overall"]) >= pass_mark)


def evaluate_level(
    rules: list[dict], overall: Decimal | None, tool_scores: list[Decimal | None], pass_mark: Decimal = PASS_MARK
) -> Level | None:
    """The first rule whose minimums hold. A rule that needs every tool's score holds only when
    every tool's score is known: a level is never granted on figures nobody has seen."""
    if overall is None:
        return None
    for rule in rules:
        if overall < Decimal(rule["min_overall"]):
            continue
        if rule.get("min_each_tool") is not None:
            floor = Decimal(rule["min_each_tool"])
            if not tool_scores or any(score is None or score < floor for score in tool_scores):
                continue
        return rule_level(rule, pass_mark)
    return None


def level_sql(
    rule_sets: list[tuple[Q, list[dict]]], overall: str, tool_scores: list[str], *, rank: bool = False
) -> Case | Value:
    """`evaluate_level` in SQL: the name of the first rule whose minimums hold, or with `rank` its place
    (0 the best); NULL when none holds or the overall is NULL.

    `overall` and `tool_scores` name the annotations that hold the figures shown (two decimals, as
    `evaluate_level` is given them); `rule_sets` pairs each set of rules with the condition saying which rows
    use it (`Q()` for every row). A NULL tool score fails its comparison, so a rule on each tool holds only
    when every tool's score is known, as in Python."""
    whens = []
    for uses, rules in rule_sets:
        for place, rule in enumerate(rules):
            condition = uses & Q(**{f"{overall}__gte": Decimal(rule["min_overall"])})
            if rule.get("min_each_tool") is not None:
                if not tool_scores:
                    continue
                floor = Decimal(rule["min_each_tool"])
                for tool in tool_scores:
                    condition &= Q(**{f"{tool}__gte": floor})
            whens.append(When(condition, then=Value(place if rank else rule["name"])))
    output = IntegerField() if rank else CharField()
    return Case(*whens, default=None, output_field=output) if whens else Value(None, output_field=output)


def build_scoreboard(
    *,
    tools: list[tuple[str, str, Decimal]],
    top_indicators_by_tool: dict[str, list[str]],
    published_tools: dict[str, Decimal],
    indicator_scores: dict[str, Decimal],
    published_overall: Decimal | None,
    published_level: str,
    level_rules: list[dict],
    acknowledged: dict,
    pass_mark: Decimal = PASS_MARK,
) -> Scoreboard:
    """`tools` are (code, name, weight) in order; indicator scores are keyed by indicator number."""
    results = []
    for code, name, weight in tools:
        numbers = top_indicators_by_tool.get(code, [])
        known = [indicator_scores[n] for n in numbers if n in indicator_scores]
        # A mean over some of the indicators would look like a score and mean nothing.
        from_indicators = mean(known) if numbers and len(known) == len(numbers) else None
        results.append(ToolResult(code, name, weight, published_tools.get(code), from_indicators))
    derived_overall = weighted_overall(results)
    shown_overall = published_overall if published_overall is not None else derived_overall
    level = evaluate_level(level_rules, shown_overall, [tool.shown for tool in results], pass_mark)

    warnings = []

    def warn(key: str, message: str, subject: str, published: Decimal | None = None,
             derived: Decimal | None = None) -> None:
        warnings.append(ScoreWarning(key, message, key in acknowledged, subject, published, derived))

    for tool in results:
        if tool.published is not None and tool.from_indicators is not None:
            if abs(tool.published - tool.from_indicators) > TOLERANCE:
                warn(
                    f"tool:{tool.code}:{tool.published}:{tool.from_indicators}",
                    _(
                        "The published %(tool)s score %(published)s differs from %(derived)s, the mean of its "
                        "indicators, by more than rounding explains. Please check for a typing error."
                    )
                    % {"tool": tool.code, "published": tool.published, "derived": tool.from_indicators},
                    tool.code, tool.published, tool.from_indicators,
                )
    if published_overall is not None and derived_overall is not None:
        if abs(published_overall - derived_overall) > TOLERANCE:
            warn(
                f"overall:{published_overall}:{derived_overall}",
                _(
                    "The published overall score %(published)s differs from %(derived)s, the weighted sum of "
                    "the tool scores, by more than rounding explains. Please check for a typing error."
                )
                % {"published": published_overall, "derived": derived_overall},
                "overall", published_overall, derived_overall,
            )
    if published_level and level and published_level.strip() != level.name:
        warn(
            f"level:{published_level.strip()}:{level.name}",
            _(
                "The published level “%(published)s” does not match the rules of this fiscal year, "
                "which give “%(level)s” for these scores. Documents always print the level from the rules."
            )
            % {"published": published_level.strip(), "level": level.name},
            "level",
        )
    return Scoreboard(results, published_overall, derived_overall, level, warnings)
