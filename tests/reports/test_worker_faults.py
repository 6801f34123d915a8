"""A worker killed in the middle of a render loses no job: once a worker runs again, the document is
rendered and stored exactly once (acks_late, reject_on_worker_lost, a visibility timeout)."""

import os
import signal
import subprocess
import time

import pytest
from django.conf import settings as django_settings

from itaportal.accounts.models import Organisation
from demo.samples import progress_sample
from reports.documents import content_hash
from reports.models import Document
from reports.tasks import render_document
from tests.conftest import start_worker, stop_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# A queue of its own, so that the suite's shared worker never takes these jobs.
QUEUE = f"{django_settings.CELERY_TASK_DEFAULT_QUEUE}-faults"
# One process and a long report: the render lasts seconds, long enough to be caught in the middle.
SLOW = {"ITA_PDF_PROCESSES": "1", "ITA_BROKER_VISIBILITY_TIMEOUT": "5"}


@pytest.fixture
def big_draft(demo):
    content = progress_sample(90)
    organisation = Organisation.objects.get(slug="phusang")
    return Document.objects.create(
        organisation=organisation, kind="progress", fiscal_year=2568, round_number=1,
        content={**content, "organisation": {**content["organisation"], "slug": "phusang"}},
        content_hash=content_hash("progress", content, draft=True),
    )


def wait_for(document: Document, states: set[str], seconds: float) -> Document:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.state in states:
            return document
        time.sleep(0.2)
    pytest.fail(f"document {document.pk} still {document.state} after {seconds} s")


def stored_files(media_root, document: Document) -> list:
    return sorted(media_root.glob(f"documents/*/progress-{document.pk}-*.pdf"))


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def test_the_pool_process_killed_mid_render_is_replaced_and_the_job_done_once(redis_url, big_draft, media_root,
                                                                              settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    worker = start_worker(media_root, "faults-child", queues=QUEUE, env=SLOW)
    try:
        render_document.apply_async((big_draft.pk,), queue=QUEUE)
        wait_for(big_draft, {"rendering"}, 60)
        time.sleep(0.5)
        for child in children(worker.pid):
            os.kill(child, signal.SIGKILL)
        document = wait_for(big_draft, {"ready", "failed"}, 120)
    finally:
        stop_worker(worker)
    assert document.state == "ready", document.error
    assert document.attempts == 2 and document.pages > 40 and len(document.sha256) == 64
    assert len(stored_files(media_root, document)) == 1


def test_the_whole_worker_killed_mid_render_resumes_when_a_worker_is_back(redis_url, big_draft, media_root,
                                                                           settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    first = start_worker(media_root, "faults-first", queues=QUEUE, env=SLOW)
    try:
        render_document.apply_async((big_draft.pk,), queue=QUEUE)
        wait_for(big_draft, {"rendering"}, 60)
        time.sleep(0.5)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # main process, pool child and all: no goodbye to Redis
        first.wait(timeout=20)
    big_draft.refresh_from_db()
    assert big_draft.state == "rendering" and not stored_files(media_root, big_draft)
    second = start_worker(media_root, "faults-second", queues=QUEUE, env=SLOW)
    try:
        document = wait_for(big_draft, {"ready", "failed"}, 150)
    finally:
        stop_worker(second)
    assert document.state == "ready", document.error
    assert document.attempts == 2
    assert len(stored_files(media_root, document)) == 1
