"""Two-factor login with TOTP (django-otp): who must use it, their device, and the code step.

A person who holds an admin or executive membership, or who can open the Django admin, signs
approvals and manages people: a stolen password alone must not be enough. Everyone else may turn
it on from "my account". Once a person has a confirmed device, every login asks for its code.
"""

import time
from base64 import b32encode
from enum import Enum

import segno
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role, User

REQUIRED_ROLES = frozenset({Role.ADMIN, Role.EXECUTIVE})


class Step(Enum):
    VERIFY = "two_factor_verify"
    ENROL = "two_factor_enrol"


def two_factor_required(user: User) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=REQUIRED_ROLES
    ).exists()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def pending_step(user: User) -> Step | None:
    """What a logged-in but unverified person must do before anything else, if anything."""
    if confirmed_device(user) is not None:
        return Step.VERIFY
    if two_factor_required(user):
        return Step.ENROL
    return None


def step_url(step: Step, next_url: str = "") -> str:
    url = reverse(step.value)
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


def safe_next(request, fallback: str) -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return fallback


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up, kept until confirmed so that a reload shows the same key."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_device(device: TOTPDevice) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.devices_for_user(device.user, confirmed=False).delete()
    return device


def complete_login(request, device: TOTPDevice) -> None:
    """The second factor passed: a new session key, so that an identifier seen before the code was
    typed (over a shoulder, in a log) is worth nothing afterwards."""
    request.session.cycle_key()
    rotate_token(request)
    otp_login(request, device)


def grouped(base32_key: str) -> str:
    """A key in groups of four, as people type it into an authenticator app."""
    return " ".join(base32_key[i : i + 4] for i in range(0, len(base32_key), 4))


def grouped_key(device: TOTPDevice) -> str:
    return grouped(b32encode(device.bin_key).decode("ascii"))


def qr_svg(device: TOTPDevice, title: str) -> SafeString:
    # Inline SVG of paths only, no <style>: it passes the Content-Security-Policy without a nonce.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title=title, border=2)
    return mark_safe(svg)


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows, for tests and the load test.

    django-otp accepts a code once only: when the current one has been used, this is the next
    one, which the device still accepts within its tolerance of one step. So one person can log
    in about twice per 30 seconds; a load test needs several people or the sessions it made.
    """
    device = TOTPDevice.objects.get(pk=device.pk)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"
