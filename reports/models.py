"""Generated documents: every PDF the system makes, with the exact data it was made from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from agendas.models import Agenda


def document_path(instance: "GeneratedDocument", filename: str) -> str:
    return f"documents/{instance.agenda_id}/{instance.kind}/{instance.pk}-{instance.source_fingerprint[:16]}.pdf"


class GeneratedDocument(models.Model):
    class Kind(models.TextChoices):
        DOSSIER = "dossier", _("Agendadossier")
        DECISION_NOTE = "decision_note", _("Nota ter besluitvorming")
        DECISION_LETTER = "decision_letter", _("Besluitbrief aan de alliantie")
        PROGRESS_REPORT = "progress_report", _("Jaarlijkse voortgangsrapportage")
        ACCOUNTABILITY = "accountability", _("Verantwoordingsgegevens (SiSa)")
        PUBLIC_DOSSIER = "public_dossier", _("Openbare versie (Woo)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Wordt gemaakt")
        READY = "ready", _("Klaar")
        FAILED = "failed", _("Mislukt")

    # Kinds that cover one calendar year of the agenda.
    YEARLY_KINDS = {Kind.PROGRESS_REPORT, Kind.ACCOUNTABILITY}

    kind = models.CharField(_("soort document"), max_length=30, choices=Kind.choices)
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="generated_documents")
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    version_number = models.PositiveIntegerField(_("agendaversie"), default=0)
    source_fingerprint = models.CharField(_("vingerafdruk brongegevens"), max_length=64)
    source_data = models.JSONField(_("brongegevens"), default=dict)
    file = models.FileField(upload_to=document_path, max_length=300, blank=True)
    sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("aantal pagina's"), null=True, blank=True)
    render_seconds = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error_message = models.TextField(_("foutmelding"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Last time the rendering was queued or started: a pending document older than this by 10 minutes is stuck
    # and re-queued by the beat job (reports.services.requeue_stale_documents).
    queued_at = models.DateTimeField(_("laatst in de wachtrij gezet"), default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["source_data"])

    class Meta:
        verbose_name = _("gegenereerd document")
        verbose_name_plural = _("gegenereerde documenten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One live (pending or ready) document per kind, agenda and exact source data: asking again re-uses it.
            models.UniqueConstraint(
                fields=["kind", "agenda", "source_fingerprint"],
                condition=~Q(status="failed"),
                name="generated_document_one_live_per_source",
            ),
            # A ready document always has its file and checksum: never a half-made record.
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="")),
                name="generated_document_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=2020, year__lte=2080),
                name="generated_document_year_range",
            ),
        ]
        indexes = [models.Index(fields=["agenda", "kind", "-created_at"])]

    def __str__(self) -> str:
        label = f"{self.get_kind_display()} – {self.agenda}"
        return f"{label} {self.year}" if self.year else label

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    def download_filename(self) -> str:
        """A safe, readable file name: ASCII letters, digits and dashes only."""
        from django.utils.text import slugify

        parts = [self.get_kind_display(), self.agenda.title]
        if self.year:
            parts.append(str(self.year))
        if self.version_number:
            parts.append(f"v{self.version_number}")
        stem = slugify(" ".join(str(p) for p in parts))[:120].strip("-") or "document"
        return f"{stem}.pdf"


class SavedFilter(models.Model):
    """A person's named set of portfolio filters (dashboard and its agenda list), as a query string."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("naam"), max_length=100)
    query = models.CharField(_("filters"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bewaard filter")
        verbose_name_plural = _("bewaarde filters")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
