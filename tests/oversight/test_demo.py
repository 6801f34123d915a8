import pytest
from django.core.management import call_command

from oversight.models import OversightMembership

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_overseer_of_phayao_printed_with_the_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "\noversight.phayao " in out and "จังหวัดพะเยา" in out
    scope = OversightMembership.objects.get(user__username="oversight.phayao")
    assert (scope.province.name, scope.district, scope.is_active) == ("พะเยา", None, True)
    assert OversightMembership.objects.filter(user__username="oversight.phayao").count() == 1


def test_the_overseer_of_phayao_lands_in_its_rollup_and_sees_phusang_only(login):
    response = login("oversight.phayao").get("/", follow=True)
    # 2568 has rounds and memos but no scores yet: the latest year with scores is shown first.
    assert response.context["year"] == 2567
    rows = [row.organisation.slug for row in response.context["rows"]]
    assert rows == ["phusang"]
    assert str(response.context["rows"][0].score) == "99.78"
