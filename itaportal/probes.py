"""Is Redis there, and a Celery worker behind it? Asked by /healthz and by the document pages, with
short time-outs: a page that waits for a missing service must not become a missing page itself."""

import redis
from django.conf import settings
from kombu.exceptions import OperationalError

from .celery import app as celery_app

EAGER, OK, DOWN = "eager", "ok", "down"


def redis_state(timeout: float) -> str:
    if not settings.REDIS_URL:
        return EAGER
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout,
                                      socket_timeout=timeout)
        client.ping()
        return OK
    except redis.RedisError:
        return DOWN


def worker_state(broker: str, timeout: float) -> str:
    """`broker` is Redis's state just probed: without it a ping would only wait for its time-out."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    if broker != OK:
        return DOWN
    # Twice: the first ping after a Redis restart fails on the pooled connection the restart broke,
    # which the failure replaces. A second failure means Redis went away since it was probed.
    for _attempt in range(2):
        try:
            replies = celery_app.control.ping(timeout=timeout, limit=1)
        except (OSError, OperationalError, redis.RedisError):
            continue
        return OK if replies else DOWN
    return DOWN
