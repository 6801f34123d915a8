"""The data of each document as plain JSON: frozen into a memo's approved version, or built from live
data for a draft. Documents render from these dictionaries only, so an approved document shows
exactly what was approved, however the records change later."""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import AnalysisIssue, Assessment
from assessments.scoring import Scoreboard
from assessments.selectors import assessments_of, issues_of, item_scores_of, scoreboard_of
from itaportal.accounts.models import Organisation
from itaportal.thai import to_thai_digits
from measures.models import ReportingRound
from measures.selectors.oit import oit_checklist
from measures.selectors.plan import measures_of
from measures.selectors.progress import entries_by_key

from .models import Memo
from .selectors.chain import chain_positions

ALL_UNITS = "ทุกสำนัก ทุกกอง"
# How each attached document is named in the memo, whatever the reader's language: it is print.
ATTACHMENT_TITLES = {
    "analysis": "รายงานผลการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
    "measures": "ตารางมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "progress": "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
    "oit": "รายการตรวจการเปิดเผยข้อมูลสาธารณะ (OIT)",
}


def attachment_titles(attachments: list[str], *, fiscal_year: int, analysis_year: int | None,
                      round_name: str = "") -> list[str]:
    """How the memo names each attached document: its title with the document's own fiscal year (the
    analysis: the year of the results it analyses) and, for the progress report, its round."""
    years = {"analysis": analysis_year, "measures": fiscal_year, "progress": fiscal_year, "oit": fiscal_year}
    titles = []
    for kind in attachments:
        if kind not in ATTACHMENT_TITLES:
            continue
        title = ATTACHMENT_TITLES[kind]
        if kind == "progress" and round_name:
            title += f" {to_thai_digits(round_name)}"
        if years[kind]:
            title += f" ประจำปีงบประมาณ พ.ศ. {to_thai_digits(years[kind])}"
        titles.append(title)
    return titles


def score_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def day_text(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def round_part(round) -> dict:
    """A reporting round as a progress report prints it."""
    return {"number": round.number, "name": round.name, "start": day_text(round.period_start),
            "end": day_text(round.period_end), "due": day_text(round.due_date)}


def canonical_hash(content: dict) -> str:
    """SHA-256 of the content written canonically (sorted keys, no spaces): equal data, equal hash."""
    raw = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def organisation_snapshot(organisation: Organisation) -> dict:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "full_name": organisation.full_name,
        "short_name": organisation.short_name,
        "location": organisation.location,
        "province": organisation.province.name,
        "district": organisation.district.name if organisation.district_id else "",
        "document_code": organisation.document_code,
        "website": organisation.website,
    }


def level_rules_part(rules: list[dict]) -> list[dict]:
    """The year's levels as the assessment froze them, in the order they are tried."""
    return [{"name": rule["name"], "min_overall": rule["min_overall"], "min_each_tool": rule.get("min_each_tool"),
             "provisional": bool(rule.get("provisional"))} for rule in rules]


def score_gaps(board: Scoreboard) -> list[dict]:
    """The published scores that the stored parts do not explain, acknowledged or not: checked or not,
    the figures still disagree, and a reader of the document must be told which one it prints."""
    return [{"of": w.subject, "published": score_text(w.published), "derived": score_text(w.derived)}
            for w in board.warnings if w.published is not None and w.derived is not None]


def issue_indicator(issue: AnalysisIssue) -> dict | None:
    return {"number": issue.indicator.number, "name": issue.indicator.name} if issue.indicator_id else None


