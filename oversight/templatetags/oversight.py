from django import template

from ..selectors import scopes_of

register = template.Library()


@register.simple_tag(takes_context=True)
def oversight_scopes(context) -> list:
    """The person's oversight areas for the navigation; one query per request, however often asked."""
    request = context.get("request")
    if request is None:
        return []
    if not hasattr(request, "_oversight_scopes"):
        request._oversight_scopes = list(scopes_of(request.user))
    return request._oversight_scopes


@register.simple_tag(takes_context=True)
def sort_link(context, key: str) -> str:
    """The sort of a column header's link: ascending first, the reverse when it is already ascending."""
    return f"-{key}" if context.get("sort") == key else key
