"""Documents: ask for a draft of live data, queue a render after commit, and say honestly when no
worker can take it."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from itaportal.accounts.models import Organisation, User
from itaportal.accounts.services import own_position_title
from itaportal.audit.services import audit
from itaportal.probes import DOWN, redis_state

from ..documents import build_content, content_hash
from ..models import Document

logger = logging.getLogger(__name__)

# A job still queued after this long has probably lost its message (broker down when it was sent):
# asking again sends it again, which is harmless as the task is idempotent.
REQUEUE_AFTER = timedelta(minutes=2)
# How long a look at Redis may take inside a request (publishing, the document page's polls).
PROBE_SECONDS = 0.5


def queue_render(document_id: int) -> bool:
    """Send the render task. With the broker down the document stays queued, the page says so, and
    `requeue_lost` sends it once the broker is back: the approval or the request that asked for it
    goes through all the same."""
    from ..tasks import render_document

    try:
        # A Redis that hangs instead of refusing would hold the publish for its socket time-outs,
        # several seconds of the request; the probe says it in half a second.
        if redis_state(PROBE_SECONDS) != DOWN:
            render_document.delay(document_id)
            return True
    except OperationalError:
        pass
    logger.warning("broker unreachable: document %s stays queued", document_id)
    return False


def requeue_lost(*, before: datetime) -> int:
    """Send again the jobs asked for before `before` that are still queued, when every message sent
    before then has already been handed to a worker (see reports.tasks.requeue_lost_documents): their
    message never reached the broker, or the broker lost it in a restart. Returns how many were sent."""
    lost = Document.objects.filter(state=Document.State.QUEUED, created_at__lt=before).order_by("created_at")
    return sum(queue_render(pk) for pk in lost.values_list("pk", flat=True))


def request_draft(*, organisation: Organisation, kind: str, fiscal_year: int, round: int | None = None,
                  user: User | None) -> Document:
    """The draft PDF job of the data as it is now. Unchanged data finds the job already made (ready,
    or on its way) and costs a snapshot and a hash, never a second render."""
    content = build_content(kind, organisation, fiscal_year, round)
    digest = content_hash(kind, content, draft=True)
    with transaction.atomic():
        document, created = Document.objects.get_or_create(
            organisation=organisation, kind=kind, content_hash=digest,
            defaults={"content": content, "fiscal_year": fiscal_year,
                      "round_number": round if kind == Document.Kind.PROGRESS else None, "requested_by": user},
        )
        failed = document.state == Document.State.FAILED
        lost = document.state == Document.State.QUEUED and timezone.now() - document.created_at > REQUEUE_AFTER
        if failed:
            document.state, document.error = Document.State.QUEUED, ""
            document.save(update_fields=["state", "error"])
        if created or failed:
            # Finding the job already made writes nothing, and sending a lost job again changes no row.
            audit(organisation=organisation, action="ita.document.draft_requested", target=document, actor=user,
                  actor_position=own_position_title(user, organisation),
                  data={"kind": kind, "year": fiscal_year, "round": round, "again": failed})
        if created or failed or lost:
            transaction.on_commit(lambda: queue_render(document.pk))
    return document
