"""Helpers of the onboarding tests: the link an invitation mail carries, and a fresh invitation."""

import re

import pytest
from django.core import mail
from django.utils import translation

from itaportal.accounts.models import Organisation, Role, User
from itaportal.onboarding.services.invitations import invitation_create

LINK = re.compile(r"/invitation/([A-Za-z0-9_-]+)/")
STRONG_PASSWORD = "Sarabun-ใบบัว-2570"


def token_from_mail(message=None) -> str:
    message = message or mail.outbox[-1]
    return LINK.search(message.body).group(1)


@pytest.fixture(autouse=True)
def _mail_task_in_process(monkeypatch):
    """The invitation mail runs in this process, whose outbox the tests read: with Redis (CI) a real
    worker would otherwise take it and send it through its own mail backend."""
    from itaportal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def _english_messages():
    """The services' messages read in English here (they are matched below); pages follow the request."""
    with translation.override("en"):
        yield


@pytest.fixture
def phusang():
    return Organisation.objects.get(slug="phusang")


@pytest.fixture
def office_admin():
    return User.objects.get(username="admin.phusang")


@pytest.fixture
def invite(phusang, office_admin, django_capture_on_commit_callbacks):
    """Invite someone to ภูซาง and return (invitation, token) as the e-mail carries it."""

    def make(email="somchai@example.org", role=Role.STAFF, department=None, position=None, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_create(
                organisation=phusang, email=email, name_prefix=fields.get("name_prefix", "นาย"),
                first_name=fields.get("first_name", "สมชาย"), last_name=fields.get("last_name", "ใจดี"),
                department=department, position=position, role=role, user=office_admin,
            )
        return invitation, token_from_mail()

    return make
