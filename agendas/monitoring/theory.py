"""THE theory of change followed in monitoring (PBL: follow each priority's chain, not only the figures).

* The chain of a priority is cause → intervention → conditions → expected broad-welfare outcome
  (``ChainLink``; the texts are the priority's ``theory_*`` fields, ``CHAIN_FIELDS``).
* Each milestone sits on one link (``Milestone.chain_link``) and may name a monitor indicator.
* The yearly progress report asks per priority and per link whether the assumption still holds
  (:func:`chain_assessments_save`, through the report's lock and policy like every report edit). "Partly" or "no"
  needs an explanation.
* The monitoring page shows per link the health of its milestones in the latest report that has them and, for a
  linked indicator, its movement in the region's monitor area since the milestone's baseline year
  (:func:`theory_chains`, a fixed number of queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from agendas.drafting.models import CHAIN_FIELDS, ChainLink, Milestone, Priority
from agendas.health import Health
from agendas.monitoring.models import MilestoneProgress, ProgressReport
from agendas.monitoring.services import lock_for_edit
from agendas.monitoring.theory_models import ChainAssessment
from agendas.welfare.models import MonitorArea, MonitorValue

# worst first: a link is as healthy as its least healthy milestone
HEALTH_ORDER = [Health.DELAYED, Health.AT_RISK, Health.ON_TRACK, Health.ACHIEVED, Health.CANCELLED]
EXPLANATION_NEEDED = {ChainAssessment.Holds.PARTLY, ChainAssessment.Holds.NO}


@dataclass
class Movement:
    indicator: Any
    area: MonitorArea
    baseline_year: int
    baseline_value: Decimal
    latest_year: int
    latest_value: Decimal

    @property
    def change(self) -> Decimal:
        return self.latest_value - self.baseline_value

    @property
    def direction(self) -> str:
        if not self.change:
            return "same"
        return "better" if (self.change > 0) == self.indicator.higher_is_better else "worse"


@dataclass
class MilestoneOnLink:
    milestone: Milestone
    health: str = ""
    movement: Movement | None = None

    @property
    def health_label(self) -> str:
        return str(Health.LABELS.get(self.health, _("nog niet gerapporteerd")))

    @property
    def health_css(self) -> str:
        return Health.CSS.get(self.health, "")


@dataclass
class LinkView:
    code: str
    label: str
    text: str
    milestones: list[MilestoneOnLink] = field(default_factory=list)
    assessment: ChainAssessment | None = None

    @property
    def health(self) -> str:
        codes = [m.health for m in self.milestones if m.health]
        return min(codes, key=HEALTH_ORDER.index) if codes else ""

    @property
    def health_label(self) -> str:
        return str(Health.LABELS.get(self.health, "")) if self.health else ""

    @property
    def health_css(self) -> str:
        return Health.CSS.get(self.health, "")


@dataclass
class PriorityChain:
    priority: Priority
    links: list[LinkView]
    unlinked: list[MilestoneOnLink]


def _movements(milestones: list[Milestone], region_id: int) -> dict[int, Movement]:
    indicator_ids = {m.monitor_indicator_id for m in milestones if m.monitor_indicator_id}
    if not indicator_ids:  # no milestone points at the monitor: no area or values to read
        return {}
    area = MonitorArea.objects.filter(region_id=region_id).first()
    if area is None:
        return {}
    series: dict[int, dict[int, Decimal]] = {}
    for indicator_id, year, value in MonitorValue.objects.filter(area=area, indicator_id__in=indicator_ids).values_list(
        "indicator_id", "year", "value"
    ):
        series.setdefault(indicator_id, {})[year] = value
    result = {}
    for m in milestones:
        years = series.get(m.monitor_indicator_id)
        if not years:
            continue
        # the baseline is the milestone's baseline year, or the first imported year after it (else the first one)
        later = [y for y in years if y >= m.baseline_year]
        start = min(later) if later else min(years)
        end = max(years)
        result[m.pk] = Movement(m.monitor_indicator, area, start, years[start], end, years[end])
    return result


def theory_chains(agenda, report: ProgressReport | None = None, *, page=None) -> list[PriorityChain]:
    """The chains of an agenda's priorities. Assessments from ``report`` (default: the latest report with any).

    ``page``: the report page already read (``agendas.monitoring.selectors.report_page`` of ``report``): its
    priorities, milestones and their health in that report are used instead of being read again."""
    health: dict[int, str] = {}
    if page is not None:
        priorities = [block.priority for block in page.priorities]
        rows = [row for block in page.priorities for row in block.milestones]
        milestones = sorted((row.milestone for row in rows), key=lambda m: (m.target_year, m.pk))
        health = {row.milestone.pk: row.health.code for row in rows}  # THE rule, as the page shows it
    else:
        priorities = list(Priority.objects.filter(agenda=agenda).order_by("order", "pk"))
        milestones = list(
            Milestone.objects.filter(priority__agenda=agenda)
            .select_related("monitor_indicator")
            .order_by("target_year", "pk")
        )
        for milestone_id, code in (
            MilestoneProgress.objects.filter(milestone__priority__agenda=agenda)
            .exclude(health="")
            .order_by("report__year")
            .values_list("milestone_id", "health")
        ):
            health[milestone_id] = code  # the latest year wins
    assessments_qs = ChainAssessment.objects.filter(report__agenda=agenda)
    if report is not None:
        assessments_qs = assessments_qs.filter(report=report)
    assessments: dict[tuple[int, str], ChainAssessment] = {}
    for assessment in assessments_qs.select_related("report").order_by("report__year", "pk"):
        assessments[(assessment.priority_id, assessment.link)] = assessment
    movements = _movements(milestones, agenda.alliance.region_id)
    chains = []
    for priority in priorities:
        links = {
            code: LinkView(
                code=code,
                label=str(label),
                text=getattr(priority, CHAIN_FIELDS[code]),
                assessment=assessments.get((priority.pk, code)),
            )
            for code, label in ChainLink.choices
        }
        unlinked = []
        for m in milestones:
            if m.priority_id != priority.pk:
                continue
            item = MilestoneOnLink(milestone=m, health=health.get(m.pk, ""), movement=movements.get(m.pk))
            (links[m.chain_link].milestones if m.chain_link in links else unlinked).append(item)
        chains.append(PriorityChain(priority=priority, links=list(links.values()), unlinked=unlinked))
    return chains


@transaction.atomic
def chain_assessments_save(
    *, report: ProgressReport, actor: User, lock_version: int, answers: dict[tuple[int, str], dict[str, str]]
) -> ProgressReport:
    """Record per (priority id, link) whether the assumption still holds: ``{"holds": …, "explanation": …}``.
    Same lock and same right as every other edit of the report."""
    locked = lock_for_edit(report, actor, lock_version)
    priorities = set(Priority.objects.filter(agenda_id=locked.agenda_id).values_list("pk", flat=True))
    existing = {(a.priority_id, a.link): a for a in ChainAssessment.objects.filter(report=locked)}
    errors: dict[str, str] = {}
    changed: list[ChainAssessment] = []
    for (priority_id, link), data in answers.items():
        key = f"chain-{priority_id}-{link}"
        if priority_id not in priorities or link not in ChainLink.values:
            errors[key] = _("Deze schakel hoort niet bij deze agenda.")
            continue
        holds = (data.get("holds") or "").strip()
        explanation = (data.get("explanation") or "").strip()
        if holds and holds not in ChainAssessment.Holds.values:
            errors[key] = _("Kies ja, gedeeltelijk of nee.")
            continue
        if holds in EXPLANATION_NEEDED and not explanation:
            errors[key] = _("Licht toe waarom de aanname niet (helemaal) meer klopt.")
            continue
        if len(explanation) > 5000:
            errors[key] = _("Gebruik voor de toelichting hoogstens 5000 tekens.")
            continue
        row = existing.get((priority_id, link)) or ChainAssessment(report=locked, priority_id=priority_id, link=link)
        if row.pk and (row.holds, row.explanation) == (holds, explanation):
            continue
        row.holds, row.explanation = holds, explanation
        changed.append(row)
    if errors:
        raise ValidationError(errors)
    for row in changed:
        row._history_user = actor
        row.save()
    if changed:
        locked.lock_version += 1
        locked._history_user = actor
        locked.save()
    return locked


def chain_answers(agenda, year: int) -> dict[int, list[dict]]:
    """For the progress report document: per priority id, per chain link, the year's answer to "does the
    assumption still hold" (plain strings; links without an answer say so). One query."""
    answers = {
        (a.priority_id, a.link): a
        for a in ChainAssessment.objects.filter(report__agenda=agenda, report__year=year).order_by("pk")
    }
    result: dict[int, list[dict]] = {}
    for priority in Priority.objects.filter(agenda=agenda).order_by("order", "pk"):
        rows = []
        for code, label in ChainLink.choices:
            assessment = answers.get((priority.pk, code))
            rows.append(
                {
                    "link": str(label),
                    "text": getattr(priority, CHAIN_FIELDS[code]),
                    "holds": assessment.get_holds_display() if assessment and assessment.holds else "",
                    "explanation": assessment.explanation if assessment else "",
                }
            )
        result[priority.pk] = rows
    return result
