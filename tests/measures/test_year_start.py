"""Reaching the year one works in: the measures overview's opening year, the year row, and the page
that starts a new fiscal year from the records."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Framework
from measures.models import Measure

LAST_DAY = date(2026, 9, 30)
FIRST_DAY = date(2026, 10, 1)


def on(today: date):
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return today if value is None else real(value, timezone)

    return mock.patch("django.utils.timezone.localdate", side_effect=localdate)


def overview(client, slug="phusang", **query):
    return client.get(reverse("measures_dashboard", args=[slug]), query)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["staff.phusang", "head.phusang", "auditor.phusang"])
@pytest.mark.parametrize("today", [LAST_DAY, FIRST_DAY])
def test_the_overview_opens_on_the_last_year_with_work_and_offers_the_new_one(login, username, today):
    # ภูซาง has measures of FY 2568 only: on both days the overview shows them, never an empty year.
    with on(today):
        response = overview(login(username))
    assert response.context["year"] == 2568
    assert len(response.context["measures"]) == Measure.objects.filter(organisation__slug="phusang",
                                                                     fiscal_year=2568).count() > 0
    expected_start = 2569 if today == LAST_DAY else 2570
    assert response.context["start_year"] == expected_start
    assert reverse("year_start", args=["phusang", expected_start]) in response.content.decode()


@pytest.mark.django_db
def test_the_overview_opens_on_the_current_year_once_it_has_measures(login, make_measure):
    make_measure(slug="phusang", year=2570, title="มาตรการปีใหม่")
    with on(FIRST_DAY):
        response = overview(login("staff.phusang"))
    assert response.context["year"] == 2570
    assert response.context["start_year"] is None


@pytest.mark.django_db
def test_the_year_row_lists_every_published_framework_year_and_each_is_one_link(login):
    with on(FIRST_DAY):
        response = overview(login("staff.phusang"))
    published = set(Framework.objects.filter(state="published").values_list("fiscal_year", flat=True))
    assert published >= {2565, 2569, 2570}
    assert set(response.context["years"]) >= published | {2568, 2570}
    html = response.content.decode()
    for year in published:
        assert f'?year={year}"' in html


@pytest.mark.django_db
def test_a_year_asked_for_is_shown_and_nonsense_falls_back(login):
    client = login("staff.phusang")
    assert overview(client, year="2566").context["year"] == 2566
    assert overview(client, year="2026").context["year"] == 2568


@pytest.mark.django_db
def test_the_plan_of_an_empty_year_leads_to_the_start_page(login):
    response = login("staff.phusang").get(reverse("measure_plan", args=["phusang", 2570]))
    assert reverse("year_start", args=["phusang", 2570]) in response.content.decode()


@pytest.mark.django_db
def test_the_analysis_links_to_the_start_of_the_next_year(login):
    response = login("staff.phusang").get(reverse("analysis", args=["phusang", 2567]))
    assert reverse("year_start", args=["phusang", 2568]) in response.content.decode()


# --- the start page ------------------------------------------------------------------------------


def start(client, year, slug="phusang"):
    return client.get(reverse("year_start", args=[slug, year]))


@pytest.mark.django_db
def test_the_start_page_reads_each_step_from_the_records(login):
    # FY 2568 of ภูซาง: the FY 2567 results are scored and analysed, the 2568 measures planned.
    page = start(login("staff.phusang"), 2568).context["start"]
    assert page.results_year == 2567
    assert page.scored and page.issues > 0 and page.measures > 0
    assert page.steps_done == 3 + (page.rounds > 0)


@pytest.mark.django_db
def test_a_year_with_nothing_yet_offers_to_record_last_years_results(login):
    response = start(login("staff.phusang"), 2570)
    page = response.context["start"]
    assert (page.scored, page.issues, page.measures, page.rounds, page.steps_done) == (False, 0, 0, 0, 0)
    html = response.content.decode()
    assert f'{reverse("assessment_new", args=["phusang"])}?year=2569' in html
    assert reverse("measure_plan", args=["phusang", 2570]) in html
    assert reverse("rounds", args=["phusang", 2570]) in html


@pytest.mark.django_db
def test_the_results_link_preselects_that_year(login):
    response = login("staff.phusang").get(reverse("assessment_new", args=["phusang"]), {"year": 2569})
    assert response.context["form"].initial["framework"].fiscal_year == 2569


@pytest.mark.django_db
def test_an_executive_sees_the_steps_without_the_buttons_that_write(login):
    html = start(login("head.phusang"), 2570).content.decode()
    assert f'{reverse("assessment_new", args=["phusang"])}?year=' not in html


@pytest.mark.django_db
def test_the_start_page_of_another_office_is_not_found(login):
    assert start(login("staff.nasom"), 2570, slug="phusang").status_code == 404


@pytest.mark.django_db
def test_the_start_page_only_reads(login):
    assert login("staff.phusang").post(reverse("year_start", args=["phusang", 2570])).status_code == 405


# --- carrying the OIT checklist into the new year -------------------------------------------------


def _cross(from_year: int, pairs: dict[str, str | None]) -> None:
    from assessments.models import Item, ItemSuccession

    for code, successor in pairs.items():
        ItemSuccession.objects.create(
            item=Item.objects.get(framework__fiscal_year=from_year, code=code),
            successor=Item.objects.get(framework__fiscal_year=from_year + 1, code=successor) if successor else None,
        )


@pytest.mark.django_db
def test_the_start_page_carries_the_oit_checklist_along_the_crosswalk(login):
    from measures.models import OitEntry

    last_year = OitEntry.objects.filter(organisation__slug="nasom", item__framework__fiscal_year=2566)
    first = last_year.select_related("item").order_by("item__order").first()
    _cross(2566, {first.item.code: "o1"})
    client = login("staff.nasom")
    assert start(client, 2567, slug="nasom").context["start"].oit_last_year == last_year.count() > 0

    response = client.post(reverse("year_carry_oit", args=["nasom", 2567]), follow=True)
    carried = OitEntry.objects.get(organisation__slug="nasom", item__framework__fiscal_year=2567, item__code="o1")
    assert (carried.url, carried.owner_id, carried.status) == (first.url, first.owner_id, "not_started")
    assert response.context["start"].oit_entries == 1
    message = str(next(iter(response.context["messages"])))
    assert "None" not in message and "2567" in message


@pytest.mark.django_db
def test_only_editors_carry_the_checklist_and_only_by_post(login):
    url = reverse("year_carry_oit", args=["nasom", 2567])
    assert login("head.nasom").post(url).status_code == 403
    assert login("staff.nasom").get(url).status_code == 405
    assert login("staff.phusang").post(url).status_code == 404
