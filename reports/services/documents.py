"""Documents: ask for a draft of live data, queue a render after commit, and say honestly when no
worker can take it."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from itaportal.accounts.models import Organisation, User

from ..documents import build_content, content_hash
from ..models import Document

logger = logging.getLogger(__name__)

# A job still queued after this long has probably lost its message (broker down when it was sent):
# asking again sends it again, which is harmless as the task is idempotent.
REQUEUE_AFTER = timedelta(minutes=2)


def queue_render(document_id: int) -> bool:
    """Send the render task; with the broker down the document stays queued and the page says so."""
    from ..tasks import render_document

    try:
        render_document.delay(document_id)
    except OperationalError:
        logger.warning("broker unreachable: document %s stays queued", document_id)
        return False
    return True


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
        if created or failed or lost:
            transaction.on_commit(lambda: queue_render(document.pk))
    return document
