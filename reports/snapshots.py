"""The data of each document as plain JSON: frozen into a memo's approved version, or built from live
data for a draft. Documents render from these dictionaries only, so an approved document shows
exactly what was approved, however the records change later.

This is the one home of each document's shape. The `…_part`/`…_row` functions build it from plain
values (records and lists the caller has already read, in the order they print), and the
`…_snapshot` functions read the database and call them; the scale data (demo.scale) builds its frozen
contents through the same functions from the records it holds in memory, so both give the same
dictionary for the same records (tests/itaportal/test_scale_data.py holds them together)."""

import functools
import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone, translation

from assessments.models import AnalysisIssue, Assessment, Indicator, Item
from assessments.scoring import Scoreboard
from assessments.selectors import assessments_of, issues_of, item_scores_of, scoreboard_of
from itaportal.accounts.models import Organisation
from itaportal.thai import to_thai_digits
from measures.models import Measure, OitEntry, ProgressEntry, ReportingRound
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


def printed_label(choices: type[models.Choices], value: str) -> str:
    """A choice's label as the documents print it: in Thai, whatever the language of whoever froze them."""
    return _thai_labels(choices)[value]


@functools.cache
def _thai_labels(choices: type[models.Choices]) -> dict[str, str]:
    with translation.override("th"):
        return {value: str(label) for value, label in choices.choices}


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


def issue_part(issue: AnalysisIssue, items: Iterable[tuple[Item, Decimal | None]]) -> dict:
    """One issue of the analysis with its items and their scores, in order."""
    return {
        "order": issue.order,
        "title": issue.title,
        "tool": issue.tool.code,
        "tool_name": issue.tool.name,
        "kind": issue.kind,
        "kind_label": printed_label(AnalysisIssue.Kind, issue.kind),
        "indicator": issue_indicator(issue),
        "analysis": issue.analysis,
        "recommendation": issue.recommendation,
        "items": [{"code": item.code, "text": item.text, "score": score_text(score)} for item, score in items],
    }


def analysis_part(*, fiscal_year: int, framework: str, board: Scoreboard, level_rules: list[dict],
                  indicators: Iterable[tuple[Indicator, Decimal | None]], issues: list[dict]) -> dict:
    """The analysis report: the scoreboard of the year's results, its indicators' scores in the
    framework's order, and the issues (`issue_part`)."""
    return {
        "fiscal_year": fiscal_year,
        "framework": framework,
        "overall": score_text(board.overall),
        "overall_is_derived": board.overall_is_derived,
        "level": board.level.name if board.level else None,
        "level_provisional": bool(board.level and board.level.provisional),
        "level_rules": level_rules_part(level_rules),
        "gaps": score_gaps(board),
        "tools": [
            {"code": t.code, "name": t.name, "weight": f"{t.weight:.0f}", "score": score_text(t.shown),
             "derived": t.is_derived}
            for t in board.tools
        ],
        "indicators": [
            {"number": indicator.number, "name": indicator.name, "score": score_text(score),
             "sub": indicator.parent_id is not None}
            for indicator, score in indicators
        ],
        "issues": issues,
    }


def analysis_snapshot(assessment: Assessment) -> dict:
    assessment = assessments_of(assessment.organisation).get(pk=assessment.pk)
    scores = item_scores_of(assessment)
    return analysis_part(
        fiscal_year=assessment.fiscal_year,
        framework=assessment.framework.name,
        board=scoreboard_of(assessment),
        level_rules=assessment.level_rules,
        indicators=[(s.indicator, s.score)
                    for s in sorted(assessment.indicator_scores.all(), key=lambda s: s.indicator.order)],
        issues=[
            issue_part(issue, [(item, scores[item.pk].score if item.pk in scores else None)
                               for item in issue.items.all()])
            for issue in issues_of(assessment)
        ],
    )


def owners_text(*, all_units: bool, departments: Iterable, positions: Iterable) -> str:
    """Who carries a measure out: every unit, or its units then its positions, in their order."""
    if all_units:
        return ALL_UNITS
    return ", ".join([d.name for d in departments] + [p.full_title for p in positions])


