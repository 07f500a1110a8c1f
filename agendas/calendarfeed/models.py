from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords


class CalendarFeed(models.Model):
    """A user's secret calendar feed URL. Only a SHA-256 digest of the token is stored (like a password):
    the full URL is shown once; revoking deletes the row, after which the old URL answers 404."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    suffix = models.CharField(_("laatste tekens"), max_length=4, editable=False)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])  # the key itself is not kept after revoking

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return f"…{self.suffix}"
