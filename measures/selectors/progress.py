from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from itaportal.accounts.models import Membership, Organisation

from ..lateness import is_expected, late_by_key
from ..models import Activity, Evidence, Measure, ProgressEntry, ReportingRound
from .plan import can_report, rounds_of


def entries_by_key(measures, rounds, details: bool = True) -> dict[tuple[int, int], ProgressEntry]:
    """Entries by (measure id, round id); `details` adds their activities and evidence, which a
    page listing only statuses does not need (2,400 entries make that difference felt)."""
    entries = ProgressEntry.objects.filter(measure__in=measures, round__in=rounds)
    if details:
        entries = entries.prefetch_related(
            # The model's order: undated summary lines first, then by date, the same on every database.
            Prefetch("activities", queryset=Activity.objects.all()),
            Prefetch("evidence", queryset=Evidence.objects.order_by("created_at")),
        )
    else:
        entries = entries.defer("outcome", "suggestions", "draft")
    return {(e.measure_id, e.round_id): e for e in entries}


def get_entry(measure: Measure, round: ReportingRound) -> ProgressEntry | None:
    return entries_by_key([measure], [round]).get((measure.pk, round.pk))


@dataclass
class Cell:
    measure: Measure
    round: ReportingRound
    entry: ProgressEntry | None
    late: bool


def progress_grid(organisation: Organisation, year: int, today: date) -> tuple[list, list, dict]:
    """Every measure × round of the year with its entry and lateness, in a constant number of queries."""
    measures = list(
        Measure.objects.filter(organisation=organisation, fiscal_year=year)
        .prefetch_related("departments", "positions__organisation")
        .order_by("number")
    )
    rounds = list(rounds_of(organisation, year))
    entries = entries_by_key(measures, rounds, details=False)
    late = late_by_key(measures, rounds, entries, today)
    grid = {}
    for measure in measures:
        for round in rounds:
            key = (measure.pk, round.pk)
            grid[key] = Cell(measure, round, entries.get(key), late[key])
    return measures, rounds, grid


def late_in_round(measures: list[Measure], round: ReportingRound, today: date) -> dict[int, bool]:
    """Whether each measure is late in `round`, by measure id; the round's later rounds are read for it."""
    rounds = list(rounds_of(round.organisation, round.fiscal_year))
    late = late_by_key(measures, rounds, entries_by_key(measures, rounds, details=False), today)
    return {measure.pk: late[(measure.pk, round.pk)] for measure in measures}


def current_round(rounds: list[ReportingRound], today: date) -> ReportingRound | None:
    """The first round still open whose due date is today or later, else the last one."""
    open_rounds = [r for r in rounds if not r.is_locked and r.due_date >= today]
    return open_rounds[0] if open_rounds else (rounds[-1] if rounds else None)


def my_measures(membership: Membership, measures: list[Measure]) -> list[Measure]:
    return [m for m in measures if can_report(membership, m)]


@dataclass
class OpenRound:
    round: ReportingRound
    # The person's measures expected in the round, late ones first.
    cells: list[Cell]

    @property
    def late_count(self) -> int:
        return sum(cell.late for cell in self.cells)


def my_open_rounds(organisation: Organisation, membership: Membership, today: date) -> list[OpenRound]:
    """Every round not yet locked, of every fiscal year, with the person's measures in it, their entries
    and lateness; a constant number of queries."""
    open_rounds = list(
        ReportingRound.objects.filter(organisation=organisation, locked_at__isnull=True).order_by(
            "fiscal_year", "number"
        )
    )
    years = {round.fiscal_year for round in open_rounds}
    # The locked rounds of those years too: an entry in a later round settles an earlier one.
    rounds = list(ReportingRound.objects.filter(organisation=organisation, fiscal_year__in=years))
    measures = my_measures(
        membership,
        list(
            Measure.objects.filter(organisation=organisation, fiscal_year__in=years)
            .prefetch_related("departments", "positions__organisation")
            .order_by("number")
        ),
    )
    entries = entries_by_key(measures, rounds, details=False)
    late = late_by_key(measures, rounds, entries, today)
    sections = []
    for round in open_rounds:
        cells = [
            Cell(measure, round, entries.get((measure.pk, round.pk)), late[(measure.pk, round.pk)])
            for measure in measures
            if measure.fiscal_year == round.fiscal_year and is_expected(measure, round)
        ]
        cells.sort(key=lambda cell: (not cell.late, cell.measure.number))
        sections.append(OpenRound(round, cells))
    return sections