def period_style(part: dict) -> str:
    """The thai_date style a measure's period prints in: months when it was planned in months."""
    return "month_abbr" if part.get("period_in_months") else "abbr"


def measure_part(measure: Measure, *, issues: Iterable[AnalysisIssue], indicators: Iterable[Indicator],
                 steps: Iterable[str], owners: str) -> dict:
    """One measure as the measures table (and each row of the progress report) prints it."""
    return {
        # Only when true: the contents frozen before months existed read the same without it.
        **({"period_in_months": True} if measure.period_in_months else {}),
        "number": measure.number,
        "kind": measure.kind,
        "title": measure.title,
        "issues": [{"order": i.order, "title": i.title} for i in issues],
        "indicators": [{"number": i.number, "name": i.name} for i in indicators],
        "steps": list(steps),
        "start": day_text(measure.start_date),
        "end": day_text(measure.end_date),
        "owners": owners,
        "monitoring": measure.monitoring,
        "budget": score_text(measure.planned_budget),
        "target": measure.target,
    }


def _measure(measure: Measure) -> dict:
    return measure_part(
        measure, issues=measure.issues.all(), indicators=measure.indicators.all(),
        steps=[step.text for step in measure.steps.all()],
        owners=owners_text(all_units=measure.all_units, departments=measure.departments.all(),
                           positions=measure.positions.all()))


def measures_part(fiscal_year: int, measures: list[dict]) -> dict:
    return {"fiscal_year": fiscal_year, "measures": measures}


def measures_snapshot(organisation: Organisation, fiscal_year: int) -> dict:
    return measures_part(fiscal_year, [_measure(m) for m in measures_of(organisation, fiscal_year)])


def evidence_part(evidence) -> dict:
    return {"kind": evidence.kind, "title": evidence.title, "name": evidence.original_name, "url": evidence.url,
            "sha256": evidence.sha256, "size": evidence.size, "id": evidence.pk}


def progress_row(measure: dict, entry: ProgressEntry | None, *, activities: Iterable = (),
                 evidence: Iterable = ()) -> dict:
    """A row of the progress report: the measure (`measure_part`) and what its entry of the round says,
    "not_reported" without one. `activities` and `evidence` in the order they print."""
    if entry is None:
        return {**measure, "status": "not_reported", "status_label": "", "activities": [], "outcome": "",
                "suggestions": "", "budget_used": None, "evidence": []}
    return {
        **measure,
        "status": entry.status,
        "status_label": printed_label(ProgressEntry.Status, entry.status),
        "activities": [{"date": day_text(a.date), "text": a.description} for a in activities],
        "outcome": entry.outcome,
        "suggestions": entry.suggestions,
        "budget_used": score_text(entry.budget_used),
        "evidence": [evidence_part(e) for e in evidence],
    }


def progress_part(round: ReportingRound, rows: list[dict]) -> dict:
    """The progress report of a round: a row for each measure already started by the round's end."""
    return {"fiscal_year": round.fiscal_year, "round": round_part(round), "rows": rows}


def progress_snapshot(round: ReportingRound) -> dict:
    measures = list(measures_of(round.organisation, round.fiscal_year))
    entries = entries_by_key(measures, [round])
    rows = []
    for measure in measures:
        if measure.start_date > round.period_end:
            continue
        entry = entries.get((measure.pk, round.pk))
        rows.append(progress_row(_measure(measure), entry, activities=entry.activities.all() if entry else (),
                                 evidence=entry.evidence.all() if entry else ()))
    return progress_part(round, rows)


def oit_row(item: Item, entry: OitEntry | None) -> dict:
    """One item of the OIT checklist with what the office recorded for it (not started without an entry)."""
    return {
        "code": item.code,
        "text": item.text,
        "data_elements": item.data_elements,
        "owner": entry.owner.name if entry and entry.owner_id else "",
        "status": entry.status if entry else OitEntry.Status.NOT_STARTED,
        "url": entry.url if entry else "",
        "note": entry.note if entry else "",
    }


