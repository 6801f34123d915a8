"""The access rule of every oversight page: login, then the person's own oversight scope (404)."""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods

from itaportal.accounts.access import OVERSIGHT

from .selectors import get_scope_or_404


def oversight_view(methods: Iterable[str] = ("GET",)) -> Callable:
    """Decorate a view taking `scope_pk`: it then receives the request with `scope`, the person's own
    active oversight membership. A scope of someone else, or none at all, is a 404, so that nobody
    learns which areas others follow. The scope is checked before the method, as organisation pages do:
    an outsider gets the same 404 whatever the method."""
    allowed_methods = tuple(methods)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, scope_pk: int, *args, **kwargs):
            request.scope = get_scope_or_404(request.user, scope_pk)
            return require_http_methods(allowed_methods)(view)(request, *args, **kwargs)

        guarded = login_required(wrapped)
        guarded.ita_access = OVERSIGHT
        guarded.ita_methods = allowed_methods
        return guarded

    return decorator
