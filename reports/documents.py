"""The four attached documents (analysis, measures, progress, OIT) as drafts from live data, and the
context every document template shares. An approved memo renders from its frozen version instead."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from assessments.selectors import assessments_of
from itaportal.accounts.models import Organisation
from itaportal.thai import thai_date_range
from measures.models import ReportingRound

from . import rendering
from .models import Document
from .snapshots import (
    analysis_snapshot,
    keep_phrases,
    measures_snapshot,
    oit_snapshot,
    organisation_snapshot,
    progress_snapshot,
)

DOCUMENT_TEMPLATES = {
    "memo": "reports/pdf/memo.html",
    "analysis": "reports/pdf/analysis.html",
    "measures": "reports/pdf/measures.html",
    "progress": "reports/pdf/progress.html",
    "oit": "reports/pdf/oit.html",
}

# Printed words, whatever the reader's language: the documents are always Thai.
PROGRESS_STATUS = {
    "not_started": "ยังไม่ได้ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "not_reported": "ยังไม่ได้รายงาน",
}
OIT_STATUS = {
    "not_started": "ยังไม่ได้ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "published": "ดำเนินการแล้ว",
}


def build_content(kind: str, organisation: Organisation, fiscal_year: int, round: int | None = None) -> dict:
    """The live snapshot of one document: the same dictionary an approved memo would freeze."""
    if kind == "analysis":
        assessment = get_object_or_404(assessments_of(organisation), framework__fiscal_year=fiscal_year)
        content = analysis_snapshot(assessment)
    elif kind == "measures":
        content = measures_snapshot(organisation, fiscal_year)
    elif kind == "progress":
        reporting_round = get_object_or_404(
            ReportingRound, organisation=organisation, fiscal_year=fiscal_year, number=round
        )
        content = progress_snapshot(reporting_round)
    elif kind == "oit":
        content = oit_snapshot(organisation, fiscal_year)
    else:
        raise ValueError(f"unknown document kind: {kind!r}")
    return {**content, "organisation": organisation_snapshot(organisation)}


def organisation_keep(organisation: dict) -> list[str]:
    """The organisation's names and places, never split across lines."""
    return _names(organisation, ("full_name", "name", "short_name", "province", "district"))


# The word list holds some compounds wider than a table column (องค์การบริหารส่วนตำบล,
# นักวิเคราะห์นโยบายและแผน); kept as words of their own, these tails give them a break point.
CELL_BREAKS = ("ส่วนตำบล", "และแผน", "เจ้าหน้าที่", "ท้องถิ่น", "ปฏิบัติการ", "ประสานงาน")


def cell_keep(organisation: dict) -> list[str]:
    """In a narrow column the full name may break between its words (องค์การบริหาร | ส่วนตำบล | ภูซาง),
    as it would on paper; the proper names stay whole."""
    return _names(organisation, ("name", "province", "district")) + list(CELL_BREAKS)


def _names(organisation: dict, keys: tuple[str, ...]) -> list[str]:
    return sorted({organisation.get(key, "") for key in keys} - {""})


def _period(start: str | None, end: str | None, style: str = "abbr") -> str:
    if not start or not end:
        return ""
    return thai_date_range(date.fromisoformat(start), date.fromisoformat(end), style)


def document_context(kind: str, content: dict, draft: bool) -> dict:
    """What the templates need beyond the content: words and periods computed here, never stored
    in the content, so that a frozen content renders the same way."""
    extra = {}
    if kind in ("measures", "progress"):
        rows = content["measures"] if kind == "measures" else content["rows"]
        extra["rows"] = [{**row, "period": _period(row["start"], row["end"])} for row in rows]
    if kind == "progress":
        extra["status_words"] = PROGRESS_STATUS
        extra["round_period"] = _period(content["round"]["start"], content["round"]["end"], "full")
    if kind == "oit":
        extra["status_words"] = OIT_STATUS
    return {
        "content": content,
        "keep": keep_phrases(content) if kind == "memo" else organisation_keep(content["organisation"]),
        "cell_keep": cell_keep(content["organisation"]),
        "font_dir": rendering.FONT_DIR.as_uri(),
        "static_dir": rendering.STATIC_DIR.as_uri(),
        "draft": draft,
        **extra,
    }


def render_html(kind: str, content: dict, draft: bool) -> str:
    return render_to_string(DOCUMENT_TEMPLATES[kind], document_context(kind, content, draft))


def render_pdf(document: Document) -> tuple[bytes, int]:
    """A document job's PDF: from its frozen version when it has one, else it is a draft."""
    return rendering.html_to_pdf(render_html(document.kind, document.version.content, draft=document.version is None))


def render_draft(kind: str, organisation: Organisation, fiscal_year: int, round: int | None = None) -> bytes:
    content = build_content(kind, organisation, fiscal_year, round)
    return rendering.html_to_pdf(render_html(kind, content, draft=True))[0]
