from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.accounts.models import Role
from itaportal.audit.registry import describe
from itaportal.thai import to_thai_digits

from ..services.composing import compose_memo
from ..consistency import check_memo, mismatch_message
from ..forms import DecideForm, MemoNewForm, MemoTextForm, SubmitForm
from ..models import Memo, MemoKind
from ..selectors.memos import documents_of, get_memo_for_member, history_of, memos_visible, waiting_for
from ..selectors.chain import capacity_for
from ..services.memos import InconsistentMemo, MemoError, NotAllowed, memo_cancel, memo_decide, memo_submit, \
    memo_update_text
from ..snapshots import keep_phrases, memo_snapshot, number_text

DECIDERS = frozenset({Role.EXECUTIVE, Role.ADMIN})


def _is_author(request, memo: Memo) -> bool:
    return memo.author_id == request.user.pk or request.membership.role == Role.ADMIN


@organisation_view(roles=ALL_ROLES)
def memo_list(request):
    memos = memos_visible(request.membership)
    state = request.GET.get("state", "")
    if state in Memo.State.values:
        memos = memos.filter(state=state)
    return render(
        request,
        "reports/memo_list.html",
        {"memos": memos[:200], "state": state, "states": Memo.State.choices,
         "can_write": request.membership.role in EDITORS},
    )


@organisation_view(roles=DECIDERS)
def memo_inbox(request):
    return render(request, "reports/memo_inbox.html",
                  {"memos": waiting_for(request.membership, timezone.localdate())})


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def memo_new(request):
    organisation = request.organisation
    form = MemoNewForm(request.POST or None, organisation=organisation, initial={"kind": MemoKind.ANALYSIS})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, assessment, round = data["kind"], data["assessment"], data["round"]
        if kind == MemoKind.ANALYSIS:
            fiscal_year = assessment.fiscal_year + 1
        elif kind == MemoKind.PROGRESS:
            fiscal_year = round.fiscal_year
        else:
            fiscal_year = data["fiscal_year"]
        try:
            memo = compose_memo(
                organisation=organisation,
                membership=request.membership,
                kind=kind,
                fiscal_year=fiscal_year,
                assessment=assessment if kind == MemoKind.ANALYSIS else None,
                round=round if kind == MemoKind.PROGRESS else None,
            )
        except MemoError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The memo was composed from the records. Read it, edit it if needed, and submit."))
            return redirect("memo_detail", org_slug=organisation.slug, pk=memo.pk)
    return render(request, "reports/memo_new.html", {"form": form})


@organisation_view(roles=ALL_ROLES, object_level=True)
def memo_detail(request, pk: int):
    memo = get_memo_for_member(request.membership, pk)
    content = memo.version.content if memo.state == Memo.State.APPROVED else memo_snapshot(memo, with_documents=False)
    decide_form = None
    if memo.state == Memo.State.IN_REVIEW:
        step = memo.levels[memo.current_level - 1]
        if capacity_for(request.user, request.organisation, step["position_id"], timezone.localdate()):
            decide_form = DecideForm(initial={"level": memo.current_level, "action": "approve"})
    editable = memo.is_editable and _is_author(request, memo) and request.membership.role in EDITORS
    mismatches = check_memo(memo) if editable else []
    return render(
        request,
        "reports/memo_detail.html",
        {
            "memo": memo,
            "m": content,
            "keep": keep_phrases(content),
            "history": [(entry, describe(entry)) for entry in history_of(memo)],
            "decide_form": decide_form,
            "current_step": memo.levels[memo.current_level - 1] if memo.state == Memo.State.IN_REVIEW else None,
            "editable": editable,
            "mismatches": mismatches,
            "text_mismatches": [m for m in mismatches if not m.in_attachment],
            "attachment_mismatches": [m for m in mismatches if m.in_attachment],
            "submit_form": SubmitForm() if editable else None,
            "documents": documents_of(memo),
        },
    )


@organisation_view(roles=EDITORS, methods=("GET", "POST"), object_level=True)
def memo_edit(request, pk: int):
    memo = get_memo_for_member(request.membership, pk)
    if not _is_author(request, memo):
        raise PermissionDenied
    if not memo.is_editable:
        messages.error(request, _("Only a draft or a returned memo can be edited."))
        return redirect("memo_detail", org_slug=request.organisation.slug, pk=pk)
    form = MemoTextForm(request.POST or None, initial=MemoTextForm.initial_for(memo))
    if request.method == "POST" and form.is_valid():
        try:
            memo_update_text(memo=memo, user=request.user, **form.cleaned_data)
        except MemoError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The memo was saved."))
            return redirect("memo_detail", org_slug=request.organisation.slug, pk=pk)
    return render(request, "reports/memo_edit.html", {"memo": memo, "form": form})


@organisation_view(roles=EDITORS, methods=("POST",), object_level=True)
def memo_submit_view(request, pk: int):
    memo = get_memo_for_member(request.membership, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        # The service's copy: the number is allocated on the row it locked, not on this one.
        memo = memo_submit(memo=memo, user=request.user,
                           override_reason=form.cleaned_data.get("override_reason", ""))
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except InconsistentMemo as error:
        for mismatch in error.mismatches:
            messages.error(request, mismatch_message(mismatch))
    except MemoError as error:
        messages.error(request, str(error))
    else:
        # The whole number as the memo prints it (พย ๗๒๔๐๑/๑๒๑), not the running count alone.
        messages.success(request, _("The memo was submitted as number %(number)s.")
                         % {"number": to_thai_digits(number_text(memo))})
    return redirect("memo_detail", org_slug=request.organisation.slug, pk=pk)


@organisation_view(roles=DECIDERS, methods=("POST",), object_level=True)
def memo_decide_view(request, pk: int):
    memo = get_memo_for_member(request.membership, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("memo_detail", org_slug=request.organisation.slug, pk=pk)
    data = form.cleaned_data
    try:
        memo_decide(memo=memo, user=request.user, level=data["level"], action=data["action"], comment=data["comment"])
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except MemoError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("Your decision was recorded."))
    return redirect("memo_detail", org_slug=request.organisation.slug, pk=pk)


@organisation_view(roles=EDITORS, methods=("POST",), object_level=True)
def memo_cancel_view(request, pk: int):
    memo = get_memo_for_member(request.membership, pk)
    try:
        memo_cancel(memo=memo, user=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except MemoError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The memo was cancelled; its number stays used."))
    return redirect("memo_detail", org_slug=request.organisation.slug, pk=pk)
