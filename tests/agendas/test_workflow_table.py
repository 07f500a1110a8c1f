"""The transition table itself: complete, consistent, and the only source of the buttons."""

import pytest

from agendas import workflow
from agendas.models import Agenda
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance

S = Agenda.Status


def test_every_status_is_reachable_and_every_target_is_a_status():
    statuses = set(S.values)
    assert workflow.reachable_statuses() == statuses
    for action in workflow.ACTIONS.values():
        assert action.sources <= statuses, action.name
        assert action.target is None or action.target in statuses
        assert str(action.who_refusal) and str(action.label)


def test_lifecycle_edges_match_the_issue():
    edges = {(src, a.target) for a in workflow.ACTIONS.values() if a.target for src in a.sources if src != a.target}
    expected = {
        (S.DRAFT, S.SUBMITTED),
        (S.RETURNED, S.SUBMITTED),
        (S.WITHDRAWN, S.SUBMITTED),
        (S.SUBMITTED, S.WITHDRAWN),
        (S.SUBMITTED, S.UNDER_REVIEW),
        (S.UNDER_REVIEW, S.AWAITING_DECISION),
        (S.AWAITING_DECISION, S.APPROVED),
        (S.AWAITING_DECISION, S.RETURNED),
        (S.AWAITING_DECISION, S.REJECTED),
        (S.APPROVED, S.ACTIVE),
        (S.ACTIVE, S.CLOSED),
    }
    assert edges == expected
    # rejected and closed are terminal
    assert not any(S.REJECTED in a.sources or S.CLOSED in a.sources for a in workflow.ACTIONS.values())


def test_automatic_steps_cannot_be_performed_by_anyone(world: World):
    advance(world, "under_review")
    for name in ("complete_review", "activate"):
        for person in (world.officer, world.signatory, world.admin, world.coordinator):
            refused = workflow.refusal(name, actor=person, agenda=world.refresh())
            assert refused is not None and refused.status == 403


@pytest.mark.parametrize(
    "state, who, expected",
    [
        ("draft", "coordinator", {"submit"}),
        ("draft", "officer", set()),
        ("submitted", "coordinator", {"withdraw"}),
        ("submitted", "partner", set()),
        ("returned", "coordinator", {"submit"}),
        ("approved", "officer", set()),
    ],
)
def test_available_actions_for_buttons(world: World, state, who, expected):
    advance(world, state)
    user = world.fresh(getattr(world, who))
    assert {a.action.name for a in workflow.available_actions(user, world.refresh())} == expected


def test_available_action_carries_guard_reasons(world: World):
    advance(world, "returned")
    [available] = workflow.available_actions(world.fresh(world.coordinator), world.refresh())
    assert not available.allowed and available.refused.code == "response_points_open"
