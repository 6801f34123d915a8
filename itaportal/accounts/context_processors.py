from .selectors import memberships_of


def membership(request):
    """The navigation shows the current organisation, the person's position and role, and the
    other organisations to switch to; the list is evaluated only when a template uses it."""
    return {
        "current_membership": getattr(request, "membership", None),
        "my_memberships": memberships_of(request.user) if hasattr(request, "user") else [],
    }
