"""The portal under service faults, for real: a portal process (gunicorn) whose own Redis is killed
and started again, and one whose own PostgreSQL cluster is restarted under it (integration, CI).

Redis away: the pages answer at once, a PDF asked for or approved waits as "queued" and says why,
and when Redis is back every job is rendered exactly once, including the one whose message Redis
lost in the restart. PostgreSQL restarted: the very next request succeeds.

The parts that need no second process (the cache, the document page, the sweep of lost jobs) are
also tested in-process, so that a run without the services checks them too.
"""

import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis as redis_client
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.utils import timezone
from kombu import Connection

from itaportal import cache as tolerant_cache
from itaportal.accounts.models import Organisation, User
from itaportal.celery import app as celery_app
from reports.models import Document, Memo
from reports import tasks as document_tasks
from reports.services import documents as document_services
from reports.tasks import requeue_lost_documents
from tests.conftest import ARTIFACTS, REQUIRE_SERVICES, ROOT, stop_worker

# What "answers at once" means here: the page's own work, no time-out of a missing service in it.
FAST_SECONDS = 1.0
# The main pages of staff.phusang's working day.
PAGES = [
    "/o/phusang/",
    "/o/phusang/assessments/",
    "/o/phusang/assessments/2567/",
    "/o/phusang/assessments/2567/analysis/",
    "/o/phusang/measures/",
    "/o/phusang/measures/2568/",
    "/o/phusang/oit/2568/",
    "/o/phusang/memos/",
    "/o/phusang/documents/drafts/",
    "/o/phusang/notifications/",
    "/me/",
]
DRAFTS = "/o/phusang/documents/drafts/"
UNAVAILABLE = "the document service is unavailable right now"


def needs(condition: bool, reason: str) -> None:
    if not condition:
        if REQUIRE_SERVICES:
            pytest.fail(f"CI runs the service fault tests: {reason}")
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"still waiting after {seconds} s: {what}")


def record(line: str) -> None:
    """The measured times, kept with the run's other artifacts (and printed with `pytest -s`)."""
    print(line)
    with (ARTIFACTS / "service-faults.txt").open("a") as out:
        out.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")


@pytest.fixture
def shared_database_url() -> str:
    """The test database, as another process reaches it. Asked for before the (slow) demo data."""
    needs(connections["default"].vendor == "postgresql",
          "a portal process needs a database it shares with the test: PostgreSQL (DATABASE_URL)")
    db = connections["default"].settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Portal:
    """The portal in its production server, in a process of its own, on a free port."""

    def __init__(self, name: str, env: dict):
        self.port = free_port()
        log = (ARTIFACTS / f"portal-{name}.log").open("a")
        # No control socket: gunicorn (27, the lock's) keeps it at one path per user, which other
        # portal processes on the machine would share.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "itaportal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "4", "--timeout", "60", "--no-control-socket"],
            cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        wait_until(self._answers, 60, f"the portal process to answer; see test-artifacts/portal-{name}.log")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail("the portal process exited; see its log in test-artifacts/")
        try:
            self.request("GET", "/healthz")
            return True
        except OSError:
            return False

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response, response.read().decode()
        finally:
            connection.close()

    def health(self) -> tuple[int, dict, float]:
        start = time.monotonic()
        response, body = self.request("GET", "/healthz")
        return response.status, json.loads(body), time.monotonic() - start

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Answer:
    status: int
    body: str
    location: str
    seconds: float


