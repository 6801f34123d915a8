"""What an organisation's public disclosure pages show: its approved documents and the content frozen
in them, never a live record, so that a later edit or an unapproved round cannot leak onto the page."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from itaportal.accounts.models import Organisation
from itaportal.thai import thai_date

from ..documents import document_content
from ..models import Document, MemoVersion
from ..snapshots import period_style
from .documents import all_approved_documents

# The memo first, then its attachments in the order a memo names them (the order of the kinds).
KIND_ORDER = list(Document.Kind.values)
PROGRESS_STATUSES = ["done", "in_progress", "not_started", "not_reported"]


def _aggregate(documents: QuerySet[Document], aggregate) -> Subquery:
    return Subquery(documents.order_by().values("organisation").annotate(value=aggregate).values("value"))


def public_organisation(slug: str, fiscal_year: int | None = None) -> Organisation | None:
    """The active organisation with the stamp of its approved documents (of one fiscal year): one
    query, whose answer changes whenever another document is approved and rendered."""
    approved = all_approved_documents().filter(organisation=OuterRef("pk"))
    if fiscal_year is not None:
        approved = approved.filter(version__memo__fiscal_year=fiscal_year)
    return (
        Organisation.objects.filter(slug=slug, is_active=True)
        .select_related("province", "district")
        .annotate(
            approved_count=Coalesce(_aggregate(approved, Count("pk")), 0),
            approved_last=_aggregate(approved, Max("pk")),
            approved_rendered=_aggregate(approved, Max("rendered_at")),
        )
        .first()
    )


def page_stamp(organisation: Organisation) -> str:
    """What a cached page depends on: the stamp of the documents and the organisation's own details."""
    rendered = organisation.approved_rendered.isoformat() if organisation.approved_rendered else ""
    parts = [organisation.approved_count, organisation.approved_last, rendered, organisation.full_name,
             organisation.location, organisation.website]
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]


def public_document(organisation: Organisation, fiscal_year: int, code: str) -> Document | None:
    """An approved, rendered document of this organisation and fiscal year; None for anything else."""
    return all_approved_documents().filter(organisation=organisation, version__memo__fiscal_year=fiscal_year,
                              code=code).first()


@dataclass(frozen=True)
class PublicYearEntry:
    year: int
    memos: int
    documents: int


def public_years(organisation: Organisation) -> list[PublicYearEntry]:
    """The fiscal years with approved documents, newest first, with how many there are."""
    rows = (
        all_approved_documents().filter(organisation=organisation)
        .values("version__memo__fiscal_year")
        .annotate(memos=Count("version", distinct=True), documents=Count("pk"))
        .order_by("-version__memo__fiscal_year")
    )
    return [PublicYearEntry(row["version__memo__fiscal_year"], row["memos"], row["documents"])
            for row in rows]


@dataclass
class PublicDocument:
    kind: str
    label: str
    round_name: str
    code: str
    pages: int


@dataclass
class PublicMemo:
    number: str
    date: str | None
    subject: str
    approved_on: date
    documents: list[PublicDocument] = field(default_factory=list)


@dataclass
class Approved:
    """One part of the summary and the memo whose approval it comes from."""

    content: dict
    number: str
    approved_on: date


@dataclass
class PublicYear:
    memos: list[PublicMemo]
    analysis: Approved | None = None
    measures: Approved | None = None
    rounds: list[Approved] = field(default_factory=list)
    oit: Approved | None = None


def approved_on(version: MemoVersion) -> date:
    """The day of the last decision, as the memo prints it; the freezing day when none is recorded.
    (The demo's historical memos were frozen when loaded, long after their real approval.)"""
    days = [decision["date"] for decision in version.content.get("decisions", []) if decision.get("date")]
    return date.fromisoformat(max(days)) if days else timezone.localdate(version.frozen_at)


def _documents(organisation: Organisation, fiscal_year: int) -> QuerySet[Document]:
    # Newest approval first: the first content of a kind met is the one that stands.
    return (
        all_approved_documents().filter(organisation=organisation, version__memo__fiscal_year=fiscal_year)
        .select_related("version").order_by("-version__frozen_at", "-version_id", "pk")
    )


def _period(part: dict) -> tuple[str, str] | None:
    """The first and last day, apart: each stays on one line, the dash between them may break."""
    if not part.get("start") or not part.get("end"):
        return None
    return tuple(thai_date(date.fromisoformat(part[key]), period_style(part)) for key in ("start", "end"))


def _measures(content: dict) -> dict:
    return {
        "fiscal_year": content["fiscal_year"],
        "rows": [
            {"number": row["number"], "title": row["title"], "steps": row["steps"], "owners": row["owners"],
             "period": _period(row)}
            for row in content["measures"]
        ],
    }


def _progress(content: dict) -> dict:
    rows = [{key: row[key] for key in ("number", "title", "status")} for row in content["rows"]]
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in PROGRESS_STATUSES}
    return {
        "round": {**content["round"], "period": _period(content["round"])},
        "rows": rows,
        "counts": [(status, count) for status, count in counts.items() if count],
    }


def _analysis(content: dict) -> dict:
    return {key: content[key] for key in ("fiscal_year", "overall", "level", "tools", "indicators")}


def _oit(content: dict) -> dict:
    return {
        "published": content["published"],
        "total": content["total"],
        "groups": [{key: group[key] for key in ("number", "name", "published", "total")}
                   for group in content["groups"]],
    }


SUMMARIES = {
    Document.Kind.ANALYSIS: _analysis,
    Document.Kind.MEASURES: _measures,
    Document.Kind.PROGRESS: _progress,
    Document.Kind.OIT: _oit,
}


def _public_memo(version: MemoVersion) -> PublicMemo:
    content = version.content
    return PublicMemo(number=content["number"], date=content["date"], subject=content["subject"],
                      approved_on=approved_on(version))


def public_year(organisation: Organisation, fiscal_year: int) -> PublicYear:
    """The approved memos of the year with their documents, and the summary of what they froze:
    the ITA result, the measures table, each round's progress and the OIT checklist, each from the
    latest approval that carries it. Only the parts a citizen needs are copied out: no person,
    comment or evidence of the frozen content reaches the page."""
    memos: dict[int, PublicMemo] = {}
    # (kind, round number): the part of the newest approval, met first.
    parts: dict[tuple[str, int | None], Approved] = {}
    labels = dict(Document.Kind.choices)
    for document in _documents(organisation, fiscal_year):
        if document.version_id not in memos:
            memos[document.version_id] = _public_memo(document.version)
        memo = memos[document.version_id]
        content = document_content(document)
        progress = document.kind == Document.Kind.PROGRESS
        round_number = content["round"]["number"] if progress else None
        memo.documents.append(PublicDocument(document.kind, labels[document.kind],
                                             content["round"]["name"] if progress else "",
                                             document.code, document.pages))
        if document.kind in SUMMARIES:
            parts.setdefault((document.kind, round_number),
                             Approved(SUMMARIES[document.kind](content), memo.number, memo.approved_on))
    for memo in memos.values():
        memo.documents.sort(key=lambda d: KIND_ORDER.index(d.kind))
    rounds = sorted((key[1], part) for key, part in parts.items() if key[0] == Document.Kind.PROGRESS)
    return PublicYear(
        memos=list(memos.values()),
        analysis=parts.get((Document.Kind.ANALYSIS, None)),
        measures=parts.get((Document.Kind.MEASURES, None)),
        rounds=[part for _number, part in rounds],
        oit=parts.get((Document.Kind.OIT, None)),
    )
