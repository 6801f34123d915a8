"""Tasks of the measures app: the daily progress reminder."""

from collections import defaultdict
from datetime import date, timedelta

from celery import shared_task
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from itaportal.accounts.models import Membership, Role
from itaportal.notifications.models import Notification
from itaportal.notifications.registry import PROGRESS_DUE_SOON, PROGRESS_OVERDUE
from itaportal.notifications.services import notify

from .models import Measure, ProgressEntry, ReportingRound
from .selectors.plan import can_report

DUE_SOON_DAYS = 7
# A round forgotten for longer than this is a matter for the dashboard, not for a daily mail.
OVERDUE_DAYS = 60


@shared_task
def send_progress_reminders(today_iso: str | None = None) -> int:
    """Remind the people of the responsible units of every entry due within a week or overdue,
    once per entry, person and day. Returns the number of notifications created."""
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return progress_reminders(today)


def progress_reminders(today: date) -> int:
    rounds = list(
        ReportingRound.objects.filter(
            locked_at__isnull=True,
            organisation__is_active=True,
            due_date__gte=today - timedelta(days=OVERDUE_DAYS),
            due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        ).select_related("organisation")
    )
    if not rounds:
        return 0
    organisations = {r.organisation_id for r in rounds}
    years = Q()
    for organisation_id, fiscal_year in {(r.organisation_id, r.fiscal_year) for r in rounds}:
        years |= Q(organisation_id=organisation_id, fiscal_year=fiscal_year)
    measures_by_year = defaultdict(list)
    for measure in (
        Measure.objects.filter(years).prefetch_related("departments", "positions").order_by("number")
    ):
        measures_by_year[(measure.organisation_id, measure.fiscal_year)].append(measure)
    done = set(
        ProgressEntry.objects.filter(round__in=rounds, status=ProgressEntry.Status.DONE).values_list(
            "measure_id", "round_id"
        )
    )
    staff, admins = defaultdict(list), defaultdict(list)
    for membership in Membership.objects.filter(
        organisation_id__in=organisations,
        is_active=True,
        user__is_active=True,
        role__in=[Role.STAFF, Role.ADMIN],
    ).select_related("user"):
        (staff if membership.role == Role.STAFF else admins)[membership.organisation_id].append(membership)
    suffix = f":{today.isoformat()}"
    already_sent = set(
        Notification.objects.filter(
            organisation_id__in=organisations,
            kind__in=[PROGRESS_DUE_SOON, PROGRESS_OVERDUE],
            dedupe_key__endswith=suffix,
        ).values_list("dedupe_key", flat=True)
    )

    created = 0
    for round in rounds:
        kind = PROGRESS_OVERDUE if round.due_date < today else PROGRESS_DUE_SOON
        for measure in measures_by_year[(round.organisation_id, round.fiscal_year)]:
            if measure.start_date > round.period_end or (measure.pk, round.pk) in done:
                continue
            recipients = {m.user_id: m.user for m in staff[round.organisation_id] if can_report(m, measure)}
            if kind == PROGRESS_OVERDUE:
                recipients.update((m.user_id, m.user) for m in admins[round.organisation_id])
            for user in recipients.values():
                key = f"{kind}:{measure.pk}:{round.pk}:{user.pk}{suffix}"
                if key in already_sent:
                    continue
                notification = notify(
                    recipient=user,
                    organisation=round.organisation,
                    kind=kind,
                    data={
                        "number": measure.number,
                        "title": measure.title,
                        "round": round.name,
                        "due_date": round.due_date.isoformat(),
                    },
                    url=reverse("progress_form", args=[round.organisation.slug, measure.pk, round.pk]),
                    dedupe_key=key,
                )
                created += notification is not None
    return created
