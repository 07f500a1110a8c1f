"""Celery tasks of the reports app: PDFs are rendered here, never in a request."""

from celery import shared_task

from reports import services
from reports.models import GeneratedDocument

RETRY_BASE_SECONDS = 10
PENDING = GeneratedDocument.Status.PENDING


def backoff_seconds(retries: int) -> int:
    """10 s, 20 s, 40 s … between attempts."""
    return RETRY_BASE_SECONDS * (2**retries)


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS - 1, acks_late=True)
def render_document(self, document_id: int) -> str:
    """Render one document. Safe to run twice (a ready document is left alone).

    In a worker a failed attempt is retried with exponential back-off; after the last attempt the
    failure is recorded with a message for people. Run eagerly (no broker: tests, local development)
    the attempts follow each other at once, because Celery's eager retry would raise into the caller.
    """
    if self.request.is_eager:
        status = PENDING
        for attempt in range(services.MAX_ATTEMPTS):
            status = services.render_attempt(document_id=document_id, final=attempt == services.MAX_ATTEMPTS - 1)
            if status != PENDING:
                break
        return status
    final = self.request.retries >= self.max_retries
    status = services.render_attempt(document_id=document_id, final=final)
    if status == PENDING:
        raise self.retry(countdown=backoff_seconds(self.request.retries))
    return status


@shared_task
def requeue_stale_documents() -> dict:
    """Beat job: documents stuck "wordt gemaakt" for 10 minutes are queued again, or failed after all attempts."""
    return services.requeue_stale_documents()


@shared_task
def report_orphaned_files() -> list[str]:
    """Beat job: log (never delete) files in MEDIA_ROOT that no record refers to."""
    import logging

    orphans = services.find_orphaned_files()
    if orphans:
        logging.getLogger(__name__).warning("%s orphaned file(s) in MEDIA_ROOT: %s", len(orphans), orphans[:50])
    return orphans


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="reports.tasks.export_open_data")
def export_open_data() -> int:
    """The daily open-data export (reports/opendata.py): CSV, JSON and data dictionary in the storage."""
    from reports.opendata import export_open_data as export

    return export()
