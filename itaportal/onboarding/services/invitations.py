"""Invitations: created by an office's admin (or with a registered office, for its first admin),
sent by e-mail after the commit, re-sent with a new token, revoked, and accepted once.

An invitation is the only way into an office: accepting it creates the person's account with the
password they choose and, for the roles that approve documents or manage people, their two-step
login device, in one transaction with the membership.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.models import Department, Membership, Organisation, Position, Role, User
from itaportal.accounts.services import lock_organisation, own_position_title, same_office_or_error
from itaportal.accounts.twofactor import REQUIRED_ROLES
from itaportal.audit.registry import register
from itaportal.audit.services import audit
from itaportal.thai import thai_date

from ..models import Invitation
from ..tasks import send_invitation_mail
from ..tokens import new_token, token_hash
from . import OnboardingError


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


@register("ita.invitation.created")
def _created(data: dict) -> str:
    return _("Invited %(person)s (%(email)s) as %(role)s.") % {**data, "role": _role_label(data["role"])}


@register("ita.invitation.resent")
def _resent(data: dict) -> str:
    return _("Sent the invitation of %(person)s (%(email)s) again; the earlier link no longer works.") % data


@register("ita.invitation.revoked")
def _revoked(data: dict) -> str:
    return _("Revoked the invitation of %(person)s (%(email)s).") % data


@register("ita.invitation.accepted")
def _accepted(data: dict) -> str:
    return _("Accepted the invitation and joined as %(role)s.") % {"role": _role_label(data["role"])}


def normalised_email(email: str) -> str:
    # The whole address in lower case: people type their mailbox in every case, and one mailbox must
    # be one person here (mail servers treat the local part case-insensitively in practice).
    return email.strip().lower()


def _expiry(sent_at):
    return sent_at + timedelta(days=settings.ITA_INVITATION_DAYS)


def _send_after_commit(invitation: Invitation, token: str) -> None:
    pk = invitation.pk
    transaction.on_commit(lambda: send_invitation_mail.delay(invitation_id=pk, token=token))


def _audit_data(invitation: Invitation) -> dict:
    return {"person": invitation.display_name, "email": invitation.email, "role": invitation.role}


def check_not_a_member(organisation: Organisation, email: str) -> None:
    membership = (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    if membership is not None and membership.is_active:
        raise OnboardingError(
            _("%(email)s is already a member of this office (%(person)s).")
            % {"email": email, "person": membership.user.display_name},
            field="email",
        )
    if membership is not None:
        raise OnboardingError(
            _("%(person)s (%(email)s) was a member of this office; reactivate them in the list of members "
              "instead of inviting them again.") % {"email": email, "person": membership.user.display_name},
            field="email",
        )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    name_prefix: str,
    first_name: str,
    last_name: str,
    department: Department | None,
    position: Position | None,
    role: str,
    user: User | None,
) -> Invitation:
    """`user` is the admin who invites, or the platform administrator who registered the office."""
    email = normalised_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise OnboardingError(_("Give the person's e-mail address, for example somchai@example.org."),
                              field="email") from None
    if not first_name.strip():
        raise OnboardingError(_("Give the person's first name."), field="first_name")
    if role not in Role.values:
        raise OnboardingError(_("Choose a role."), field="role")
    department, position = same_office_or_error(organisation, department, position)
    lock_organisation(organisation)
    check_not_a_member(organisation, email)
    open_one = Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None
    ).first()
    if open_one is not None:
        raise OnboardingError(
            _("%(email)s was already invited on %(date)s. Send that invitation again from the list below "
              "instead.") % {"email": email, "date": thai_date(timezone.localdate(open_one.sent_at))},
            field="email",
        )
    token, hashed = new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        name_prefix=name_prefix.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        department=department,
        position=position,
        role=role,
        token_hash=hashed,
        invited_by=user,
        sent_at=now,
        expires_at=_expiry(now),
    )
    audit(
        organisation=organisation,
        action="ita.invitation.created",
        target=invitation,
        actor=user,
        actor_position=own_position_title(user, organisation),
        data={**_audit_data(invitation), "department": department.name if department else "",
              "position": position.title if position else ""},
    )
    _send_after_commit(invitation, token)
    return invitation


def _locked_open(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise OnboardingError(_("This invitation has already been accepted."))
    if invitation.revoked_at is not None:
        raise OnboardingError(_("This invitation was revoked."))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, user: User) -> Invitation:
    """A new link, valid for the full period again; the link sent before stops working at once."""
    invitation = _locked_open(invitation)
    check_not_a_member(invitation.organisation, invitation.email)
    token, invitation.token_hash = new_token()
    invitation.sent_at = timezone.now()
    invitation.expires_at = _expiry(invitation.sent_at)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    audit(
        organisation=invitation.organisation,
        action="ita.invitation.resent",
        target=invitation,
        actor=user,
        actor_position=own_position_title(user, invitation.organisation),
        data=_audit_data(invitation),
    )
    _send_after_commit(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user: User) -> Invitation:
    invitation = _locked_open(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(
        organisation=invitation.organisation,
        action="ita.invitation.revoked",
        target=invitation,
        actor=user,
        actor_position=own_position_title(user, invitation.organisation),
        data=_audit_data(invitation),
    )
    return invitation


def refusal(invitation: Invitation | None) -> str:
    """Why the invitation cannot be accepted now, or "" when it can."""
    if invitation is None:
        return _("This invitation link is not valid. Check that the whole link was copied from the e-mail.")
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        return _("This invitation has already been used. Log in with the password you chose, or use "
                 "“Forgot your password?” on the login page.")
    if state == Invitation.State.REVOKED:
        return _("This invitation was withdrawn by the office's admin. Ask them for a new one if needed.")
    if state == Invitation.State.EXPIRED:
        return _("This invitation expired on %(date)s. Ask the office's admin to send it again.") % {
            "date": thai_date(timezone.localdate(invitation.expires_at))
        }
    if not invitation.organisation.is_active:
        return _("This office no longer uses the portal.")
    return ""


def _locked_by_token(token: str) -> Invitation:
    invitation = (
        # Only the invitation's row: PostgreSQL cannot lock the nullable side of the joins.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "department", "position")
        .filter(token_hash=token_hash(token))
        .first()
    )
    reason = refusal(invitation)
    if reason:
        raise OnboardingError(reason)
    return invitation


def existing_account(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).order_by("pk").first() or User.objects.filter(
        username__iexact=email
    ).order_by("pk").first()


def _join(invitation: Invitation, user: User) -> Membership:
    check_not_a_member(invitation.organisation, invitation.email)
    membership = Membership.objects.create(
        user=user,
        organisation=invitation.organisation,
        department=invitation.department,
        position=invitation.position,
        role=invitation.role,
    )
    invitation.accepted_at = timezone.now()
    invitation.membership = membership
    invitation.save(update_fields=["accepted_at", "membership"])
    audit(
        organisation=invitation.organisation,
        action="ita.invitation.accepted",
        target=invitation,
        actor=user,
        actor_position=invitation.position.full_title if invitation.position_id else "",
        data={**_audit_data(invitation), "membership_id": membership.pk},
    )
    return membership


def needs_two_step(invitation: Invitation) -> bool:
    return invitation.role in REQUIRED_ROLES


@transaction.atomic
def invitation_accept(
    *, token: str, password: str, totp_key: str = "", code: str = ""
) -> tuple[Membership, TOTPDevice | None]:
    """A new person accepts: their account, password, device (when the role needs two-step login)
    and membership, all or nothing. `totp_key` is the hex key the page showed as a QR code and
    `code` what the app then showed; the password has passed Django's validators in the form."""
    invitation = _locked_by_token(token)
    if existing_account(invitation.email) is not None:
        raise OnboardingError(
            _("There is already an account with the address %(email)s. Log in with it, then open the "
              "invitation link again.") % {"email": invitation.email}
        )
    user = User(
        username=invitation.email,
        email=invitation.email,
        name_prefix=invitation.name_prefix,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    user.set_password(password)
    user.save()
    device = None
    if needs_two_step(invitation):
        if not totp_key:
            raise OnboardingError(_("Scan the QR code and type the code your app shows."), field="code")
        device = TOTPDevice.objects.create(user=user, name="authenticator", key=totp_key, confirmed=True)
        # verify_token also remembers the code as used, so that it cannot log anyone in a second time.
        if not device.verify_token(code):
            raise OnboardingError(
                _("This code is not right. Type the six digits that your authenticator app shows now."),
                field="code",
            )
    return _join(invitation, user), device


@transaction.atomic
def invitation_join(*, token: str, user: User) -> Membership:
    """Someone who already has an account (in another office) accepts while logged in as themself."""
    invitation = _locked_by_token(token)
    if normalised_email(user.email) != invitation.email:
        raise OnboardingError(
            _("This invitation is for %(email)s; you are logged in with another account. Log out, then "
              "open the link again.") % {"email": invitation.email}
        )
    return _join(invitation, user)
