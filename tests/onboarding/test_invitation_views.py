"""The invitation pages: the admin invites, re-sends and revokes; the invited person accepts."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import TOTP

from itaportal.accounts.models import Membership, Position, Role, User
from itaportal.onboarding.models import Invitation

from .conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db
INVITE = "/o/phusang/members/invite/"


def invite_data(**overrides):
    return {"name_prefix": "นาย", "first_name": "สมชาย", "last_name": "ใจดี", "email": "somchai@example.org",
            "department": "", "position": "", "role": "staff", **overrides}


def test_the_admin_invites_and_the_mail_leaves_after_the_commit(login, django_capture_on_commit_callbacks):
    client = login("admin.phusang")
    assert client.get(INVITE).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, invite_data())
    assert response.status_code == 302 and response["Location"] == "/o/phusang/members/"
    assert mail.outbox[-1].to == ["somchai@example.org"]
    assert "somchai@example.org" in client.get("/o/phusang/members/").content.decode()


def test_an_address_already_in_the_office_is_refused_next_to_it_and_the_form_kept(login):
    staff = User.objects.get(username="staff.phusang")
    staff.email = "staff@phusang.go.th"
    staff.save()
    response = login("admin.phusang").post(INVITE, invite_data(email="staff@phusang.go.th"),
                                           HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert 'value="สมชาย"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_checks_ownership_role_and_method(login):
    assert login("admin.nasom").post(INVITE, invite_data()).status_code == 404
    for username in ["staff.phusang", "head.phusang", "auditor.phusang"]:
        assert login(username).post(INVITE, invite_data()).status_code == 403
    assert login("admin.phusang").put(INVITE).status_code == 405
    assert not Invitation.objects.exists()


def test_resend_and_revoke(login, invite):
    invitation, _token = invite()
    old_hash = invitation.token_hash
    client = login("admin.phusang")
    assert client.get(f"/o/phusang/members/invitations/{invitation.pk}/resend/").status_code == 405
    assert client.post(f"/o/phusang/members/invitations/{invitation.pk}/resend/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert login("admin.nasom").post(f"/o/phusang/members/invitations/{invitation.pk}/revoke/").status_code == 404
    assert login("staff.phusang").post(f"/o/phusang/members/invitations/{invitation.pk}/revoke/").status_code == 403
    assert login("admin.phusang").post(f"/o/phusang/members/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    # A revoked invitation is gone from the list: its actions are not found.
    assert client.post(f"/o/phusang/members/invitations/{invitation.pk}/resend/").status_code == 404


def test_another_offices_invitation_is_not_found(login, invite):
    invitation, _token = invite()
    assert login("admin.nasom").post(f"/o/nasom/members/invitations/{invitation.pk}/revoke/").status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).state == Invitation.State.PENDING


def test_a_staff_member_accepts_with_a_password_and_lands_on_the_office_home(client, invite):
    _invitation, token = invite()
    page = client.get(f"/invitation/{token}/")
    assert page.status_code == 200 and b"totp-qr" not in page.content
    response = client.post(f"/invitation/{token}/", {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/o/phusang/"
    assert client.get("/o/phusang/").status_code == 200
    assert Membership.objects.get(user__username="somchai@example.org").role == Role.STAFF


def test_an_admin_accepts_with_a_password_and_the_first_code_of_the_app(client, invite):
    position = Position.objects.get(organisation__slug="phusang", title="ปลัด")
    _invitation, token = invite(email="new.admin@example.org", role=Role.ADMIN, position=position)
    page = client.get(f"/invitation/{token}/").content.decode()
    key = b32decode(re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", ""))
    # A reload shows the same key: the phone scanned once keeps working.
    assert key == b32decode(re.search(r'id="totp-key">([A-Z2-7 ]+)<', client.get(f"/invitation/{token}/")
                                      .content.decode()).group(1).replace(" ", ""))
    data = {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD, "code": "12345"}
    response = client.post(f"/invitation/{token}/", data)
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not User.objects.filter(username="new.admin@example.org").exists()
    data["code"] = f"{TOTP(key).token():06d}"
    response = client.post(f"/invitation/{token}/", data)
    assert response.status_code == 302 and response["Location"] == "/o/phusang/"
    # Logged in with both factors: the admin pages open at once.
    assert client.get("/o/phusang/members/").status_code == 200


@pytest.mark.parametrize("password, problem", [("short", "password2"), ("1234567890123", "password2"),
                                                ("somchai@example.org", "password2")])
def test_a_weak_password_is_refused_by_djangos_validators(client, invite, password, problem):
    _invitation, token = invite()
    response = client.post(f"/invitation/{token}/", {"password1": password, "password2": password})
    assert response.status_code == 200 and response.context["form"].errors[problem]
    assert not User.objects.filter(username="somchai@example.org").exists()


def test_a_used_expired_or_unknown_link_says_why(client, invite):
    _invitation, token = invite()
    client.post(f"/invitation/{token}/", {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    client.logout()
    response = client.get(f"/invitation/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410 and "already been used" in str(response.context["reason"])
    assert client.get("/invitation/not-a-token/").status_code == 404


def test_someone_logged_in_joins_with_their_account(login, invite):
    person = User.objects.get(username="staff.nasom")
    person.email = "staff@nasom.go.th"
    person.save()
    _invitation, token = invite(email="staff@nasom.go.th")
    other = login("staff.phusang")
    assert other.get(f"/invitation/{token}/").context["same_person"] is False
    assert other.post(f"/invitation/{token}/").status_code == 200
    assert not Membership.objects.filter(user=person, organisation__slug="phusang").exists()
    client = login("staff.nasom")
    response = client.post(f"/invitation/{token}/")
    assert response.status_code == 302 and response["Location"] == "/o/phusang/"
    assert Membership.objects.filter(user=person, organisation__slug="phusang").exists()


def test_the_accept_page_rejects_other_methods(client, invite):
    _invitation, token = invite()
    assert client.put(f"/invitation/{token}/").status_code == 405
