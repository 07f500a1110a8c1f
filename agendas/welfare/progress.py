"""Progress ticks of a running monitor import (rows checked so far, read by the upload page's progress bar).

A tick is not an edit of the record, so it is written without a history row (``processed_rows`` is excluded from
MonitorImport's history); the import's outcome is saved with history by ``agendas.welfare.services``."""

from agendas.welfare.models import MonitorImport


def mark_running(import_id: int) -> None:
    MonitorImport.objects.filter(pk=import_id).update(status=MonitorImport.Status.RUNNING)


def tick(import_id: int, done: int, total: int) -> None:
    MonitorImport.objects.filter(pk=import_id).update(processed_rows=done, total_rows=total)
