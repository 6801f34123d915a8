"""The four attached documents (analysis, measures, progress, OIT) as drafts from live data, and the
context every document template shares. An approved memo renders from its frozen version instead."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation

from assessments.selectors import assessments_of
from itaportal.accounts.models import Organisation
from itaportal.thai import format_number, thai_date, thai_date_range
from measures.models import ReportingRound

from . import rendering
from .codes import code_url, qr_svg
from .models import Document
from .snapshots import (
    analysis_snapshot,
    canonical_hash,
    keep_phrases,
    measures_snapshot,
    oit_snapshot,
    organisation_snapshot,
    period_style,
    progress_snapshot,
)

DOCUMENT_TEMPLATES = {
    "memo": "reports/pdf/memo.html",
    "analysis": "reports/pdf/analysis.html",
    "measures": "reports/pdf/measures.html",
    "progress": "reports/pdf/progress.html",
    "oit": "reports/pdf/oit.html",
}

# Bumped whenever a document's template or CSS changes, so that the same data renders anew.
TEMPLATE_VERSIONS = {
    "memo": "memo-3",
    "analysis": "analysis-3",
    "measures": "measures-2",
    "progress": "progress-4",
    "oit": "oit-2",
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
CELL_BREAKS = ("ส่วนตำบล", "และแผน", "เจ้าหน้าที่", "ท้องถิ่น", "ปฏิบัติการ", "ประสานงาน", "การประชุม", "ส่วนตัว",
               "บุคคล", "องค์การบริหาร")


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


def _period_ends(start: str | None, end: str | None, style: str = "abbr") -> tuple[str, str] | None:
    """The period's first and last day apart, for a column too narrow for both on one line: each day
    stays whole (๓๐ ก.ย. ๖๖), the line breaks at the dash."""
    if not start or not end:
        return None
    return thai_date(date.fromisoformat(start), style), thai_date(date.fromisoformat(end), style)


def _threshold(value: Decimal) -> str:
    """A level's bound as the NACC prints it: ๘๕, ๙๔.๙๙."""
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def level_table(rules: list[dict]) -> list[dict]:
    """The year's levels as ranges of the overall score, in the order they are tried. A level's range
    ends where an earlier level that asks nothing of the tools begins: one that also asks each tool for
    a minimum (ผ่านดีเยี่ยม from FY 2566) leaves the scores above it to the levels after it."""
    rows, ceiling = [], Decimal(100)
    for rule in rules:
        low = Decimal(rule["min_overall"])
        each_tool = rule.get("min_each_tool")
        rows.append({
            "name": rule["name"],
            "overall": f"{_threshold(low)} – {_threshold(ceiling)}" if low < ceiling else _threshold(low),
            "each_tool": _threshold(Decimal(each_tool)) if each_tool is not None else "",
            "provisional": bool(rule.get("provisional")),
        })
        if each_tool is None and low > 0:
            ceiling = min(ceiling, low - Decimal("0.01"))
    return rows


def _extremes(indicators: list[dict]) -> dict | None:
    """The indicators with the highest and the lowest score (all of them when tied), top level only:
    sub-indicators are parts of their indicator's score."""
    scored = [i for i in indicators if not i["sub"] and i["score"] is not None]
    if len(scored) < 2:
        return None
    scores = [Decimal(i["score"]) for i in scored]
    high, low = max(scores), min(scores)
    return {
        "high": [i for i in scored if Decimal(i["score"]) == high], "high_score": str(high),
        "low": [i for i in scored if Decimal(i["score"]) == low], "low_score": str(low),
        "all_equal": high == low,
    }


# The columns of an issue's table, with their share of the width; the optional ones only when some issue
# of the year fills them (a framework without items cited, an analysis naming no indicator).
ISSUE_COLUMNS = (("title", 18, True), ("tool", 14, True), ("indicator", 16, False), ("questions", 24, False),
                 ("analysis", 32, True), ("recommendation", 24, False))
# Beyond the four columns of the references (000), the issues are set on landscape pages.
PORTRAIT_ISSUE_COLUMNS = 4


def issue_columns(issues: list[dict]) -> dict[str, int]:
    filled = {
        "indicator": any(issue.get("indicator") for issue in issues),
        "questions": any(issue["items"] for issue in issues),
        "recommendation": any(issue.get("recommendation") for issue in issues),
    }
    shown = [(key, share) for key, share, always in ISSUE_COLUMNS if always or filled[key]]
    total = sum(share for _key, share in shown)
    return {key: round(share * 100 / total) for key, share in shown}


def analysis_context(content: dict) -> dict:
    columns = issue_columns(content["issues"])
    return {
        "level_table": level_table(content.get("level_rules", [])),
        "level_tool_column": any(rule.get("min_each_tool") is not None for rule in content.get("level_rules", [])),
        "level_provisional": any(rule.get("provisional") for rule in content.get("level_rules", [])),
        "sub_column": any(indicator["sub"] for indicator in content["indicators"]),
        "extremes": _extremes(content["indicators"]),
        "columns": columns,
        "issues_wide": len(columns) > PORTRAIT_ISSUE_COLUMNS,
        "any_derived": any(tool["derived"] for tool in content["tools"]),
    }


