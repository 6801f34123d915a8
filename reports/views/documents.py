from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from itaportal.accounts.access import ALL_ROLES, organisation_view
from itaportal.celery import app as celery_app

from ..models import Document
from ..services.documents import document_of

# A job queued longer than this without a worker picking it up makes the page ask whether one runs.
STALE_SECONDS = 15


def _worker_reachable() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    try:
        return bool(celery_app.control.ping(timeout=0.5, limit=1))
    except OSError:
        return False


@organisation_view(roles=ALL_ROLES)
def document_status(request, pk: int):
    """The job's state for the page, which polls (htmx) until the PDF is ready or has failed."""
    document = document_of(request.organisation, pk)
    if document is None:
        raise Http404
    waiting = document.state in (Document.State.QUEUED, Document.State.RENDERING)
    stale = waiting and (timezone.now() - document.created_at).total_seconds() > STALE_SECONDS
    return render(
        request,
        "reports/_document_status.html",
        {"document": document, "poll": waiting, "no_worker": stale and not _worker_reachable()},
    )


@organisation_view(roles=ALL_ROLES)
def document_download(request, pk: int):
    document = document_of(request.organisation, pk)
    if document is None or document.state != Document.State.READY:
        raise Http404
    memo = document.version.memo if document.version else None
    name = f"{document.kind}-{request.organisation.slug}-{memo.number_year}-{memo.number}.pdf" if memo else \
        f"{document.kind}-{document.pk}.pdf"
    response = FileResponse(document.pdf.open("rb"), as_attachment=True, filename=name,
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Document-SHA256"] = document.sha256
    return response
