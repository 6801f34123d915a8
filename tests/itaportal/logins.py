"""Logging in through the real forms, password then code, for the tests of the login itself."""

from django.test import Client
from django.urls import reverse

from itaportal.accounts.models import User
from itaportal.accounts.twofactor import confirmed_device, current_code

PASSWORD = "ita-demo-2568"


def password_step(client: Client, username: str, password: str = PASSWORD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, f"{username}: the password step answered {response.status_code}"
    return response


def code_step(client: Client, username: str, next_url: str = ""):
    device = confirmed_device(User.objects.get(username=username))
    return client.post(reverse("two_factor_verify"), {"code": current_code(device), "next": next_url})


def full_login(client: Client, username: str, password: str = PASSWORD) -> Client:
    """The password, then the code when the account has a device; the client ends verified."""
    response = password_step(client, username, password)
    if response["Location"].startswith(reverse("two_factor_verify")):
        assert code_step(client, username).status_code == 302
    return client
