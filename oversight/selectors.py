"""Reads of the oversight roll-up: the organisations of a person's area, one annotated row each.

The rows of the roll-up are one SQL query whatever the number of organisations: every figure of a row
is an annotation (a join or a correlated subquery), so that filters, sorting and pagination all run in
the database. Each figure follows the definition of the app that owns it, restated in SQL:
- the score is what `assessments.scoring.build_scoreboard` shows on the organisation's pages, and the level
  is `assessments.scoring.level_sql`, the SQL twin of the rule those pages apply;
- lateness is `measures.lateness.late_condition`, the SQL twin of the rule of the measures' pages: the
  year's late entries, as many as the measures dashboard lists;
- an approved document is `reports.selectors.documents.all_approved_documents`.
Only aggregates and approved facts leave this module: no memo text, no draft, no person's name.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Collate, Round
from django.http import Http404
from django.utils import timezone

from assessments.models import Assessment, Framework, Indicator, IndicatorScore, Tool, ToolScore
from assessments.scoring import PASS_MARK, Level, level_sql, rule_level
from itaportal.accounts.models import Organisation, User
from itaportal.audit.models import AuditEntry
from itaportal.thai import fiscal_year
from measures.lateness import late_condition, measure_rounds
from measures.models import Measure, ReportingRound
from reports.models import Memo
from reports.selectors.documents import all_approved_documents

from .models import OversightMembership

# A memo waiting for the same decision for longer than this is stuck.
STUCK_DAYS = 14
TWO_PLACES = Decimal("0.01")
SCORE = DecimalField(max_digits=6, decimal_places=2)
# The trail entries that put a memo in front of its current level: it has waited since the last one.
_MEMO_MOVED = ["ita.memo.submitted", "ita.memo.forwarded"]
# Thai dictionary order: by code point, every name that starts with เ แ โ ใ ไ would follow ฮ.
_THAI_COLLATION = "th-x-icu"


def scopes_of(user: User) -> QuerySet[OversightMembership]:
    if not user.is_authenticated:
        return OversightMembership.objects.none()
    return (
        OversightMembership.objects.filter(user=user, is_active=True)
        .select_related("province", "district")
        .order_by("province__name", F("district__name").asc(nulls_first=True), "pk")
    )


def get_scope_or_404(user: User, pk: int) -> OversightMembership:
    """The person's own active scope; 404 for anyone else's, so nobody learns which areas others follow."""
    scope = scopes_of(user).filter(pk=pk).first()
    if scope is None:
        raise Http404
    return scope


def organisations_in(scope: OversightMembership) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(is_active=True, province_id=scope.province_id)
    if scope.district_id:
        organisations = organisations.filter(district_id=scope.district_id)
    return organisations


def rollup_years(scope: OversightMembership, today: date) -> tuple[list[int], int]:
    """The fiscal years with scores or reporting rounds in the area, newest first, and the default one:
    the latest with scores, as the scores are what the roll-up is first read for."""
    organisations = organisations_in(scope)
    scored = set(
        Assessment.objects.filter(organisation__in=organisations)
        .order_by()
        .values_list("framework__fiscal_year", flat=True)
        .distinct()
    )
    reported = set(
        ReportingRound.objects.filter(organisation__in=organisations)
        .order_by()
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    years = sorted(scored | reported, reverse=True)
    if scored:
        return years, max(scored)
    return (years, years[0]) if years else ([fiscal_year(today)], fiscal_year(today))


@dataclass
class Rollup:
    year: int
    rows: QuerySet[Organisation]
    # The level names of the year in their order, best first.
    levels: dict[str, Level]
    stuck_before: datetime
    pass_mark: Decimal


def stuck_before(today: date) -> datetime:
    """Waiting since before this moment means waiting more than STUCK_DAYS whole days."""
    return timezone.make_aware(datetime.combine(today - timedelta(days=STUCK_DAYS), time.min))


def rollup(scope: OversightMembership, year: int, today: date) -> Rollup:
    """The area's organisations, annotated with every figure of the roll-up, unsorted; a constant number
    of queries to build (frameworks, their tools and indicators, the level rules in use)."""
    frameworks = {
        framework.fiscal_year: framework
        for framework in Framework.objects.filter(fiscal_year__in=[year, year - 1]).prefetch_related(
            Prefetch("tools", queryset=Tool.objects.order_by("order")),
            Prefetch("indicators", queryset=Indicator.objects.filter(parent=None).order_by("order")),
        )
    }
    current, previous = frameworks.get(year), frameworks.get(year - 1)
    organisations = organisations_in(scope)
    rows = organisations.select_related("district").annotate(
        this_year=FilteredRelation("assessments", condition=Q(assessments__framework=current)),
        last_year=FilteredRelation("assessments", condition=Q(assessments__framework=previous)),
        current_round=_current_round(year, today),
    )
    tools = _tool_scores("this_year", current)
    # Aliases are what the figures are made of: filters and sorting may use them, the rows do not carry them.
    rows = rows.alias(
        previous_score=_overall("last_year", previous, _tool_scores("last_year", previous)),
        **{f"tool_{index}": score for index, score in enumerate(tools)},
    ).annotate(score=_overall("this_year", current, tools))
    snapshots = _level_snapshots(organisations, current)
    # Each assessment is read with the level rules it started with.
    rule_sets = [
        (Q(this_year__level_rules=rules) if len(snapshots) > 1 else Q(), rules) for rules in snapshots
    ]
    tool_names = [f"tool_{index}" for index in range(len(tools))]
    rows = rows.alias(level_rank=level_sql(rule_sets, "score", tool_names, rank=True)).annotate(
        change=F("score") - F("previous_score"),
        level=level_sql(rule_sets, "score", tool_names),
        **_round_figures(year, today),
        **_memo_figures(year),
        approved_documents=Coalesce(
            _count(all_approved_documents().filter(organisation=OuterRef("pk"), version__memo__fiscal_year=year)),
            0,
        ),
    )
    pass_mark = current.pass_mark if current else PASS_MARK
    levels = {}
    for snapshot in snapshots:
        for rule in snapshot:
            levels.setdefault(rule["name"], rule_level(rule, pass_mark))
    return Rollup(year, rows, levels, stuck_before(today), pass_mark)


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(queryset.order_by().values("organisation").annotate(n=Count("pk")).values("n"))


def _tool_scores(alias: str, framework: Framework | None) -> list:
    """Each tool's score as shown: the published one, else the mean of its indicators when all are known."""
    if framework is None:
        return []
    top_indicators: dict[int, list[int]] = {}
    for indicator in framework.indicators.all():
        top_indicators.setdefault(indicator.tool_id, []).append(indicator.pk)
    assessment = OuterRef(f"{alias}__pk")
    scores = []
    for tool in framework.tools.all():
        published = Subquery(ToolScore.objects.filter(assessment=assessment, tool=tool).values("score"))
        numbers = top_indicators.get(tool.pk, [])
        if not numbers:
            scores.append(published)
            continue
        # A mean over some of the indicators would look like a score and mean nothing.
        mean = Subquery(
            IndicatorScore.objects.filter(assessment=assessment, indicator__in=numbers)
            .order_by()
            .values("assessment")
            .annotate(mean=Round(Avg("score"), 2), known=Count("pk"))
            .filter(known=len(numbers))
            .values("mean")
        )
        scores.append(Coalesce(published, mean, output_field=SCORE))
    return scores


