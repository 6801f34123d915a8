"""Starting a fiscal year: where an office stands on each step, read from its records.

Planning FY N rests on the results of FY N − 1 (DOMAIN.md: record, analyse, plan, report), so the
steps are: the results of N − 1 recorded, their analysis written, the measures of N planned, the
reporting rounds of N set; the OIT checklist of N - 1 can be carried into N along the crosswalk. Each
step is done when the record says so; nothing here is stored.
"""

from dataclasses import dataclass

from assessments.models import AnalysisIssue, Assessment, IndicatorScore, ToolScore
from assessments.selectors import frameworks
from itaportal.accounts.models import Organisation

from ..models import Measure, OitEntry, ReportingRound


@dataclass(frozen=True)
class YearStart:
    year: int
    results_year: int
    # Whether a published framework exists for the results year and for the year planned.
    results_framework: bool
    plan_framework: bool
    assessment: Assessment | None
    scored: bool
    issues: int
    measures: int
    rounds: int
    # The OIT checklist: entries of the year planned, and of the year before that can be carried over.
    oit_entries: int
    oit_last_year: int

    @property
    def steps_done(self) -> int:
        return sum([self.scored, self.issues > 0, self.measures > 0, self.rounds > 0, self.oit_entries > 0])


def year_start(organisation: Organisation, year: int) -> YearStart:
    results_year = year - 1
    published = set(frameworks().filter(fiscal_year__in=[results_year, year]).values_list("fiscal_year", flat=True))
    assessment = (
        Assessment.objects.filter(organisation=organisation, framework__fiscal_year=results_year)
        .select_related("framework")
        .first()
    )
    scored = assessment is not None and (
        assessment.published_overall is not None
        or ToolScore.objects.filter(assessment=assessment).exists()
        or IndicatorScore.objects.filter(assessment=assessment).exists()
    )
    return YearStart(
        year=year,
        results_year=results_year,
        results_framework=results_year in published,
        plan_framework=year in published,
        assessment=assessment,
        scored=scored,
        issues=AnalysisIssue.objects.filter(assessment=assessment).count() if assessment else 0,
        measures=Measure.objects.filter(organisation=organisation, fiscal_year=year).count(),
        rounds=ReportingRound.objects.filter(organisation=organisation, fiscal_year=year).count(),
        oit_entries=_oit_entries(organisation, year),
        oit_last_year=_oit_entries(organisation, results_year),
    )


def _oit_entries(organisation: Organisation, year: int) -> int:
    return OitEntry.objects.filter(organisation=organisation, item__framework__fiscal_year=year).count()
