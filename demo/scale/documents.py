"""What the documents say: the frozen contents built through reports.snapshots' own shapes from the
records held in memory, their hashes, and the one PDF per kind that all share."""

import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessments.models import Indicator
from measures.models import ReportingRound
from reports.documents import TEMPLATE_VERSIONS, render_pdf
from reports.models import Document
from reports.snapshots import (
    addressee_text, analysis_part, issue_part, measure_part, measures_part, memo_part, oit_group, oit_part,
    oit_row, organisation_snapshot, owners_text, progress_part, progress_row,
)

from .places import FrameworkData
from .world import AssessmentPlan, MeasurePlan, MemoPlan, World, Year

SHARED_PDF_DIR = "documents/scale"


def analysis_content(plan: AssessmentPlan) -> dict:
    data = plan.data
    return analysis_part(
        fiscal_year=data.year, framework=data.framework.name, board=plan.board,
        level_rules=plan.assessment.level_rules,
        indicators=[(i, plan.indicator_scores[i.number]) for i in data.indicators if i.number in plan.indicator_scores],
        issues=[
            issue_part(p.issue, [(item, plan.item_scores.get(item.code)) for item in sorted(p.items, key=lambda i: i.order)])
            for p in sorted(plan.issues, key=lambda p: p.issue.order)
        ],
    )


def _measure_row(plan: MeasurePlan) -> dict:
    measure = plan.measure
    return measure_part(
        measure, issues=[p.issue for p in sorted(plan.issues, key=lambda p: p.issue.order)],
        indicators=sorted(plan.indicators, key=lambda i: i.order), steps=plan.steps,
        owners=owners_text(all_units=measure.all_units,
                           departments=sorted(plan.departments, key=lambda d: (d.order, d.name)),
                           positions=sorted(plan.positions, key=lambda p: (p.order, p.title))))


def measures_content(year: Year) -> dict:
    return measures_part(year.year, [_measure_row(plan) for plan in year.measures])


def progress_content(year: Year, round: ReportingRound) -> dict:
    rows = []
    for plan in year.measures:
        if plan.measure.start_date > round.period_end:
            continue
        found = year.entries.get((plan.measure.number, round.number))
        rows.append(progress_row(
            _measure_row(plan), found.entry if found else None,
            activities=sorted(found.activities, key=lambda a: (a.date, a.order)) if found else ()))
    return progress_part(round, rows)


def oit_content(world: World, data: FrameworkData) -> dict:
    groups: dict[int | None, tuple[Indicator | None, list[dict]]] = {}
    for item in data.oit_items:
        groups.setdefault(item.indicator_id, (item.indicator, []))[1].append(oit_row(item, world.oit_entries.get(item.pk)))
    return oit_part(data.year, [oit_group(indicator, rows) for indicator, rows in groups.values()])


def memo_content(world: World, plan: MemoPlan, documents: dict) -> dict:
    memo = plan.memo
    titles = [p.full_title for p in plan.level_positions]
    return memo_part(
        memo, organisation=organisation_snapshot(world.organisation), addressee=addressee_text(titles, world.address_via),
        levels=titles, decisions=sorted((d for d in plan.decisions if d.review == memo.review), key=lambda d: d.level),
        documents=documents)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _object(encoded: dict[str, str]) -> str:
    """A JSON object of values already encoded, with its keys in canonical_hash's order."""
    return "{" + ",".join(f"{_dumps(key)}:{encoded[key]}" for key in sorted(encoded)) + "}"


def content_hashes(content: dict) -> tuple[str, dict[str, str]]:
    """canonical_hash(content), and content_hash(kind, part, draft=False) of the memo and of each document
    as freeze_and_render hashes them: the same JSON texts, assembled from parts encoded once, where the
    functions would encode the big parts three times (the tests hold the results against them)."""
    organisation = _dumps(content["organisation"])
    parts = {kind: {key: _dumps(value) for key, value in part.items()} for kind, part in content["documents"].items()}
    memo = _object({**{key: _dumps(value) for key, value in content.items() if key != "documents"},
                    "documents": _object({kind: _object(encoded) for kind, encoded in parts.items()})})

    def document(kind: str, text: str) -> str:
        wrapped = {"template": _dumps(TEMPLATE_VERSIONS[kind]), "draft": "false", "content": text}
        return hashlib.sha256(_object(wrapped).encode()).hexdigest()

    hashes = {"memo": document("memo", memo)}
    for kind, encoded in parts.items():
        hashes[kind] = document(kind, _object({**encoded, "organisation": organisation}))
    return hashlib.sha256(memo.encode()).hexdigest(), hashes


def shared_pdf(document: Document) -> dict:
    """The one stored PDF of a kind: one a previous run made, else rendered now from this document."""
    existing = (Document.objects.filter(kind=document.kind, pdf__startswith=f"{SHARED_PDF_DIR}/")
                .values("pdf", "sha256", "pages").first())
    if existing and default_storage.exists(existing["pdf"]):
        return existing
    pdf, pages = render_pdf(document)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{SHARED_PDF_DIR}/{document.kind}-{digest[:16]}.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(pdf))
    return {"pdf": name, "sha256": digest, "pages": pages}
