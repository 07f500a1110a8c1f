"""The completeness checklist an agenda must pass before it can be submitted.

Used by the drafting pages (shown to the coordinator) and by the submit transition (which refuses
with the list of what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.permissions import current_memberships_of
from agendas import finance
from agendas.drafting.commitments import commitment_gaps
from agendas.drafting.selectors import BudgetSummary, budget_summary
from agendas.models import Agenda, BudgetLine, Milestone, Priority
from kansenagenda import money

MIN_OTHER_PARTNERS = 2
PAGE_CHECKLIST = "_page_checklist"  # the checklist a page built from what it loaded, kept on its agenda object


@dataclass(frozen=True)
class LoadedAgenda:
    """What a page has already read: priorities with prefetched milestones, the budget summary, the partners."""

    priorities: list
    summary: BudgetSummary
    partners: list


def partners_flagged(agenda: Agenda):
    """The agenda's partners, each with ``of_coordinator``: is it an organisation a coordinator of the alliance
    currently belongs to? (Those do not count towards the minimum.) One query."""
    of_coordinator = current_memberships_of(agenda.alliance.coordinators.all()).filter(
        organisation_id=OuterRef("organisation_id")
    )
    return agenda.partners.select_related("organisation").annotate(of_coordinator=Exists(of_coordinator))


def _in_period(agenda: Agenda, year: int) -> bool:
    return agenda.start_year <= year <= agenda.end_year


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    ok: bool
    message: str


def completeness_checklist(agenda: Agenda, *, loaded: LoadedAgenda | None = None) -> list[ChecklistItem]:
    """Every check with its outcome and a message a coordinator can act on. Fixed number of queries; none for
    what ``loaded`` already holds (the detail page passes its priorities, budget summary and partners)."""
    items: list[ChecklistItem] = []
    if loaded is not None:
        summary = loaded.summary
        priorities = loaded.priorities
        for p in priorities:
            p.n_milestones = len(p.milestones.all())
            p.n_lines = summary.lines_by_priority.get(p.pk, 0)
    else:
        summary = None
        priorities = list(
            Priority.objects.filter(agenda=agenda).annotate(
                n_milestones=Count("milestones", distinct=True), n_lines=Count("budget_lines", distinct=True)
            )
        )
    items.append(
        ChecklistItem(
            "has_priorities",
            bool(priorities),
            _("De agenda heeft minstens één prioriteit.") if priorities else _("Voeg minstens één prioriteit toe."),
        )
    )
    for p in priorities:
        if p.n_milestones == 0:
            items.append(
                ChecklistItem(
                    f"milestones_{p.pk}",
                    False,
                    _("Prioriteit ‘%(title)s’ heeft nog geen mijlpaal.") % {"title": p.title},
                )
            )
        if p.n_lines == 0:
            items.append(
                ChecklistItem(
                    f"budget_{p.pk}", False, _("Prioriteit ‘%(title)s’ heeft nog geen begroting.") % {"title": p.title}
                )
            )
    if priorities and all(p.n_milestones and p.n_lines for p in priorities):
        items.append(
            ChecklistItem("priorities_complete", True, _("Elke prioriteit heeft een mijlpaal en een begroting."))
        )

    if loaded is not None:
        lines_outside = sum(n for year, n in summary.lines_by_year.items() if not _in_period(agenda, year))
        ms_outside = sum(1 for p in priorities for m in p.milestones.all() if not _in_period(agenda, m.target_year))
    else:
        outside = Q(year__lt=agenda.start_year) | Q(year__gt=agenda.end_year)
        lines_outside = BudgetLine.objects.filter(priority__agenda=agenda).filter(outside).count()
        ms_outside = (
            Milestone.objects.filter(priority__agenda=agenda)
            .filter(Q(target_year__lt=agenda.start_year) | Q(target_year__gt=agenda.end_year))
            .count()
        )
    years_ok = lines_outside == 0 and ms_outside == 0
    items.append(
        ChecklistItem(
            "years_in_period",
            years_ok,
            _("Alle jaren vallen binnen de looptijd %(start)s–%(end)s.")
            % {"start": agenda.start_year, "end": agenda.end_year}
            if years_ok
            else _(
                "%(lines)s begrotingsregel(s) en %(ms)s mijlpaal/mijlpalen vallen buiten de looptijd %(start)s–%(end)s: "
                "pas het jaar aan of verleng de looptijd."
            )
            % {"lines": lines_outside, "ms": ms_outside, "start": agenda.start_year, "end": agenda.end_year},
        )
    )

    summary = summary or budget_summary(agenda)
    ratio = summary.cofinancing_ratio
    if summary.rijk_extra == 0:
        items.append(ChecklistItem("cofinancing", True, _("Er wordt geen extra rijksbijdrage gevraagd.")))
    elif finance.meets_minimum(ratio):
        items.append(
            ChecklistItem(
                "cofinancing",
                True,
                _("Cofinanciering is %(ratio)s : 1 (minimaal 1 : 1).") % {"ratio": money.format_ratio_number(ratio)},
            )
        )
    elif agenda.low_cofinancing_justification.strip():
        items.append(
            ChecklistItem(
                "cofinancing",
                True,
                _(
                    "Cofinanciering is %(ratio)s : 1; de onderbouwing voor een lager aandeel is vastgelegd en zichtbaar "
                    "voor beoordelaar en ministerie."
                )
                % {"ratio": money.format_ratio_number(ratio)},
            )
        )
    else:
        items.append(
            ChecklistItem(
                "cofinancing",
                False,
                _(
                    "Cofinanciering is %(ratio)s : 1. Verhoog de regionale en overige bijdragen tot minstens 1 : 1, "
                    "of leg een onderbouwing voor een lager aandeel vast (kwetsbare regio)."
                )
                % {"ratio": money.format_ratio_number(ratio)},
            )
        )

    partners = loaded.partners if loaded is not None else partners_flagged(agenda)
    others = sum(1 for partner in partners if not partner.of_coordinator)
    items.append(
        ChecklistItem(
            "partners",
            others >= MIN_OTHER_PARTNERS,
            _("%(n)s partnerorganisaties naast die van de coördinator.") % {"n": others}
            if others >= MIN_OTHER_PARTNERS
            else _("Voeg nog %(missing)s partnerorganisatie(s) toe naast die van de coördinator (minimaal 2).")
            % {"missing": MIN_OTHER_PARTNERS - others},
        )
    )
    gaps = commitment_gaps(agenda, summary=summary)  # the sums and sources read above, not read again
    for gap in gaps:
        items.append(ChecklistItem(f"commitment_{gap.year}_{gap.source.code}", False, gap.message))
    if not gaps:
        items.append(
            ChecklistItem(
                "commitments", True, _("Elk bedrag aan cofinanciering in de begroting is bevestigd door de partner.")
            )
        )
    if loaded is not None:
        agenda.__dict__[PAGE_CHECKLIST] = items  # the submit button's guard asks the same question
    return items


def missing_items(agenda: Agenda) -> list[ChecklistItem]:
    """What is missing; on a page that already built the checklist for this agenda object (GET), that list."""
    items = agenda.__dict__.get(PAGE_CHECKLIST) or completeness_checklist(agenda)
    return [item for item in items if not item.ok]
