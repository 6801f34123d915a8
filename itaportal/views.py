import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

PROBE_TIMEOUT_SECONDS = 1.0


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "down"


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "eager"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=PROBE_TIMEOUT_SECONDS
        )
        client.ping()
        return "ok"
    except redis.RedisError:
        return "down"


def _worker_state(redis_state: str) -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    if redis_state != "ok":
        # Without the broker a ping would only wait for its own time-out.
        return "down"
    replies = celery_app.control.ping(timeout=PROBE_TIMEOUT_SECONDS, limit=1)
    return "ok" if replies else "down"


@never_cache
@require_GET
def healthz(request):
    database = _database_state()
    redis_state = _redis_state()
    state = {"database": database, "redis": redis_state, "celery": _worker_state(redis_state)}
    return JsonResponse(state, status=200 if database == "ok" else 503)