def _overall(alias: str, framework: Framework | None, tools: list):
    """The published overall, else the weighted sum of the tool scores when every one is known."""
    if framework is None:
        # Typed: PostgreSQL cannot subtract one bare NULL from another for the change from last year.
        return Cast(Value(None), output_field=SCORE)
    published = F(f"{alias}__published_overall")
    if not tools:
        return published
    weighted = sum(
        (Value(tool.weight, output_field=SCORE) * score for tool, score in zip(framework.tools.all(), tools)),
        start=Value(Decimal(0), output_field=SCORE),
    )
    # A NULL tool score makes the sum NULL: no total is made up from the tools that happen to be known.
    return Coalesce(published, Round(weighted / Value(Decimal(100)), 2), output_field=SCORE)


def _level_snapshots(organisations: QuerySet[Organisation], framework: Framework | None) -> list[list[dict]]:
    """The level rules the year's assessments were started with (usually one set): the level an
    organisation's own pages print comes from its assessment's copy, not from the framework as it is now."""
    if framework is None:
        return []
    found = (
        Assessment.objects.filter(organisation__in=organisations, framework=framework)
        .order_by()
        .values_list("level_rules", flat=True)
        .distinct()
    )
    snapshots = []
    for rules in found:
        # SQLite compares the stored text: the same rules written twice apart still count once.
        if rules and rules not in snapshots:
            snapshots.append(rules)
    return snapshots


def _current_round(year: int, today: date) -> FilteredRelation:
    """measures' `current_round` as a join: the first round still open whose due date is today or
    later, else the last one."""
    still_open = Q(locked_at__isnull=True, due_date__gte=today)
    current = (
        ReportingRound.objects.filter(organisation=OuterRef("pk"), fiscal_year=year)
        .annotate(
            still_open=Case(When(still_open, then=Value(0)), default=Value(1)),
            position=Case(
                When(still_open, then=F("number")), default=-F("number"), output_field=IntegerField()
            ),
        )
        .order_by("still_open", "position")
    )
    return FilteredRelation("rounds", condition=Q(rounds__pk=Subquery(current.values("pk")[:1])))


