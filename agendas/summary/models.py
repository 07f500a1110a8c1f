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


class AgendaSummaryCell(models.Model):
    """One figure of one agenda at the dashboard's finest grain (theme × year, plus source or health).

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

    agenda = models.ForeignKey("agendas.Agenda", on_delete=models.CASCADE, related_name="summary_cells")
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
        verbose_name = _("samenvattingscel")
        verbose_name_plural = _("samenvattingscellen")
        indexes = [models.Index(fields=["kind", "year"], name="summary_cell_kind_year")]

    def key(self) -> tuple:
        return (self.agenda_id, self.kind, self.theme_id, self.year, self.source_id, self.health, self.latest)

    def values(self) -> tuple:
        return (self.amount, self.planned, self.count)
