"""Celery tasks of organisations and people."""

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset_mail(*, subject: str, body: str, to_email: str) -> None:
    """The reset link, sent outside the request so that the mail server's delay cannot tell a
    visitor whether the address belongs to an account."""
    send_mail(subject, body, None, [to_email])
