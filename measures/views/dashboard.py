from django.utils import timezone
from django.utils.translation import gettext as _
from django.shortcuts import render

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.years import WORK, opening_year, preferred_year, requested_year

from ..lateness import is_expected
from ..models import ProgressEntry
from ..selectors.oit import oit_checklist
from ..selectors.plan import plan_years, work_years
from ..selectors.progress import current_round, my_open_rounds, progress_grid


def _year(request, with_work: set[int]) -> int:
    """The fiscal year asked for, or the one this office's work opens on (itaportal.years)."""
    asked = requested_year(request.GET.get("year"))
    return asked if asked is not None else opening_year(WORK, timezone.localdate(), with_work)


def _unit_rows(measures, rounds, grid) -> list[dict]:
    """Completion per responsible unit and round; a measure of every unit counts in its own row."""
    groups: dict[str, list] = {}
    for measure in measures:
        if measure.all_units:
            groups.setdefault(_("Every unit"), []).append(measure)
        for department in measure.departments.all():
            groups.setdefault(department.name, []).append(measure)
        for position in measure.positions.all():
            groups.setdefault(position.full_title, []).append(measure)
    rows = []
    for name, group in groups.items():
        cells = []
        for round in rounds:
            active = [m for m in group if is_expected(m, round)]
            done = sum(1 for m in active if (e := grid[(m.pk, round.pk)].entry) and e.status == ProgressEntry.Status.DONE)
            reported = sum(1 for m in active if grid[(m.pk, round.pk)].entry is not None)
            late = sum(1 for m in active if grid[(m.pk, round.pk)].late)
            total = len(active)
            cells.append(
                {"total": total, "done": done, "reported": reported, "late": late,
                 "percent": round_percent(done, total)}
            )
        rows.append({"name": name, "cells": cells})
    return rows


def round_percent(part: int, total: int) -> int:
    return round(100 * part / total) if total else 0


@organisation_view(roles=ALL_ROLES)
def org_dashboard(request):
    organisation = request.organisation
    today = timezone.localdate()
    with_work = work_years(organisation)
    year = _year(request, with_work)
    measures, rounds, grid = progress_grid(organisation, year, today)
    current = preferred_year(WORK, today)
    late = [cell for cell in grid.values() if cell.late]
    late.sort(key=lambda cell: (cell.round.number, cell.measure.number))
    oit_rows, oit_completion = oit_checklist(organisation, year)
    return render(
        request,
        "measures/dashboard.html",
        {
            "year": year,
            "years": plan_years(organisation, today),
            "measures": measures,
            "rounds": rounds,
            "unit_rows": _unit_rows(measures, rounds, grid),
            "late": late,
            "oit_completion": oit_completion if oit_rows else None,
            "current_round": current_round(rounds, today),
            "can_edit": request.membership.role in EDITORS,
            # The year being worked in has no plan yet: the page offers the way in.
            "start_year": current if current not in with_work else None,
        },
    )


@organisation_view(roles=EDITORS)
def my_reporting(request):
    """What this person must report: their measures in every round still open, of every fiscal year."""
    rounds = my_open_rounds(request.organisation, request.membership, timezone.localdate())
    return render(
        request,
        "measures/my_reporting.html",
        {
            # The tabs link to the year's other pages.
            "year": _year(request, work_years(request.organisation)),
            "rounds": rounds,
            "late_count": sum(section.late_count for section in rounds),
        },
    )
