"""THE milestone health rule. Every page, export and API answer uses ``milestone_health``; nothing else
decides whether a milestone is healthy.

The rule, evaluated at the end of the report year (a report for year Y describes the situation on
31 December of Y):

1. **Vervallen (cancelled)** – the coordinator cancelled the milestone (with a recorded reason).
2. **Behaald (achieved)** – the coordinator reported it achieved, or the value reached meets the target
   (``value ≥ target`` for a rising target, ``value ≤ target`` for a falling one).
3. **Vertraagd (delayed)** – the target year has passed (report year ≥ target year) and the target is
   not met.
4. **Risico (at risk)** – either
   a. progress lags the plan by more than 10 percentage points. Progress = (value − baseline) /
      (target − baseline); the plan is linear from the baseline year (0 %) to the target year (100 %),
      so expected = (report year − baseline year) / (target year − baseline year), clipped to 0–100 %;
      *more than* 10 points means that exactly 10 points behind is still on track; or
   b. the priority's money runs ahead of the result: spending share − progress > 10 points, where
      spending share = realised spending of the priority up to and including the report year /
      planned budget of the priority up to and including the milestone's target year.
5. **Op schema (on track)** – otherwise.

No value reported yet counts as the baseline (0 % progress). All arithmetic is exact (Decimal).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

THRESHOLD_POINTS = Decimal("10")
HUNDRED = Decimal("100")


class Health:
    ACHIEVED = "achieved"
    CANCELLED = "cancelled"
    DELAYED = "delayed"
    AT_RISK = "at_risk"
    ON_TRACK = "on_track"

    LABELS = {
        ACHIEVED: gettext_lazy("Behaald"),
        CANCELLED: gettext_lazy("Vervallen"),
        DELAYED: gettext_lazy("Vertraagd"),
        AT_RISK: gettext_lazy("Risico"),
        ON_TRACK: gettext_lazy("Op schema"),
    }
    # CSS class for the bordered status badge; the text label is always shown as well.
    CSS = {ACHIEVED: "status-ok", ON_TRACK: "status-ok", AT_RISK: "status-warn", DELAYED: "status-bad", CANCELLED: ""}


@dataclass(frozen=True)
class HealthResult:
    code: str
    progress_pct: Decimal  # realised share of the way from baseline to target, in percent
    expected_pct: Decimal  # linear plan for the report year, in percent
    spending_pct: Decimal | None  # spending share of the priority, in percent (None when no plan)
    explanation: str

    @property
    def label(self) -> str:
        return str(Health.LABELS[self.code])

    @property
    def css(self) -> str:
        return Health.CSS[self.code]


def _pct(value: Decimal) -> Decimal:
    return (value * HUNDRED).quantize(Decimal("0.1"))


def milestone_health(
    *,
    baseline_value: Decimal,
    baseline_year: int,
    target_value: Decimal,
    target_year: int,
    report_year: int,
    value_reached: Decimal | None,
    reported_status: str = "",
    spent: Decimal | None = None,
    planned: Decimal | None = None,
) -> HealthResult:
    """Apply the rule above. ``reported_status`` is the coordinator's MilestoneProgress.status;
    ``spent`` / ``planned`` are the priority's realised spending up to the report year and its planned
    budget up to the milestone's target year (leave out to skip part 4b)."""
    value = baseline_value if value_reached is None else value_reached
    distance = target_value - baseline_value  # never 0 (database constraint)
    progress = (value - baseline_value) / distance if distance else Decimal("1")
    if target_year > baseline_year:
        expected = Decimal(report_year - baseline_year) / Decimal(target_year - baseline_year)
    else:
        expected = Decimal("1") if report_year >= target_year else Decimal("0")
    expected = min(max(expected, Decimal("0")), Decimal("1"))
    spending = (spent or Decimal("0")) / planned if planned else None

    progress_pct, expected_pct = _pct(progress), _pct(expected)
    spending_pct = _pct(spending) if spending is not None else None
    numbers = {"progress": progress_pct, "expected": expected_pct}

    def result(code: str, explanation: str) -> HealthResult:
        return HealthResult(code, progress_pct, expected_pct, spending_pct, explanation)

    if reported_status == "cancelled":
        return result(Health.CANCELLED, _("De mijlpaal is vervallen."))
    if reported_status == "achieved" or progress >= 1:
        return result(Health.ACHIEVED, _("De mijlpaal is behaald (voortgang %(progress)s%%).") % numbers)
    if report_year >= target_year:
        return result(
            Health.DELAYED,
            _("Het streefjaar %(year)s is voorbij en de streefwaarde is niet gehaald (voortgang %(progress)s%%).")
            % {**numbers, "year": target_year},
        )
    threshold = THRESHOLD_POINTS / HUNDRED
    if expected - progress > threshold:
        return result(
            Health.AT_RISK,
            _("De voortgang (%(progress)s%%) loopt meer dan 10 procentpunt achter op de planning (%(expected)s%%).")
            % numbers,
        )
    if spending is not None and spending - progress > threshold:
        return result(
            Health.AT_RISK,
            _(
                "De bestedingen (%(spending)s%% van het budget) lopen meer dan 10 procentpunt voor op de voortgang "
                "(%(progress)s%%)."
            )
            % {**numbers, "spending": spending_pct},
        )
    return result(Health.ON_TRACK, _("Voortgang %(progress)s%%, volgens planning %(expected)s%%.") % numbers)
