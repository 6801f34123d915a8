"""Rendering PDFs in the worker: ids in, idempotent, safe to retry, and survives a killed worker; and
sending the render job, from a request or again when its message was lost."""

import hashlib
import logging
from datetime import datetime

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from itaportal.audit.services import audit
from itaportal.probes import DOWN, redis_state

from .models import Document

logger = logging.getLogger(__name__)

# How long a look at Redis may take inside a request (publishing, the document page's polls).
PROBE_SECONDS = 0.5


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=5,
    retry_kwargs={"max_retries": 3},
    time_limit=300,
    soft_time_limit=240,
)
def render_document(self, document_id: int) -> str:
    from .documents import render_pdf

    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.state == Document.State.READY:
            return "ready"
        document.state, document.attempts = Document.State.RENDERING, document.attempts + 1
        document.save(update_fields=["state", "attempts"])
    try:
        pdf, pages = render_pdf(document)
    except Exception as error:
        Document.objects.filter(pk=document_id).update(state=Document.State.FAILED, error=str(error)[:2000])
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.state == Document.State.READY:
            return "ready"
        document.pdf.save(f"{document.kind}-{document.pk}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        document.sha256, document.pages = digest, pages
        document.state, document.error, document.rendered_at = Document.State.READY, "", timezone.now()
        document.save(update_fields=["pdf", "sha256", "pages", "state", "error", "rendered_at"])
        # The PDF of an approved version is what is published and verified by its fingerprint: the trail
        # keeps it. A draft's PDF is a passing copy of live data (its request is in the trail), and the
        # states in between are the job's progress, shown on the document page, not changes of a record.
        if document.version_id:
            audit(organisation=document.organisation, action="ita.document.rendered", target=document,
                  actor=None, data={"kind": document.kind, "pages": pages, "sha256": digest,
                                    "memo": document.version.memo_id})
    return "rendered"


@shared_task
def requeue_lost_documents() -> None:
    """Every minute (beat): find the PDF jobs whose message was lost, by sending a marker through the
    render queue. The queue is first in, first out, so when the marker comes out every message sent
    before it has been handed to a worker: a document asked for before the marker and still queued
    then has no message left anywhere. Hence the marker and the render jobs share a queue (the default)."""
    sweep_lost_documents.delay(timezone.now().isoformat())


@shared_task
def sweep_lost_documents(marker_sent_at: str) -> int:
    return requeue_lost(before=datetime.fromisoformat(marker_sent_at))


def queue_render(document_id: int) -> bool:
    """Send the render task. With the broker down the document stays queued, the page says so, and
    `requeue_lost` sends it once the broker is back: the approval or the request that asked for it
    goes through all the same."""
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
    before then has already been handed to a worker (see requeue_lost_documents): their
    message never reached the broker, or the broker lost it in a restart. Returns how many were sent."""
    lost = Document.objects.filter(state=Document.State.QUEUED, created_at__lt=before).order_by("created_at")
    return sum(queue_render(pk) for pk in lost.values_list("pk", flat=True))
