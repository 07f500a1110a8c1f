"""Scheduled monitoring work (Celery beat, see CELERY_BEAT_SCHEDULE). Both tasks are idempotent:
opening checks for an existing report, reminders are de-duplicated per report, recipient and day."""

from celery import shared_task

from agendas.monitoring import reminders as reminder_services


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="agendas.tasks_monitoring.open_progress_reports"
)
def open_progress_reports() -> int:
    """Open last year's progress report for every active agenda once the opening date has come."""
    return len(reminder_services.open_due_reports())


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    name="agendas.tasks_monitoring.send_progress_report_reminders",
)
def send_progress_report_reminders() -> dict:
    """Reminders before the due date; escalation of overdue reports to ministry officers."""
    return reminder_services.send_reminders()
