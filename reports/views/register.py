from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import Role
from itaportal.accounts.access import organisation_view

from .. import register_export
from ..filters import MemoRegisterFilter
from ..selectors.register import register_memos, register_rows

PAGE_SIZE = 50
# Auditors are left out on purpose (403): the register lists drafts and memos under review, which
# are not theirs to read before approval (issue 19.4); their approved documents are on their own page.
REGISTER_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.EXECUTIVE})


def _filtered(request) -> tuple[MemoRegisterFilter, QuerySet]:
    filterset = MemoRegisterFilter(
        request.GET or None, register_memos(request.organisation), organisation=request.organisation
    )
    # django-filter applies the valid fields of an invalid form; a mistyped number or date would then
    # widen the search instead of narrowing it. Nothing is listed until the form reads as typed.
    if filterset.is_bound and not filterset.is_valid():
        return filterset, filterset.queryset.none()
    return filterset, filterset.qs


@organisation_view(roles=REGISTER_ROLES)
def memo_register(request):
    filterset, memos = _filtered(request)
    paginator = Paginator(memos, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = register_rows(list(page.object_list), request.organisation, timezone.localdate())
    return render(
        request,
        "reports/memo_register.html",
        {
            "filter": filterset,
            "page": page,
            "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": rows,
        },
    )


@organisation_view(roles=REGISTER_ROLES)
def memo_register_export(request):
    _filterset, memos = _filtered(request)
    rows = register_rows(list(memos), request.organisation, timezone.localdate())
    content = register_export.xlsx(rows, _("Memo register"))
    response = HttpResponse(content, content_type=register_export.XLSX)
    response["Content-Disposition"] = f'attachment; filename="memo-register-{request.organisation.slug}.xlsx"'
    return response