class Visitor:
    """A logged-in person talking HTTP to a portal process, in English; cookies kept by hand."""

    def __init__(self, portal: Portal, username: str, session_key: str | None = None):
        self.portal = portal
        if session_key is None:
            client = Client()
            client.force_login(User.objects.get(username=username))
            session_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        self.cookies = {django_settings.SESSION_COOKIE_NAME: session_key,
                        django_settings.LANGUAGE_COOKIE_NAME: "en"}

    def _send(self, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.monotonic()
        response, text = self.portal.request(method, path, body, headers)
        seconds = time.monotonic() - start
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        return Answer(response.status, text, response.headers.get("Location", ""), seconds)

    def get(self, path: str) -> Answer:
        return self._send("GET", path)

    def submit(self, page: str, action: str, fields: dict) -> Answer:
        """Post a form of `page` to `action`, with the CSRF token the page handed out."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(page).body)
        assert token, f"{page} has no form"
        return self._send("POST", action, {**fields, "csrfmiddlewaretoken": token.group(1)})


# Redis away and back


class RedisServer:
    """A redis-server of the test's own, on a free port, without persistence: a restart empties it."""

    def __init__(self, directory: Path):
        self.binary = shutil.which("redis-server")
        needs(self.binary is not None, "needs the redis-server program")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        log = (ARTIFACTS / "redis-faults.log").open("a")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        wait_until(self._answers, 10, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except redis_client.RedisError:
            return False

    def client(self) -> redis_client.Redis:
        return redis_client.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def redis_portal(shared_database_url, demo, own_redis, media_root):
    """A portal process on the test database and the test's own Redis, with a queue of its own."""
    # Only this test's jobs: the demo's approved documents would otherwise be rendered along.
    Document.objects.all().delete()
    queue = f"{django_settings.CELERY_TASK_DEFAULT_QUEUE}-redis-faults"
    env = {"DATABASE_URL": shared_database_url, "REDIS_URL": own_redis.url, "ITA_CELERY_QUEUE": queue,
           "ITA_MEDIA_ROOT": str(media_root)}
    portal = Portal("redis-faults", env)
    yield portal, env
    portal.stop()


def spawn_worker(name: str, env: dict) -> subprocess.Popen:
    """A worker like tests.conftest.start_worker's, on the broker in `env`. That helper waits for a ping
    through the test process's own broker, which is not this Redis."""
    log = (ARTIFACTS / f"celery-{name}.log").open("a")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "itaportal", "worker", "--loglevel=INFO", "--concurrency=1",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return process


def pdf_files(media_root, document: Document) -> list:
    return sorted(media_root.glob(f"documents/*/{document.kind}-{document.pk}-*.pdf"))


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_with_redis_gone_pages_answer_at_once_and_pdf_jobs_wait_then_render_once(
        redis_portal, own_redis, media_root):
    portal, env = redis_portal
    staff = Visitor(portal, "staff.phusang")
    assert portal.health()[:2] == (200, {"database": "ok", "redis": "ok", "celery": "down"})
    with_redis = {page: staff.get(page) for page in PAGES}
    assert {page: answer.status for page, answer in with_redis.items()} == dict.fromkeys(PAGES, 200)
    # Asked for while Redis is up and no worker runs: the job waits in the test's Redis, where the
    # portal process publishes. Redis restarts empty, so this message is lost with it.
    asked_before = staff.submit(DRAFTS, DRAFTS, {"kind": "analysis", "fiscal_year": "2567"})
    assert asked_before.status == 302
    assert own_redis.client().llen(env["ITA_CELERY_QUEUE"]) == 1

    own_redis.kill()

    times = {page: staff.get(page) for page in PAGES}
    assert {page: answer.status for page, answer in times.items()} == dict.fromkeys(PAGES, 200)
    slow = {page: round(answer.seconds, 2) for page, answer in times.items() if answer.seconds > FAST_SECONDS}
    assert not slow, f"pages slower than {FAST_SECONDS} s with Redis down: {slow}"
    status, state, seconds = portal.health()
    assert (status, state) == (200, {"database": "ok", "redis": "down", "celery": "down"})
    assert seconds < FAST_SECONDS

    asked = staff.submit(DRAFTS, DRAFTS, {"kind": "measures", "fiscal_year": "2568"})
    assert asked.status == 302 and asked.seconds < FAST_SECONDS
    page = staff.get(asked.location)
    assert page.status == 200 and UNAVAILABLE in page.body
    draft = Document.objects.get(organisation__slug="phusang", kind="measures", version=None)
    assert draft.state == Document.State.QUEUED

    memo = Memo.objects.get(organisation__slug="phusang", state=Memo.State.IN_REVIEW)
    decide = f"/o/phusang/memos/{memo.pk}/"
    for username, level in [("palad.phusang", 2), ("nayok.phusang", 3)]:
        executive = Visitor(portal, username)
        answer = executive.submit(decide, f"{decide}decide/", {"level": level, "action": "approve"})
        assert answer.status == 302 and answer.location == decide, username
    memo.refresh_from_db()
    assert memo.state == Memo.State.APPROVED
    approved = list(Document.objects.filter(version__memo=memo))
    assert len(approved) >= 2 and {d.state for d in approved} == {Document.State.QUEUED}
    assert staff.get(decide).status == 200
    record("Redis down: " + ", ".join(f"{page} {answer.seconds:.3f} s (up: {with_redis[page].seconds:.3f} s)"
                                      for page, answer in times.items())
           + f"; /healthz {seconds:.3f} s; draft asked for {asked.seconds:.3f} s")

    own_redis.start()
    worker = spawn_worker("redis-faults", env)
    try:
        # The portal process finds the worker on the Redis it was started with.
        wait_until(lambda: portal.health()[1]["celery"] == "ok", 60,
                   "the worker to answer on the restarted Redis; see test-artifacts/celery-redis-faults.log")
        started = time.monotonic()
        # What beat sends every minute (CELERY_BEAT_SCHEDULE), sent now rather than waited for.
        with Connection(own_redis.url) as connection:
            requeue_lost_documents.apply_async(connection=connection, queue=env["ITA_CELERY_QUEUE"])
        lost_in_restart = Document.objects.get(organisation__slug="phusang", kind="analysis", version=None)
        jobs = Document.objects.filter(pk__in=[lost_in_restart.pk, draft.pk, *(d.pk for d in approved)])
        wait_until(lambda: not jobs.exclude(state__in=["ready", "failed"]).exists(), 120,
                   "the jobs kept during the outage to be rendered")
        record(f"Redis back: {jobs.count()} jobs rendered in {time.monotonic() - started:.1f} s")
        assert portal.health()[:2] == (200, {"database": "ok", "redis": "ok", "celery": "ok"})
    finally:
        stop_worker(worker)
    for document in jobs:
        assert document.state == Document.State.READY, (document.kind, document.error)
        # Rendered once: one attempt, one file.
        assert document.attempts == 1 and len(pdf_files(media_root, document)) == 1, document.kind
    assert UNAVAILABLE not in staff.get(asked.location).body


# PostgreSQL restarted


def postgres_bin() -> Path | None:
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if versions:
        return Path(versions[-1])
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, a free port), so that it
    can be restarted without touching the machine's shared server. PostgreSQL refuses to run as
    root: then it runs as the `postgres` user, in a folder that user owns."""

    def __init__(self, directory: Path):
        self.bin = postgres_bin()
        needs(self.bin is not None and (self.bin / "initdb").exists(), "needs the PostgreSQL server programs")
        self.as_user = []
        if os.geteuid() == 0:
            needs(shutil.which("runuser") is not None, "needs runuser to start PostgreSQL as a non-root user")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(directory, "postgres")
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
                  "--no-locale")

    def _run(self, program: str, *args: str) -> None:
        # Into a file, not a pipe: the server started by pg_ctl would hold a pipe open and the wait
        # for its end would never return.
        with (ARTIFACTS / "postgres-faults.log").open("a") as log:
            subprocess.run([*self.as_user, str(self.bin / program), *args], check=True, stdout=log,
                           stderr=subprocess.STDOUT, cwd=self.data.parent, timeout=60)

    def _ctl(self, action: str, *args: str) -> None:
        self._run("pg_ctl", action, "-D", str(self.data), "-w", "-t", "30", "-l", str(self.data / "server.log"),
                  *args)

    def start(self) -> None:
        self._ctl("start", "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off")

    def restart(self) -> None:
        # `-m fast`: the server ends every session at once, as a real restart or failover does.
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "immediate")


@pytest.fixture
def own_postgres(shared_database_url, demo):
    """The test database (migrated, with the demo and a session for staff.phusang) copied into a
    cluster of the test's own."""
    source = shared_database_url
    staff = Client()
    staff.force_login(User.objects.get(username="staff.phusang"))
    # Not under pytest's temporary folder: the postgres user could not reach into it.
    directory = Path(tempfile.mkdtemp(prefix="ita-pg-"))
    cluster = PostgresCluster(directory)
    cluster.start()
    try:
        dump = subprocess.run([str(cluster.bin / "pg_dump"), "--format=custom", "--no-owner", source],
                              check=True, capture_output=True, timeout=60).stdout
        subprocess.run([str(cluster.bin / "pg_restore"), "--no-owner", "--dbname", cluster.url], input=dump,
                       check=True, capture_output=True, timeout=60)
        yield cluster, staff.cookies[django_settings.SESSION_COOKIE_NAME].value
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_after_a_postgresql_restart_the_next_request_succeeds(own_postgres, media_root):
    cluster, session_key = own_postgres
    # Redis plays no part here: the embedded cache and tasks keep this test about the database.
    portal = Portal("postgres-restart", {"DATABASE_URL": cluster.url, "REDIS_URL": "",
                                         "ITA_MEDIA_ROOT": str(media_root)})
    try:
        staff = Visitor(portal, "staff.phusang", session_key)
        # Every thread of the portal holds a connection (CONN_MAX_AGE) that the restart will break.
        for page in PAGES:
            assert staff.get(page).status == 200, page
        cluster.restart()
        back = time.monotonic()
        first = staff.get("/o/phusang/measures/2568/")
        first_ok = time.monotonic() - back
        assert first.status == 200
        answers = [staff.get(page) for page in PAGES]
        assert [answer.status for answer in answers] == [200] * len(PAGES)
        assert portal.health()[:2] == (200, {"database": "ok", "redis": "eager", "celery": "eager"})
        record(f"PostgreSQL restarted: first request answered 200 {first_ok:.3f} s after the server was back")
    finally:
        portal.stop()


# In-process: the cache


@pytest.fixture
def closed_redis_url() -> str:
    """A port nothing listens on: Redis stopped."""
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def hung_redis_url():
    """A port that accepts connections (the kernel does, from the backlog) and never answers: a Redis
    that hangs, or a network that drops its replies."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


@pytest.fixture
def make_cache(monkeypatch):
    monkeypatch.setattr(tolerant_cache.breaker, "open_until", 0.0)

    def make(url: str) -> tolerant_cache.TolerantRedisCache:
        return tolerant_cache.TolerantRedisCache(
            url, {"KEY_PREFIX": "ita-test", "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})

    return make


def test_with_redis_stopped_the_cache_misses_instead_of_failing(make_cache, closed_redis_url):
    cache = make_cache(closed_redis_url)
    start = time.monotonic()
    cache.set("k", "v", 60)
    assert cache.get("k") is None and cache.get("k", "default") == "default"
    assert cache.add("k", "v") is False and cache.has_key("k") is False
    assert cache.get_many(["k", "l"]) == {} and cache.get_or_set("k", "computed") == "computed"
    assert cache.delete("k") is False and cache.touch("k") is False
    cache.set_many({"k": 1})
    cache.delete_many(["k"])
    with pytest.raises(ValueError):
        cache.incr("k")
    assert time.monotonic() - start < 0.5


def test_a_hung_redis_costs_one_time_out_then_is_left_alone_for_a_while(make_cache, hung_redis_url):
    cache = make_cache(hung_redis_url)
    start = time.monotonic()
    assert cache.get("k", "default") == "default"
    assert 0.4 < time.monotonic() - start < 2
    start = time.monotonic()
    for _ in range(20):
        assert cache.get("k") is None
        cache.set("k", "v", 60)
    assert time.monotonic() - start < 0.1


def test_the_cache_stores_and_reads_on_a_live_redis(make_cache, redis_url):
    cache = make_cache(redis_url)
    key = f"service-faults-{os.getpid()}"
    cache.delete_many([key, f"{key}-count"])
    cache.set(key, {"n": 1}, 30)
    assert cache.get(key) == {"n": 1}
    assert cache.add(f"{key}-count", 1, 30) is True and cache.incr(f"{key}-count") == 2
    cache.delete_many([key, f"{key}-count"])


# In-process: the document page and the sweep of lost jobs


@pytest.fixture
def queued_draft(django_capture_on_commit_callbacks):
    """phusang's measures draft, asked for and still queued (its render never sent)."""
    with django_capture_on_commit_callbacks(execute=False):
        return document_services.request_draft(
            organisation=Organisation.objects.get(slug="phusang"), kind="measures", fiscal_year=2568,
            user=User.objects.get(username="staff.phusang"))


@pytest.mark.django_db
def test_a_queued_document_says_the_service_is_unavailable_while_redis_is_down(
        login, queued_draft, settings, closed_redis_url):
    settings.REDIS_URL, settings.CELERY_TASK_ALWAYS_EAGER = closed_redis_url, False
    client = login("staff.phusang")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    base = f"/o/phusang/documents/{queued_draft.pk}/"
    for path in (base, f"{base}status/"):
        start = time.monotonic()
        body = client.get(path).content.decode()
        assert UNAVAILABLE in body and "hx-trigger" in body, path
        assert time.monotonic() - start < FAST_SECONDS
    Document.objects.filter(pk=queued_draft.pk).update(state=Document.State.RENDERING)
    assert UNAVAILABLE not in client.get(f"{base}status/").content.decode()


@pytest.mark.django_db
def test_with_redis_hung_the_render_is_not_sent_and_the_request_goes_on_at_once(queued_draft, settings,
                                                                                hung_redis_url):
    settings.REDIS_URL, settings.CELERY_TASK_ALWAYS_EAGER = hung_redis_url, False
    start = time.monotonic()
    assert document_tasks.queue_render(queued_draft.pk) is False
    assert time.monotonic() - start < FAST_SECONDS
    queued_draft.refresh_from_db()
    assert queued_draft.state == Document.State.QUEUED


@pytest.mark.django_db
def test_the_requeue_sends_again_only_the_queued_jobs_asked_for_before_its_marker(queued_draft, monkeypatch,
                                                                                 settings):
    # The marker goes through the queue at once. Celery keeps its own copy of the settings, read once.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    # Only this test's jobs (with a broker, the demo's approved documents wait queued too).
    Document.objects.exclude(pk=queued_draft.pk).delete()
    sent = []
    monkeypatch.setattr(document_tasks, "queue_render", lambda pk: sent.append(pk) or True)

    def job(state: str, age: timedelta) -> Document:
        document = Document.objects.create(organisation=queued_draft.organisation, kind="oit", fiscal_year=2568,
                                           state=state, content_hash=f"{state}-{age}")
        Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - age)
        return document

    older = job(Document.State.QUEUED, timedelta(minutes=5))
    job(Document.State.RENDERING, timedelta(minutes=5))
    job(Document.State.READY, timedelta(minutes=5))
    job(Document.State.FAILED, timedelta(minutes=5))
    job(Document.State.QUEUED, -timedelta(seconds=30))  # asked for after the marker left
    requeue_lost_documents()
    assert sent == [older.pk, queued_draft.pk]


def test_beat_runs_the_requeue_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["requeue-lost-documents"]
    assert entry["task"] == requeue_lost_documents.name and entry["task"] in celery_app.tasks
    assert entry["schedule"] == 60 and entry["options"]["expires"] < 60
