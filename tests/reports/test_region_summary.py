"""The region summary (``RegionSummaryCell``): the agenda cells of a region summed per (status, past the draft).
Whichever door moves a region's figures marks the region stale in the same transaction; the recount (queued
after the commit, or the sweep) brings it back to a recount from fresh agenda cells. Meanwhile and afterwards the
dashboard equals the dashboard aggregated from the source rows, for every kind of dashboard user and filter; and
the dashboard policy keeps the shape the region summary relies on (everything past its draft in the user's
regions, plus the user's own drafts)."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import Region
from agendas.decision.services import agenda_submit
from agendas.drafting import budget
from agendas.drafting import services as drafting
from agendas.models import Agenda, RegionSummaryCell, RegionSummaryStale
from agendas.permissions import agenda_policy, beyond_draft
from agendas.summary.services import (
    fresh_region_cells,
    rebuild_summaries,
    recount_stale_regions,
    stored_region_cells,
)
from reports.permissions import dashboard_policy
from reports.selectors import DashboardFilters, portfolio, reference_lists
from reports.summary_source import CellSource
from tests.agendas.monitoring_fixtures import make_active_agenda
from tests.agendas.workflow_fixtures import make_complete_agenda
from tests.factories import AllianceFactory, RegionFactory, UserFactory, make_state_representative
from tests.reports.test_agenda_summary import _comparable

pytestmark = pytest.mark.django_db


class World:
    """Two regions; in the first a shared draft, an unshared draft and an active agenda."""

    def __init__(self):
        self.north, self.south = RegionFactory(), RegionFactory()
        self.shared = make_complete_agenda(alliance=AllianceFactory(region=self.north), shared_with_ministry=True)
        self.drafter = self.shared.alliance.coordinators.first()
        self.unshared = make_complete_agenda(alliance=AllianceFactory(region=self.north))
        self.active = make_active_agenda(alliance=AllianceFactory(region=self.north), years=[2027, 2028])
        self.other = make_active_agenda(alliance=AllianceFactory(region=self.south), years=[2027])
        rebuild_summaries()  # the fixtures are made directly, not through the services

    @property
    def region_ids(self):
        return [self.north.pk, self.south.pk]

    def agrees(self) -> bool:
        return stored_region_cells(self.region_ids) == fresh_region_cells(self.region_ids)

    def stale(self, region) -> bool:
        return RegionSummaryStale.objects.filter(region=region).exists()

    def settles(self, region) -> bool:
        """Marked stale by the change; the dashboard is right meanwhile; the sweep brings the summary back."""
        assert self.stale(region)
        assert _same_dashboard(UserFactory(role=roles.MINISTRY_OFFICER))
        recount_stale_regions()
        assert not RegionSummaryStale.objects.exists()
        assert _same_dashboard(UserFactory(role=roles.MINISTRY_OFFICER))
        return self.agrees()


def test_rebuild_counts_the_regions_and_keeps_drafts_apart():
    w = World()
    assert w.agrees() and not RegionSummaryStale.objects.exists()
    north = RegionSummaryCell.objects.filter(region=w.north)
    assert north.filter(beyond_draft=True, status="draft").exists()  # the shared draft
    assert north.filter(beyond_draft=False, status="draft").exists()  # the unshared one
    assert north.filter(beyond_draft=True, status="active").exists()
    assert not RegionSummaryCell.objects.filter(region=w.south, beyond_draft=False).exists()


def test_a_budget_save_through_the_service_recounts_the_region():
    w = World()
    priority = w.shared.priorities.first()
    source = priority.budget_lines.first().source
    budget.budget_grid_save(
        agenda=w.shared,
        actor=w.drafter,
        cells=[budget.BudgetCell(priority.pk, w.shared.start_year, source.pk, Decimal("777.77"))],
        lock_versions={priority.pk: priority.lock_version},
    )
    assert w.settles(w.north)


def test_sharing_a_draft_moves_its_figures_past_the_draft():
    w = World()
    coordinator = w.unshared.alliance.coordinators.first()
    before = stored_region_cells([w.north.pk])
    drafting.agenda_set_shared(agenda=w.unshared, actor=coordinator, shared=True)
    assert w.settles(w.north)
    assert stored_region_cells([w.north.pk]) != before
    assert not RegionSummaryCell.objects.filter(region=w.north, beyond_draft=False).exists()


def test_a_submission_through_the_workflow_engine_moves_the_figures():
    w = World()
    agenda_submit(agenda=w.shared, actor=w.drafter, lock_version=w.shared.lock_version)
    assert Agenda.objects.get(pk=w.shared.pk).status == Agenda.Status.SUBMITTED
    assert w.settles(w.north)
    assert RegionSummaryCell.objects.filter(region=w.north, status="submitted", beyond_draft=True).exists()


def test_an_alliance_moved_to_another_region_takes_its_figures_along():
    w = World()
    alliance = w.active.alliance
    alliance.region = w.south
    alliance.save()  # as the admin does
    assert w.stale(w.south)
    assert w.settles(w.north)
    assert RegionSummaryCell.objects.filter(region=w.south, status="active").count() > 0
    assert not RegionSummaryCell.objects.filter(region=w.north, status="active").exists()


def test_an_agenda_saved_elsewhere_and_a_deleted_draft_are_followed():
    w = World()
    agenda = Agenda.objects.get(pk=w.active.pk)
    agenda.status = Agenda.Status.CLOSED
    agenda.save()  # the admin, a management command, a Celery task: the same model save
    assert w.settles(w.north)
    coordinator = w.unshared.alliance.coordinators.first()
    unshared = Agenda.objects.get(pk=w.unshared.pk)
    drafting.agenda_delete(agenda=unshared, actor=coordinator, lock_version=unshared.lock_version)
    assert w.settles(w.north)
    assert not RegionSummaryCell.objects.filter(region=w.north, beyond_draft=False).exists()


def test_a_save_that_moves_nothing_recounts_nothing(monkeypatch):
    w = World()
    from agendas.summary import signals

    calls = []
    monkeypatch.setattr(signals, "mark_stale", lambda regions: calls.append(set(regions)))
    agenda = Agenda.objects.get(pk=w.active.pk)
    agenda.title = "Een nieuwe titel"
    agenda.save(update_fields=["title"])
    assert calls == []
    agenda.status = Agenda.Status.CLOSED
    agenda.save(update_fields=["status"])
    assert calls == [{w.north.pk}]


def test_the_command_checks_and_repairs_the_region_summary():
    w = World()
    call_command("rebuild_summaries", "--check")
    RegionSummaryStale.objects.create(region=w.north)  # stale: lagging by design, not wrong
    RegionSummaryCell.objects.filter(region=w.north).update(amount=Decimal("1.00"))
    call_command("rebuild_summaries", "--check")
    RegionSummaryStale.objects.all().delete()
    RegionSummaryCell.objects.filter(region=w.north).update(amount=Decimal("1.00"))
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert w.agrees()


def test_the_recount_is_queued_after_the_commit_and_the_sweep_catches_what_the_broker_missed(
    django_capture_on_commit_callbacks, monkeypatch
):
    w = World()
    coordinator = w.unshared.alliance.coordinators.first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        drafting.agenda_set_shared(agenda=w.unshared, actor=coordinator, shared=True)
    assert len(callbacks) == 1
    assert not w.stale(w.north) and w.agrees()  # the queued task (eager here) recounted it

    from agendas.summary import tasks

    def broker_down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.recount_region_summaries, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        drafting.agenda_set_shared(agenda=w.unshared, actor=coordinator, shared=False)  # the request still succeeds
    assert w.stale(w.north)
    assert _same_dashboard(UserFactory(role=roles.MINISTRY_OFFICER))
    assert tasks.recount_stale_region_summaries() == 1
    assert not w.stale(w.north) and w.agrees()


def _same_dashboard(user) -> bool:
    return _comparable(_figures(user, DashboardFilters(), True)) == _comparable(
        _figures(user, DashboardFilters(), False)
    )


def _users(w):
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    rep = make_state_representative(w.north)
    coordinating_officer = UserFactory(role=[roles.MINISTRY_OFFICER, roles.COORDINATOR])
    w.unshared.alliance.coordinators.add(coordinating_officer)
    coordinating_rep = make_state_representative(w.south)
    coordinating_rep.groups.add(*UserFactory(role=roles.COORDINATOR).groups.all())
    coordinating_rep.__dict__.pop("role_codes", None)
    w.unshared.alliance.coordinators.add(coordinating_rep)
    return [officer, rep, coordinating_officer, coordinating_rep]


def test_every_dashboard_user_sees_everything_past_its_draft_in_their_regions_plus_their_drafts():
    """The shape ``reports.summary_source`` relies on, for every kind of dashboard user."""
    w = World()
    for user in _users(w):
        region_ids = dashboard_policy.region_ids(user)
        agendas = set(dashboard_policy.agendas(user, region_ids).values_list("pk", flat=True))
        past = Agenda.objects.filter(beyond_draft())
        if region_ids is not None:
            past = past.filter(alliance__region_id__in=region_ids)
        drafts = agenda_policy.visible(user).exclude(beyond_draft())
        if region_ids is not None:
            drafts = drafts.filter(alliance__region_id__in=region_ids)
        assert agendas == set(past.values_list("pk", flat=True)) | set(drafts.values_list("pk", flat=True)), user


def _figures(user, filters, from_summary):
    region_ids = dashboard_policy.region_ids(user)
    agendas = dashboard_policy.agendas(user, region_ids)
    audience = dashboard_policy.audience(user, region_ids)
    return portfolio(agendas, filters, reference_lists(region_ids), from_summary=from_summary, audience=audience)


@pytest.mark.parametrize("stale", [False, True])
def test_the_dashboard_from_the_region_summary_equals_the_dashboard_from_the_source_rows(stale):
    w = World()
    if stale:  # a change has just marked the first region: its agendas are counted from their own cells
        RegionSummaryStale.objects.create(region=w.north)
        RegionSummaryCell.objects.filter(region=w.north).update(amount=Decimal("1.00"), count=7)
    theme = w.active.priorities.first().theme_id
    province = Region.objects.get(pk=w.north.pk).provinces.first()
    filter_sets = [
        DashboardFilters(),
        DashboardFilters(region=w.north.pk),
        DashboardFilters(status="active"),
        DashboardFilters(status="draft"),
        DashboardFilters(theme=theme),
    ]
    if province:
        filter_sets.append(DashboardFilters(province=province.pk))
    for user in _users(w):
        region_ids = dashboard_policy.region_ids(user)
        for filters in filter_sets:
            agendas = dashboard_policy.agendas(user, region_ids)
            assert CellSource.for_dashboard(agendas, filters, dashboard_policy.audience(user, region_ids)).regional
            summary = _comparable(_figures(user, filters, True))
            assert summary == _comparable(_figures(user, filters, False)), (user, filters)


def test_the_coordinating_officer_counts_their_draft_and_the_plain_officer_does_not():
    w = World()
    officer, _rep, coordinating_officer, _coordinating_rep = _users(w)
    plain = _figures(officer, DashboardFilters(), True).totals.planned_total
    own = _figures(coordinating_officer, DashboardFilters(), True).totals.planned_total
    assert own > plain
