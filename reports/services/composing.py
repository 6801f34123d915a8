"""A new memo written from the records: every score, level, year and name comes from data.

The wording lives in plain-text templates (templates/reports/memo_text/<kind>/<part>.txt), modelled
on the reference memos 000, 001 and 002. A template's paragraphs are separated by a blank line; the
line breaks inside a paragraph are only there to keep the template readable.
"""

import re

from django.db import transaction
from django.template import Context, engines
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import AnalysisIssue, Assessment
from assessments.selectors import assessments_of, scoreboard_of
from itaportal.accounts.models import Department, Membership, Organisation
from itaportal.audit.services import audit
from measures.models import Measure, OitEntry, ProgressEntry, ReportingRound
from measures.selectors.oit import oit_checklist
from measures.selectors.plan import measures_of
from measures.selectors.progress import entries_by_key

from ..consistency import latest_assessment
from ..models import Memo, MemoKind
from .memos import MemoError

HEAD_OFFICE = "สำนักปลัด"
TEXT_PARTS = ("subject", "background", "facts", "considerations", "proposal")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def render_part(kind: str, part: str, context: dict) -> str:
    """One part of a memo's text from its template (the scale data writes its memos through it too)."""
    template = engines["django"].engine.get_template(f"reports/memo_text/{kind}/{part}.txt")
    # Plain text, stored and edited as such: "Do & Don't" must not become "Do &amp; Don't". Thai
    # whoever writes it, as the memo is: its dates print as on paper.
    with translation.override("th"):
        raw = template.render(Context(context, autoescape=False))
    paragraphs = (" ".join(chunk.split()) for chunk in _PARAGRAPH_BREAK.split(raw))
    return "\n".join(p for p in paragraphs if p)


def issuing_department(organisation: Organisation, membership: Membership) -> Department:
    """The author's unit, else สำนักปลัด (where the ITA work usually sits), else the first unit."""
    if membership.department_id and membership.department.organisation_id == organisation.pk:
        return membership.department
    departments = Department.objects.filter(organisation=organisation).order_by("order", "name")
    department = departments.filter(name=HEAD_OFFICE).first() or departments.first()
    if department is None:
        raise MemoError(_("The organisation has no units yet; add them before writing a memo."))
    return department


def _result(assessment: Assessment | None) -> dict | None:
    if assessment is None:
        return None
    board = scoreboard_of(assessment)
    if board.overall is None:
        return None
    return {
        "fiscal_year": assessment.fiscal_year,
        "overall": board.overall,
        "overall_is_derived": board.overall_is_derived,
        # The level the rules give for the scores, never the level someone typed (000 shows why).
        "level": board.level.name if board.level else "",
        "tools": [tool for tool in board.tools if tool.shown is not None],
    }


def thai_list(words: list[str]) -> str:
    """ก / ก และ ข / ก ข และ ค, as a Thai sentence lists things."""
    return " และ".join(filter(None, [" ".join(words[:-1]), words[-1]])) if words else ""


# The parts of the progress report the memo may name, each only when some entry holds it: the memo must
# never promise a column that is empty for every measure (the report's headings are in progress.html).
REPORT_PARTS = (("summary", "สรุปผลการดำเนินการ"), ("outcome", "ผลลัพธ์"), ("suggestions", "ข้อเสนอแนะ"))


def report_parts(held: dict[str, bool]) -> str:
    return thai_list([word for key, word in REPORT_PARTS if held[key]])


def _held_parts(measures: list[Measure], round: ReportingRound) -> dict[str, bool]:
    entries = ProgressEntry.objects.filter(measure__in=measures, round=round)
    return {"summary": entries.exists(), "outcome": entries.exclude(outcome="").exists(),
            "suggestions": entries.exclude(suggestions="").exists()}


def oit_recorded(organisation: Organisation, fiscal_year: int) -> bool:
    """Whether the office recorded anything of the year's OIT checklist: only then is it attached and told."""
    return OitEntry.objects.filter(organisation=organisation, item__framework__fiscal_year=fiscal_year).exists()


def _own(organisation: Organisation, assessment: Assessment) -> Assessment:
    if assessment.organisation_id != organisation.pk:
        raise MemoError(_("This assessment belongs to another organisation."))
    return assessments_of(organisation).get(pk=assessment.pk)


