"""Playwright for Python driving Debian's Chromium: its own browser download does not work here."""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

CHROMIUM = os.environ.get("ITA_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("ITA_REQUIRE_SERVICES") == "true":
            pytest.fail(f"CI needs Chromium at {CHROMIUM}")
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous, so Django's async guard must stand aside.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


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
