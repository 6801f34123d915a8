from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .accounts.access import public_view
from .probes import redis_state, worker_state

PROBE_TIMEOUT_SECONDS = 1.0


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        return "down"


@public_view()
@never_cache
def healthz(request):
    database = _database_state()
    redis = redis_state(PROBE_TIMEOUT_SECONDS)
    state = {"database": database, "redis": redis, "celery": worker_state(redis, PROBE_TIMEOUT_SECONDS)}
    return JsonResponse(state, status=200 if database == "ok" else 503)
