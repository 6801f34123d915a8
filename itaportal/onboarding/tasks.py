"""The invitation e-mail, sent by a worker after the invitation is committed."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from itaportal.thai import thai_date

from .models import Invitation
from .tokens import token_hash


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_mail(*, invitation_id: int, token: str) -> None:
    """The task carries the token because only its hash is stored; a link that a re-send or a revoke
    killed before the worker got to it is not sent at all."""
    invitation = (
        Invitation.objects.select_related("organisation", "position__organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.token_hash != token_hash(token) or invitation.state != Invitation.State.PENDING:
        return
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "link": settings.PORTAL_URL + reverse("invitation_accept", kwargs={"token": token}),
        "expires": thai_date(timezone.localdate(invitation.expires_at)),
        "expires_time": timezone.localtime(invitation.expires_at).strftime("%H:%M"),
        "portal_url": settings.PORTAL_URL,
    }
    # In the portal's language, as the letters of the office are: the worker has no request to take one from.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("onboarding/invitation_subject.txt", context).split())
        body = render_to_string("onboarding/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])
