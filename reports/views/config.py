"""The organisation admin's settings of the approval: chains of positions and acting appointments."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.access import ADMINS, organisation_view
from itaportal.accounts.models import Organisation
from itaportal.audit.selectors import about_kind, history

from ..forms_config import GENERAL_CHAIN, ChainForm, DelegationEndForm, DelegationForm, chain_kind_choices
from ..models import ApprovalChain, Delegation, Memo
from ..selectors.chain import capacity_for, deciders_of
from ..services.config import chain_remove, chain_set, delegation_create, delegation_end
from ..services.memos import MemoError
from ..snapshots import addressee


def _auto_id(kind: str) -> str:
    # Every chain has its own form on the page: field ids must not collide between them.
    return f"id_{kind or 'general_chain'}_%s"


def _chain_sections(organisation: Organisation, bound: ChainForm | None) -> list[dict]:
    chains = {
        chain.kind: chain
        for chain in ApprovalChain.objects.filter(organisation=organisation).prefetch_related(
            "levels__position__organisation"
        )
    }
    today = timezone.localdate()
    sections = []
    for kind, label in chain_kind_choices():
        chain = chains.get(kind)
        positions = [level.position for level in chain.levels.all()] if chain else []
        if bound is not None and bound.data.get("kind", "") == kind:
            form = bound
        else:
            form = ChainForm(
                initial=ChainForm.initial_for(kind, positions, chain.address_via if chain else False),
                organisation=organisation,
                auto_id=_auto_id(kind),
            )
        sections.append(
            {
                "kind": kind,
                "label": label,
                "chain": chain,
                "levels": [(p, deciders_of(organisation, p.pk, today)) for p in positions],
                # The same function the memo uses, so the preview cannot drift from what is printed.
                "addressee": addressee(Memo(organisation=organisation, kind=kind)) if chain else "",
                "form": form,
            }
        )
    return sections


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def chain_settings(request):
    organisation = request.organisation
    bound = None
    if request.method == "POST":
        kind = request.POST.get("kind", GENERAL_CHAIN)
        if kind not in dict(chain_kind_choices()):
            return HttpResponseBadRequest()
        if "remove" in request.POST:
            try:
                chain_remove(organisation=organisation, kind=kind, user=request.user)
                messages.success(
                    request, _("The chain was removed; this kind of memo follows the general chain.")
                )
            except MemoError as error:
                messages.error(request, str(error))
            return redirect("chain_settings", org_slug=organisation.slug)
        bound = ChainForm(request.POST, organisation=organisation, auto_id=_auto_id(kind))
        if bound.is_valid():
            try:
                chain_set(
                    organisation=organisation,
                    kind=kind,
                    positions=bound.positions(),
                    address_via=bound.cleaned_data["address_via"],
                    user=request.user,
                )
            except MemoError as error:
                bound.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The chain was saved. Memos already submitted keep the chain they were sent with."),
                )
                return redirect("chain_settings", org_slug=organisation.slug)
    context = {
        "sections": _chain_sections(organisation, bound),
        "bound_kind": bound.data.get("kind", "") if bound else None,
        # Removed chains too: their entries name the kind.
        "history": history(about_kind(ApprovalChain, organisation)),
    }
    return render(request, "reports/chain_settings.html", context)


def _delegation_rows(organisation: Organisation, failed_end: DelegationEndForm | None) -> tuple[list, list]:
    today = timezone.localdate()
    current, past = [], []
    rows = (
        Delegation.objects.filter(organisation=organisation)
        .select_related("person", "position__organisation")
        .order_by("-start", "-pk")
    )
    for delegation in rows:
        failed_here = failed_end is not None and str(delegation.pk) == failed_end.data.get("delegation_id")
        if delegation.end < today:
            past.append({"delegation": delegation, "end_form": failed_end if failed_here else None})
            continue
        if failed_here:
            end_form = failed_end
        else:
            end_form = DelegationEndForm(
                initial={"delegation_id": delegation.pk, "on": max(today, delegation.start)},
                auto_id=f"id_end_{delegation.pk}_%s",
            )
        first_day = max(today, delegation.start)
        capacity = capacity_for(delegation.person, organisation, delegation.position_id, first_day)
        current.append(
            {
                "delegation": delegation,
                "upcoming": delegation.start > today,
                "signs_as": capacity.position_title if capacity else "",
                "end_form": end_form,
            }
        )
    return current, past


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def delegations(request):
    organisation = request.organisation
    form = DelegationForm(organisation=organisation, initial={"start": timezone.localdate()})
    failed_end = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = DelegationForm(request.POST, organisation=organisation)
            if form.is_valid():
                try:
                    delegation_create(organisation=organisation, user=request.user, **form.cleaned_data)
                except MemoError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("The appointment was recorded."))
                    return redirect("delegations", org_slug=organisation.slug)
        elif action == "end":
            delegation_id = request.POST.get("delegation_id", "")
            if not delegation_id.isdigit():
                raise Http404
            delegation = get_object_or_404(Delegation, pk=int(delegation_id), organisation=organisation)
            end_form = DelegationEndForm(request.POST, auto_id=f"id_end_{delegation.pk}_%s")
            if end_form.is_valid():
                try:
                    delegation_end(delegation=delegation, user=request.user, on=end_form.cleaned_data["on"])
                except MemoError as error:
                    end_form.add_error("on", str(error))
                else:
                    messages.success(request, _("The appointment was ended."))
                    return redirect("delegations", org_slug=organisation.slug)
            failed_end = end_form
        else:
            return HttpResponseBadRequest()
    current, past = _delegation_rows(organisation, failed_end)
    return render(
        request,
        "reports/delegations.html",
        {"form": form, "current": current, "past": past, "history": history(about_kind(Delegation, organisation))},
    )
