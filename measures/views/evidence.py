"""Evidence of a progress entry: add a file or a link, download a file, remove either.

Files are never served by the web server (there is no MEDIA_URL): only `evidence_download`
hands them out, to members of the organisation, as attachments that no browser renders.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view

from ..forms_evidence import EvidenceForm
from ..models import Evidence, Measure, ReportingRound
from ..selectors.plan import can_report, get_measure_for_member, get_round_for_member
from ..selectors.progress import get_entry
from ..services import MeasureError
from ..services import evidence as services


def _evidence_for_member(organisation, pk: int, **filters) -> Evidence:
    found = (
        Evidence.objects.filter(entry__measure__organisation=organisation, pk=pk, **filters)
        .select_related("entry__measure__organisation", "entry__round")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _respond(
    request, measure: Measure, round: ReportingRound, *, error: str = "", notice: str = "", kept=None
):
    """The refreshed partial for htmx, else back to the progress form with a message: the form
    there saves itself, so nothing typed is lost on the way."""
    if request.htmx:
        return render(
            request,
            "measures/_evidence.html",
            {
                "entry": get_entry(measure, round),
                "measure": measure,
                "round": round,
                "can_edit": True,
                "evidence_error": error,
                "evidence_notice": notice,
                "kept": kept or {},
            },
        )
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    url = reverse(
        "progress_form",
        kwargs={"org_slug": request.organisation.slug, "pk": measure.pk, "round_pk": round.pk},
    )
    return redirect(f"{url}#evidence-{measure.pk}-{round.pk}")


@organisation_view(roles=EDITORS, methods=("POST",), object_level=True)
def evidence_add(request, pk: int, round_pk: int):
    measure = get_measure_for_member(request.organisation, pk)
    round = get_round_for_member(request.organisation, round_pk)
    if round.fiscal_year != measure.fiscal_year:
        raise Http404
    if not can_report(request.membership, measure):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _respond(request, measure, round, error=form.first_error(), kept=request.POST)
    try:
        if form.cleaned_data["kind"] == Evidence.Kind.FILE:
            evidence = services.evidence_add_file(
                measure=measure, round=round, user=request.user, upload=form.cleaned_data["file"]
            )
            notice = _("“%(name)s” was added.") % {"name": evidence.original_name}
        else:
            services.evidence_add_link(
                measure=measure,
                round=round,
                user=request.user,
                url=form.cleaned_data["url"],
                title=form.cleaned_data["title"],
            )
            notice = _("The link was added.")
    except MeasureError as error:
        return _respond(request, measure, round, error=str(error), kept=request.POST)
    return _respond(request, measure, round, notice=notice)


@organisation_view(roles=ALL_ROLES)
def evidence_download(request, pk: int):
    evidence = _evidence_for_member(request.organisation, pk, kind=Evidence.Kind.FILE)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type,
    )
    # The type was detected from the content at upload; a browser must neither guess another
    # nor run anything the file might carry, even if it were shown inline.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    return response


@organisation_view(roles=EDITORS, methods=("POST",), object_level=True)
def evidence_remove(request, pk: int):
    evidence = _evidence_for_member(request.organisation, pk)
    measure, round = evidence.entry.measure, evidence.entry.round
    if not can_report(request.membership, measure):
        raise PermissionDenied
    shown = evidence.original_name or evidence.title or evidence.url
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except MeasureError as error:
        return _respond(request, measure, round, error=str(error))
    return _respond(request, measure, round, notice=_("“%(name)s” was removed.") % {"name": shown})
