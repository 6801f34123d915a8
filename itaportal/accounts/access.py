"""The access rule of every organisation page: login, then membership (404), then role (403)."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_http_methods

from .models import Role
from .selectors import get_membership_or_404

ALL_ROLES = frozenset(Role.values)
EDITORS = frozenset({Role.ADMIN, Role.STAFF})
ADMINS = frozenset({Role.ADMIN})

CURRENT_ORG_SESSION_KEY = "ita_current_org"

# Every routed view declares one access kind in `ita_access`, read by the permission matrix test:
# "organisation" (organisation_view), "oversight" (an area's oversight pages), "authenticated"
# (any logged-in person, nothing of an organisation's), "public" (no login), "platform" (the people
# who run the portal: a named permission, never an organisation's role).
ORGANISATION = "organisation"
OVERSIGHT = "oversight"
AUTHENTICATED = "authenticated"
PUBLIC = "public"
PLATFORM = "platform"


def _declare(view: Callable, access: str, methods: tuple[str, ...]) -> Callable:
    view.ita_access = access
    view.ita_methods = methods
    return view


def public_view(methods: Iterable[str] = ("GET",)) -> Callable:
    """A page open to everyone without login (verification, public disclosure pages)."""
    allowed_methods = tuple(methods)
    return lambda view: _declare(require_http_methods(allowed_methods)(view), PUBLIC, allowed_methods)


def authenticated_view(methods: Iterable[str] = ("GET",)) -> Callable:
    """A page for any logged-in person that shows nothing of an organisation they are not in."""
    allowed_methods = tuple(methods)
    return lambda view: _declare(
        login_required(require_http_methods(allowed_methods)(view)), AUTHENTICATED, allowed_methods
    )


def platform_view(permission: str, methods: Iterable[str] = ("GET",)) -> Callable:
    """A page of the people who run the portal (register offices, edit frameworks): it needs the
    named permission (a superuser has every one). Anyone else gets 404, as for an organisation they
    are not in: the page tells an office's people nothing."""
    allowed_methods = tuple(methods)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise Http404
            return require_http_methods(allowed_methods)(view)(request, *args, **kwargs)

        guarded = _declare(login_required(wrapped), PLATFORM, allowed_methods)
        guarded.ita_permission = permission
        return guarded

    return decorator


def organisation_view(
    roles: Iterable[str] = ALL_ROLES, methods: Iterable[str] = ("GET",), object_level: bool = False
) -> Callable:
    """Decorate a view taking `org_slug`: it then receives the request with `membership` and
    `organisation` resolved from the person's own membership, never from form data.

    The allowed roles and methods are kept on the view so that the permission tests can read
    the expectation of every URL instead of repeating it. `object_level` says that the view also
    checks the object itself (a staff member reports only on the measures of their unit) and may
    answer 403 to a role that the decorator lets through.
    """
    allowed_roles = frozenset(roles)
    allowed_methods = tuple(methods)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, org_slug: str, *args, **kwargs):
            membership = get_membership_or_404(request.user, org_slug)
            if membership.role not in allowed_roles:
                raise PermissionDenied
            request.membership = membership
            request.organisation = membership.organisation
            # Written only on a change: an unchanged session would otherwise be saved (an UPDATE and a
            # commit) on every page.
            if request.session.get(CURRENT_ORG_SESSION_KEY) != org_slug:
                request.session[CURRENT_ORG_SESSION_KEY] = org_slug
            return require_http_methods(allowed_methods)(view)(request, *args, **kwargs)

        guarded = _declare(login_required(wrapped), ORGANISATION, allowed_methods)
        guarded.ita_roles = allowed_roles
        guarded.ita_object_level = object_level
        return guarded

    return decorator
