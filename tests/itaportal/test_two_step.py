"""Two-step login through the real forms: the password, then a TOTP code (django-otp).

Every test here logs in with the login form; `force_login` elsewhere stands for a finished login.
The check that a half-logged-in person is sent to the code step from every URL of the portal is
part of the permission matrix (tests/itaportal/test_permission_matrix.py).
"""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.models import Membership, User
from itaportal.accounts.twofactor import confirmed_device, current_code, two_factor_required
from demo.twofactor import DEMO_TOTP_KEY
from tests.itaportal.logins import PASSWORD, code_step, full_login, password_step

pytestmark = pytest.mark.django_db

VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")


def english(client):
    """Messages are read in English, the msgids, whatever the Thai catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def code_error(response) -> str:
    return response.context["form"].errors.as_data()["code"][0].code


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def let_throttle_expire(device: TOTPDevice, seconds: int = 61) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=seconds)
    )


def test_who_must_use_two_step_login():
    required = {u.username for u in User.objects.all() if two_factor_required(u)}
    assert {"admin", "admin.phusang", "head.phusang", "palad.nasom", "deputy.wangthong"} <= required
    assert not required & {"staff.phusang", "auditor.nasom"}


def test_an_executive_gives_the_code_after_the_password_and_lands_where_they_were_going(client):
    response = client.post(reverse("login") + "?next=/o/phusang/memos/",
                           {"username": "head.phusang", "password": PASSWORD, "next": "/o/phusang/memos/"})
    assert response.status_code == 302 and response["Location"] == f"{VERIFY}?next=%2Fo%2Fphusang%2Fmemos%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.content.decode()

    response = code_step(client, "head.phusang", next_url="/o/phusang/memos/")
    assert response.status_code == 302 and response["Location"] == "/o/phusang/memos/"
    assert client.get("/o/phusang/memos/").status_code == 200


def test_between_password_and_code_pages_send_to_the_code_step_but_logout_and_language_work(client):
    password_step(client, "head.phusang")
    for url in ["/", "/me/", "/o/phusang/", "/o/phusang/memos/", "/admin/", "/verify/", "/login/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    assert client.get("/o/phusang/")["Location"] == f"{VERIFY}?next=%2Fo%2Fphusang%2F"
    # A form posted before the code would come back as a GET: only pages are returned to.
    assert client.post("/o/phusang/profile/", {"website": "https://evil.example"})["Location"] == VERIFY
    assert client.get("/healthz").status_code == 200
    assert client.get("/static/css/portal.css").status_code in (200, 404)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    htmx = client.get("/o/phusang/", headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and htmx["HX-Redirect"].startswith(VERIFY)

    client.post(reverse("logout"))
    assert client.get("/o/phusang/")["Location"].startswith("/login/")


def test_before_the_code_the_pages_show_none_of_the_persons_organisations(client):
    password_step(client, "head.phusang")
    html = client.get(VERIFY).content.decode()
    assert "ภูซาง" not in html and 'href="/o/phusang/"' not in html


def test_a_staff_member_without_a_device_logs_in_with_the_password_alone(client):
    response = password_step(client, "staff.phusang")
    assert response["Location"] == "/"
    assert client.get("/o/phusang/").status_code == 200
    assert client.get(VERIFY)["Location"] == "/"


def test_a_wrong_code_is_refused_with_a_message_at_the_field(client):
    english(client)
    password_step(client, "head.phusang")
    device = confirmed_device(User.objects.get(username="head.phusang"))
    response = client.post(VERIFY, {"code": wrong(current_code(device))})
    assert response.status_code == 200 and code_error(response) == "invalid"
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="code".*?</div>', html, re.S).group(0)
    assert "is-invalid" in field and "This code is not right." in field
    assert client.get("/o/phusang/")["Location"].startswith(VERIFY)

    assert code_error(client.post(VERIFY, {"code": "12ab"})) == "format"


def test_a_code_typed_with_thai_digits_or_spaces_is_the_same_code(client):
    password_step(client, "head.phusang")
    code = current_code(confirmed_device(User.objects.get(username="head.phusang")))
    thai = code[:3].translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) + " " + code[3:]
    assert client.post(VERIFY, {"code": thai}).status_code == 302
    assert client.get("/o/phusang/").status_code == 200


def test_wrong_codes_throttle_the_device(client, settings):
    # A wide window, so that a slow machine cannot let the throttle expire between two requests.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    english(client)
    password_step(client, "head.phusang")
    device = confirmed_device(User.objects.get(username="head.phusang"))
    client.post(VERIFY, {"code": wrong(current_code(device))})

    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 200 and code_error(response) == "throttled"
    assert "Too many wrong codes. Try again in" in response.content.decode()
    assert client.get("/o/phusang/")["Location"].startswith(VERIFY)

    let_throttle_expire(device)
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_throttle_is_on_in_the_settings():
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1


def test_a_code_is_accepted_once(client):
    password_step(client, "head.phusang")
    device = confirmed_device(User.objects.get(username="head.phusang"))
    code = current_code(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = english(Client())
    password_step(other, "head.phusang")
    assert code_error(other.post(VERIFY, {"code": code})) == "invalid"


def test_the_session_key_changes_after_the_password_and_after_the_code(client):
    client.get(reverse("login"))
    client.session.save()
    anonymous = client.session.session_key
    password_step(client, "head.phusang")
    after_password = client.session.session_key
    assert after_password != anonymous
    code_step(client, "head.phusang")
    after_code = client.session.session_key
    assert after_code not in (anonymous, after_password)
    assert client.get("/o/phusang/").status_code == 200


def test_an_executive_without_a_device_must_enrol_before_anything_else(client):
    TOTPDevice.objects.filter(user__username="nayok.phusang").delete()
    english(client)
    response = password_step(client, "nayok.phusang")
    assert response["Location"].startswith(ENROL)
    for url in ["/", "/o/phusang/", "/me/", VERIFY]:
        assert client.get(url)["Location"].startswith(ENROL), url

    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<style" not in html.split('id="totp-qr"')[1][:5000]
    assert "no-store" in page["Cache-Control"]
    key = re.search(r'<code[^>]*id="totp-key">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user__username="nayok.phusang", confirmed=False)
    assert b32decode(key) == device.bin_key
    assert "otpauth://totp/ITA%20Portal%3Anayok.phusang" in device.config_url
    # A reload shows the same key: the app already scanned it.
    assert key in client.get(ENROL).content.decode().replace(" ", "")

    assert code_error(client.post(ENROL, {"code": wrong(current_code(device))})) == "invalid"
    assert client.get("/o/phusang/")["Location"].startswith(ENROL)

    let_throttle_expire(device)
    response = client.post(ENROL, {"code": current_code(device), "next": "/o/phusang/"})
    assert response.status_code == 302 and response["Location"] == "/o/phusang/"
    assert client.get("/o/phusang/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    second = Client()
    assert password_step(second, "nayok.phusang")["Location"].startswith(VERIFY)


def test_with_a_device_a_password_alone_cannot_enrol_another(client):
    password_step(client, "head.phusang")
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user__username="head.phusang").count() == 1


def test_a_staff_member_turns_it_on_from_my_account_and_is_then_asked_for_the_code(client):
    english(client)
    password_step(client, "staff.phusang")
    page = client.get("/me/").content.decode()
    assert f'href="{ENROL}?next=/me/"' in page

    client.get(f"{ENROL}?next=/me/")
    device = TOTPDevice.objects.get(user__username="staff.phusang")
    response = client.post(ENROL, {"code": current_code(device), "next": "/me/"})
    assert response["Location"] == "/me/"
    page = client.get("/me/").content.decode()
    assert "Two-step login is on" in page and f'href="{ENROL}' not in page

    again = Client()
    assert password_step(again, "staff.phusang")["Location"].startswith(VERIFY)
    assert again.get("/o/phusang/")["Location"].startswith(VERIFY)


def test_the_superuser_needs_the_code_for_the_admin(client):
    password_step(client, "admin")
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    code_step(client, "admin")
    assert client.get("/admin/").status_code == 200


def test_a_membership_made_executive_asks_for_enrolment_at_the_next_page(client):
    password_step(client, "staff.phusang")
    assert client.get("/o/phusang/").status_code == 200
    Membership.objects.filter(user__username="staff.phusang").update(role="executive")
    assert client.get("/o/phusang/")["Location"].startswith(ENROL)


def test_the_demo_gives_admins_and_executives_the_printed_key(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    printed = " ".join(DEMO_TOTP_KEY[i : i + 4] for i in range(0, len(DEMO_TOTP_KEY), 4))
    assert out.count(printed) == 1 and "DEMO ONLY" in out
    for username in ["admin", "admin.nasom", "head.phusang", "nayok.wangthong"]:
        device = confirmed_device(User.objects.get(username=username))
        assert device.bin_key == b32decode(DEMO_TOTP_KEY), username
    for username in ["staff.phusang", "auditor.nasom"]:
        assert confirmed_device(User.objects.get(username=username)) is None


def test_the_helper_gives_a_usable_code_twice_in_a_row():
    for _ in range(2):
        client = Client()
        assert full_login(client, "palad.phusang").get("/o/phusang/").status_code == 200
