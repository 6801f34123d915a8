"""The daily reminder: who is told, about which entries, and never twice on one day."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from itaportal.accounts.models import Department, Membership, Organisation, Role, User
from itaportal.notifications.models import Notification
from measures.models import ProgressEntry
from measures.services.plan import MeasureData, measure_create, rounds_configure
from measures.tasks import send_progress_reminders

pytestmark = pytest.mark.django_db

# A year no demo data reaches, so that only this file's rounds are due.
YEAR = 2575
DUE = date(2032, 3, 31)  # the 6-month round of FY 2575


@pytest.fixture(autouse=True)
def _only_this_tests_notifications():
    """The demo's waiting memos told their deciders; these tests count only the reminders they cause."""
    Notification.objects.all().delete()


@pytest.fixture
def nasom():
    return Organisation.objects.get(slug="nasom")


@pytest.fixture
def people(nasom):
    """staff.nasom (สำนักปลัด), admin.nasom, head.nasom (executive), and a staff member of กองคลัง."""
    users = {
        name: User.objects.get(username=f"{name}.nasom") for name in ("staff", "admin", "head", "auditor")
    }
    for name, user in users.items():
        user.email = f"{name}@nasom.example"
        user.save(update_fields=["email"])
    finance = User.objects.create_user("finance.nasom", email="finance@nasom.example")
    Membership.objects.create(
        user=finance,
        organisation=nasom,
        role=Role.STAFF,
        department=Department.objects.get(organisation=nasom, name="กองคลัง"),
    )
    users["finance"] = finance
    return users


@pytest.fixture
def first_round(nasom):
    rounds = rounds_configure(organisation=nasom, fiscal_year=YEAR, scheme="half")
    assert rounds[0].due_date == DUE
    return rounds[0]


def make_measure(nasom, title="เผยแพร่แผนจัดซื้อจัดจ้าง", **fields):
    fields.setdefault("all_units", not (fields.get("departments") or fields.get("positions")))
    return measure_create(
        organisation=nasom,
        fiscal_year=YEAR,
        data=MeasureData(kind="measure", title=title, steps=["ขั้นที่หนึ่ง"], **fields),
    )


def run(today: date, capture) -> int:
    with capture(execute=True):
        return send_progress_reminders(today.isoformat())


def told(kind=None) -> set[str]:
    notifications = Notification.objects.filter(kind__startswith="ita.progress.")
    if kind:
        notifications = notifications.filter(kind=kind)
    return set(notifications.values_list("recipient__username", flat=True))


