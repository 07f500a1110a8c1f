"""Salami slicing of milestone targets: the routing counts each milestone's CUMULATIVE move since the last
ministry decision (accepted small changes and open requests), as it does for money. Milestone: baseline 0,
target 150 in 2030 (tests.agendas.monitoring_fixtures): 10 % of the planned change is 15."""

from decimal import Decimal

import pytest

from agendas.models import Milestone
from agendas.monitoring import change_requests as cr_svc
from kansenagenda.errors import TransitionRefused
from tests.agendas.test_workflow_guards import monitoring  # noqa: F401 - fixture


def move(agenda, actor, *, value=None, year=None):
    ms = Milestone.objects.filter(priority__agenda=agenda).order_by("pk").first()
    return cr_svc.change_request_create(
        agenda=agenda,
        actor=actor,
        reason="Bijstellen",
        milestone_changes=[{"milestone": ms.pk, "new_target_value": value, "new_target_year": year}],
    )


def test_three_small_target_moves_the_crossing_one_goes_to_the_ministry(monitoring):  # noqa: F811
    agenda, people = monitoring
    first = move(agenda, people.coordinator, value="157")  # 7
    assert first.route == "state_representative"
    cr_svc.change_request_decide(change_request=first, actor=people.state_rep, outcome="accept")
    assert Milestone.objects.get(pk=first.items.get().milestone_id).target_value == Decimal("157")
    second = move(agenda, people.coordinator, value="164")  # 7 + 7 = 14 ≤ 15
    assert second.route == "state_representative"
    cr_svc.change_request_decide(change_request=second, actor=people.state_rep, outcome="accept")
    third = move(agenda, people.coordinator, value="171")  # 21 > 15 since the ministry decided 150
    assert third.route == "ministry"


def test_open_target_moves_add_up_and_the_state_rep_cannot_accept_past_the_threshold(monitoring):  # noqa: F811
    agenda, people = monitoring
    a = move(agenda, people.coordinator, value="160")  # 10
    b = move(agenda, people.coordinator, value="140")  # open together: 10 + 10 = 20 > 15
    assert [a.route, b.route] == ["state_representative", "ministry"]
    # routed small on its own, but once a is accepted, c (another 8 on top) crosses at decision time
    c = move(agenda, people.coordinator, year=2031)
    assert c.route == "state_representative"
    cr_svc.change_request_withdraw(change_request=b, actor=people.coordinator)
    cr_svc.change_request_decide(change_request=a, actor=people.state_rep, outcome="accept")
    d = move(agenda, people.coordinator, year=2032)  # 2031 (open c) + 1 more year from 2030 → 2 years
    assert d.route == "ministry"


def test_year_moves_accumulate(monitoring):  # noqa: F811
    agenda, people = monitoring
    first = move(agenda, people.coordinator, year=2031)
    cr_svc.change_request_decide(change_request=first, actor=people.state_rep, outcome="accept")
    second = move(agenda, people.coordinator, year=2032)  # two years since the ministry decided 2030
    assert second.route == "ministry"


def test_state_rep_refused_when_earlier_acceptance_takes_an_open_request_over(monitoring):  # noqa: F811
    agenda, people = monitoring
    a = move(agenda, people.coordinator, value="158")  # 8
    b = move(agenda, people.coordinator, value="142")  # 8 + 8 = 16 with a open → ministry
    assert b.route == "ministry"
    cr_svc.change_request_withdraw(change_request=b, actor=people.coordinator)
    c = move(agenda, people.coordinator, value="142")  # a open (8) + 8 = 16 → ministry again
    assert c.route == "ministry"
    cr_svc.change_request_withdraw(change_request=c, actor=people.coordinator)
    cr_svc.change_request_decide(change_request=a, actor=people.state_rep, outcome="accept")
    e = move(agenda, people.coordinator, value="165")  # from 158: 7, plus 8 accepted = 15 → still small
    assert e.route == "state_representative"
    # a ministry decision on something else does not matter here; decide e: allowed (15 ≤ 15)
    cr_svc.change_request_decide(change_request=e, actor=people.state_rep, outcome="accept")
    f = move(agenda, people.coordinator, value="166")
    assert f.route == "ministry"
    with pytest.raises(TransitionRefused):
        # forcing the small route cannot get it past the guard either
        f.route = "state_representative"
        f.save(update_fields=["route"])
        cr_svc.change_request_decide(change_request=f, actor=people.state_rep, outcome="accept")
