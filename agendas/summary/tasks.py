"""Recounting the region summary after a change (``agendas.summary.services.recount_regions``). Idempotent:
a recount of a region that is not stale rewrites the same rows."""

from __future__ import annotations

from celery import shared_task

from agendas.summary.services import recount_regions, recount_stale_regions


@shared_task(name="agendas.summary.tasks.recount_region_summaries")
def recount_region_summaries(region_ids: list[int]) -> int:
    return recount_regions(region_ids)


@shared_task(name="agendas.summary.tasks.recount_stale_region_summaries")
def recount_stale_region_summaries() -> int:
    """The sweep (every minute): whatever the queued recount missed."""
    return recount_stale_regions()
