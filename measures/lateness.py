"""When a measure's progress is late: one rule for every page, reminder and roll-up.

The rule lives here twice, side by side: in Python (`is_late`, `late_by_key`) for pages that hold the
records, and in SQL (`late_condition` on `measure_rounds`) for lists counted in the database — the
oversight roll-up and the daily reminders. tests/measures/test_lateness_agreement.py holds them together.

For a measure and a reporting round of the measure's fiscal year, on a given day:

- **Expected.** A round expects a report on every measure whose period has begun by the end of the
  round's period. Rounds are cumulative (each runs from the start of the fiscal year and its report lists
  every measure so far), so a measure whose period ended in an earlier round is still expected in a later
  one, and one that starts on the last day of the period is expected in it.
- **Outstanding.** An expected report is outstanding when the round has no entry for the measure, or when
  the measure's period ended within the round's period (its end on or before the period's end) and the
  entry is not "done": a measure that should be finished and is not.
- **Reported in a later round.** An entry in a later round of the year settles the earlier rounds: the
  reports are cumulative, so the latest one speaks for the measure, and its lateness is judged in that round
  alone (where a measure that ended and is still not done stays outstanding).
- **Late** is outstanding once the round's due date has passed; the due date itself is on time. It is read
  from what the record holds now, not from when it was saved: a report made after the due date ends the
  lateness (the saving time changes with every correction, so it says nothing about when it was first due).
- **Locked rounds** keep their lateness: the approval closes the report, it does not make a missing or
  unfinished measure on time. Nothing in a locked round can change any more; a report in a later round is
  what settles it.
- **Overdue** is the reminders' word for a late entry of a round not locked, which people can still report;
  **due soon**, an outstanding one of such a round whose due date is near (measures.tasks).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from .models import Measure, ProgressEntry, ReportingRound


def is_expected(measure: Measure, round: ReportingRound) -> bool:
    return measure.start_date <= round.period_end


def is_past_due(round: ReportingRound, today: date) -> bool:
    """The due date itself is still on time."""
    return today > round.due_date


def is_outstanding(
    measure: Measure, round: ReportingRound, entry: ProgressEntry | None, *, reported_later: bool
) -> bool:
    """`reported_later`: the measure has an entry in a later round of its year."""
    if not is_expected(measure, round) or reported_later:
        return False
    if entry is None:
        return True
    return measure.end_date <= round.period_end and entry.status != ProgressEntry.Status.DONE


def is_late(
    measure: Measure, round: ReportingRound, entry: ProgressEntry | None, *, reported_later: bool, today: date
) -> bool:
    return is_past_due(round, today) and is_outstanding(measure, round, entry, reported_later=reported_later)


def late_by_key(
    measures: Iterable[Measure],
    rounds: Iterable[ReportingRound],
    entries: Mapping[tuple[int, int], ProgressEntry],
    today: date,
) -> dict[tuple[int, int], bool]:
    """`is_late` by (measure id, round id) for every measure in every round of its year among `rounds`.

    `rounds` must hold every round of the measures' years, not only the ones shown: a later round left out
    would not settle an earlier one. `entries` are by (measure id, round id), as `entries_by_key` gives."""
    by_year: dict[tuple[int, int], list[ReportingRound]] = defaultdict(list)
    for round in rounds:
        by_year[(round.organisation_id, round.fiscal_year)].append(round)
    late = {}
    for measure in measures:
        reported_later = False
        for round in sorted(by_year[(measure.organisation_id, measure.fiscal_year)], key=lambda r: -r.number):
            entry = entries.get((measure.pk, round.pk))
            late[(measure.pk, round.pk)] = is_late(
                measure, round, entry, reported_later=reported_later, today=today
            )
            reported_later = reported_later or entry is not None
    return late


# --- the same in SQL ------------------------------------------------------------------------------


# The round's fields on each row of `measure_rounds`, as round_id, round_number, round_period_end…
ROUND_FIELDS = ("id", "number", "period_end", "due_date", "locked_at")


def measure_rounds(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """One row per measure and round of its year, with the round's fields as `round_<field>` (ROUND_FIELDS):
    the SQL shape of the pages' grid, on which the conditions below are read.

    Filter on those names, never through the joined relation: each filter() through a multi-valued relation
    joins it again, and its conditions would then read another round than the row's."""
    return (
        measures.alias(
            year_round=FilteredRelation(
                "organisation__rounds", condition=Q(organisation__rounds__fiscal_year=F("fiscal_year"))
            )
        )
        .alias(**{f"round_{name}": F(f"year_round__{name}") for name in ROUND_FIELDS})
        .filter(round_id__isnull=False)
    )


def outstanding_condition() -> Q:
    """`is_outstanding` on the rows of `measure_rounds`."""
    entries = ProgressEntry.objects.filter(measure=OuterRef("pk"))
    this_round = entries.filter(round=OuterRef("round_id"))
    later_round = entries.filter(
        round__fiscal_year=OuterRef("fiscal_year"), round__number__gt=OuterRef("round_number")
    )
    ended_not_done = Q(end_date__lte=F("round_period_end")) & ~Exists(
        this_round.filter(status=ProgressEntry.Status.DONE)
    )
    expected = Q(start_date__lte=F("round_period_end"))
    return expected & ~Exists(later_round) & (~Exists(this_round) | ended_not_done)


def late_condition(today: date) -> Q:
    """`is_late` on the rows of `measure_rounds`: past the due date, which is itself on time."""
    return Q(round_due_date__lt=today) & outstanding_condition()
