"""Playwright for Python driving Debian's Chromium: its own browser download does not work here."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username: str, password: str = "ita-demo-2568") -> None:
    """The login form, then the two-step code where the account has a device (admins, executives)."""
    from itaportal.accounts.models import User
    from itaportal.accounts.twofactor import confirmed_device, current_code

    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if urlsplit(page.url).path == reverse("two_factor_verify"):
        page.fill("input[name=code]", current_code(confirmed_device(User.objects.get(username=username))))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
