"""Bulk reviewer assignment: each agenda checked on its own (conflict of interest refused and listed), the
others assigned; only ministry officers."""

import pytest
from django.urls import reverse

from agendas.decision.bulk import reviewers_assign_bulk
from agendas.models import Agenda, ReviewAssignment
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, build_world


@pytest.fixture
def two(world: World):
    advance(world, "submitted")
    other = build_world()
    advance(other, "submitted")
    return world, other


def test_conflicted_agenda_is_refused_the_other_assigned(two):
    world, other = two
    outcomes = reviewers_assign_bulk(
        agendas=[world.agenda, other.agenda], actor=world.fresh(world.officer), reviewer=world.conflicted_reviewer
    )
    assert [(o.agenda.pk, o.assigned) for o in outcomes] == [(world.agenda.pk, False), (other.agenda.pk, True)]
    assert outcomes[0].reasons and "onafhankelijk" in " ".join(outcomes[0].reasons)
    assert not ReviewAssignment.objects.filter(agenda=world.agenda).exists()
    assert ReviewAssignment.objects.filter(agenda=other.agenda, reviewer=world.conflicted_reviewer).exists()
    assert Agenda.objects.get(pk=other.agenda.pk).status == Agenda.Status.UNDER_REVIEW


def test_page_lists_refusals_per_agenda(two, client):
    world, other = two
    client.force_login(world.officer)
    url = reverse("agendas:workflow-bulk-assign")
    page = client.get(url).content.decode()
    assert world.agenda.title in page and other.agenda.title in page
    r = client.post(
        url,
        {
            "agendas": [world.agenda.pk, other.agenda.pk],
            "reviewer": world.conflicted_reviewer.pk,
            "due_date": "2099-01-01",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and "Geweigerd" in page and "Toegewezen" in page


@pytest.mark.parametrize("who", ["coordinator", "signatory", "state_rep", "reviewer"])
def test_only_officers(two, client, who):
    world, _other = two
    client.force_login(getattr(world, who))
    assert client.get(reverse("agendas:workflow-bulk-assign")).status_code == 403
    r = client.post(
        reverse("agendas:workflow-bulk-assign"),
        {"agendas": [world.agenda.pk], "reviewer": world.reviewer.pk, "due_date": "2099-01-01"},
    )
    assert r.status_code == 403 and not ReviewAssignment.objects.exists()