def test_an_entry_due_today_is_due_soon_for_the_responsible_staff_only(
    nasom, people, first_round, django_capture_on_commit_callbacks, mailoutbox
):
    measure = make_measure(nasom)
    assert run(DUE, django_capture_on_commit_callbacks) == 2
    assert told("ita.progress.due_soon") == {"staff.nasom", "finance.nasom"}
    notification = Notification.objects.get(recipient=people["staff"])
    assert notification.organisation == nasom
    assert notification.url == reverse("progress_form", args=["nasom", measure.pk, first_round.pk])
    assert notification.data == {
        "number": measure.number,
        "title": measure.title,
        "round": first_round.name,
        "due_date": "2032-03-31",
    }
    assert (
        notification.dedupe_key
        == f"ita.progress.due_soon:{measure.pk}:{first_round.pk}:{people['staff'].pk}:2032-03-31"
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["finance@nasom.example", "staff@nasom.example"]


def test_an_entry_due_in_seven_days_is_due_soon_and_in_eight_days_not_yet(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    make_measure(nasom)
    assert run(DUE - timedelta(days=8), django_capture_on_commit_callbacks) == 0
    assert run(DUE - timedelta(days=7), django_capture_on_commit_callbacks) == 2
    assert told() == told("ita.progress.due_soon") == {"staff.nasom", "finance.nasom"}


def test_an_entry_due_yesterday_is_overdue_and_also_told_to_the_admins(
    nasom, people, first_round, django_capture_on_commit_callbacks, mailoutbox
):
    make_measure(nasom)
    assert run(DUE + timedelta(days=1), django_capture_on_commit_callbacks) == 3
    assert told() == told("ita.progress.overdue") == {"staff.nasom", "finance.nasom", "admin.nasom"}
    assert "admin@nasom.example" in {m.to[0] for m in mailoutbox}
    assert "head@nasom.example" not in {m.to[0] for m in mailoutbox}


def test_admins_are_not_told_of_entries_that_are_only_due_soon(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    make_measure(nasom)
    run(DUE, django_capture_on_commit_callbacks)
    assert "admin.nasom" not in told()


def test_overdue_reminders_stop_after_sixty_days(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    make_measure(nasom)
    assert run(DUE + timedelta(days=61), django_capture_on_commit_callbacks) == 0
    assert run(DUE + timedelta(days=60), django_capture_on_commit_callbacks) == 3


def test_only_late_entries_are_overdue(nasom, people, first_round, django_capture_on_commit_callbacks):
    """As measures.lateness says: an entry in progress is late only when its measure should have ended."""
    ended = {"start_date": first_round.period_start, "end_date": first_round.period_end}
    done, running = make_measure(nasom, title="เสร็จแล้ว", **ended), make_measure(nasom, title="ยังดำเนินการ")
    unfinished = make_measure(nasom, title="ควรเสร็จแล้ว", **ended)
    ProgressEntry.objects.create(measure=done, round=first_round, status=ProgressEntry.Status.DONE)
    ProgressEntry.objects.create(measure=running, round=first_round, status=ProgressEntry.Status.IN_PROGRESS)
    ProgressEntry.objects.create(measure=unfinished, round=first_round, status=ProgressEntry.Status.IN_PROGRESS)
    run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    assert {n.data["title"] for n in Notification.objects.filter(kind="ita.progress.overdue")} == {"ควรเสร็จแล้ว"}


def test_a_report_in_the_next_round_settles_the_earlier_one(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    second_round = first_round.organisation.rounds.get(fiscal_year=YEAR, number=2)
    ProgressEntry.objects.create(measure=make_measure(nasom), round=second_round)
    assert run(DUE + timedelta(days=1), django_capture_on_commit_callbacks) == 0


def test_a_locked_round_is_not_reminded(nasom, people, first_round, django_capture_on_commit_callbacks):
    make_measure(nasom)
    first_round.locked_at = timezone.now()
    first_round.save(update_fields=["locked_at"])
    assert run(DUE + timedelta(days=1), django_capture_on_commit_callbacks) == 0


def test_a_measure_that_starts_after_the_round_is_not_reminded(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    make_measure(nasom, start_date=first_round.period_end + timedelta(days=1))
    assert run(DUE, django_capture_on_commit_callbacks) == 0


def test_a_moved_due_date_is_followed(nasom, people, first_round, django_capture_on_commit_callbacks):
    make_measure(nasom)
    first_round.due_date = DUE + timedelta(days=14)
    first_round.save(update_fields=["due_date"])
    assert run(DUE + timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert run(DUE + timedelta(days=7), django_capture_on_commit_callbacks) == 2
    assert told() == told("ita.progress.due_soon")


def test_a_measure_of_another_unit_is_not_told_to_that_person(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    make_measure(nasom, departments=[Department.objects.get(organisation=nasom, name="กองคลัง")])
    assert run(DUE, django_capture_on_commit_callbacks) == 1
    assert told() == {"finance.nasom"}


def test_a_measure_of_a_position_is_told_to_whoever_holds_it(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    staff_position = Membership.objects.get(user=people["staff"]).position
    make_measure(nasom, positions=[staff_position])
    run(DUE, django_capture_on_commit_callbacks)
    assert told() == {"staff.nasom"}


def test_inactive_members_and_other_organisations_are_not_told(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=people["finance"]).update(is_active=False)
    make_measure(nasom)
    run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    assert told() == {"staff.nasom", "admin.nasom"}
    assert not Notification.objects.exclude(organisation=nasom).exists()


def test_running_twice_the_same_day_creates_and_sends_nothing_the_second_time(
    nasom, people, first_round, django_capture_on_commit_callbacks, mailoutbox
):
    make_measure(nasom)
    day = DUE + timedelta(days=1)
    assert run(day, django_capture_on_commit_callbacks) == 3
    assert len(mailoutbox) == 3
    assert run(day, django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 3
    assert Notification.objects.count() == 3
    # The next day is another reminder.
    assert run(day + timedelta(days=1), django_capture_on_commit_callbacks) == 3
    assert len(mailoutbox) == 6


def test_the_mail_is_in_thai_with_a_link_to_the_progress_form(
    nasom, people, first_round, django_capture_on_commit_callbacks, mailoutbox
):
    measure = make_measure(nasom)
    run(DUE, django_capture_on_commit_callbacks)
    mail = next(m for m in mailoutbox if m.to == ["staff@nasom.example"])
    assert "เผยแพร่แผนจัดซื้อจัดจ้าง" in mail.subject and "\n" not in mail.subject
    assert "๓๑ มีนาคม ๒๕๗๕" in mail.body
    assert reverse("progress_form", args=["nasom", measure.pk, first_round.pk]) in mail.body
    assert people["staff"].display_name in mail.body


def test_the_query_count_does_not_grow_with_the_measures(
    nasom, people, first_round, django_capture_on_commit_callbacks
):
    make_measure(nasom)
    day = DUE + timedelta(days=1)
    run(day, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as one:
        assert run(day, django_capture_on_commit_callbacks) == 0
    for number in range(10):
        measure = make_measure(nasom, title=f"มาตรการ {number}")
        if number % 3 == 0:
            ProgressEntry.objects.create(measure=measure, round=first_round, status=ProgressEntry.Status.DONE)
    run(day, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as eleven:
        assert run(day, django_capture_on_commit_callbacks) == 0
    assert len(eleven) == len(one)


def test_it_runs_daily_at_seven_in_bangkok():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == send_progress_reminders.name
    )
    assert send_progress_reminders.name == "measures.tasks.send_progress_reminders"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Bangkok"
