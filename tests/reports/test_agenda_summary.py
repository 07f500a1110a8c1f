"""The dashboard summary (agendas.summary, per agenda and per region) always equals a fresh computation from the source
rows, whatever sequence of service calls ran (property test); the dashboard read from it equals the
dashboard aggregated from the source rows; ``rebuild_summaries`` is idempotent and repairs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agendas.drafting import budget, milestones
from agendas.drafting import services as drafting
from agendas.models import (
    AgendaSummary,
    AgendaSummaryCell,
    BudgetLine,
    FundingSource,
    Milestone,
    Priority,
    RegionSummaryStale,
    Theme,
)
from agendas.monitoring import services as monitoring
from agendas.summary.services import (
    fresh_cells,
    fresh_region_cells,
    rebuild_summaries,
    recount_stale_regions,
    stored_cells,
    stored_region_cells,
)
from kansenagenda.errors import ConflictError
from reports.permissions import dashboard_policy
from reports.selectors import DashboardFilters, portfolio, reference_lists
from tests.agendas.monitoring_fixtures import *  # noqa: F403 - fixtures active_agenda, people
from tests.agendas.monitoring_fixtures import make_active_agenda
from tests.agendas.workflow_fixtures import make_complete_agenda
from tests.factories import UserFactory, make_coordinator

pytestmark = pytest.mark.django_db


class World:
    def __init__(self):
        self.draft = make_complete_agenda(shared_with_ministry=True)
        self.drafter = self.draft.alliance.coordinators.first()
        self.active = make_active_agenda(priorities=2, milestones_per_priority=2, years=[2027, 2028, 2029])
        self.monitor = make_coordinator(self.active.alliance)
        self.sources = list(FundingSource.objects.order_by("pk")[:3])
        self.themes = list(Theme.objects.filter(active=True).order_by("pk")[:3])
        rebuild_summaries()  # the fixtures are made directly, not through the services

    @property
    def agenda_ids(self):
        return [self.draft.pk, self.active.pk]

    def regions_agree(self) -> bool:
        """Every region is right or marked stale (the dashboard then reads its agendas); the sweep makes every
        region right."""
        regions = [self.draft.alliance.region_id, self.active.alliance.region_id]
        stale = set(RegionSummaryStale.objects.values_list("region_id", flat=True))
        for region in regions:
            if region not in stale and stored_region_cells([region]) != fresh_region_cells([region]):
                return False
        recount_stale_regions()
        return stored_region_cells(regions) == fresh_region_cells(regions)


def _priorities(agenda):
    return list(Priority.objects.filter(agenda=agenda).order_by("pk"))


def step_grid(w, data):
    priority = data.draw(st.sampled_from(_priorities(w.draft)))
    year = data.draw(st.integers(w.draft.start_year, w.draft.start_year + 2))
    source = data.draw(st.sampled_from(w.sources))
    amount = data.draw(st.sampled_from([None, Decimal("0"), Decimal("1.01"), Decimal("250000.50")]))
    budget.budget_grid_save(
        agenda=w.draft,
        actor=w.drafter,
        cells=[budget.BudgetCell(priority.pk, year, source.pk, amount)],
        lock_versions={priority.pk: priority.lock_version},
    )


def step_line_api(w, data):
    line = BudgetLine.objects.filter(priority__agenda=w.draft).order_by("pk").first()
    if line is None:
        return
    if data.draw(st.booleans()):
        budget.budget_line_update(
            line=line, actor=w.drafter, amount=Decimal("777.77"), lock_version=line.priority.lock_version
        )
    else:
        budget.budget_line_delete(line=line, actor=w.drafter, lock_version=line.priority.lock_version)


def step_priority(w, data):
    kind = data.draw(st.sampled_from(["create", "theme", "delete"]))
    priorities = _priorities(w.draft)
    if kind == "create" or not priorities:
        drafting.priority_create(
            agenda=w.draft,
            actor=w.drafter,
            data={"theme": data.draw(st.sampled_from(w.themes)), "title": "Nieuw", "goals": "Doel."},
        )
    elif kind == "theme":
        priority = data.draw(st.sampled_from(priorities))
        drafting.priority_update(
            priority=priority,
            actor=w.drafter,
            data={"theme": data.draw(st.sampled_from(w.themes)), "title": priority.title, "goals": priority.goals},
            lock_version=priority.lock_version,
        )
    elif len(priorities) > 1:
        drafting.priority_delete(priority=priorities[-1], actor=w.drafter, lock_version=priorities[-1].lock_version)


def step_milestone(w, data):
    agenda = w.draft
    existing = list(Milestone.objects.filter(priority__agenda=agenda).order_by("pk"))
    kind = data.draw(st.sampled_from(["create", "move", "delete"]))
    year = data.draw(st.integers(agenda.start_year, agenda.start_year + 3))
    if kind == "create" or not existing:
        milestones.milestone_create(
            priority=data.draw(st.sampled_from(_priorities(agenda))),
            actor=w.drafter,
            data={
                "title": "Resultaat",
                "indicator_name": "Indicator",
                "unit": "personen",
                "type": "output",
                "baseline_value": Decimal("0"),
                "baseline_year": agenda.start_year - 1,
                "target_value": Decimal("10"),
                "target_year": year,
            },
        )
    elif kind == "move":
        milestone = data.draw(st.sampled_from(existing))
        data_now = {name: getattr(milestone, name) for name in drafting.MILESTONE_FIELDS}
        milestones.milestone_update(
            milestone=milestone,
            actor=w.drafter,
            data={**data_now, "target_year": year},
            lock_version=milestone.lock_version,
        )
    else:
        milestone = existing[-1]
        milestones.milestone_delete(milestone=milestone, actor=w.drafter, lock_version=milestone.lock_version)


def step_report(w, data):
    year = data.draw(st.sampled_from([2027, 2028, 2029]))
    report, _created = monitoring.progress_report_open(agenda=w.active, year=year, actor=w.monitor)
    report.refresh_from_db()
    spending = {
        row.pk: {"realised": data.draw(st.sampled_from(["0", "1234,56", "90000"]))} for row in report.realisations.all()
    }
    progress = {
        row.pk: {"status": data.draw(st.sampled_from(["on_track", "at_risk"])), "value_reached": "5"}
        for row in report.milestone_progress.all()
    }
    monitoring.progress_report_save(
        report=report, actor=w.monitor, lock_version=report.lock_version, milestones=progress, spending=spending
    )


def step_share(w, data):
    drafting.agenda_set_shared(agenda=w.draft, actor=w.drafter, shared=data.draw(st.booleans()))


STEPS = [step_grid, step_line_api, step_priority, step_milestone, step_report, step_share]


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_summary_equals_a_fresh_computation_after_every_service_call(data):
    w = World()
    assert stored_cells(w.agenda_ids) == fresh_cells(w.agenda_ids)
    assert w.regions_agree()
    for _index in range(data.draw(st.integers(3, 8))):
        step = data.draw(st.sampled_from(STEPS))
        try:
            step(w, data)
        except (ValidationError, ConflictError):
            pass  # a refused call changes nothing: the summary must still agree
        w.draft.refresh_from_db()
        assert stored_cells(w.agenda_ids) == fresh_cells(w.agenda_ids), step.__name__
        assert w.regions_agree(), step.__name__  # and the region summary, recounted in the same transaction


def _figures(user, filters, from_summary):
    region_ids = dashboard_policy.region_ids(user)
    agendas = dashboard_policy.agendas(user, region_ids)
    return portfolio(agendas, filters, reference_lists(region_ids), from_summary=from_summary)


def _comparable(data):
    money = lambda rows: [(r.key, r.requested, r.cofinancing, r.planned_total, r.approved) for r in rows]  # noqa: E731
    return {
        "by_year": money(data.by_year),
        "by_region": money(data.by_region),
        "by_theme": money(data.by_theme),
        "by_source": money(data.by_source),
        "totals": money([data.totals]),
        "milestones": (data.milestone_total, data.milestones_by_region, data.milestones_by_theme),
        "monitoring": (
            data.monitoring.planned,
            data.monitoring.realised,
            data.monitoring.health_by_region,
            data.monitoring.health_by_theme,
            data.monitoring.health_statuses,
        ),
    }


def test_the_dashboard_from_the_summary_equals_the_dashboard_from_the_source_rows():
    w = World()
    report, _created = monitoring.progress_report_open(agenda=w.active, year=2028, actor=w.monitor)
    officer = UserFactory(role="ministry_officer")
    theme = Priority.objects.filter(agenda=w.active).first().theme_id
    for filters in [DashboardFilters(), DashboardFilters(year=2028), DashboardFilters(theme=theme, year=2027)]:
        summary = _comparable(_figures(officer, filters, True))
        assert summary == _comparable(_figures(officer, filters, False)), filters
        assert summary["totals"][0][3] > 0


def test_rebuild_summaries_is_idempotent_and_repairs(capsys):
    w = World()
    before = stored_cells(w.agenda_ids)
    call_command("rebuild_summaries")
    call_command("rebuild_summaries")
    assert stored_cells(w.agenda_ids) == before
    assert AgendaSummary.objects.filter(agenda_id__in=w.agenda_ids).count() == 2
    call_command("rebuild_summaries", "--check")
    AgendaSummaryCell.objects.filter(agenda=w.active, kind=AgendaSummaryCell.Kind.BUDGET).update(amount=Decimal("1"))
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check")
    AgendaSummary.objects.filter(agenda=w.draft).delete()
    AgendaSummaryCell.objects.filter(agenda=w.draft).delete()
    call_command("rebuild_summaries", "--missing")  # only the draft: the active agenda stays wrong
    assert stored_cells([w.draft.pk]) == fresh_cells([w.draft.pk])
    assert stored_cells([w.active.pk]) != fresh_cells([w.active.pk])
    call_command("rebuild_summaries")
    assert stored_cells(w.agenda_ids) == fresh_cells(w.agenda_ids)


def test_an_accepted_change_request_moves_the_summary_with_the_money(active_agenda, people):
    from agendas.monitoring import change_requests

    rebuild_summaries()  # the fixture is made directly
    line = BudgetLine.objects.filter(priority__agenda=active_agenda, year=2028, source__code="rijk-extra").first()
    cr = change_requests.change_request_create(
        agenda=active_agenda,
        actor=people.coordinator,
        reason="Project loopt een jaar uit.",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority.pk, "to_year": 2029, "amount": "15000"}],
    )
    before = stored_cells([active_agenda.pk])
    change_requests.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept", lock_version=1)
    after = stored_cells([active_agenda.pk])
    assert after != before and after == fresh_cells([active_agenda.pk])
    year_cell = AgendaSummaryCell.objects.get(
        agenda=active_agenda, kind=AgendaSummaryCell.Kind.BUDGET_YEAR, year=2029, source=line.source
    )
    assert year_cell.amount == Decimal("15000.00")
