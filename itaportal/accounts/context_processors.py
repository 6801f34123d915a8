from .selectors import memberships_of


def membership(request):
    """The navigation shows the current organisation, the person's position and role, and the
    other organisations to switch to; the list is evaluated only when a template uses it.

    Between the password and the two-step code it lists none: a password alone reveals nothing."""
    logged_in = hasattr(request, "user") and getattr(request, "two_factor_step", None) is None
    return {
        "current_membership": getattr(request, "membership", None),
        "my_memberships": memberships_of(request.user) if logged_in else [],
    }
