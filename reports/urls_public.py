"""Pages open to everyone, without login."""

from django.urls import path, re_path, register_converter

from .models import CODE_ALPHABET, CODE_LENGTH
from .views import public, verify


class DocumentCode:
    """A document's short code, as printed under its QR code."""

    regex = f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DocumentCode, "document_code")

urlpatterns = [
    path("verify/", verify.verify, name="verify"),
    re_path(r"^verify/(?P<sha256>[0-9a-fA-F]{64})/$", verify.verify_result, name="verify_result"),
    # The short address printed under each approved document's QR code.
    re_path(r"^v/(?P<code>[0-9a-zA-Z]{10})/$", verify.verify_code_view, name="verify_code"),
    # An organisation's public disclosure pages: the addresses its website links to.
    path("p/<slug:org_slug>/", public.public_organisation_page, name="public_organisation"),
    path("p/<slug:org_slug>/<int:fiscal_year>/", public.public_organisation_year,
         name="public_organisation_year"),
    path("p/<slug:org_slug>/<int:fiscal_year>/<document_code:code>.pdf", public.public_document_pdf,
         name="public_document_pdf"),
]
