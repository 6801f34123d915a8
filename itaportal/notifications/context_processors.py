from .selectors import unread_count


class _UnreadCount:
    """Counted when a template first asks for it, and once at most: pages that never show the
    navigation (htmx fragments, pages outside an organisation) cost no query."""

    def __init__(self, user, organisation):
        self.user = user
        self.organisation = organisation
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count(self.user, self.organisation)
        return self.value


def unread_notifications(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"unread_notifications": 0}
    return {"unread_notifications": _UnreadCount(request.user, membership.organisation)}
