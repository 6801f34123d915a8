from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, organisation_view

from .selectors import get_notification_for_member, notifications_of
from .services import mark_all_read, mark_read

PAGE_SIZE = 50


@organisation_view(roles=ALL_ROLES)
def notification_list(request):
    page = Paginator(notifications_of(request.user, request.organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@organisation_view(roles=ALL_ROLES, methods=("POST",))
def notification_read(request, pk: int):
    notification = mark_read(notification=get_notification_for_member(request.user, request.organisation, pk))
    # The link was made by the portal, but a stored path is still never allowed to lead elsewhere.
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notification_list", org_slug=request.organisation.slug)


@organisation_view(roles=ALL_ROLES, methods=("POST",))
def notification_read_all(request):
    if mark_all_read(user=request.user, organisation=request.organisation):
        messages.success(request, _("Every notification is marked as read."))
    return redirect("notification_list", org_slug=request.organisation.slug)
