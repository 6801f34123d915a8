"""Shared personas and services for the whole suite.

The demo organisations are the personas (healthchecks-style): every test can log in as
`staff.phusang`, `head.nasom`, `auditor.wangthong`… without building its own people.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REQUIRE_SERVICES = os.environ.get("ITA_REQUIRE_SERVICES") == "true"


def pytest_configure(config):
    ARTIFACTS.mkdir(exist_ok=True)


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, media_root):
    """Load the demo organisations once; tests that need committed data reload them (see `demo`)."""
    from demo.loader import load as load_demo

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media_root), django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _private_media(settings, media_root):
    """Uploaded evidence and rendered PDFs of the tests go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(autouse=True)
def _force_login_passes_two_step(monkeypatch):
    """`client.force_login(user)` stands for a completed login: the password and the two-step code
    (a confirmed device, the demo one when the user has it). The real login flow is tested with the
    login form in tests/itaportal/test_two_step.py."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from itaportal.accounts.twofactor import confirmed_device

    force_login = Client.force_login

    def force_verified_login(self, user, backend=None):
        force_login(self, user, backend)
        device = confirmed_device(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_verified_login)


@pytest.fixture
def demo(transactional_db, media_root):
    """The demo data committed for real, for tests that cross threads or processes."""
    from demo.loader import load as load_demo

    with override_settings(MEDIA_ROOT=media_root):
        load_demo()


@pytest.fixture
def login(client):
    """Log the test client in as a demo user: `login("staff.phusang")`."""
    from itaportal.accounts.models import User

    def as_user(username: str):
        client.force_login(User.objects.get(username=username))
        return client

    return as_user


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url():
    if not settings.REDIS_URL or not _reachable(settings.REDIS_URL):
        if REQUIRE_SERVICES:
            pytest.fail("CI needs Redis at REDIS_URL, and it does not answer")
        pytest.skip("needs Redis (REDIS_URL)")
    return settings.REDIS_URL


def start_worker(media_root, name: str, queues: str | None = None, env: dict | None = None) -> subprocess.Popen:
    """Start a real `celery -A itaportal worker` on Redis and the test database; returns once it
    answers a ping. It runs in its own process group, so a test can kill it whole."""
    if connections["default"].vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("CI runs worker tests on PostgreSQL")
        pytest.skip("a worker process needs a shared database: PostgreSQL (DATABASE_URL)")
    db = connections["default"].settings_dict
    environment = dict(os.environ)
    environment["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    environment["ITA_MEDIA_ROOT"] = str(media_root)
    environment.update(env or {})
    log = (ARTIFACTS / f"celery-{name}.log").open("a")
    node = f"{name}-{os.getpid()}@%h"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "itaportal", "worker", "--loglevel=INFO",
         "--concurrency=1", "--pool=prefork", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-n", node, *(["-Q", queues] if queues else [])],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    from itaportal.celery import app

    deadline = time.monotonic() + 60
    hostname = node.replace("%h", socket.gethostname())
    while not app.control.ping(destination=[hostname], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start; see test-artifacts/celery-{name}.log")
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def celery_worker_process(redis_url, django_db_setup, media_root):
    """A real `celery -A itaportal worker` process on Redis, using the test database.

    Tests that use it must commit their data (`transactional_db`), as the worker is another process.
    It lives for its module only: left running, it would take every task later tests queue and read
    the database while a transactional test empties it (a TRUNCATE against its reads: a deadlock).
    """
    process = start_worker(media_root, "test")
    yield process
    stop_worker(process)


# --- Chromium through Playwright ------------------------------------------------------------

CHROMIUM = os.environ.get("ITA_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """The suite's one Chromium, for every test that drives one (tests/browser, the onboarding journey,
    the typography checker): Playwright's sync API allows a single running instance per thread."""
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