def analysis_snapshot(assessment: Assessment) -> dict:
    assessment = assessments_of(assessment.organisation).get(pk=assessment.pk)
    board = scoreboard_of(assessment)
    scores = item_scores_of(assessment)
    indicators = sorted(assessment.indicator_scores.all(), key=lambda s: s.indicator.order)
    return {
        "fiscal_year": assessment.fiscal_year,
        "framework": assessment.framework.name,
        "overall": score_text(board.overall),
        "overall_is_derived": board.overall_is_derived,
        "level": board.level.name if board.level else None,
        "level_provisional": bool(board.level and board.level.provisional),
        "level_rules": level_rules_part(assessment.level_rules),
        "gaps": score_gaps(board),
        "tools": [
            {"code": t.code, "name": t.name, "weight": f"{t.weight:.0f}", "score": score_text(t.shown),
             "derived": t.is_derived}
            for t in board.tools
        ],
        "indicators": [
            {"number": s.indicator.number, "name": s.indicator.name, "score": score_text(s.score),
             "sub": s.indicator.parent_id is not None}
            for s in indicators
        ],
        "issues": [
            {
                "order": issue.order,
                "title": issue.title,
                "tool": issue.tool.code,
                "tool_name": issue.tool.name,
                "kind": issue.kind,
                "kind_label": str(issue.get_kind_display()),
                "indicator": issue_indicator(issue),
                "analysis": issue.analysis,
                "recommendation": issue.recommendation,
                "items": [
                    {"code": item.code, "text": item.text,
                     "score": score_text(scores[item.pk].score) if item.pk in scores else None}
                    for item in issue.items.all()
                ],
            }
            for issue in issues_of(assessment)
        ],
    }


def _owners(measure) -> str:
    if measure.all_units:
        return ALL_UNITS
    names = [d.name for d in measure.departments.all()] + [p.full_title for p in measure.positions.all()]
    return ", ".join(names)


def period_style(part: dict) -> str:
    """The thai_date style a measure's period prints in: months when it was planned in months."""
    return "month_abbr" if part.get("period_in_months") else "abbr"


def _measure(measure) -> dict:
    return {
        # Only when true: the contents frozen before months existed, and those of the scale generator,
        # read the same without it.
        **({"period_in_months": True} if measure.period_in_months else {}),
        "number": measure.number,
        "kind": measure.kind,
        "title": measure.title,
        "issues": [{"order": i.order, "title": i.title} for i in measure.issues.all()],
        "indicators": [{"number": i.number, "name": i.name} for i in measure.indicators.all()],
        "steps": [step.text for step in measure.steps.all()],
        "start": day_text(measure.start_date),
        "end": day_text(measure.end_date),
        "owners": _owners(measure),
        "monitoring": measure.monitoring,
        "budget": score_text(measure.planned_budget),
        "target": measure.target,
    }


def measures_snapshot(organisation: Organisation, fiscal_year: int) -> dict:
    return {"fiscal_year": fiscal_year, "measures": [_measure(m) for m in measures_of(organisation, fiscal_year)]}


def progress_snapshot(round: ReportingRound) -> dict:
    measures = list(measures_of(round.organisation, round.fiscal_year))
    entries = entries_by_key(measures, [round])
    rows = []
    for measure in measures:
        if measure.start_date > round.period_end:
            continue
        entry = entries.get((measure.pk, round.pk))
        rows.append(
            {
                **_measure(measure),
                "status": entry.status if entry else "not_reported",
                "status_label": str(entry.get_status_display()) if entry else "",
                "activities": [{"date": day_text(a.date), "text": a.description} for a in entry.activities.all()]
                if entry
                else [],
                "outcome": entry.outcome if entry else "",
                "suggestions": entry.suggestions if entry else "",
                "budget_used": score_text(entry.budget_used) if entry else None,
                "evidence": [
                    {"kind": e.kind, "title": e.title, "name": e.original_name, "url": e.url, "sha256": e.sha256,
                     "size": e.size, "id": e.pk}
                    for e in entry.evidence.all()
                ]
                if entry
                else [],
            }
        )
    return {
        "fiscal_year": round.fiscal_year,
        "round": round_part(round),
        "rows": rows,
    }


def oit_snapshot(organisation: Organisation, fiscal_year: int) -> dict:
    rows, completion = oit_checklist(organisation, fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "published": completion.overall.published,
        "total": completion.overall.total,
        "groups": [
            {
                "number": group.indicator.number if group.indicator else "",
                "name": group.indicator.name if group.indicator else "",
                "published": group.tally.published,
                "total": group.tally.total,
                "rows": [
                    {
                        "code": row.item.code,
                        "text": row.item.text,
                        "data_elements": row.item.data_elements,
                        "owner": row.entry.owner.name if row.entry and row.entry.owner_id else "",
                        "status": row.status,
                        "url": row.entry.url if row.entry else "",
                        "note": row.entry.note if row.entry else "",
                    }
                    for row in group.rows
                ],
            }
            for group in completion.groups
        ],
    }


