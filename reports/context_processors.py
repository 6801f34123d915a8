from django.utils import timezone

from itaportal.accounts.models import Role

from .selectors.memos import waiting_for


def memo_inbox(request):
    """How many memos wait for this executive's decision, for the navigation (organisation pages only)."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in (Role.EXECUTIVE, Role.ADMIN):
        return {"memo_inbox_count": None}
    return {"memo_inbox_count": len(waiting_for(membership, timezone.localdate()))}
