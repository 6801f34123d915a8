"""Progress entries: one per measure and round, saved as people work, locked once approved."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import User

from ..models import Activity, Measure, ProgressEntry, ReportingRound
from . import MeasureError


@dataclass
class ActivityData:
    date: date | None  # None for a summary line, printed without a date
    description: str


def _check_open(measure: Measure, round: ReportingRound) -> None:
    if measure.organisation_id != round.organisation_id or measure.fiscal_year != round.fiscal_year:
        raise MeasureError(_("This round is not in the measure's fiscal year."))
    if round.is_locked:
        raise MeasureError(_("This round's report is approved; its entries can no longer change."))


def _entry_for_update(measure: Measure, round: ReportingRound) -> ProgressEntry:
    entry, _created = ProgressEntry.objects.select_for_update().get_or_create(measure=measure, round=round)
    return entry


@transaction.atomic
def progress_save(
    *,
    measure: Measure,
    round: ReportingRound,
    user: User,
    status: str,
    outcome: str,
    suggestions: str,
    budget_used: Decimal | None,
    activities: list[ActivityData],
) -> ProgressEntry:
    # Re-read the round under lock: an approval committed a moment ago must win over this save.
    round = ReportingRound.objects.select_for_update().get(pk=round.pk)
    _check_open(measure, round)
    entry = _entry_for_update(measure, round)
    entry.status = status
    entry.outcome = outcome.strip()
    entry.suggestions = suggestions.strip()
    entry.budget_used = budget_used
    entry.draft = {}
    entry.updated_by = user
    entry.save()
    entry.activities.all().delete()
    Activity.objects.bulk_create(
        Activity(entry=entry, order=order, date=a.date, description=a.description.strip())
        for order, a in enumerate(activities, start=1)
    )
    return entry


@transaction.atomic
def progress_save_draft(*, measure: Measure, round: ReportingRound, user: User, raw: dict) -> ProgressEntry:
    """Keep what was typed, valid or not, until it is saved properly."""
    round = ReportingRound.objects.select_for_update().get(pk=round.pk)
    _check_open(measure, round)
    entry = _entry_for_update(measure, round)
    entry.draft = {"data": raw, "at": timezone.now().isoformat(), "by": user.username}
    entry.updated_by = user
    entry.save(update_fields=["draft", "updated_by", "updated_at"])
    return entry


@transaction.atomic
def round_lock(*, round: ReportingRound) -> ReportingRound:
    """Make the round's entries read-only: called when its progress report is approved."""
    round = ReportingRound.objects.select_for_update().get(pk=round.pk)
    if round.is_locked:
        raise MeasureError(_("This round is already locked."))
    round.locked_at = timezone.now()
    round.save(update_fields=["locked_at"])
    return round
