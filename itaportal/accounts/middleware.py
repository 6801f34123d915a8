from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from .twofactor import pending_step, step_url

# What a person half-way through logging in may still open: the two steps, the way out, the
# language switch, and the probe of the orchestrator. Static files never reach a view.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {"two_factor_verify", "two_factor_enrol", "logout", "set_language", "healthz"}
)


class TwoFactorMiddleware:
    """After the password and before the code, a person is logged in but not verified: every page
    sends them to the code step, or to enrolment when two-step login is required of them and they
    have no device yet. Placed after django-otp's OTPMiddleware, which tells who is verified.

    The step is left on the request (`two_factor_step`) for the pages that stay open meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        request.two_factor_step = step = pending_step(user)
        match = request.resolver_match
        if step is None or (not match.namespace and match.url_name in OPEN_BEFORE_SECOND_FACTOR):
            return None
        # Only a page can be come back to: a form posted before the code would arrive as a GET.
        url = step_url(step, request.get_full_path() if request.method == "GET" else "")
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
