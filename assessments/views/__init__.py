from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.audit.selectors import about, about_kind, history
from itaportal.years import RESULTS, preferred_year, requested_year

from .. import charts, importing
from ..forms import AcknowledgeForm, ImportForm, IssueForm, ScoresForm, StartAssessmentForm
from ..models import AnalysisIssue
from ..selectors import (
    analysis_candidates,
    assessments_of,
    frameworks,
    get_assessment_for_member,
    get_issue_for_member,
    issues_of,
    item_scores_of,
    items_of,
    previous_item_scores,
    scoreboard_of,
)
from ..services import (
    AssessmentError,
    analysis_carry_over,
    assessment_acknowledge_warning,
    assessment_save_scores,
    assessment_start,
    issue_create,
    issue_delete,
    issue_move,
    issue_update,
)


def _can_edit(request) -> bool:
    return request.membership.role in EDITORS


@organisation_view(roles=ALL_ROLES)
def assessment_list(request):
    organisation = request.organisation
    years = [(a, scoreboard_of(a)) for a in assessments_of(organisation)]
    trend = [(str(a.fiscal_year), board.overall) for a, board in reversed(years)]
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "years": years,
            "trend": trend,
            "trend_chart": charts.trend_chart(trend, _("Overall score by fiscal year"), nonce=request.csp_nonce)
            if trend
            else None,
            "can_edit": _can_edit(request),
        },
    )


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def assessment_new(request):
    organisation = request.organisation
    available = frameworks().exclude(assessments__organisation=organisation)
    # The results an office records now are last year's (itaportal.years), or the year a link asks for.
    wanted = requested_year(request.GET.get("year")) or preferred_year(RESULTS, timezone.localdate())
    form = StartAssessmentForm(
        request.POST or None, frameworks=available, initial={"framework": available.filter(fiscal_year=wanted).first()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_start(
                organisation=organisation, framework=form.cleaned_data["framework"], user=request.user
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            return redirect("assessment_scores", org_slug=organisation.slug, year=assessment.fiscal_year)
    return render(request, "assessments/assessment_new.html", {"form": form})


@organisation_view(roles=ALL_ROLES)
def assessment_detail(request, year: int):
    assessment = get_assessment_for_member(request.organisation, year)
    board = scoreboard_of(assessment)
    indicator_rows = [
        (f"{s.indicator.number} {s.indicator.name}", s.score)
        for s in sorted(assessment.indicator_scores.all(), key=lambda s: s.indicator.order)
        if s.indicator.parent_id is None
    ]
    tool_rows = [(tool.code, tool.shown) for tool in board.tools]
    nonce = request.csp_nonce
    item_scores = item_scores_of(assessment)
    # Last year's score of the same item, found through the crosswalk (its code may have changed).
    previous = previous_item_scores(assessment)
    items = [
        (item, item_scores[item.pk].score, previous.get(item.pk))
        for item in items_of(assessment.framework)
        if item.pk in item_scores
    ]
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "board": board,
            "indicator_rows": indicator_rows,
            "tool_rows": tool_rows,
            "indicator_chart": charts.indicator_chart(indicator_rows, _("Scores by indicator"), nonce=nonce)
            if indicator_rows
            else None,
            "tool_chart": charts.tool_chart(tool_rows, _("Scores by tool"), nonce=nonce)
            if any(score is not None for _code, score in tool_rows)
            else None,
            "items": items,
            "issues": issues_of(assessment),
            "can_edit": _can_edit(request),
            # The scores' own trail; the analysis page has the issues'.
            "history": history(about(assessment) & Q(action__startswith="ita.assessment.")),
        },
    )


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def assessment_scores(request, year: int):
    assessment = get_assessment_for_member(request.organisation, year)
    level_names = [rule["name"] for rule in assessment.level_rules]
    if request.method == "POST":
        form = ScoresForm(request.POST, framework=assessment.framework, level_names=level_names)
        if form.is_valid():
            assessment_save_scores(assessment=assessment, user=request.user, **form.scores())
            messages.success(request, _("The scores were saved."))
            return redirect("assessment_detail", org_slug=request.organisation.slug, year=year)
        messages.error(request, _("Some figures need correcting; nothing was saved yet and what you typed is kept."))
    else:
        form = ScoresForm(
            initial=ScoresForm.initial_for(assessment), framework=assessment.framework, level_names=level_names
        )
    return render(request, "assessments/assessment_scores.html", {"assessment": assessment, "form": form})


@organisation_view(roles=EDITORS, methods=("POST",))
def assessment_acknowledge(request, year: int):
    assessment = get_assessment_for_member(request.organisation, year)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        open_keys = {w.key for w in scoreboard_of(assessment).open_warnings}
        try:
            assessment_acknowledge_warning(
                assessment=assessment, key=form.cleaned_data["key"], open_keys=open_keys, user=request.user
            )
            messages.success(request, _("The warning was marked as checked."))
        except AssessmentError as error:
            messages.error(request, str(error))
    return redirect("assessment_detail", org_slug=request.organisation.slug, year=year)


def _download(content: bytes, filename: str, kind: str) -> HttpResponse:
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[kind]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _write(kind: str, headers, rows) -> bytes:
    return importing.write_xlsx(headers, rows) if kind == "xlsx" else importing.write_csv(headers, rows)


@organisation_view(roles=ALL_ROLES)
def assessment_export(request, year: int, kind: str):
    assessment = get_assessment_for_member(request.organisation, year)
    headers, rows = importing.export_rows([assessment])
    return _download(_write(kind, headers, rows), f"ita-{request.organisation.slug}-{year}.{kind}", kind)


@organisation_view(roles=EDITORS)
def import_template(request, year: int, kind: str):
    framework = get_object_or_404(frameworks(), fiscal_year=year)
    headers, rows = importing.template_rows(request.organisation, framework)
    return _download(_write(kind, headers, rows), f"ita-template-{year}.{kind}", kind)


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = importing.read_table(upload, upload.name)
        except importing.ScoreFileError as error:
            form.add_error("file", str(error))
        else:
            result = importing.import_scores(table=table, user=request.user, only_organisation=request.organisation)
            if not result.errors:
                messages.success(
                    request,
                    _("Imported: %(created)s new and %(updated)s updated assessments.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("assessment_list", org_slug=request.organisation.slug)
            errors = result.errors
    return render(
        request,
        "assessments/import.html",
        {"form": form, "errors": errors, "frameworks": frameworks()},
    )


# --- analysis ---------------------------------------------------------------------------------


@organisation_view(roles=ALL_ROLES)
def analysis(request, year: int):
    assessment = get_assessment_for_member(request.organisation, year)
    previous = assessments_of(request.organisation).filter(framework__fiscal_year__lt=year).first()
    scores = {pk: s.score for pk, s in item_scores_of(assessment).items()}
    return render(
        request,
        "assessments/analysis.html",
        {
            "assessment": assessment,
            "issues": [
                (issue, [(item, scores.get(item.pk)) for item in issue.items.all()])
                for issue in issues_of(assessment)
            ],
            "candidates": analysis_candidates(assessment),
            "previous": previous,
            "can_edit": _can_edit(request),
            # Every issue's trail, removed issues too (their entries name the assessment), and the carry-over.
            "history": history(
                about_kind(AnalysisIssue, request.organisation, assessment=assessment.pk),
                about(assessment) & Q(action="ita.analysis.carried_over"),
            ),
        },
    )


def _issue_form(request, assessment, issue=None):
    initial = None
    if issue is not None:
        initial = {
            "title": issue.title,
            "tool": issue.tool,
            "items": list(issue.items.all()),
            "indicator": issue.indicator,
            "analysis": issue.analysis,
            "recommendation": issue.recommendation,
            "kind": issue.kind,
        }
    elif request.GET.get("item"):
        chosen = items_of(assessment.framework).filter(code=request.GET["item"]).first()
        if chosen:
            initial = {"tool": chosen.tool, "items": [chosen], "kind": "develop"}
    return IssueForm(
        request.POST or None,
        initial=initial,
        framework=assessment.framework,
        item_scores=item_scores_of(assessment),
    )


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def issue_new(request, year: int):
    assessment = get_assessment_for_member(request.organisation, year)
    form = _issue_form(request, assessment)
    if request.method == "POST" and form.is_valid():
        try:
            issue_create(assessment=assessment, user=request.user, **form.cleaned_data)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The issue was added."))
            return redirect("analysis", org_slug=request.organisation.slug, year=year)
    return render(request, "assessments/issue_form.html", {"assessment": assessment, "form": form})


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def issue_edit(request, year: int, pk: int):
    assessment = get_assessment_for_member(request.organisation, year)
    issue = get_issue_for_member(assessment, pk)
    form = _issue_form(request, assessment, issue)
    if request.method == "POST" and form.is_valid():
        try:
            issue_update(issue=issue, user=request.user, **form.cleaned_data)
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The issue was saved."))
            return redirect("analysis", org_slug=request.organisation.slug, year=year)
    return render(request, "assessments/issue_form.html",
                  {"assessment": assessment, "form": form, "issue": issue, "history": history(about(issue))})


@organisation_view(roles=EDITORS, methods=("POST",))
def issue_remove(request, year: int, pk: int):
    assessment = get_assessment_for_member(request.organisation, year)
    issue_delete(issue=get_issue_for_member(assessment, pk), user=request.user)
    messages.success(request, _("The issue was removed."))
    return redirect("analysis", org_slug=request.organisation.slug, year=year)


@organisation_view(roles=EDITORS, methods=("POST",))
def issue_reorder(request, year: int, pk: int):
    assessment = get_assessment_for_member(request.organisation, year)
    offset = -1 if request.POST.get("direction") == "up" else 1
    issue_move(issue=get_issue_for_member(assessment, pk), offset=offset, user=request.user)
    return redirect("analysis", org_slug=request.organisation.slug, year=year)


@organisation_view(roles=EDITORS, methods=("POST",))
def issues_carry_over(request, year: int):
    assessment = get_assessment_for_member(request.organisation, year)
    previous = assessments_of(request.organisation).filter(framework__fiscal_year__lt=year).first()
    if previous is None:
        messages.error(request, _("There is no earlier assessment to carry issues over from."))
    else:
        try:
            copied = analysis_carry_over(assessment=assessment, source=previous, user=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s issue was copied from fiscal year %(year)s; edit it for this year.",
                    "%(count)s issues were copied from fiscal year %(year)s; edit them for this year.",
                    copied,
                )
                % {"count": copied, "year": previous.fiscal_year},
            )
        except AssessmentError as error:
            messages.error(request, str(error))
    return redirect("analysis", org_slug=request.organisation.slug, year=year)
