"""The scores and analyses of the reference documents (assessments.yaml)."""

from decimal import Decimal

from django.db import transaction

from assessments.models import Assessment, Framework
from assessments.services import assessment_save_scores, assessment_start, issue_create, load_all_frameworks
from itaportal.accounts.models import Organisation

from .data import read


@transaction.atomic
def load() -> None:
    """The scores and analyses of the reference documents; an analysis already edited is left alone."""
    load_all_frameworks()
    for spec in read("assessments.yaml")["assessments"]:
        organisation = Organisation.objects.get(slug=spec["organisation"])
        framework = Framework.objects.get(fiscal_year=spec["fiscal_year"])
        assessment = Assessment.objects.filter(organisation=organisation, framework=framework).first()
        if assessment is None:
            assessment = assessment_start(organisation=organisation, framework=framework, user=None)
        tools = {t.code: t for t in framework.tools.all()}
        indicators = {i.number: i for i in framework.indicators.all()}
        items = {i.code: i for i in framework.items.all()}

        def scores(section: str, targets: dict) -> dict:
            return {targets[str(key)]: _score(value) for key, value in (spec.get(section) or {}).items()}

        assessment_save_scores(
            assessment=assessment,
            user=None,
            published_overall=_score(spec.get("published_overall")),
            published_level=spec.get("published_level", ""),
            tool_scores=scores("tools", tools),
            indicator_scores=scores("indicators", indicators),
            item_scores=scores("items", items),
        )
        if not assessment.issues.exists():
            for issue in spec.get("issues", []):
                issue_create(
                    assessment=assessment,
                    title=issue["title"],
                    tool=tools[issue["tool"]],
                    items=[items[code] for code in issue.get("items", [])],
                    analysis=issue["analysis"],
                    kind=issue["kind"],
                )


def _score(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))
