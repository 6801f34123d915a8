from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from itaportal.accounts.access import ALL_ROLES, organisation_view
from itaportal.accounts.models import Role
from itaportal.probes import DOWN, redis_state, worker_state

from ..documents import document_filename, verification
from ..forms import DraftRequestForm
from ..models import Document
from ..selectors.documents import draft_options, recent_drafts, visible_document
from ..services.documents import request_draft
from ..tasks import PROBE_SECONDS

# A job queued longer than this without a worker picking it up makes the page ask whether one runs.
STALE_SECONDS = 15
# Drafts show unapproved, internal data: never to auditors, who see approved documents only.
DRAFT_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.EXECUTIVE})


def _document_or_404(request, pk: int) -> Document:
    document = visible_document(request.membership, pk)
    if document is None:
        raise Http404
    return document


def _status_context(document: Document) -> dict:
    waiting = document.state in (Document.State.QUEUED, Document.State.RENDERING)
    broker = redis_state(PROBE_SECONDS) if waiting else None
    # A job being rendered goes on without Redis; a queued one waits for it to come back
    # (then reports.tasks.requeue_lost_documents sends it).
    unavailable = document.state == Document.State.QUEUED and broker == DOWN
    stale = waiting and (timezone.now() - document.created_at).total_seconds() > STALE_SECONDS
    no_worker = stale and broker != DOWN and worker_state(broker, PROBE_SECONDS) == DOWN
    return {"document": document, "poll": waiting, "unavailable": unavailable, "no_worker": no_worker}


@organisation_view(roles=DRAFT_ROLES, methods=("GET", "POST"))
def document_drafts(request):
    """Drafts of every document from the data as it is now: asked for here, rendered by the worker."""
    options = draft_options(request.organisation)
    if request.method == "POST":
        form = DraftRequestForm(request.POST, options=options)
        if form.is_valid():
            document = request_draft(organisation=request.organisation, user=request.user, **form.cleaned_data)
            return redirect("document_detail", request.organisation.slug, document.pk)
        # The buttons carry hidden values only: the reason is said above the list, not beside a field.
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return render(request, "reports/document_drafts.html", {
        "years": options, "drafts": recent_drafts(request.organisation),
    })


@organisation_view(roles=ALL_ROLES)
def document_detail(request, pk: int):
    document = _document_or_404(request, pk)
    verify = verification(document) if document.state == Document.State.READY else None
    return render(request, "reports/document_detail.html", {**_status_context(document), "verify": verify})


@organisation_view(roles=ALL_ROLES)
def document_status(request, pk: int):
    """The job's state for the page, which polls (htmx) until the PDF is ready or has failed."""
    return render(request, "reports/_document_status.html", _status_context(_document_or_404(request, pk)))


@organisation_view(roles=ALL_ROLES)
def document_download(request, pk: int):
    document = _document_or_404(request, pk)
    if document.state != Document.State.READY:
        raise Http404
    response = FileResponse(document.pdf.open("rb"), as_attachment=True, filename=document_filename(document),
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Document-SHA256"] = document.sha256
    return response
