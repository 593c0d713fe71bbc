"""Operations: every app's periodic schedules and the health checks behind /healthz.

Called by ops.apps (after migrate) and ops.views.
"""

import importlib
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_q.models import Schedule, Success

HEARTBEAT_FUNC = "ops.tasks.record_heartbeat_task"
HEARTBEAT_SCHEDULE_NAME = "worker heartbeat"


def install_schedules() -> list[Schedule]:
    """Create or update the periodic tasks every app declares as `SCHEDULES` in
    its tasks module (name, func, schedule_type and its interval), repeating
    forever. Idempotent; run after migrate."""
    installed = []
    for app_config in apps.get_app_configs():
        try:
            tasks = importlib.import_module(f"{app_config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.tasks":
                raise
            continue
        for spec in getattr(tasks, "SCHEDULES", ()):
            defaults = {key: value for key, value in spec.items() if key != "name"}
            schedule, _ = Schedule.objects.update_or_create(
                name=spec["name"], defaults={"repeats": -1, **defaults}
            )
            installed.append(schedule)
    return installed


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict:
    key = "healthz:probe"
    value = timezone.now().isoformat()
    try:
        cache.set(key, value, 30)
        ok = cache.get(key) == value
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": ok} if ok else {"ok": False, "error": "value not read back"}


def check_worker() -> dict:
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
    try:
        last = (
            Success.objects.filter(func=HEARTBEAT_FUNC)
            .order_by("-stopped")
            .values_list("stopped", flat=True)
            .first()
        )
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    if last is None:
        return {"ok": False, "error": "no heartbeat yet; is the task worker running?"}
    age = (timezone.now() - last).total_seconds()
    result = {"ok": age <= max_age, "last_heartbeat_age_seconds": round(age)}
    if age > max_age:
        result["error"] = f"last heartbeat is older than {timedelta(seconds=max_age)}"
    return result


def run_health_checks() -> dict:
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "worker": check_worker(),
    }
    return {
        # Which node answered: behind a load balancer, the one to look at.
        "node": settings.NODE_NAME,
        "status": "ok" if all(check["ok"] for check in checks.values()) else "fail",
        "failing": [name for name, check in checks.items() if not check["ok"]],
        "checks": checks,
    }
