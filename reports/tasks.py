"""Rendering PDFs in the worker: ids in, idempotent, safe to retry, and survives a killed worker."""

import hashlib

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Document


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
    return "rendered"
