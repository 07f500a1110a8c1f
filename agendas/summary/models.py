"""The per-agenda summary the ministry dashboard reads (``reports.figures``) instead of aggregating the
budget lines, milestones and monitoring entries of the whole portfolio on every cold request.

Derived data only: ``agendas.summary.services.refresh_summary`` rewrites an agenda's rows in the same
transaction as every service call that moves them; ``manage.py rebuild_summaries`` rewrites all of them.
No history (the source rows have it) and no lock_version (nobody edits a summary).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")
ANY_STATUS = ""  # RegionSummaryCell.status: summed over every agenda status


class AgendaSummary(models.Model):
    """One row per agenda: when it was last computed and the year of its latest progress report."""

    agenda = models.OneToOneField(
        "agendas.Agenda", on_delete=models.CASCADE, primary_key=True, related_name="summary", verbose_name=_("agenda")
    )
    latest_report_year = models.PositiveSmallIntegerField(_("jaar laatste voortgangsrapportage"), null=True)
    refreshed_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("agendasamenvatting")
        verbose_name_plural = _("agendasamenvattingen")


class SummaryFigures(models.Model):
    """One dashboard figure at its finest grain (theme × year, plus source or health), of one agenda
    (``AgendaSummaryCell``) or summed over a region's agendas (``RegionSummaryCell``).

    - ``budget``: sum of the budget lines per (theme, year, source) → ``amount`` (read when a year or theme
      filter narrows the lines); the same sums per (year, source) as ``budget_year`` (theme empty) and per
      (theme, source) as ``budget_theme`` (year empty), and per source as ``budget_source`` (the region's
      totals: about 5 rows per agenda): the unfiltered dashboard reads a third of the rows;
    - ``milestones``: number of milestones per (theme, target year) → ``count``;
    - ``spending``: per (theme, report year) the realised spending (``amount``) and the planned amount of the
      budget lines reported on (``planned``);
    - ``health``: milestone entries per (theme, report year, stored health) → ``count``; ``latest`` marks the
      agenda's latest report.
    """

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Begroting")
        BUDGET_YEAR = "budget_year", _("Begroting per jaar")
        BUDGET_THEME = "budget_theme", _("Begroting per thema")
        BUDGET_SOURCE = "budget_source", _("Begroting per bron")
        MILESTONES = "milestones", _("Mijlpalen")
        SPENDING = "spending", _("Besteding")
        HEALTH = "health", _("Gezondheid")

    kind = models.CharField(max_length=13, choices=Kind.choices)
    theme = models.ForeignKey("agendas.Theme", on_delete=models.CASCADE, null=True, related_name="+")
    year = models.PositiveSmallIntegerField(null=True)
    source = models.ForeignKey("agendas.FundingSource", on_delete=models.CASCADE, null=True, related_name="+")
    health = models.CharField(max_length=20, blank=True)
    latest = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    planned = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def values(self) -> tuple:
        return (self.amount, self.planned, self.count)


class AgendaSummaryCell(SummaryFigures):
    """One figure of one agenda (``SummaryFigures``)."""

    agenda = models.ForeignKey("agendas.Agenda", on_delete=models.CASCADE, related_name="summary_cells")

    class Meta:
        verbose_name = _("samenvattingscel")
        verbose_name_plural = _("samenvattingscellen")
        indexes = [models.Index(fields=["kind", "year"], name="summary_cell_kind_year")]

    def key(self) -> tuple:
        return (self.agenda_id, self.kind, self.theme_id, self.year, self.source_id, self.health, self.latest)


class RegionSummaryCell(SummaryFigures):
    """The agenda cells of one region summed per (agenda status, past the draft or not), and once more over every
    status (``status`` empty: ``ANY_STATUS``): what the dashboard reads for the agendas past their draft in the
    user's regions (``reports.summary_source``), a few rows per region instead of a few hundred per agenda.

    Recounted from ``AgendaSummaryCell`` (``agendas.summary.services.recount_regions``) after every change
    that moves it — an agenda's summary, an agenda's status, version, sharing or alliance, an alliance's region
    (``agendas.summary.signals``) —, which marks the region stale (``RegionSummaryStale``) in its own
    transaction. ``beyond_draft`` is ``agendas.permissions.beyond_draft``.
    """

    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="summary_cells")
    status = models.CharField(max_length=30, blank=True)
    beyond_draft = models.BooleanField()

    class Meta:
        verbose_name = _("regiosamenvattingscel")
        verbose_name_plural = _("regiosamenvattingscellen")
        indexes = [models.Index(fields=["kind", "status", "region"], name="region_cell_kind_status")]

    def key(self) -> tuple:
        return (
            self.region_id,
            self.status,
            self.beyond_draft,
            self.kind,
            self.theme_id,
            self.year,
            self.source_id,
            self.health,
            self.latest,
        )


class RegionSummaryStale(models.Model):
    """A region whose summary lags behind a change: written in the transaction of the change, removed by the
    recount that counted it (a Celery task queued after the commit; a sweep every minute catches what the broker
    missed). While a region has such a row the dashboard counts its agendas from their own cells
    (``reports.summary_source``), so it never shows a figure the change has moved."""

    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verouderde regiosamenvatting")
        verbose_name_plural = _("verouderde regiosamenvattingen")