def addressee(memo: Memo) -> str:
    """เรียน …: the last level's position, with "(ผ่าน …)" where the organisation names the others.
    Always derived from the chain, never typed (000 and 002 show what typing produces)."""
    if memo.levels:
        titles = [level["title"] for level in memo.levels]
        _positions, via = chain_positions(memo.organisation, memo.kind)
    else:
        positions, via = chain_positions(memo.organisation, memo.kind)
        titles = [p.full_title for p in positions]
    if not titles:
        return ""
    text = titles[-1]
    if via and len(titles) > 1:
        text += f" (ผ่าน {'/'.join(titles[:-1])})"
    return text


def number_text(memo: Memo) -> str:
    code = memo.organisation.document_code
    return f"{code}/{memo.number}" if memo.number else f"{code}/"


def attached_documents(memo: Memo) -> dict:
    organisation = memo.organisation
    documents = {}
    if "analysis" in memo.attachments and memo.assessment_id:
        documents["analysis"] = analysis_snapshot(memo.assessment)
    if "measures" in memo.attachments:
        documents["measures"] = measures_snapshot(organisation, memo.fiscal_year)
    if "progress" in memo.attachments and memo.round_id:
        documents["progress"] = progress_snapshot(memo.round)
    if "oit" in memo.attachments:
        documents["oit"] = oit_snapshot(organisation, memo.fiscal_year)
    return documents


def memo_snapshot(memo: Memo, with_documents: bool = True) -> dict:
    """The memo as printed, with its decisions and the data of every document attached to it;
    the page that only shows the memo leaves the documents out (they cost most of the queries)."""
    organisation = memo.organisation
    documents = attached_documents(memo) if with_documents else {}
    return {
        "organisation": organisation_snapshot(organisation),
        "department": memo.department.name,
        "kind": memo.kind,
        "fiscal_year": memo.fiscal_year,
        "number": number_text(memo),
        "date": day_text(memo.date),
        "subject": memo.subject,
        "addressee": addressee(memo),
        "background": memo.background,
        "facts": memo.facts,
        "considerations": memo.considerations,
        "proposal": memo.proposal,
        "closing": str(memo.get_closing_display()),
        "author": {"name": memo.author.display_name, "position": memo.author_position},
        "levels": [level["title"] for level in memo.levels],
        "decisions": [
            {
                "level": d.level,
                "level_position": d.level_position,
                "name": d.actor_name,
                "position": d.actor_position,
                "capacity": d.capacity,
                "action": d.action,
                "comment": d.comment,
                "date": day_text(d.decided_at),
            }
            for d in memo.decisions.filter(review=memo.review).order_by("level")
        ],
        "attachments": list(memo.attachments),
        "attachment_titles": attachment_titles(
            memo.attachments, fiscal_year=memo.fiscal_year,
            analysis_year=memo.assessment.fiscal_year if memo.assessment_id else None,
            round_name=memo.round.name if memo.round_id else ""),
        "documents": documents,
    }



def own_year_and_round(kind: str, part: dict) -> tuple[int | None, int | None]:
    """A document's own fiscal year and round, read from its content: the analysis is of the results'
    year, not of the memo's; a progress report (and its memo) of its round."""
    if kind == "memo":
        progress = part.get("documents", {}).get("progress")
        return part.get("fiscal_year"), progress["round"]["number"] if progress else None
    return part.get("fiscal_year"), part["round"]["number"] if kind == "progress" else None


def keep_phrases(content: dict) -> list[str]:
    """Names in a memo that must never be split across lines: people and places. Positions may
    break between their words (หัวหน้าสำนักปลัด | รักษาราชการแทน | ปลัด…), as on paper."""
    organisation = content["organisation"]
    phrases = [organisation["full_name"], organisation.get("name", ""), organisation["province"],
               organisation["district"], content["author"]["name"]]
    phrases += [decision["name"] for decision in content["decisions"]]
    return [p for p in set(phrases) if p]