def _analysis_context(organisation: Organisation, fiscal_year: int, assessment: Assessment | None) -> dict:
    if assessment is None:
        assessment = assessments_of(organisation).filter(framework__fiscal_year=fiscal_year - 1).first()
    else:
        assessment = _own(organisation, assessment)
    if assessment is None or assessment.fiscal_year != fiscal_year - 1:
        raise MemoError(
            _(
                "The analysis memo of fiscal year %(year)s reports on the assessment of %(previous)s; "
                "record it first."
            )
            % {"year": fiscal_year, "previous": fiscal_year - 1}
        )
    result = _result(assessment)
    if result is None:
        raise MemoError(_("The assessment has no overall score yet; record the results first."))
    kinds = list(AnalysisIssue.objects.filter(assessment=assessment).values_list("kind", flat=True))
    return {
        "assessment": assessment,
        "result": result,
        "issues": len(kinds),
        "urgent_issues": kinds.count(AnalysisIssue.Kind.URGENT),
        "develop_issues": kinds.count(AnalysisIssue.Kind.DEVELOP),
        "measures": Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).count(),
    }


def _progress_context(
    organisation: Organisation, fiscal_year: int, round: ReportingRound | None, assessment: Assessment | None
) -> dict:
    if round is None or round.organisation_id != organisation.pk:
        raise MemoError(_("Choose a reporting round of your organisation."))
    if round.fiscal_year != fiscal_year:
        raise MemoError(_("The reporting round belongs to another fiscal year."))
    # The measures the round covers are those already started by its end, as in the progress report.
    measures = [m for m in measures_of(organisation, fiscal_year) if m.start_date <= round.period_end]
    entries = entries_by_key(measures, [round], details=False).values()
    statuses = [entry.status for entry in entries]
    if assessment is None:
        assessment = latest_assessment(organisation, fiscal_year)
    else:
        assessment = _own(organisation, assessment)
    oit = None
    if oit_recorded(organisation, fiscal_year):
        _rows, completion = oit_checklist(organisation, fiscal_year)
        oit = completion.overall if completion.overall.total else None
    return {
        "assessment": assessment,
        "result": _result(assessment),
        "round": round,
        "measures": len(measures),
        "done": statuses.count(ProgressEntry.Status.DONE),
        "in_progress": statuses.count(ProgressEntry.Status.IN_PROGRESS),
        "not_started": statuses.count(ProgressEntry.Status.NOT_STARTED),
        "not_reported": len(measures) - len(statuses),
        "report_parts": report_parts(_held_parts(measures, round)),
        # None when the office recorded nothing of the year's checklist: no attachment, no sentence.
        "oit": oit,
    }


@transaction.atomic
def compose_memo(
    *,
    organisation: Organisation,
    membership: Membership,
    kind: str,
    fiscal_year: int,
    assessment: Assessment | None = None,
    round: ReportingRound | None = None,
) -> Memo:
    """A draft memo of the kind, written from the records.

    `fiscal_year` is the memo's own year, the one its number is counted in. An analysis memo of
    year Y presents the measures of Y drawn from the assessment of Y-1 (`assessment`, by default
    that year's); a progress memo reports a round of Y and cites `assessment`, by default the newest
    result up to Y.
    """
    if membership.organisation_id != organisation.pk:
        raise MemoError(_("You can only write memos of your own organisation."))
    if kind not in MemoKind.values:
        raise MemoError(_("Unknown kind of memo."))
    memo = Memo(
        organisation=organisation,
        kind=kind,
        fiscal_year=fiscal_year,
        department=issuing_department(organisation, membership),
        author=membership.user,
        author_position=membership.position.full_title if membership.position_id else "",
        subject="",
    )
    if kind == MemoKind.ANALYSIS:
        data = _analysis_context(organisation, fiscal_year, assessment)
        memo.assessment = data["assessment"]
        memo.closing = Memo.Closing.FOR_CONSIDERATION
        memo.attachments = ["analysis"] + (["measures"] if data["measures"] else [])
    elif kind == MemoKind.PROGRESS:
        data = _progress_context(organisation, fiscal_year, round, assessment)
        memo.assessment, memo.round = data["assessment"], round
        memo.closing = Memo.Closing.FOR_CONSIDERATION
        memo.attachments = ["progress"] + (["oit"] if data["oit"] else [])
    else:
        data = None
    if data is not None:
        context = {**data, "organisation": organisation, "department": memo.department}
        context["fiscal_year"] = fiscal_year
        for part in TEXT_PARTS:
            setattr(memo, part, render_part(kind, part, context))
    memo.save()
    audit(
        organisation=organisation,
        action="ita.memo.created",
        target=memo,
        actor=membership.user,
        data={"kind": kind, "fiscal_year": fiscal_year},
    )
    return memo
