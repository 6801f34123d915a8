"""Approved documents: the auditors' list, the public verification by SHA-256, and the QR code that points to it."""

import io
import re
from dataclasses import dataclass, field
from datetime import date

import segno
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from itaportal.accounts.models import Organisation

from ..models import Document, Memo

SHA256_RE = re.compile(r"[0-9a-f]{64}")
QR_SIZE_MM = 25
QR_BORDER = 2


def approved_documents(organisation: Organisation) -> QuerySet[Document]:
    """Rendered documents of the organisation's approved memos, newest fiscal year first."""
    return (
        Document.objects.filter(
            organisation=organisation, state=Document.State.READY, version__memo__state=Memo.State.APPROVED
        )
        .select_related("version__memo__organisation")
        .order_by("-version__memo__fiscal_year", "kind", "-version__frozen_at", "-pk")
    )


def approved_years(organisation: Organisation) -> list[int]:
    return list(
        approved_documents(organisation).order_by("-version__memo__fiscal_year")
        .values_list("version__memo__fiscal_year", flat=True).distinct()
    )


@dataclass
class KindGroup:
    kind: str
    label: str
    documents: list[Document] = field(default_factory=list)


@dataclass
class YearGroup:
    year: int
    kinds: list[KindGroup] = field(default_factory=list)


def grouped_by_year_and_kind(documents) -> list[YearGroup]:
    """Groups an ordered sequence of documents (see approved_documents) without further queries."""
    labels = dict(Document.Kind.choices)
    years: list[YearGroup] = []
    for document in documents:
        year = document.version.memo.fiscal_year
        if not years or years[-1].year != year:
            years.append(YearGroup(year))
        kinds = years[-1].kinds
        if not kinds or kinds[-1].kind != document.kind:
            kinds.append(KindGroup(document.kind, labels.get(document.kind, document.kind)))
        kinds[-1].documents.append(document)
    return years


@dataclass(frozen=True)
class Verification:
    """All that the public may learn of a document: nothing that names a person or a subject."""

    organisation: str
    kind: str
    approved_on: date


def verify_sha256(sha256: str) -> Verification | None:
    """The approved document with this PDF hash; None for anything else, drafts included, alike."""
    sha256 = sha256.strip().lower()
    if not SHA256_RE.fullmatch(sha256):
        return None
    document = (
        Document.objects.filter(sha256=sha256, state=Document.State.READY, version__memo__state=Memo.State.APPROVED)
        .select_related("organisation", "version")
        .order_by("pk")
        .first()
    )
    if document is None:
        return None
    return Verification(
        organisation=document.organisation.full_name,
        kind=document.get_kind_display(),
        approved_on=timezone.localdate(document.version.frozen_at),
    )


def verification_url(sha256: str) -> str:
    return settings.PORTAL_URL + reverse("verify_result", args=[sha256.lower()])


def qr_svg(url: str) -> str:
    """An inline SVG of about 2.5 cm with attributes only (no <style>: the pages' CSP forbids inline styles)."""
    code = segno.make(url, error="m")
    width, _height = code.symbol_size(scale=1, border=QR_BORDER)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, border=QR_BORDER, unit="mm",
              scale=QR_SIZE_MM / width, svgclass="qr", lineclass=None, title=url)
    return out.getvalue().decode()
