"""Keeps guardian's object permissions in step with the coordinators of an alliance (infrastructure, not rules)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from accounts.models import Alliance, User
from accounts.services import sync_alliance_coordinator_perms


@receiver(m2m_changed, sender=Alliance.coordinators.through)
def _coordinators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if action == "pre_clear":
        sync_alliance_coordinator_perms(alliance=instance, removed=list(instance.coordinators.all()))
        return
    users = list(User.objects.filter(pk__in=pk_set or []))
    if action == "post_add":
        sync_alliance_coordinator_perms(alliance=instance, added=users)
    else:
        sync_alliance_coordinator_perms(alliance=instance, removed=users)