def _round_figures(year: int, today: date) -> dict:
    """Whether the current round's report is approved, and how many of the year's entries are late in
    every round (`late_condition`); no figure without a round."""
    late = measure_rounds(Measure.objects.filter(organisation=OuterRef("pk"), fiscal_year=year)).filter(
        late_condition(today)
    )
    return {
        # A round's report is approved when the memo chain locks the round.
        "reported": Case(
            When(current_round__pk__isnull=True, then=Value(None)),
            When(current_round__locked_at__isnull=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(null=True),
        ),
        "late": Case(
            When(current_round__pk__isnull=True, then=Value(None)),
            default=Coalesce(_count(late), 0),
            output_field=IntegerField(null=True),
        ),
    }


def _memo_figures(year: int) -> dict:
    """How many of the year's memos wait for a decision, and since when the longest-waiting one waits:
    the trail's last submission or forwarding of it, which put it in front of its current level."""
    waiting = Memo.objects.filter(organisation=OuterRef("pk"), fiscal_year=year, state=Memo.State.IN_REVIEW)
    moved = (
        AuditEntry.objects.filter(
            object_type=Memo._meta.label_lower, object_id=OuterRef("pk"), action__in=_MEMO_MOVED
        )
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return {
        "memos_waiting": Coalesce(_count(waiting), 0),
        "waiting_since": Subquery(
            waiting.annotate(since=Subquery(moved))
            .order_by(F("since").asc(nulls_last=True))
            .values("since")[:1]
        ),
    }


def organisation_name():
    """The place name in Thai dictionary order where the database knows it (PostgreSQL with ICU)."""
    return Collate("name", _THAI_COLLATION) if connection.vendor == "postgresql" else F("name")


# Every sortable column: its URL key and the fields it orders by, with True where the field runs the
# other way. Ascending means the weakest first: the level sorts like the score, and the oldest wait
# (the earliest `waiting_since`) is the longest.
SORTS = {
    "organisation": [("name", False)],
    "district": [("district__name", False), ("name", False)],
    "score": [("score", False)],
    "level": [("level_rank", True)],
    "change": [("change", False)],
    "late": [("late", False)],
    "reported": [("reported", False)],
    "waiting": [("memos_waiting", False)],
    "age": [("waiting_since", True)],
    "documents": [("approved_documents", False)],
}
DEFAULT_SORT = "organisation"


def sort_key(sort: str | None) -> str:
    """The whitelisted sort asked for ("-" in front for the reverse), else the default."""
    return sort if sort and sort.removeprefix("-") in SORTS else DEFAULT_SORT


def sorted_rows(rows: QuerySet[Organisation], sort: str) -> QuerySet[Organisation]:
    """Organisations without the figure come last either way, then ties go by name."""
    sort = sort_key(sort)
    descending = sort.startswith("-")
    order = []
    for field, reverse in SORTS[sort.removeprefix("-")]:
        expression = organisation_name() if field == "name" else F(field)
        ascending = reverse == descending
        order.append(expression.asc(nulls_last=True) if ascending else expression.desc(nulls_last=True))
    return rows.order_by(*order, organisation_name().asc(), "pk")


# The lower edges of the distribution's bins: under 50 together, then five points each.
_BIN_EDGES = list(range(50, 100, 5))


@dataclass(frozen=True)
class Bin:
    label: str
    count: int
    passed: bool


def score_distribution(rows: QuerySet[Organisation], pass_mark: Decimal = PASS_MARK) -> tuple[list[Bin], int]:
    """How many of the filtered organisations score in each bin, and how many have no score; one query."""
    counts = [0] * (len(_BIN_EDGES) + 1)
    missing = 0
    for score in rows.order_by().values_list("score", flat=True):
        if score is None:
            missing += 1
        else:
            counts[bisect_right(_BIN_EDGES, score)] += 1
    labels = [f"< {_BIN_EDGES[0]}"]
    labels += [f"{low}–{high - 1}.99" for low, high in zip(_BIN_EDGES, _BIN_EDGES[1:])]
    labels.append(f"{_BIN_EDGES[-1]}–100")
    lows = [0, *_BIN_EDGES]
    return [Bin(label, count, low >= pass_mark) for label, count, low in zip(labels, counts, lows)], missing


@dataclass(frozen=True)
class Row:
    """What the page and the exports show of one organisation."""

    organisation: Organisation
    score: Decimal | None
    level: Level | None
    change: Decimal | None
    late: int | None
    reported: bool | None
    memos_waiting: int
    waiting_days: int | None
    stuck: bool
    approved_documents: int


def _two_places(value: Decimal | None) -> Decimal | None:
    # SQLite hands computed decimals back as floats turned Decimal, with their binary noise.
    return None if value is None else value.quantize(TWO_PLACES)


def describe(organisation: Organisation, rollup: Rollup, today: date) -> Row:
    since = organisation.waiting_since
    return Row(
        organisation=organisation,
        score=_two_places(organisation.score),
        level=rollup.levels.get(organisation.level) if organisation.level else None,
        change=_two_places(organisation.change),
        late=organisation.late,
        reported=organisation.reported,
        memos_waiting=organisation.memos_waiting,
        waiting_days=None if since is None else (today - timezone.localdate(since)).days,
        stuck=since is not None and since < rollup.stuck_before,
        approved_documents=organisation.approved_documents,
    )
