"""Celery work of the monitor: run a stored import (idempotent: a finished import is left alone)."""

from celery import shared_task

from agendas.welfare import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3, name="agendas.welfare.run_monitor_import")
def run_monitor_import(import_id: int) -> str:
    return services.monitor_import_run(import_id=import_id).status
