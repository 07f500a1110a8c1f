"""The dashboard keeps its figures briefly, but never shows stale ones: any write changes the key."""

from decimal import Decimal

import pytest

from accounts import roles
from agendas.drafting import budget as budget_services
from agendas.models import Agenda, BudgetLine
from reports.permissions import dashboard_policy
from reports.selectors import DashboardFilters, cached_portfolio, data_fingerprint, reference_lists
from tests.factories import UserFactory
from tests.reports.portfolio_fixtures import build_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _figures(user):
    region_ids = dashboard_policy.region_ids(user)
    return cached_portfolio(
        dashboard_policy.agendas(user, region_ids),
        DashboardFilters(),
        reference_lists(region_ids),
        dashboard_policy.audience(user, region_ids),
    )


def test_second_request_is_served_from_cache_with_one_query(django_assert_num_queries):
    build_portfolio(regions=2, agendas_per_region=2)
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    first = _figures(officer)
    region_ids = dashboard_policy.region_ids(officer)
    agendas = dashboard_policy.agendas(officer, region_ids)
    refs = reference_lists(region_ids)
    with django_assert_num_queries(1):  # only the fingerprint
        again = cached_portfolio(agendas, DashboardFilters(), refs, dashboard_policy.audience(officer, region_ids))
    assert again.totals.planned_total == first.totals.planned_total


def test_a_write_through_a_service_invalidates_the_figures():
    build_portfolio(regions=2, agendas_per_region=2)
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    before = _figures(officer).totals.planned_total
    fingerprint = data_fingerprint()
    line = BudgetLine.objects.select_related("priority__agenda").filter(priority__agenda__status="draft").first()
    if line is None:
        pytest.skip("portfolio without a draft")
    coordinator = UserFactory(role=roles.COORDINATOR)
    line.priority.agenda.alliance.coordinators.add(coordinator)
    line.priority.refresh_from_db()
    budget_services.budget_line_update(
        line=line, actor=coordinator, amount=line.amount + Decimal("1000.00"), lock_version=line.priority.lock_version
    )
    assert data_fingerprint() != fingerprint
    after = _figures(officer).totals.planned_total
    visible = dashboard_policy.agendas(officer, None).filter(pk=line.priority.agenda_id).exists()
    assert after == before + (Decimal("1000.00") if visible else 0)


def test_scope_is_part_of_the_key():
    regions = build_portfolio(regions=2, agendas_per_region=2)
    del regions
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    everything = _figures(officer)
    from accounts.models import Region
    from tests.factories import make_state_representative

    rep = make_state_representative(Region.objects.order_by("pk").first())
    own = _figures(rep)
    assert own.agenda_count <= everything.agenda_count
    assert own.agenda_count != everything.agenda_count or Region.objects.count() == 1


def test_an_officer_who_also_coordinates_does_not_share_figures_with_one_who_does_not():
    """Same scope (every region), different agendas: the one who coordinates an alliance also counts its
    unshared draft. Neither may get the other's cached figures — the draft's money must not reach the plain
    officer, and the coordinating officer must not miss it."""
    build_portfolio(regions=2, agendas_per_region=2)
    plain = UserFactory(role=roles.MINISTRY_OFFICER)
    both = UserFactory(role=[roles.MINISTRY_OFFICER, roles.COORDINATOR])
    draft = Agenda.objects.filter(status="draft", shared_with_ministry=False, current_version=0).first()
    draft.alliance.coordinators.add(both)
    assert dashboard_policy.audience(plain, None) != dashboard_policy.audience(both, None)
    plain_figures = _figures(plain)
    both_figures = _figures(both)  # after the plain officer's figures were cached
    assert both_figures.agenda_count == plain_figures.agenda_count + 1
    assert both_figures.totals.planned_total > plain_figures.totals.planned_total
    assert _figures(plain).agenda_count == plain_figures.agenda_count  # and the other way round
