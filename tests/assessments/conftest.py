from decimal import Decimal

import pytest

from assessments.models import Assessment, Framework
from assessments.services import assessment_save_scores, assessment_start
from itaportal.accounts.models import Organisation


@pytest.fixture
def phusang():
    return Organisation.objects.get(slug="phusang")


@pytest.fixture
def framework_2566():
    return Framework.objects.get(fiscal_year=2566)


@pytest.fixture
def make_assessment():
    """An assessment of `slug` for `year`, with tool scores given as {"IIT": "99.84", …}."""

    def make(slug: str, year: int, overall=None, level="", tools=None, indicators=None) -> Assessment:
        organisation = Organisation.objects.get(slug=slug)
        framework = Framework.objects.get(fiscal_year=year)
        assessment = (
            Assessment.objects.filter(organisation=organisation, framework=framework).first()
            or assessment_start(organisation=organisation, framework=framework, user=None)
        )
        tool_map = {t.code: t for t in framework.tools.all()}
        indicator_map = {i.number: i for i in framework.indicators.all()}
        assessment_save_scores(
            assessment=assessment,
            user=None,
            published_overall=None if overall is None else Decimal(overall),
            published_level=level,
            tool_scores={tool_map[c]: Decimal(v) for c, v in (tools or {}).items()},
            indicator_scores={indicator_map[n]: Decimal(v) for n, v in (indicators or {}).items()},
            item_scores={},
        )
        return assessment

    return make


@pytest.fixture
def editor():
    """A person who runs the portal and may edit frameworks: the permission alone, not a superuser."""
    from django.contrib.auth.models import Permission

    from itaportal.accounts.models import User

    user = User.objects.create_user("framework.editor", password="framework-editor-2570")
    user.user_permissions.add(Permission.objects.get(codename="edit_framework", content_type__app_label="assessments"))
    return user


@pytest.fixture
def draft(editor):
    """FY 2571, a draft copied from FY 2570: nothing uses it."""
    from assessments.services.frameworks import framework_copy

    return framework_copy(source=Framework.objects.get(fiscal_year=2570), fiscal_year=2571, user=editor)
