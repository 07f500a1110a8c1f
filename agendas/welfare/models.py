"""The regional Monitor Brede Welvaart (CBS) as reference data: indicators per monitor theme, the areas it
covers (COROP ``CR01``–``CR40``, provinces ``PV..``, municipalities ``GM....``, the country ``NL01``) and the
imported values per year. The import rules live in ``agendas.welfare.services``; these models hold data and
invariants (constraints). The monitor's themes are the ``BroadWelfareDimension`` reference list (hier en nu /
later / elders); the six agenda themes map onto them through ``Theme.dimensions``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedHistoricalRecords as HistoricalRecords
from accounts.models import Region
from agendas.models.reference import BroadWelfareDimension, ReferenceItem

MONITOR_MIN_YEAR = 1995
MONITOR_MAX_YEAR = 2080


class MonitorIndicator(ReferenceItem):
    """One indicator of the monitor (e.g. "ervaren gezondheid"), under one monitor theme."""

    dimension = models.ForeignKey(
        BroadWelfareDimension,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("thema van de monitor"),
    )
    unit = models.CharField(_("eenheid"), max_length=60, blank=True)
    higher_is_better = models.BooleanField(
        _("hoger is beter"),
        default=True,
        help_text=_("Bepaalt de rangorde: rang 1 is de regio met de grootste opgave."),
    )
    history = HistoricalRecords()

    class Meta(ReferenceItem.Meta):
        verbose_name = _("indicator brede welvaart")
        verbose_name_plural = _("indicatoren brede welvaart")


class MonitorArea(models.Model):
    """An area the monitor reports on. A region of this system is linked to (at most) one area."""

    class Kind(models.TextChoices):
        NATIONAL = "NL", _("Nederland")
        COROP = "CR", _("COROP-gebied")
        PROVINCE = "PV", _("Provincie")
        MUNICIPALITY = "GM", _("Gemeente")

    code = models.CharField(_("gebiedscode"), max_length=10, unique=True)
    kind = models.CharField(_("soort gebied"), max_length=2, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=150)
    region = models.OneToOneField(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitor_area",
        verbose_name=_("regio in dit systeem"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gebied monitor brede welvaart")
        verbose_name_plural = _("gebieden monitor brede welvaart")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MonitorImport(models.Model):
    """One uploaded file and how its import went (the upload page polls this for its progress bar)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Ingelezen")
        FAILED = "failed", _("Geweigerd")

    file = models.FileField(upload_to="monitor-imports/", max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "message": "..."}]; row 0 = the file
    years = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    deleted_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)  # rows without a value (CBS writes "." for "no data")
    history = HistoricalRecords(excluded_fields=["processed_rows"])  # progress ticks are not edits

    class Meta:
        verbose_name = _("import monitor brede welvaart")
        verbose_name_plural = _("imports monitor brede welvaart")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))


class MonitorValue(models.Model):
    area = models.ForeignKey(MonitorArea, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(MonitorIndicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(MONITOR_MIN_YEAR), MaxValueValidator(MONITOR_MAX_YEAR)]
    )
    value = models.DecimalField(_("waarde"), max_digits=18, decimal_places=4)
    source_import = models.ForeignKey(MonitorImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("waarde monitor brede welvaart")
        verbose_name_plural = _("waarden monitor brede welvaart")
        ordering = ["indicator", "area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "indicator", "year"], name="monitor_value_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=MONITOR_MIN_YEAR, year__lte=MONITOR_MAX_YEAR), name="monitor_value_year_range"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.indicator_id}/{self.year}: {self.value}"
