from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from assessments.forms import ImportForm
from assessments.importing import ScoreFileError, read_table
from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view

from .. import excel
from ..selectors.plan import get_round_for_member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Fiscal years the portal can mean; anything else in the URL is a typo, not a year to build a file for.
FIRST_YEAR, LAST_YEAR = 2500, 2700


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organisation_view(roles=ALL_ROLES)
def plan_export(request, year: int):
    _check_year(year)
    content = excel.plan_workbook(request.organisation, year)
    return _xlsx(content, f"measures-{request.organisation.slug}-{year}.xlsx")


@organisation_view(roles=ALL_ROLES)
def progress_export(request, year: int, round_pk: int):
    _check_year(year)
    round = get_round_for_member(request.organisation, round_pk)
    if round.fiscal_year != year:
        raise Http404
    slug = request.organisation.slug

    def file_url(evidence) -> str:
        return request.build_absolute_uri(reverse("evidence_download", args=[slug, evidence.pk]))

    content = excel.progress_workbook(request.organisation, round, file_url)
    return _xlsx(content, f"progress-{slug}-{year}-{round.number}.xlsx")


@organisation_view(roles=EDITORS)
def plan_template(request, year: int):
    _check_year(year)
    content = excel.template_workbook(request.organisation, year)
    return _xlsx(content, f"measures-template-{year}.xlsx")


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def plan_import(request, year: int):
    _check_year(year)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
            result = excel.import_plan(
                organisation=request.organisation, year=year, table=table, user=request.user
            )
        except ScoreFileError as error:
            form.add_error("file", str(error))
        else:
            if not result.errors:
                count = len(result.created)
                messages.success(
                    request,
                    ngettext("Imported %(count)s measure.", "Imported %(count)s measures.", count)
                    % {"count": count},
                )
                return redirect("measure_plan", org_slug=request.organisation.slug, year=year)
            errors = result.errors
    return render(
        request,
        "measures/plan_import.html",
        {"form": form, "errors": errors, "year": year, "columns": excel.IMPORT_COLUMNS},
    )
