from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from itaportal.accounts.models import Membership, Organisation

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


def is_late(measure: Measure, round: ReportingRound, entry: ProgressEntry | None, today: date) -> bool:
    """Late once the due date has passed (the due date itself is still on time) when nothing was
    reported, or when the measure should have ended within the round's period and is not done."""
    if today <= round.due_date or measure.start_date > round.period_end:
        return False
    if entry is None:
        return True
    return measure.end_date <= round.period_end and entry.status != ProgressEntry.Status.DONE


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
    grid = {}
    for measure in measures:
        # Reports are cumulative: a measure reported in a later round is no longer late in an earlier one.
        reported_later = False
        for round in reversed(rounds):
            entry = entries.get((measure.pk, round.pk))
            late = is_late(measure, round, entry, today) and not reported_later
            grid[(measure.pk, round.pk)] = Cell(measure, round, entry, late)
            reported_later = reported_later or entry is not None
    return measures, rounds, grid


def current_round(rounds: list[ReportingRound], today: date) -> ReportingRound | None:
    """The first round still open whose due date is today or later, else the last one."""
    open_rounds = [r for r in rounds if not r.is_locked and r.due_date >= today]
    return open_rounds[0] if open_rounds else (rounds[-1] if rounds else None)


def my_measures(membership: Membership, measures: list[Measure]) -> list[Measure]:
    return [m for m in measures if can_report(membership, m)]
