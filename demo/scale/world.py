"""What one organisation's history is made of, in memory: the plans of its assessments, measures,
progress and memos, the rows to insert with the ids handed out for them, and what the whole run
shares."""

import functools
import os
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.db import connection, models
from django.utils import timezone

from assessments.models import (
    AnalysisIssue, Assessment, Indicator, IndicatorScore, Item, ItemScore, ToolScore,
)
from assessments.scoring import Scoreboard, round_score
from itaportal.accounts.models import Department, District, Membership, Organisation, Position, User
from itaportal.audit.models import AuditEntry
from measures.models import Activity, Measure, MeasureStep, OitEntry, ProgressEntry, ReportingRound
from reports.models import (
    ApprovalChain, ChainLevel, Decision, Delegation, Document, Memo, MemoCounter, MemoVersion,
)

from .places import FrameworkData, Place

SLUG_PREFIX = "s"
DEFAULT_PASSWORD = "ita-scale-2568"


def slug_of(number: int) -> str:
    return f"{SLUG_PREFIX}{number:05d}"


@dataclass
class IssuePlan:
    issue: AnalysisIssue
    items: list[Item]


@dataclass
class AssessmentPlan:
    assessment: Assessment
    data: FrameworkData
    board: Scoreboard
    indicator_scores: dict[str, Decimal]
    item_scores: dict[str, Decimal]  # item code → score
    issues: list[IssuePlan] = field(default_factory=list)


@dataclass
class MeasurePlan:
    measure: Measure
    tool: str
    steps: list[str]
    issues: list[IssuePlan]
    indicators: list[Indicator]
    oit_items: list[Item]
    departments: list[Department]
    positions: list[Position]


@dataclass
class EntryPlan:
    entry: ProgressEntry
    activities: list[Activity]


@dataclass
class Event:
    at: datetime
    action: str  # created, submitted, approve, return, reject, cancel
    level: int = 0
    comment: str = ""


@dataclass
class MemoPlan:
    memo: Memo
    events: list[Event]
    level_positions: list[Position]
    decisions: list[Decision] = field(default_factory=list)
    version: MemoVersion | None = None


@dataclass
class Year:
    """The cycle of one work year: its measures, rounds, progress and memos."""

    year: int
    framework: FrameworkData | None
    measures: list[MeasurePlan] = field(default_factory=list)
    rounds: list[ReportingRound] = field(default_factory=list)
    entries: dict[tuple[int, int], EntryPlan] = field(default_factory=dict)  # (measure no, round no)


@dataclass
class World:
    """One organisation and everything it holds, in memory, with the rows to insert."""

    number: int
    rng: random.Random
    organisation: Organisation
    quality: float
    departments: dict[str, Department] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)  # by login, plus "auditor"
    users: dict[str, User] = field(default_factory=dict)  # by login
    chain: list[Position] = field(default_factory=list)
    address_via: bool = False
    acting: Delegation | None = None
    assessments: dict[int, AssessmentPlan] = field(default_factory=dict)
    years: dict[int, Year] = field(default_factory=dict)
    oit_entries: dict[int, OitEntry] = field(default_factory=dict)  # by item pk
    memos: list[MemoPlan] = field(default_factory=list)


class Ids:
    """Primary keys handed out while the rows are built, so that rows can point at each other before
    any is written and be written without RETURNING. On PostgreSQL they are taken from each table's
    own sequence in blocks (what is not used is a gap, as a rolled-back insert leaves); elsewhere
    they count on from the highest id, the generator being the only writer."""

    BLOCK = 5000

    def __init__(self):
        self.pid = os.getpid()
        self.free: dict[type[models.Model], list[int]] = defaultdict(list)
        self.counted: dict[str, int] = {}

    def next(self, model: type[models.Model]) -> int:
        free = self.free[model]
        if not free:
            free.extend(reversed(self._reserve(model)))
        return free.pop()

    def _reserve(self, model: type[models.Model]) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, self.BLOCK])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
            highest = max(cursor.fetchone()[0] or 0, self.counted.get(table, 0))
            self.counted[table] = highest + self.BLOCK
            return list(range(highest + 1, highest + self.BLOCK + 1))


