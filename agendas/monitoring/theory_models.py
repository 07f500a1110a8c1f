"""Theory of change in the yearly report: per priority and per link of its chain, whether the assumption still
holds. Rules in ``agendas.monitoring.theory``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from agendas.drafting.models import ChainLink, Priority
from agendas.monitoring.models import ProgressReport


class ChainAssessment(models.Model):
    class Holds(models.TextChoices):
        YES = "yes", _("Ja, de aanname klopt nog")
        PARTLY = "partly", _("Gedeeltelijk")
        NO = "no", _("Nee, de aanname klopt niet meer")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="chain_assessments")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="+")
    link = models.CharField(_("schakel"), max_length=20, choices=ChainLink.choices)
    holds = models.CharField(_("klopt de aanname nog?"), max_length=10, choices=Holds.choices, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True, max_length=5000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toets veranderingstheorie")
        verbose_name_plural = _("toetsen veranderingstheorie")
        ordering = ["report", "priority", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "priority", "link"], name="chain_assessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.priority_id}/{self.link}"
