"""The life of an invitation: created and mailed after the commit, accepted once, expired, re-sent, revoked."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.models import Department, Membership, Organisation, Position, Role, User
from itaportal.accounts.services import AdministrationError
from itaportal.audit.models import AuditEntry
from itaportal.onboarding.models import Invitation
from itaportal.onboarding.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_join,
    invitation_resend,
    invitation_revoke,
)

from .conftest import STRONG_PASSWORD, token_from_mail

pytestmark = pytest.mark.django_db
KEY = "3132333435363738393031323334353637383930"


def code_for(key: str = KEY) -> str:
    return f"{TOTP(bytes.fromhex(key)).token():06d}"


def test_an_invitation_is_mailed_after_the_commit_with_a_token_only_its_hash_is_stored(invite, phusang):
    invitation, token = invite(email="  Somchai@Example.ORG ")
    assert invitation.email == "somchai@example.org"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.state == Invitation.State.PENDING
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    message = mail.outbox[-1]
    assert message.to == ["somchai@example.org"]
    assert "องค์การบริหารส่วนตำบลภูซาง" in message.subject and token in message.body
    entry = AuditEntry.objects.get(action="ita.invitation.created", object_id=invitation.pk)
    assert entry.actor.username == "admin.phusang" and entry.organisation == phusang


def test_nothing_is_mailed_when_the_transaction_rolls_back(phusang, office_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation_create(organisation=phusang, email="a@example.org", name_prefix="", first_name="ก",
                          last_name="", department=None, position=None, role=Role.STAFF, user=office_admin)
    assert len(callbacks) == 1 and mail.outbox == []


def test_accepting_creates_the_account_the_membership_and_uses_the_invitation(invite, phusang):
    department = Department.objects.get(organisation=phusang, name="สำนักปลัด")
    position = Position.objects.get(organisation=phusang, title="นักทรัพยากรบุคคลชำนาญการ")
    invitation, token = invite(position=position)
    membership, device = invitation_accept(token=token, password=STRONG_PASSWORD)
    assert device is None
    user = membership.user
    assert (user.username, user.email, user.display_name) == ("somchai@example.org", "somchai@example.org",
                                                               "นายสมชาย ใจดี")
    assert user.check_password(STRONG_PASSWORD)
    # The department follows from the position when the invitation leaves it blank.
    assert (membership.organisation, membership.department, membership.position, membership.role) == (
        phusang, department, position, Role.STAFF)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED and invitation.membership == membership
    assert AuditEntry.objects.filter(action="ita.invitation.accepted", actor=user).exists()


def test_an_invitation_works_once(invite):
    _invitation, token = invite()
    invitation_accept(token=token, password=STRONG_PASSWORD)
    with pytest.raises(AdministrationError, match="already been used"):
        invitation_accept(token=token, password=STRONG_PASSWORD)


def test_an_expired_invitation_is_refused_and_a_resend_revives_it_with_a_new_token(invite, office_admin,
                                                                                   django_capture_on_commit_callbacks):
    invitation, old_token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.EXPIRED
    with pytest.raises(AdministrationError, match="expired"):
        invitation_accept(token=old_token, password=STRONG_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, user=office_admin)
    new_token = token_from_mail()
    assert new_token != old_token
    with pytest.raises(AdministrationError, match="not valid"):
        invitation_accept(token=old_token, password=STRONG_PASSWORD)
    membership, _device = invitation_accept(token=new_token, password=STRONG_PASSWORD)
    assert membership.is_active
    assert AuditEntry.objects.filter(action="ita.invitation.resent", object_id=invitation.pk).exists()


def test_the_mail_of_a_link_killed_before_the_worker_sent_it_is_not_sent(invite, office_admin):
    from itaportal.onboarding.tasks import send_invitation_mail

    invitation, token = invite()
    invitation_revoke(invitation=invitation, user=office_admin)
    sent = len(mail.outbox)
    send_invitation_mail(invitation_id=invitation.pk, token=token)
    assert len(mail.outbox) == sent


def test_a_revoked_invitation_is_refused_and_cannot_be_revoked_or_resent_again(invite, office_admin):
    invitation, token = invite()
    invitation_revoke(invitation=invitation, user=office_admin)
    with pytest.raises(AdministrationError, match="withdrawn"):
        invitation_accept(token=token, password=STRONG_PASSWORD)
    with pytest.raises(AdministrationError):
        invitation_revoke(invitation=invitation, user=office_admin)
    with pytest.raises(AdministrationError):
        invitation_resend(invitation=invitation, user=office_admin)
    assert AuditEntry.objects.filter(action="ita.invitation.revoked", object_id=invitation.pk).count() == 1


def test_an_admin_sets_up_two_step_login_in_the_same_step_or_nothing_is_saved(invite):
    _invitation, token = invite(email="palad.new@example.org", role=Role.ADMIN)
    users = User.objects.count()
    wrong = f"{(int(code_for()) + 1) % 1_000_000:06d}"
    with pytest.raises(AdministrationError) as refused:
        invitation_accept(token=token, password=STRONG_PASSWORD, totp_key=KEY, code=wrong)
    assert refused.value.field == "code"
    assert User.objects.count() == users and not TOTPDevice.objects.filter(key=KEY).exists()
    membership, device = invitation_accept(token=token, password=STRONG_PASSWORD, totp_key=KEY, code=code_for())
    assert device.confirmed and device.user == membership.user and membership.role == Role.ADMIN
    # The code that confirmed the device cannot log anyone in again.
    assert not device.verify_token(code_for())


def test_an_address_that_is_already_a_member_is_refused(phusang, office_admin):
    staff = User.objects.get(username="staff.phusang")
    staff.email = "staff@phusang.go.th"
    staff.save()
    with pytest.raises(AdministrationError, match="already a member") as refused:
        invitation_create(organisation=phusang, email="STAFF@phusang.go.th", name_prefix="", first_name="ก",
                          last_name="", department=None, position=None, role=Role.STAFF, user=office_admin)
    assert refused.value.field == "email"
    Membership.objects.filter(user=staff, organisation=phusang).update(is_active=False)
    with pytest.raises(AdministrationError, match="reactivate"):
        invitation_create(organisation=phusang, email="staff@phusang.go.th", name_prefix="", first_name="ก",
                          last_name="", department=None, position=None, role=Role.STAFF, user=office_admin)
    assert not Invitation.objects.exists()


def test_one_open_invitation_per_address(invite):
    invite()
    with pytest.raises(AdministrationError, match="already invited") as refused:
        invite(email="SOMCHAI@example.org")
    assert refused.value.field == "email"
    assert Invitation.objects.count() == 1


def test_a_department_or_position_of_another_office_is_refused(phusang, office_admin):
    nasom = Organisation.objects.get(slug="nasom")
    for field, values in [("department", {"department": Department.objects.filter(organisation=nasom).first()}),
                          ("position", {"position": Position.objects.filter(organisation=nasom).first()})]:
        arguments = {"department": None, "position": None, **values}
        with pytest.raises(AdministrationError) as refused:
            invitation_create(organisation=phusang, email="x@example.org", name_prefix="", first_name="ก",
                              last_name="", role=Role.STAFF, user=office_admin, **arguments)
        assert refused.value.field == field
    assert not Invitation.objects.exists()


def test_a_position_of_another_department_than_the_one_chosen_is_refused(phusang, office_admin):
    position = Position.objects.get(organisation=phusang, title="นักวิชาการตรวจสอบภายใน")
    department = Department.objects.get(organisation=phusang, name="กองคลัง")
    with pytest.raises(AdministrationError, match="belongs to") as refused:
        invitation_create(organisation=phusang, email="x@example.org", name_prefix="", first_name="ก",
                          last_name="", role=Role.STAFF, user=office_admin, department=department,
                          position=position)
    assert refused.value.field == "position"


def test_someone_with_an_account_joins_with_it_and_only_as_themself(invite, phusang):
    person = User.objects.get(username="staff.nasom")
    person.email = "staff@nasom.go.th"
    person.save()
    _invitation, token = invite(email="staff@nasom.go.th")
    with pytest.raises(AdministrationError, match="already an account"):
        invitation_accept(token=token, password=STRONG_PASSWORD)
    with pytest.raises(AdministrationError, match="another account"):
        invitation_join(token=token, user=User.objects.get(username="staff.phusang"))
    membership = invitation_join(token=token, user=person)
    assert membership.organisation == phusang and membership.user == person
