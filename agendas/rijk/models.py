"""The Rijk's own commitments in an agenda (besides money): per ministry and national programme, a text and a
due year; recorded by the ministry officer while the decision is prepared, signed with the decision, reported on
yearly by the ministry side. Rules in ``agendas/rijk/services.py``; who may do what in ``agendas/rijk/policy.py``."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from accounts.models import TOOI_ORGANISATION_PATTERN
from agendas.drafting.models import Agenda, year_validators
from agendas.models.reference import NationalProgramme, ReferenceItem


class Ministry(ReferenceItem):
    """A ministry of the Rijk (reference list, loaded by a data migration; TOOI "ministerielijst" identifiers)."""

    abbreviation = models.CharField(_("afkorting"), max_length=20)
    tooi_identifier = models.CharField(
        _("TOOI-identificatie"),
        max_length=120,
        blank=True,
        validators=[RegexValidator(TOOI_ORGANISATION_PATTERN)],
    )
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("ministerie")
        verbose_name_plural = _("ministeries")


class RijkCommitment(models.Model):
    """What one ministry commits to an agenda besides money. Locked once the decision that carries it is signed."""

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="rijk_commitments")
    ministry = models.ForeignKey(
        Ministry, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("ministerie")
    )
    programme = models.ForeignKey(
        NationalProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rijk_commitments",
        verbose_name=_("nationaal programma"),
    )
    text = models.TextField(_("toezegging"), max_length=5000)
    due_year = models.PositiveSmallIntegerField(_("uiterlijk in jaar"), validators=year_validators)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    decision = models.ForeignKey(
        "agendas.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rijk_commitments",
        verbose_name=_("ondertekend met besluit"),
    )
    signed_at = models.DateTimeField(_("ondertekend op"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rijkstoezegging")
        verbose_name_plural = _("rijkstoezeggingen")
        ordering = ["due_year", "ministry__order", "pk"]

    def __str__(self) -> str:
        return f"{self.ministry.abbreviation} {self.due_year}: {self.text[:60]}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class RijkCommitmentReport(models.Model):
    """The ministry side's yearly word on one commitment, in the same progress cycle as the region's report."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("Op schema")
        LATE = "late", _("Vertraagd")
        DONE = "done", _("Nagekomen")

    commitment = models.ForeignKey(RijkCommitment, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("verslagjaar"), validators=year_validators)
    status = models.CharField(_("stand van zaken"), max_length=10, choices=Status.choices)
    explanation = models.TextField(_("toelichting"), blank=True, max_length=5000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("gerapporteerd op"), auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapportage rijkstoezegging")
        verbose_name_plural = _("rapportages rijkstoezeggingen")
        ordering = ["commitment", "year"]
        constraints = [models.UniqueConstraint(fields=["commitment", "year"], name="rijk_commitment_report_unique")]

    def __str__(self) -> str:
        return f"{self.commitment_id}/{self.year}: {self.status}"
