"""Approved documents: the auditors' list and the public verification by SHA-256 or by code."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment
from itaportal.accounts.models import Membership, Organisation, Role
from measures.models import Measure, OitEntry, ReportingRound

from ..models import Document, Memo

SHA256_RE = re.compile(r"[0-9a-f]{64}")


def all_approved_documents() -> QuerySet[Document]:
    """Rendered documents of approved memos, of every organisation: all that auditors, the public and
    the oversight roll-up may ever see."""
    return Document.objects.filter(state=Document.State.READY, version__memo__state=Memo.State.APPROVED)


def approved_documents(organisation: Organisation) -> QuerySet[Document]:
    """Rendered documents of the organisation's approved memos, newest fiscal year first."""
    return (
        all_approved_documents().filter(organisation=organisation)
        .select_related("version__memo__organisation")
        .order_by("-version__memo__fiscal_year", "kind", "-version__frozen_at", "-pk")
    )


def visible_document(membership: Membership, pk: int) -> Document | None:
    """A document of the member's organisation; auditors see approved documents only, never drafts."""
    documents = Document.objects.filter(organisation=membership.organisation, pk=pk)
    if membership.role == Role.AUDITOR:
        documents = documents.filter(version__memo__state=Memo.State.APPROVED)
    return documents.select_related("version__memo", "requested_by").first()


@dataclass
class DraftOption:
    kind: str
    label: str
    round: int | None = None
    round_name: str = ""


@dataclass
class DraftYear:
    year: int
    options: list[DraftOption] = field(default_factory=list)


def draft_options(organisation: Organisation) -> list[DraftYear]:
    """Every document the organisation's live data can make, by fiscal year, newest first; four queries."""
    labels = dict(Document.Kind.choices)
    analysis = set(Assessment.objects.filter(organisation=organisation).values_list("framework__fiscal_year", flat=True))
    measures = set(Measure.objects.filter(organisation=organisation).values_list("fiscal_year", flat=True))
    rounds = list(ReportingRound.objects.filter(organisation=organisation).order_by("number"))
    # The checklist of a year the office recorded nothing of would print every item as not started.
    checklist = set(OitEntry.objects.filter(organisation=organisation, item__tool__checklist=True)
                    .values_list("item__framework__fiscal_year", flat=True))
    years = analysis | measures | {r.fiscal_year for r in rounds}
    result = []
    for year in sorted(years, reverse=True):
        options = []
        if year in analysis:
            options.append(DraftOption("analysis", labels["analysis"]))
        if year in measures:
            options.append(DraftOption("measures", labels["measures"]))
        options += [DraftOption("progress", labels["progress"], r.number, r.name) for r in rounds if r.fiscal_year == year]
        if year in checklist:
            options.append(DraftOption("oit", labels["oit"]))
        result.append(DraftYear(year, options))
    return result


def recent_drafts(organisation: Organisation, limit: int = 20) -> QuerySet[Document]:
    return (
        Document.objects.filter(organisation=organisation, version__isnull=True)
        .select_related("requested_by").defer("content").order_by("-created_at")[:limit]
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
    sha256: str


def _verification(document: Document) -> Verification:
    return Verification(
        organisation=document.organisation.full_name,
        kind=document.get_kind_display(),
        approved_on=timezone.localdate(document.version.frozen_at),
        sha256=document.sha256,
    )


def verify_sha256(sha256: str) -> Verification | None:
    """The approved document with this PDF hash; None for anything else, drafts included, alike."""
    sha256 = sha256.strip().lower()
    if not SHA256_RE.fullmatch(sha256):
        return None
    document = all_approved_documents().filter(sha256=sha256).select_related("organisation", "version").order_by("pk").first()
    return _verification(document) if document else None


def verify_code(code: str) -> Verification | None:
    """The approved document whose QR code carries this short code; None for drafts and unknown codes."""
    document = all_approved_documents().filter(code=code.strip().lower()).select_related("organisation", "version").first()
    return _verification(document) if document else None
