import json

import pytest
from django.db import DatabaseError


def health(client):
    response = client.get("/healthz")
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_it_reports_the_embedded_default(client, settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert health(client) == (200, {"database": "ok", "redis": "eager", "celery": "eager"})


@pytest.mark.django_db
def test_it_says_redis_is_down_and_still_answers_200(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert health(client) == (200, {"database": "ok", "redis": "down", "celery": "down"})


@pytest.mark.django_db
def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    from itaportal import views

    def broken_cursor():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    status, state = health(client)
    assert status == 503 and state["database"] == "down"


def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_it_sees_redis_up_and_no_worker(client, settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    status, state = health(client)
    assert (status, state["redis"]) == (200, "ok")
    assert state["celery"] in {"ok", "down"}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_it_sees_a_real_worker(client, settings, celery_worker_process):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert health(client) == (200, {"database": "ok", "redis": "ok", "celery": "ok"})
