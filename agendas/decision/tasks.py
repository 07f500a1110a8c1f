"""Daily workflow jobs (scheduled in CELERY_BEAT_SCHEDULE). Both are idempotent: safe to run twice."""

from celery import shared_task

from agendas.decision import reminders as reminder_services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="agendas.tasks.send_workflow_reminders")
def send_workflow_reminders() -> int:
    """Reminders 7 days before a due date and on overdue, escalation to officers; once per item per day."""
    return reminder_services.send_due_reminders()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="agendas.tasks.activate_started_agendas")
def activate_started_agendas() -> int:
    """approved → active for agendas whose start year has begun."""
    return reminder_services.activate_started_agendas()
