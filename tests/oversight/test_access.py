import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import resolve, reverse

from itaportal.accounts.access import OVERSIGHT
from itaportal.accounts.models import District, User
from oversight.models import OversightMembership

pytestmark = pytest.mark.django_db

PAGES = ["oversight_rollup", "oversight_rollup_xlsx", "oversight_rollup_csv"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_declares_oversight_access_and_get_only(name):
    view = resolve(reverse(name, args=[1])).func
    assert (view.ita_access, view.ita_methods) == (OVERSIGHT, ("GET",))


@pytest.mark.parametrize("name", [*PAGES, "oversight_home"])
def test_anonymous_is_sent_to_login(client, name, province, overseer):
    scope = overseer(province)
    url = reverse(name) if name == "oversight_home" else reverse(name, args=[scope.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_someone_elses_scope_is_a_404(client, name, province, overseer):
    mine, theirs = overseer(province), overseer(province)
    client.force_login(mine.user)
    assert client.get(reverse(name, args=[mine.pk])).status_code == 200
    assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.get(reverse(name, args=[theirs.pk + 1000])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_an_organisation_member_without_a_scope_gets_404(login, name, province, overseer):
    scope = overseer(province)
    client = login("admin.phusang")
    assert client.get(reverse(name, args=[scope.pk])).status_code == 404
    assert client.get(reverse("oversight_home")).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_an_inactive_scope_is_a_404(client, name, province, overseer):
    scope = overseer(province)
    OversightMembership.objects.filter(pk=scope.pk).update(is_active=False)
    client.force_login(scope.user)
    assert client.get(reverse(name, args=[scope.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_405_for_the_owner_and_404_for_others(client, name, method, province, overseer):
    mine, theirs = overseer(province), overseer(province)
    client.force_login(mine.user)
    assert getattr(client, method)(reverse(name, args=[mine.pk])).status_code == 405
    assert getattr(client, method)(reverse(name, args=[theirs.pk])).status_code == 404


def test_the_home_page_leads_an_overseer_to_the_rollup(client, province, overseer):
    scope = overseer(province)
    client.force_login(scope.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("oversight_rollup", args=[scope.pk])
    page = response.content.decode()
    assert f'href="{reverse("oversight_rollup", args=[scope.pk])}"' in page
    assert "จังหวัดทดสอบเหนือ" in page


def test_several_scopes_are_listed_and_only_ones_own(client, province, other_province, overseer):
    first = overseer(province)
    second = OversightMembership.objects.create(user=first.user, province=other_province)
    stranger = overseer(other_province)
    client.force_login(first.user)
    response = client.get(reverse("oversight_home"))
    assert response.status_code == 200
    page = response.content.decode()
    for scope in (first, second):
        assert reverse("oversight_rollup", args=[scope.pk]) in page
    assert reverse("oversight_rollup", args=[stranger.pk]) not in page


def test_an_organisation_member_still_lands_in_the_organisation(login):
    response = login("staff.phusang").get("/")
    assert response["Location"] == reverse("org_home", args=["phusang"])


def test_a_member_who_also_oversees_finds_the_area_in_the_menu(login, province):
    client = login("auditor.phusang")
    scope = OversightMembership.objects.create(user=User.objects.get(username="auditor.phusang"), province=province)
    page = client.get("/o/phusang/").content.decode()
    assert reverse("oversight_rollup", args=[scope.pk]) in page


def test_a_district_must_be_in_the_province(province, other_province):
    user = User.objects.create_user("oversight.wrong")
    scope = OversightMembership(
        user=user, province=province, district=District.objects.get(province=other_province)
    )
    with pytest.raises(ValidationError):
        scope.full_clean()


def test_one_scope_per_area_and_person(province):
    user = User.objects.create_user("oversight.twice")
    OversightMembership.objects.create(user=user, province=province)
    OversightMembership.objects.create(user=user, province=province, district=province.districts.first())
    with pytest.raises(IntegrityError):
        OversightMembership.objects.create(user=user, province=province)
