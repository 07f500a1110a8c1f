"""The doors of the region summary (``RegionSummaryCell``) that are not a summary refresh: whatever saves an
agenda or an alliance — a service, the workflow engine, the admin, a management command, a Celery task — moves
an agenda's figures from one (region, status, past-the-draft) group to another. Receivers on the models, so no
door can skip them; they recount inside the transaction of the save (``mark_stale``).

An instance remembers the values it was loaded with (``post_init``); a save recounts only when one of the
values the region summary groups by changed. A new agenda has no figures yet (its summary comes with its first
budget line), so creating one marks nothing.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from accounts.models import Alliance
from agendas.models import Agenda
from agendas.summary.services import mark_stale, region_of

AGENDA_FIELDS = ("status", "current_version", "shared_with_ministry", "alliance_id")


def _state(instance, fields) -> tuple:
    values = instance.__dict__
    return tuple(values.get(name, ...) for name in fields)  # ``...``: deferred, not loaded


@receiver(post_init, sender=Agenda)
def remember_agenda(sender, instance, **kwargs):
    instance._summary_state = _state(instance, AGENDA_FIELDS)


@receiver(post_save, sender=Agenda)
def agenda_saved(sender, instance, created, raw=False, **kwargs):
    before = instance._summary_state
    instance._summary_state = _state(instance, AGENDA_FIELDS)
    if raw or created or before == instance._summary_state:
        return
    old_alliance = before[-1]
    regions = {region_of(instance.alliance_id)}
    if old_alliance is ...:  # loaded without its alliance: the figures may have left any region
        regions |= set(Alliance.objects.values_list("region_id", flat=True))
    elif old_alliance != instance.alliance_id:
        regions.add(region_of(old_alliance))
    mark_stale(regions)


@receiver(post_delete, sender=Agenda)  # its cells went with it (cascade)
def agenda_deleted(sender, instance, **kwargs):
    mark_stale({region_of(instance.alliance_id)})


@receiver(post_init, sender=Alliance)
def remember_alliance(sender, instance, **kwargs):
    instance._summary_region = instance.__dict__.get("region_id", ...)


@receiver(post_save, sender=Alliance)
def alliance_saved(sender, instance, created, raw=False, **kwargs):
    before, instance._summary_region = instance._summary_region, instance.region_id
    if raw or created or before == instance.region_id:
        return
    regions = {instance.region_id}
    if before is not ...:
        regions.add(before)
    else:  # loaded without its region: recount every region its agendas' figures may have left
        regions |= set(Alliance.objects.values_list("region_id", flat=True))
    mark_stale(regions)
