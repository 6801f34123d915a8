from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def public_address(org_slug: str, fiscal_year: int | None = None) -> str:
    """The absolute address of an organisation's public page (of one fiscal year), as the office
    copies it onto its website: built on PORTAL_URL, whatever host the reader came in by."""
    if fiscal_year is None:
        return settings.PORTAL_URL + reverse("public_organisation", args=[org_slug])
    return settings.PORTAL_URL + reverse("public_organisation_year", args=[org_slug, fiscal_year])
