"""An organisation's public disclosure pages: the address the office puts on its website for the OIT
items on measures and their progress. No login; the page is the same for every visitor, so it is
rendered without the request (no session, no CSRF cookie, no CSP nonce) and cached whole."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from itaportal.accounts.access import public_view

from ..codes import qr_svg
from ..documents import document_filename
from ..selectors.public import page_stamp, public_document, public_organisation, public_year, public_years

logger = logging.getLogger(__name__)

METHODS = ("GET", "HEAD")
# Browsers and proxies may reuse a page this long; the portal's own copy is keyed on the approvals,
# so a new approval shows here at once and out there within these five minutes.
PAGE_MAX_AGE = 300
# The key already changes with every approval: the lifetime only bounds how long an old copy lingers.
CACHE_SECONDS = 3600
# Bumped when the templates change, so that no copy of the old layout is served after a deploy.
CACHE_VERSION = 1
# An approved PDF never changes: its code leads to the same file for good.
PDF_MAX_AGE = 86400
QR_SIZE_MM = 30


def _organisation_or_404(slug: str, fiscal_year: int | None = None):
    organisation = public_organisation(slug, fiscal_year)
    if organisation is None:
        raise Http404
    return organisation


def _cache_get(key: str) -> str | None:
    # A public page must answer even when the cache is down: it is only slower then.
    try:
        return cache.get(key)
    except Exception:
        logger.warning("cache unavailable: public page rendered uncached", exc_info=True)
        return None


def _cache_set(key: str, html: str) -> None:
    try:
        cache.set(key, html, CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable: public page not kept", exc_info=True)


def _address(path: str) -> dict:
    """The page's own address and its QR code, for the office to print and post."""
    url = settings.PORTAL_URL + path
    return {"page_url": url, "page_display": url.split("://", 1)[-1],
            "page_qr": qr_svg(url, size_mm=QR_SIZE_MM)}


def _names(organisation) -> list[str]:
    """The proper names that must never break across lines (ภูซาง, not ภู | ซาง)."""
    names = [organisation.name, organisation.province.name]
    if organisation.district_id:
        names.append(organisation.district.name)
    return names


def _page(template: str, organisation, fiscal_year: int | None, path: str, build) -> HttpResponse:
    """The page from the cache, or rendered from `build()` and kept; nothing is built on a hit."""
    key = ":".join(["public-page", str(CACHE_VERSION), template, str(organisation.pk), str(fiscal_year or ""),
                    get_language(), page_stamp(organisation)])
    html = _cache_get(key)
    if html is None:
        html = render_to_string(template, {
            "organisation": organisation, "fiscal_year": fiscal_year, "keep": _names(organisation),
            "portal_host": settings.PORTAL_URL.split("://", 1)[-1], **_address(path), **build(),
        })
        _cache_set(key, html)
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
    # The language may come from the visitor's language cookie (Accept-Language is added by the middleware).
    patch_vary_headers(response, ["Cookie"])
    return response


@public_view(methods=METHODS)
def public_organisation_page(request, org_slug: str):
    """The organisation and the fiscal years that have approved documents."""
    organisation = _organisation_or_404(org_slug)
    return _page("reports/public/organisation.html", organisation, None,
                 reverse("public_organisation", args=[organisation.slug]),
                 lambda: {"years": public_years(organisation)})


@public_view(methods=METHODS)
def public_organisation_year(request, org_slug: str, fiscal_year: int):
    """A year's approved documents and what they froze. A year without any is not a page (404): the
    organisation page lists the years that are."""
    organisation = _organisation_or_404(org_slug, fiscal_year)
    if not organisation.approved_count:
        raise Http404
    return _page("reports/public/year.html", organisation, fiscal_year,
                 reverse("public_organisation_year", args=[organisation.slug, fiscal_year]),
                 lambda: {"year": public_year(organisation, fiscal_year)})


@public_view(methods=METHODS)
def public_document_pdf(request, org_slug: str, fiscal_year: int, code: str):
    """The PDF of an approved document; a draft, a document of another organisation or year, or one
    not yet rendered is not found."""
    organisation = _organisation_or_404(org_slug)
    document = public_document(organisation, fiscal_year, code)
    if document is None:
        raise Http404
    response = FileResponse(document.pdf.open("rb"), filename=document_filename(document),
                            content_type="application/pdf")
    response["X-Document-SHA256"] = document.sha256
    patch_cache_control(response, public=True, max_age=PDF_MAX_AGE)
    return response
