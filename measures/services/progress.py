"""Progress entries: one per measure and round, saved as people work, locked once approved.

The trail and autosave: the form saves itself as the person types (every few seconds), so an entry per
autosave would bury the history. A save from the Save button is always recorded, with what changed;
so is any save that changes the status, the fact that reports and lateness read. Other autosaves, valid
(`progress_save(autosave=True)`) or kept as a draft, are coalesced: one entry per person per progress
entry per AUTOSAVE_WINDOW, written unless the newest entry about the progress entry is already that
person's autosave of less than AUTOSAVE_WINDOW ago. So the trail still says who worked on the report and
when, and the next explicit save or status change says what it then holds.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import User
from itaportal.audit.selectors import last_entry
from itaportal.audit.services import changes, money, shown

from ..models import Activity, Measure, ProgressEntry, ReportingRound
from . import MeasureError, record

AUTOSAVE_WINDOW = timedelta(minutes=10)


@dataclass
class ActivityData:
    date: date | None  # None for a summary line, printed without a date
    description: str


def _check_open(measure: Measure, round: ReportingRound) -> None:
    if measure.organisation_id != round.organisation_id or measure.fiscal_year != round.fiscal_year:
        raise MeasureError(_("This round is not in the measure's fiscal year."))
    if round.is_locked:
        raise MeasureError(_("This round's report is approved; its entries can no longer change."))


def _entry_for_update(measure: Measure, round: ReportingRound) -> tuple[ProgressEntry, bool]:
    return ProgressEntry.objects.select_for_update().get_or_create(measure=measure, round=round)


def _report_values(entry: ProgressEntry) -> dict:
    return {
        "status": entry.status,
        "budget_used": money(entry.budget_used),
        "outcome": entry.outcome,
        "suggestions": entry.suggestions,
        "activities": [(shown(a.date), a.description) for a in entry.activities.order_by("order")],
    }


# Texts the trail names as edited without copying them into it.
LONG_TEXTS = ("outcome", "suggestions", "activities")


def _entry_data(measure: Measure, round: ReportingRound) -> dict:
    return {"year": round.fiscal_year, "measure": measure.number, "round": round.name}


def _autosaved_lately(entry: ProgressEntry, user: User) -> bool:
    newest = last_entry(entry)
    return (
        newest is not None
        and newest.action == "ita.progress.autosaved"
        and newest.actor_id == user.pk
        and newest.created_at > timezone.now() - AUTOSAVE_WINDOW
    )


def _record_autosave(
    entry: ProgressEntry, measure: Measure, round: ReportingRound, user: User, draft: bool
) -> None:
    if not _autosaved_lately(entry, user):
        record(organisation=round.organisation, action="ita.progress.autosaved", target=entry, user=user,
               data={**_entry_data(measure, round), "draft": draft})


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
    autosave: bool = False,
) -> ProgressEntry:
    """`autosave`: saved by the form as the person types, not by its Save button (see the module's
    docstring for what the trail keeps of it)."""
    # Re-read the round under lock: an approval committed a moment ago must win over this save.
    round = ReportingRound.objects.select_for_update().select_related("organisation").get(pk=round.pk)
    _check_open(measure, round)
    entry, created = _entry_for_update(measure, round)
    before = _report_values(entry)
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
    changed = changes(before, _report_values(entry))
    if autosave and not created and "status" not in changed:
        _record_autosave(entry, measure, round, user, draft=False)
    else:
        record(organisation=round.organisation, action="ita.progress.saved", target=entry, user=user, data={
            **_entry_data(measure, round),
            "created": created,
            "changes": {field: pair for field, pair in changed.items() if field not in LONG_TEXTS},
            "edited": [field for field in changed if field in LONG_TEXTS],
        })
    return entry


@transaction.atomic
def progress_save_draft(*, measure: Measure, round: ReportingRound, user: User, raw: dict) -> ProgressEntry:
    """Keep what was typed, valid or not, until it is saved properly: an autosave for the trail."""
    round = ReportingRound.objects.select_for_update().select_related("organisation").get(pk=round.pk)
    _check_open(measure, round)
    entry, _created = _entry_for_update(measure, round)
    entry.draft = {"data": raw, "at": timezone.now().isoformat(), "by": user.username}
    entry.updated_by = user
    entry.save(update_fields=["draft", "updated_by", "updated_at"])
    _record_autosave(entry, measure, round, user, draft=True)
    return entry


@transaction.atomic
def round_lock(*, round: ReportingRound, user: User | None = None) -> ReportingRound:
    """Make the round's entries read-only: called when its progress report is approved (`user`: who
    approved it)."""
    round = ReportingRound.objects.select_for_update().select_related("organisation").get(pk=round.pk)
    if round.is_locked:
        raise MeasureError(_("This round is already locked."))
    round.locked_at = timezone.now()
    round.save(update_fields=["locked_at"])
    record(organisation=round.organisation, action="ita.round.locked", target=round, user=user,
           data={"year": round.fiscal_year, "round": round.name})
    return round