class Rows:
    """The rows of a batch by model, written in dependency order; `links` are many-to-many pairs. Rows
    that others point at get their id when added."""

    ORDER: ClassVar[list[type[models.Model]]] = [
        Organisation, Department, Position, User, Membership, ApprovalChain, ChainLevel, Delegation,
        Assessment, ToolScore, IndicatorScore, ItemScore, AnalysisIssue, Measure, MeasureStep, ReportingRound,
        ProgressEntry, Activity, OitEntry, Memo, Decision, MemoVersion, Document, AuditEntry, MemoCounter,
    ]
    REFERENCED: ClassVar[set[type[models.Model]]] = {
        Organisation, Department, Position, User, ApprovalChain, Assessment, AnalysisIssue, Measure,
        ReportingRound, ProgressEntry, Memo, MemoVersion,
    }

    def __init__(self, ids: Ids):
        self.ids = ids
        self.rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.plain: dict[type[models.Model], list[dict]] = defaultdict(list)
        self.links: dict[Any, list[tuple[models.Model, models.Model]]] = defaultdict(list)

    def add(self, obj: models.Model) -> Any:
        model = type(obj)
        if model in self.REFERENCED and obj.pk is None:
            obj.pk = self.ids.next(model)
        self.rows[model].append(obj)
        return obj

    def values(self, model: type[models.Model], **values) -> None:
        """A row that nothing reads back or points at, as its field values by attname: cheaper to
        make than a model instance, and most rows are such."""
        self.plain[model].append(values)

    def link(self, descriptor, source: models.Model, target: models.Model) -> None:
        self.links[descriptor].append((source, target))

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for model in {*self.rows, *self.plain}:
            counts[model._meta.label] = len(self.rows.get(model, [])) + len(self.plain.get(model, []))
        for descriptor, pairs in self.links.items():
            counts[descriptor.through._meta.label] = len(pairs)
        return counts


@dataclass(frozen=True)
class Identity:
    """Who an office is: planned for all offices before any is built, in order, so that names are unique
    in each province and the data does not depend on how the work is split."""

    number: int
    place: Place
    kind: str
    name: str
    district: District
    host: str


@dataclass
class Context:
    """What the whole run shares: options, frameworks, places, and the names and codes in use."""

    seed: int
    years: list[int]  # assessment years, oldest first
    frameworks: dict[int, FrameworkData]
    places: list[Place]
    password_hash: str
    now: datetime
    names_in_use: dict[int, set[str]]  # province id → organisation names
    websites_in_use: set[str]
    codes_in_use: set[str]
    male: list[str]
    female: list[str]
    family: list[str]
    chunk: int = 2000
    progress: Callable[[str], None] | None = None
    identities: dict[int, Identity] = field(default_factory=dict)
    ids: Ids = field(default_factory=lambda: Ids())
    texts: dict[tuple, str] = field(default_factory=dict)
    shared_pdfs: dict[str, dict] = field(default_factory=dict)
    today: date = field(init=False)

    def __post_init__(self):
        self.today = timezone.localdate(self.now)

    @property
    def work_years(self) -> list[int]:
        return [year + 1 for year in self.years]


def score_of(value: float) -> Decimal:
    """A drawn value as a published score: kept within 0–100 and rounded as scores are."""
    return round_score(Decimal(f"{min(100.0, max(0.0, value)):.2f}"))


def office_time(day: date, rng: random.Random) -> datetime:
    """A moment of office hours on that day, in the portal's time zone."""
    minutes = rng.randint(8 * 60 + 30, 16 * 60 + 30)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=_zone())


@functools.cache
def _zone():
    return timezone.get_default_timezone()


def choose(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]
