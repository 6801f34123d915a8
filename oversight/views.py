from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.access import authenticated_view

from . import exports, selectors
from .access import oversight_view
from .charts import distribution_chart
from .forms import RollupFilter

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@authenticated_view()
def oversight_home(request):
    """Straight to the roll-up of a person's only area; a list when there are several. Someone who
    follows no area gets the 404 that an oversight page gives them."""
    scopes = list(selectors.scopes_of(request.user))
    if not scopes:
        raise Http404
    if len(scopes) == 1:
        return redirect("oversight_rollup", scope_pk=scopes[0].pk)
    return render(request, "oversight/home.html", {"scopes": scopes})


def _year(request, years: list[int], default: int) -> int:
    """The fiscal year asked for when the area has data for it, else the default."""
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if year in years else default


def _filtered(request):
    """The scope's roll-up for the year asked for, filtered and sorted as the URL says."""
    today = timezone.localdate()
    years, default = selectors.rollup_years(request.scope, today)
    rollup = selectors.rollup(request.scope, _year(request, years, default), today)
    filterset = RollupFilter(request.GET, rollup.rows, scope=request.scope, rollup=rollup)
    sort = selectors.sort_key(request.GET.get("sort"))
    return today, years, rollup, filterset, sort, selectors.sorted_rows(filterset.qs, sort)


@oversight_view()
def rollup(request):
    today, years, rollup, filterset, sort, ordered = _filtered(request)
    paginator = Paginator(ordered, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [selectors.describe(organisation, rollup, today) for organisation in page.object_list]
    bins, unscored = selectors.score_distribution(filterset.qs, rollup.pass_mark)
    scored = sum(b.count for b in bins)
    mark = f"{rollup.pass_mark:.0f}"
    return render(
        request,
        "oversight/rollup.html",
        {
            "scope": request.scope,
            "year": rollup.year,
            "years": years,
            "filter": filterset,
            "sort": sort,
            "page": page,
            "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "rows": rows,
            "provisional_levels": any(row.level and row.level.provisional for row in rows),
            "pass_mark": rollup.pass_mark,
            "stuck_days": selectors.STUCK_DAYS,
            "scored": scored,
            "unscored": unscored,
            "under_pass_mark": sum(b.count for b in bins if not b.passed),
            "chart": distribution_chart(
                bins,
                (_("Under %(mark)s") % {"mark": mark}, _("%(mark)s and over") % {"mark": mark}),
                _("Organisations by score"),
                nonce=request.csp_nonce,
            )
            if scored
            else None,
        },
    )


def _export_rows(request):
    today, _years, rollup, _filterset, _sort, rows = _filtered(request)
    return rollup.year, (selectors.describe(row, rollup, today) for row in rows.iterator(chunk_size=500))


def _attachment(response: HttpResponse, request, year: int, extension: str) -> HttpResponse:
    name = f"oversight-{request.scope.pk}-{year}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@oversight_view()
def rollup_xlsx(request):
    """Every organisation that the filters keep, not only the page shown, in the page's order."""
    year, rows = _export_rows(request)
    content = exports.xlsx(rows, _("FY %(year)s") % {"year": year})
    return _attachment(HttpResponse(content, content_type=XLSX), request, year, "xlsx")


@oversight_view()
def rollup_csv(request):
    year, rows = _export_rows(request)
    content = exports.csv_text(rows)
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), request, year, "csv")
