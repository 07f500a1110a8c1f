"""Health endpoints for people and for the orchestrator (Kubernetes probes, compose health checks).

- ``/health/live`` (``live``): the process answers. No dependency is touched, so a database or Redis outage
  never makes the orchestrator kill healthy processes.
- ``/health/ready`` (``ready``): this instance can serve: database, broker and file storage answer. 503 with
  the failing part named (``{"status": "unavailable", "failing": ["storage"], "checks": {...}}``), so the load
  balancer stops sending requests to it until it answers again.
- ``/health/`` (``health``): the full report for people (database, cache, broker, storage). 503 only when the
  database is down; Redis or storage trouble is ``"degraded"`` with 200 (the site keeps working: the cache
  fails open, throttles let requests through, queued work waits in the database for the sweeps).

Each check is one function here; the views only combine them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OK = "ok"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 – any failure is reported, never raised
        return f"error: {exc.__class__.__name__}"
    return OK


def check_broker() -> str:
    """``ok``, ``eager (not configured)`` without Redis, else ``error: <cause>``."""
    if not settings.REDIS_URL:
        return "eager (not configured)"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return OK


def check_storage() -> str:
    from kansenagenda.storage import ping

    try:
        ping()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return OK


def _is_ok(value: str) -> bool:
    return value == OK or value.startswith("eager")


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": OK})


@never_cache
@require_GET
def ready(request):
    checks = {"database": check_database(), "broker": check_broker(), "storage": check_storage()}
    failing = [name for name, value in checks.items() if not _is_ok(value)]
    if failing:
        response = JsonResponse({"status": "unavailable", "failing": failing, "checks": checks}, status=503)
        response["Retry-After"] = "5"
        return response
    return JsonResponse({"status": OK, "checks": checks})


@never_cache
@require_GET
def health(request):
    from kansenagenda.cache import cache_state

    checks = {
        "database": check_database(),
        "cache": cache_state(),
        "broker": check_broker(),
        "storage": check_storage(),
    }
    for name in ("broker", "storage"):
        if checks[name].startswith("error"):
            checks[name] = "degraded" + checks[name][len("error") :]
    if checks["database"] != OK:
        status, code = "error", 503
    elif any(str(value).startswith("degraded") for value in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = OK, 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
