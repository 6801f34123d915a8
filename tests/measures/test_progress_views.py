from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.models import ProgressEntry
from measures.services.progress import round_lock

pytestmark = pytest.mark.django_db


def url(measure, round, suffix=""):
    return f"/o/wangthong/measures/m/{measure.pk}/r/{round.pk}/{suffix}"


VALID = {
    "status": "in_progress",
    "outcome": "จัดอบรมแล้ว ๑ ครั้ง",
    "suggestions": "ควรจัดต่อเนื่อง",
    "budget_used": "๒,๕๐๐",
    "activity_date": ["2025-01-12", ""],
    "activity_text": ["ประชุมชี้แจง", ""],
}


def test_staff_of_a_responsible_unit_reports(login, make_measure, make_rounds, department):
    measure, round = make_measure(departments=[department("สำนักปลัด")]), make_rounds()[0]
    response = login("staff.wangthong").post(url(measure, round), VALID)
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(measure=measure, round=round)
    assert (entry.status, str(entry.budget_used), entry.suggestions) == ("in_progress", "2500.00", "ควรจัดต่อเนื่อง")
    assert [(a.date, a.description) for a in entry.activities.all()] == [(date(2025, 1, 12), "ประชุมชี้แจง")]


def test_a_validation_error_keeps_everything_typed_and_saves_a_draft(login, make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    data = dict(VALID, budget_used="สองพัน", activity_date=["31/02/2568", ""], activity_text=["อบรมเจ้าหน้าที่", ""])
    client = login("staff.wangthong")
    html = client.post(url(measure, round), data, HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert 'value="สองพัน"' in html and "อบรมเจ้าหน้าที่" in html and "จัดอบรมแล้ว ๑ ครั้ง" in html
    assert 'value="31/02/2568"' in html
    assert html.count("is-invalid") >= 2
    entry = ProgressEntry.objects.get(measure=measure, round=round)
    assert entry.outcome == "" and entry.draft["data"]["budget_used"] == ["สองพัน"]
    # Coming back later restores the draft as typed.
    again = client.get(url(measure, round)).content.decode()
    assert 'value="สองพัน"' in again and "อบรมเจ้าหน้าที่" in again and 'value="31/02/2568"' in again


def test_autosave_saves_a_valid_form_and_keeps_an_invalid_one_as_draft(login, make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    client = login("staff.wangthong")
    response = client.post(url(measure, round, "autosave/"), VALID, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "text-success" in response.content.decode()
    assert ProgressEntry.objects.get(measure=measure).outcome == "จัดอบรมแล้ว ๑ ครั้ง"
    response = client.post(url(measure, round, "autosave/"), dict(VALID, outcome="แก้ไข", budget_used="x"))
    assert "text-warning-emphasis" in response.content.decode()
    entry = ProgressEntry.objects.get(measure=measure)
    assert entry.outcome == "จัดอบรมแล้ว ๑ ครั้ง" and entry.draft["data"]["outcome"] == ["แก้ไข"]


def test_staff_of_another_unit_gets_403(login, make_measure, make_rounds, department):
    measure, round = make_measure(departments=[department("กองคลัง")]), make_rounds()[0]
    client = login("staff.wangthong")
    assert client.get(url(measure, round)).status_code == 403
    assert client.post(url(measure, round), VALID).status_code == 403
    assert client.post(url(measure, round, "autosave/"), VALID).status_code == 403
    assert login("admin.wangthong").post(url(measure, round), VALID).status_code == 302


@pytest.mark.parametrize("username", ["head.wangthong", "auditor.wangthong"])
def test_readers_cannot_report(login, make_measure, make_rounds, username):
    measure, round = make_measure(), make_rounds()[0]
    assert login(username).post(url(measure, round), VALID).status_code == 403
    assert not ProgressEntry.objects.filter(measure=measure).exists()


def test_another_organisation_gets_404_even_with_guessed_ids(login, make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    client = login("staff.nasom")
    assert client.get(url(measure, round)).status_code == 404
    assert client.post(f"/o/nasom/measures/m/{measure.pk}/r/{round.pk}/", VALID).status_code == 404
    assert not ProgressEntry.objects.filter(measure=measure).exists()


def test_a_round_of_another_year_is_404(login, make_measure, make_rounds):
    measure, round = make_measure(year=2568), make_rounds(year=2569)[0]
    assert login("staff.wangthong").get(url(measure, round)).status_code == 404


def test_a_locked_round_is_read_only(login, make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    round_lock(round=round)
    client = login("staff.wangthong")
    assert "disabled" in client.get(url(measure, round)).content.decode()
    client.post(url(measure, round), VALID)
    assert client.post(url(measure, round, "autosave/"), VALID).status_code == 409
    assert not ProgressEntry.objects.filter(outcome__startswith="จัดอบรม").exists()


def test_methods(login, make_measure, make_rounds):
    measure, round = make_measure(), make_rounds()[0]
    client = login("staff.wangthong")
    assert client.put(url(measure, round)).status_code == 405
    assert client.get(url(measure, round, "autosave/")).status_code == 405


def test_the_dashboard_shows_late_measures_and_keeps_a_constant_query_count(login, make_measure, make_rounds):
    from measures.models import ReportingRound

    rounds = make_rounds(year=2568)
    ReportingRound.objects.filter(pk=rounds[0].pk).update(due_date=date(2020, 1, 1))
    ReportingRound.objects.filter(pk=rounds[1].pk).update(due_date=date(2099, 1, 1))
    client = login("head.wangthong")
    # The first page of an organisation remembers it in the session (a write the later pages skip).
    client.get("/o/wangthong/")

    def measure_queries(count):
        for number in range(count):
            make_measure(title=f"มาตรการ {number}")
        with CaptureQueriesContext(connection) as context:
            response = client.get("/o/wangthong/measures/?year=2568")
        return len(context), response

    few, response = measure_queries(10)
    assert response.context["late"] and len(response.context["late"]) == 10
    many, response = measure_queries(190)
    assert len(response.context["late"]) == 200
    assert many == few


def test_my_reporting_lists_only_my_units_measures(login, make_measure, make_rounds, department):
    mine = make_measure(title="ของสำนักปลัด", departments=[department("สำนักปลัด")])
    make_measure(title="ของกองคลัง", departments=[department("กองคลัง")])
    make_rounds(year=2568)
    html = login("staff.wangthong").get("/o/wangthong/measures/mine/?year=2568").content.decode()
    assert "ของสำนักปลัด" in html and "ของกองคลัง" not in html
    assert f"/m/{mine.pk}/r/" in html
