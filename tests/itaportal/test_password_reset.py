"""Password reset by e-mail: one answer for every address, a link that works once, and no way
around the login lock or the two-step code."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from itaportal.accounts.models import User
from tests.itaportal.logins import PASSWORD, code_step, password_step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_task_in_process(monkeypatch):
    """The mail task runs in this process, whose outbox the tests read: with Redis (CI) a real worker
    would otherwise take it and send it through its own mail backend."""
    from itaportal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)

NEW_PASSWORD = "ภูซาง-ใหม่-2568"


@pytest.fixture
def staff():
    user = User.objects.get(username="staff.phusang")
    user.email = "staff@phusang.example"
    user.save(update_fields=["email"])
    return user


def ask_reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def link_in(message) -> str:
    return re.search(rf"{re.escape(settings.PORTAL_URL)}(/\S+)", message.body).group(1)


def set_new_password(client: Client, link: str, password: str = NEW_PASSWORD):
    form = client.get(link)
    assert form.status_code == 302, "the token moves from the address into the session"
    return client.post(form["Location"], {"new_password1": password, "new_password2": password})


def can_log_in(username: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_the_login_page_links_to_the_reset():
    assert f'href="{reverse("password_reset")}"' in Client().get(reverse("login")).content.decode()


def test_a_known_address_gets_one_thai_mail_whose_link_sets_a_new_password_once(client, staff, settings):
    settings.PORTAL_URL = "https://ita.example.go.th"
    ask_reset(client, "Staff@Phusang.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@phusang.example"]
    # The mail is in the portal's language, Thai, and its link on the portal's public address.
    assert message.body.startswith(f"เรียน {staff.display_name}")
    assert "https://ita.example.go.th/password-reset/" in message.body and "testserver" not in message.body
    link = link_in(message)

    done = set_new_password(client, link)
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert can_log_in("staff.phusang", NEW_PASSWORD)
    assert not can_log_in("staff.phusang", PASSWORD)

    reused = Client().get(link, follow=True)
    assert reused.status_code == 200 and not reused.context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(staff):
    known = ask_reset(Client(), "staff@phusang.example")
    mail.outbox.clear()
    unknown = ask_reset(Client(), "nobody@nowhere.example")
    assert mail.outbox == []
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert "registration/password_reset_done.html" in [t.name for t in unknown.templates]


def test_an_inactive_account_gets_no_mail(staff):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    ask_reset(Client(), "staff@phusang.example")
    assert mail.outbox == []


def test_the_reset_logs_out_the_sessions_opened_with_the_old_password(client, staff):
    old = Client()
    password_step(old, "staff.phusang")
    assert old.get("/o/phusang/").status_code == 200
    ask_reset(client, "staff@phusang.example")
    set_new_password(client, link_in(mail.outbox[0]))
    assert old.get("/o/phusang/")["Location"].startswith(reverse("login"))


def test_a_reset_lifts_the_lock_of_wrong_passwords(client, staff):
    for _ in range(4):
        Client().post(reverse("login"), {"username": "staff.phusang", "password": "wrong"})
    locked = Client().post(reverse("login"), {"username": "staff.phusang", "password": PASSWORD})
    assert locked.status_code == 429

    ask_reset(client, "staff@phusang.example")
    set_new_password(client, link_in(mail.outbox[0]))
    assert can_log_in("staff.phusang", NEW_PASSWORD)


def test_after_a_reset_an_executive_still_gives_the_code(client):
    User.objects.filter(username="head.phusang").update(email="head@phusang.example")
    ask_reset(client, "head@phusang.example")
    response = set_new_password(client, link_in(mail.outbox[0]))
    assert response["Location"] == reverse("password_reset_complete")
    # The reset itself logs nobody in.
    assert client.get("/o/phusang/")["Location"].startswith(reverse("login"))

    fresh = Client()
    response = password_step(fresh, "head.phusang", NEW_PASSWORD)
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert fresh.get("/o/phusang/")["Location"].startswith(reverse("two_factor_verify"))
    code_step(fresh, "head.phusang")
    assert fresh.get("/o/phusang/").status_code == 200