def document_context(kind: str, content: dict, draft: bool) -> dict:
    """What the templates need beyond the content: words and periods computed here, never stored
    in the content, so that a frozen content renders the same way."""
    extra = {}
    if kind in ("measures", "progress"):
        rows = content["measures"] if kind == "measures" else content["rows"]
        extra["rows"] = [{**row, "period": _period(row["start"], row["end"], period_style(row)),
                          "period_ends": _period_ends(row["start"], row["end"], period_style(row))} for row in rows]
    if kind == "progress":
        extra["status_words"] = PROGRESS_STATUS
        extra["round_period"] = _period(content["round"]["start"], content["round"]["end"], "full")
    if kind == "oit":
        extra["status_words"] = OIT_STATUS
    if kind == "analysis":
        extra.update(analysis_context(content))
    return {
        "content": content,
        "keep": rendering.PrintPhrases(
            keep_phrases(content) if kind == "memo" else organisation_keep(content["organisation"])),
        "cell_keep": rendering.PrintPhrases(cell_keep(content["organisation"])),
        "font_dir": rendering.FONT_DIR.as_uri(),
        "static_dir": rendering.STATIC_DIR.as_uri(),
        "draft": draft,
        **extra,
    }


def content_hash(kind: str, content: dict, draft: bool) -> str:
    """Equal for equal data under the same template: the key that spares a second render."""
    return canonical_hash({"template": TEMPLATE_VERSIONS[kind], "draft": draft, "content": content})


def document_content(document: Document) -> dict:
    """A draft carries its own snapshot; an approved document reads its part of the frozen memo."""
    if document.version_id is None:
        return document.content
    frozen = document.version.content
    if document.kind == Document.Kind.MEMO:
        return frozen
    return {**frozen["documents"][document.kind], "organisation": frozen["organisation"]}


def document_filename(document: Document) -> str:
    """The name a PDF is saved under: the kind, the office, the document's own fiscal year and round,
    and the code printed on its pages (a draft, its number: it has no verification page)."""
    parts = [document.kind, document.organisation.slug, str(document.fiscal_year or "")]
    if document.round_number:
        parts.append(f"round{document.round_number}")
    parts += ["draft", str(document.pk)] if document.version_id is None else [document.code]
    return "-".join(part for part in parts if part) + ".pdf"


def verification(document: Document) -> dict | None:
    """The short address and QR code printed on every page of an approved document."""
    if document.version_id is None:
        return None
    url = code_url(document.code)
    return {"url": url, "qr": qr_svg(url, size_mm=16), "display": url.split("://", 1)[-1]}


def render_html(kind: str, content: dict, draft: bool, verify: dict | None = None, **flags) -> str:
    """`flags`: continued (a later section: no title), unnumbered (page numbers are laid over later)."""
    # A document is Thai whoever asks for it: its dates (the thai_date filter follows the language of
    # the page) and any translated word print as on paper, and equal content renders equal bytes.
    with translation.override("th"):
        return render_to_string(DOCUMENT_TEMPLATES[kind],
                                {**document_context(kind, content, draft), "verify": verify, **flags})


# The tables whose rows may render in parallel sections, and the length from which it pays: below
# it, forking and joining cost more than they save (bench/pdf.py).
SECTION_ROWS = {"progress": "rows", "measures": "measures"}
SECTION_MIN_ROWS = 10


def _section_pdf(kind: str, content: dict, draft: bool, verify: dict | None, continued: bool) -> tuple[bytes, int]:
    return rendering.html_to_pdf(render_html(kind, content, draft, verify, continued=continued, unnumbered=True))


def content_to_pdf(kind: str, content: dict, draft: bool, verify: dict | None = None) -> tuple[bytes, int]:
    """A long table is cut into one section per process, each starting a new page, rendered (template
    and layout) side by side."""
    key, processes = SECTION_ROWS.get(kind), rendering.processes()
    if key is None or processes == 1 or len(content[key]) < SECTION_MIN_ROWS:
        return rendering.html_to_pdf(render_html(kind, content, draft, verify))
    rows = content[key]
    size = -(-len(rows) // processes)
    sections = [
        (kind, {**content, key: rows[start:start + size]}, draft, verify, start > 0)
        for start in range(0, len(rows), size)
    ]
    return rendering.sections_to_pdf(_section_pdf, sections, lambda sizes: render_to_string(
        "reports/pdf/page_numbers.html", {"sizes": sizes, "font_dir": rendering.FONT_DIR.as_uri()}))


def render_pdf(document: Document) -> tuple[bytes, int]:
    """A document job's PDF: approved from the frozen version with its QR code, else a watermarked draft."""
    return content_to_pdf(document.kind, document_content(document), draft=document.version_id is None,
                          verify=verification(document))


def render_draft(kind: str, organisation: Organisation, fiscal_year: int, round: int | None = None) -> bytes:
    return content_to_pdf(kind, build_content(kind, organisation, fiscal_year, round), draft=True)[0]
