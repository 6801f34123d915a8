import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from itaportal.notifications.models import Notification
from itaportal.notifications.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

LIST = "/o/nasom/notifications/"


def read_url(notification, slug="nasom"):
    return f"/o/{slug}/notifications/{notification.pk}/read/"


def test_the_list_shows_only_my_notifications_of_this_organisation(login, make_notification):
    make_notification("staff.nasom", title="ของฉัน")
    make_notification("admin.nasom", title="ของคนอื่น")
    make_notification("staff.nasom", slug="phusang", title="ของอีกองค์กร")
    response = login("staff.nasom").get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ของฉัน" in page and "ของคนอื่น" not in page and "ของอีกองค์กร" not in page


def test_the_list_is_newest_first_with_unread_highlighted(login, make_notification):
    old, new = make_notification(title="เก่ากว่า"), make_notification(title="ใหม่กว่า")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    page = login("staff.nasom").get(LIST).content.decode()
    assert page.index("ใหม่กว่า") < page.index("เก่ากว่า")
    assert page.count("list-group-item-primary") == 1
    assert read_url(new) in page and read_url(old) in page


def test_the_list_is_paginated(login, make_notification):
    for number in range(PAGE_SIZE + 1):
        make_notification(number=number)
    client = login("staff.nasom")
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert len(client.get(f"{LIST}?page=2").context["page"].object_list) == 1


@pytest.mark.parametrize("username", ["admin.nasom", "head.nasom", "auditor.nasom", "palad.nasom"])
def test_every_role_has_a_list(login, username):
    assert login(username).get(LIST).status_code == 200


def test_the_navigation_shows_the_unread_count(login, make_notification):
    for _ in range(3):
        make_notification()
    page = login("staff.nasom").get("/o/nasom/").content.decode()
    assert 'href="/o/nasom/notifications/"' in page
    assert "text-bg-warning" in page and ">3</span>" in page


def test_the_unread_count_costs_one_query_and_none_outside_an_organisation(login, make_notification):
    make_notification()
    client = login("staff.nasom")
    with CaptureQueriesContext(connection) as org_page:
        client.get("/o/nasom/")
    with CaptureQueriesContext(connection) as outside:
        client.get("/me/")
    assert sum("notifications_notification" in q["sql"] for q in org_page.captured_queries) == 1
    assert sum("notifications_notification" in q["sql"] for q in outside.captured_queries) == 0


def test_reading_marks_it_read_and_opens_its_page(login, make_notification):
    notification = make_notification(url="/o/nasom/measures/")
    response = login("staff.nasom").post(read_url(notification))
    assert response.status_code == 302 and response["Location"] == "/o/nasom/measures/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_never_leads_outside_the_portal(login, make_notification):
    notification = make_notification(url="https://evil.example/")
    response = login("staff.nasom").post(read_url(notification))
    assert response["Location"] == LIST


def test_another_persons_notification_is_not_found(login, make_notification):
    notification = make_notification("admin.nasom")
    assert login("staff.nasom").post(read_url(notification)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_of_another_organisation_is_not_found(login, make_notification):
    # Each admin reaches their notification only under their own organisation's URL.
    notification = make_notification("admin.phusang")
    assert login("admin.nasom").post(read_url(notification)).status_code == 404
    assert login("admin.phusang").post(read_url(notification, slug="phusang")).status_code == 302
    theirs = make_notification("admin.nasom")
    assert login("admin.phusang").post(read_url(theirs, slug="phusang")).status_code == 404


def test_read_all_marks_only_mine_here(login, make_notification):
    mine, others = make_notification(), make_notification("admin.nasom")
    response = login("staff.nasom").post(f"{LIST}read-all/")
    assert response.status_code == 302 and response["Location"] == LIST
    mine.refresh_from_db(), others.refresh_from_db()
    assert mine.read_at is not None and others.read_at is None


def test_an_outsider_and_an_anonymous_visitor_are_refused(client, login, make_notification):
    notification = make_notification()
    assert client.get(LIST).status_code == 302
    assert client.post(read_url(notification)).status_code == 302
    outsider = login("admin.phusang")
    assert outsider.get(LIST).status_code == 404
    assert outsider.post(read_url(notification)).status_code == 404
    assert outsider.post(f"{LIST}read-all/").status_code == 404


def test_the_post_endpoints_reject_get_and_the_list_rejects_post(login, make_notification):
    notification = make_notification()
    client = login("staff.nasom")
    assert client.get(read_url(notification)).status_code == 405
    assert client.get(f"{LIST}read-all/").status_code == 405
    assert client.post(LIST).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
