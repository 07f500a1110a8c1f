"""The access log (Logboek Dataverwerkingen / BIO 12.4): one append-only row per read, download or export of a
sensitive record and per security event (login, lockout, second factor, refusal, role change).

Append-only: rows are only ever inserted (``accounts.accesslog.services``). ``save()`` on an existing row,
``delete()`` and queryset ``update()``/``delete()`` raise; the model has only a *view* permission, the admin
allows nothing else; and a database trigger refuses UPDATE (and DELETE on PostgreSQL).
Rows never hold passwords, tokens or document content: only who, what (type, id, a short label), when, the
purpose, the door (page/api/admin) and the URL pattern (never the raw path, which may carry a reset token).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an access-log row."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")

    def delete(self):
        raise AppendOnlyError("Het toegangslogboek kan niet worden verwijderd.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")


class AccessLogEntry(models.Model):
    class Event(models.TextChoices):
        READ = "read", _("Inzage")
        DOWNLOAD = "download", _("Download")
        EXPORT = "export", _("Export")
        REFUSED = "refused", _("Geweigerd")
        LOGIN = "login", _("Ingelogd")
        LOGOUT = "logout", _("Uitgelogd")
        LOGIN_FAILED = "login_failed", _("Mislukte inlogpoging")
        LOCKOUT = "lockout", _("Tijdelijk geblokkeerd")
        SECOND_FACTOR_SETUP = "second_factor_setup", _("Tweestapsverificatie ingesteld")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Tweestapsverificatie mislukt")
        ROLE_CHANGE = "role_change", _("Rol gewijzigd")

    class Purpose(models.TextChoices):
        """Why the record was processed (doelbinding): the task the read served."""

        DRAFTING = "opstellen", _("Opstellen en bespreken van de agenda")
        REVIEW = "toetsing", _("Onafhankelijke brede-welvaartstoets")
        ADVICE = "advies", _("Advies van de rijksvertegenwoordiger")
        DECISION = "besluitvorming", _("Besluitvorming door het ministerie")
        MONITORING = "monitoring", _("Voortgang en verantwoording")
        PORTFOLIO = "portefeuille", _("Portefeuillesturing")
        PUBLICATION = "openbaarmaking", _("Openbaarmaking (Woo)")
        ADMINISTRATION = "beheer", _("Functioneel beheer")
        SECURITY = "beveiliging", _("Beveiliging")

    class Channel(models.TextChoices):
        PAGE = "page", _("Webpagina")
        API = "api", _("API")
        ADMIN = "admin", _("Beheer")
        SYSTEM = "system", _("Systeem")

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    event = models.CharField(_("gebeurtenis"), max_length=30, choices=Event.choices, db_index=True)
    # No database constraint and no cascade: a log row outlives everything it names and is never touched.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    user_roles = models.CharField(_("rollen"), max_length=200, blank=True)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    agenda_id = models.PositiveBigIntegerField(_("agenda"), null=True, blank=True, db_index=True)
    purpose = models.CharField(_("doel"), max_length=30, choices=Purpose.choices, blank=True)
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices, default=Channel.SYSTEM)
    status_code = models.PositiveSmallIntegerField(_("statuscode"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=200, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    detail = models.CharField(_("toelichting"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslogboek")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["object_type", "object_id"], name="accesslog_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_event_display()} {self.object_type} {self.object_id}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Het toegangslogboek kan niet worden verwijderd.")
