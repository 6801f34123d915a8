from django.utils import timezone
from django.utils.translation import gettext as _
from django.shortcuts import render

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.thai import fiscal_year

from ..models import ProgressEntry
from ..selectors.oit import oit_checklist
from ..selectors.plan import plan_years
from ..selectors.progress import current_round, my_measures, progress_grid


def _year(request) -> int:
    """The fiscal year asked for, or the current one; anything else falls back to the current one."""
    current = fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if 2500 <= year <= 2700 else current


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
            active = [m for m in group if m.start_date <= round.period_end]
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
    year = _year(request)
    measures, rounds, grid = progress_grid(organisation, year, today)
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
        },
    )


@organisation_view(roles=EDITORS)
def my_reporting(request):
    """What this person must report: their measures in the current round, late ones first."""
    organisation = request.organisation
    today = timezone.localdate()
    year = _year(request)
    measures, rounds, grid = progress_grid(organisation, year, today)
    mine = my_measures(request.membership, measures)
    round = current_round(rounds, today)
    due = []
    if round is not None:
        due = [grid[(m.pk, round.pk)] for m in mine if m.start_date <= round.period_end]
    overdue = [cell for cell in grid.values() if cell.late and cell.measure in mine and cell.round != round]
    due.sort(key=lambda cell: (not cell.late, cell.measure.number))
    return render(
        request,
        "measures/my_reporting.html",
        {"year": year, "round": round, "due": due, "overdue": overdue, "today": today},
    )
