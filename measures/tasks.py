"""Tasks of the measures app: the daily progress reminder."""

from collections import defaultdict
from datetime import date, timedelta

from celery import shared_task
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from itaportal.accounts.models import Membership, Role
from itaportal.notifications.models import Notification
from itaportal.notifications.registry import PROGRESS_DUE_SOON, PROGRESS_OVERDUE
from itaportal.notifications.services import notify

from .lateness import is_past_due, measure_rounds, outstanding_condition
from .models import Measure, ReportingRound
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
    """Due soon: outstanding in an open round due within DUE_SOON_DAYS. Overdue: late in an open round
    (measures.lateness), for OVERDUE_DAYS after its due date."""
    pairs = list(
        measure_rounds(Measure.objects.filter(organisation__is_active=True))
        .filter(
            outstanding_condition(),
            round_locked_at__isnull=True,
            round_due_date__gte=today - timedelta(days=OVERDUE_DAYS),
            round_due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .order_by()
        .values_list("pk", F("round_id"))
    )
    if not pairs:
        return 0
    rounds = ReportingRound.objects.select_related("organisation").in_bulk({r for _measure, r in pairs})
    measures = Measure.objects.prefetch_related("departments", "positions").in_bulk({m for m, _r in pairs})
    organisations = {round.organisation_id for round in rounds.values()}
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
    for measure_pk, round_pk in sorted(pairs, key=lambda pair: (pair[1], measures[pair[0]].number)):
        measure, round = measures[measure_pk], rounds[round_pk]
        # Outstanding past its due date is late; in a round not locked, that is overdue.
        kind = PROGRESS_OVERDUE if is_past_due(round, today) else PROGRESS_DUE_SOON
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
