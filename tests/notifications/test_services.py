import pytest
from django.db import IntegrityError, transaction

from itaportal.accounts.models import Organisation, User
from itaportal.notifications.models import Notification
from itaportal.notifications.services import mark_all_read, mark_read, notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_notifications():
    """The demo's waiting memos told their deciders; these tests count only what they send themselves."""
    Notification.objects.all().delete()


@pytest.fixture
def staff():
    user = User.objects.get(username="staff.nasom")
    user.email = "staff@nasom.example"
    user.save(update_fields=["email"])
    return user


def send(user, key="k:1", **kwargs):
    arguments = {
        "recipient": user,
        "organisation": Organisation.objects.get(slug="nasom"),
        "kind": "ita.progress.overdue",
        "data": {"number": 3, "title": "เผยแพร่แผน", "round": "รอบ ๖ เดือน", "due_date": "2025-03-31"},
        "url": "/o/nasom/measures/",
        "dedupe_key": key,
    }
    arguments.update(kwargs)
    return notify(**arguments)


def test_it_creates_the_notification_and_mails_it_after_commit(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = send(staff)
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert notification.recipient == staff and notification.read_at is None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["staff@nasom.example"]
    assert "เผยแพร่แผน" in mailoutbox[0].subject
    assert "๓๑ มีนาคม ๒๕๖๘" in mailoutbox[0].body and "/o/nasom/measures/" in mailoutbox[0].body


def test_a_rolled_back_notification_sends_no_mail(staff, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send(staff)
        raise RuntimeError
    assert mailoutbox == [] and not Notification.objects.exists()


def test_the_same_dedupe_key_creates_and_mails_once(staff, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(staff, key="same")
        second = send(staff, key="same")
    assert first is not None and second is None
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1


def test_without_a_dedupe_key_every_call_notifies(staff, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        send(staff, key=None)
        send(staff, key=None)
    assert Notification.objects.count() == 2 and len(mailoutbox) == 2


def test_the_database_refuses_a_duplicate_key_that_slips_past_the_service(staff):
    send(staff, key="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=staff,
            organisation=Organisation.objects.get(slug="nasom"),
            kind="ita.progress.overdue",
            dedupe_key="same",
        )


def test_a_person_without_an_address_gets_the_notification_only(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = User.objects.get(username="head.nasom")
    assert user.email == ""
    with django_capture_on_commit_callbacks(execute=True):
        assert send(user) is not None
    assert mailoutbox == []


def test_email_false_sends_no_mail(staff, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        send(staff, email=False)
    assert mailoutbox == [] and Notification.objects.count() == 1


def test_a_mail_server_failure_keeps_the_notification(staff, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_services.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(staff)
    assert Notification.objects.filter(pk=notification.pk).exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError


def test_an_unknown_kind_is_a_programming_error(staff):
    with pytest.raises(ValueError):
        send(staff, kind="ita.nothing")


def test_mark_read_sets_the_time_once(staff):
    notification = send(staff)
    read_at = mark_read(notification=notification).read_at
    assert read_at is not None
    assert mark_read(notification=notification).read_at == read_at


def test_mark_all_read_touches_only_this_person_in_this_organisation(staff):
    mine, other_org = (
        send(staff, key="a"),
        send(staff, key="b", organisation=Organisation.objects.get(slug="phusang")),
    )
    someone_else = send(User.objects.get(username="admin.nasom"), key="c")
    assert mark_all_read(user=staff, organisation=Organisation.objects.get(slug="nasom")) == 1
    mine.refresh_from_db(), other_org.refresh_from_db(), someone_else.refresh_from_db()
    assert mine.read_at is not None and other_org.read_at is None and someone_else.read_at is None