def oit_group(indicator: Indicator | None, rows: list[dict]) -> dict:
    """The items of one (sub-)indicator, with how many of them are published."""
    return {
        "number": indicator.number if indicator else "",
        "name": indicator.name if indicator else "",
        "published": sum(row["status"] == OitEntry.Status.PUBLISHED for row in rows),
        "total": len(rows),
        "rows": rows,
    }


def oit_part(fiscal_year: int, groups: list[dict]) -> dict:
    """The OIT checklist of a year, its groups in the framework's order (`oit_group`)."""
    return {
        "fiscal_year": fiscal_year,
        "published": sum(group["published"] for group in groups),
        "total": sum(group["total"] for group in groups),
        "groups": groups,
    }


def oit_snapshot(organisation: Organisation, fiscal_year: int) -> dict:
    _rows, completion = oit_checklist(organisation, fiscal_year)
    return oit_part(fiscal_year, [
        oit_group(group.indicator, [oit_row(row.item, row.entry) for row in group.rows])
        for group in completion.groups
    ])


def addressee_text(titles: list[str], via: bool) -> str:
    """เรียน …: the last level's position, with "(ผ่าน …)" where the organisation names the others."""
    if not titles:
        return ""
    text = titles[-1]
    if via and len(titles) > 1:
        text += f" (ผ่าน {'/'.join(titles[:-1])})"
    return text


def addressee(memo: Memo) -> str:
    """Always derived from the chain, never typed (000 and 002 show what typing produces): the levels
    the memo was submitted to, else the chain as it stands."""
    if memo.levels:
        titles = [level["title"] for level in memo.levels]
        _positions, via = chain_positions(memo.organisation, memo.kind)
    else:
        positions, via = chain_positions(memo.organisation, memo.kind)
        titles = [p.full_title for p in positions]
    return addressee_text(titles, via)


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


def decision_part(decision) -> dict:
    return {
        "level": decision.level,
        "level_position": decision.level_position,
        "name": decision.actor_name,
        "position": decision.actor_position,
        "capacity": decision.capacity,
        "action": decision.action,
        "comment": decision.comment,
        "date": day_text(decision.decided_at),
    }


def memo_part(memo: Memo, *, organisation: dict, addressee: str, levels: list[str], decisions: Iterable,
              documents: dict) -> dict:
    """The memo as printed: `organisation` is its `organisation_snapshot`, `decisions` those of its
    current review in level order, `documents` the data of each attached document by kind."""
    return {
        "organisation": organisation,
        "department": memo.department.name,
        "kind": memo.kind,
        "fiscal_year": memo.fiscal_year,
        "number": number_text(memo),
        "date": day_text(memo.date),
        "subject": memo.subject,
        "addressee": addressee,
        "background": memo.background,
        "facts": memo.facts,
        "considerations": memo.considerations,
        "proposal": memo.proposal,
        "closing": printed_label(Memo.Closing, memo.closing),
        "author": {"name": memo.author.display_name, "position": memo.author_position},
        "levels": levels,
        "decisions": [decision_part(d) for d in decisions],
        "attachments": list(memo.attachments),
        "attachment_titles": attachment_titles(
            memo.attachments, fiscal_year=memo.fiscal_year,
            analysis_year=memo.assessment.fiscal_year if memo.assessment_id else None,
            round_name=memo.round.name if memo.round_id else ""),
        "documents": documents,
    }


def memo_snapshot(memo: Memo, with_documents: bool = True) -> dict:
    """The memo as printed, with its decisions and the data of every document attached to it;
    the page that only shows the memo leaves the documents out (they cost most of the queries)."""
    return memo_part(
        memo,
        organisation=organisation_snapshot(memo.organisation),
        addressee=addressee(memo),
        levels=[level["title"] for level in memo.levels],
        decisions=memo.decisions.filter(review=memo.review).order_by("level"),
        documents=attached_documents(memo) if with_documents else {},
    )


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
