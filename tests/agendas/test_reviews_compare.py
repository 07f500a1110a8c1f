"""The reviews side by side per dimension: the ministry only, and only once all reviews are in."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from agendas.decision.review_comparison import reviews_side_by_side
from agendas.models import BroadWelfareDimension
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance


def test_side_by_side_once_all_reviews_are_in(world: World, client):
    advance(world, "under_review")
    assert reviews_side_by_side(world.refresh()) is None
    client.force_login(world.officer)
    url = reverse("agendas:workflow-reviews-compare", args=[world.agenda.pk])
    assert "Nog niet alle beoordelingen" in client.get(url).content.decode()


def test_table_per_dimension_for_the_ministry(world: World, client):
    advance(world, "awaiting_decision")
    data = reviews_side_by_side(world.refresh())
    assert data is not None and len(data.reviews) == 1
    assert len(data.rows) == BroadWelfareDimension.objects.filter(active=True).count()
    assert all(cells[0] is not None for _d, cells in data.rows)
    for who in ("officer", "signatory"):
        client.force_login(getattr(world, who))
        page = client.get(reverse("agendas:workflow-reviews-compare", args=[world.agenda.pk])).content.decode()
        assert escape(str(world.reviewer)) in page and "Positief onder voorwaarden" in page  # names like "d' Heripon"


@pytest.mark.parametrize("who, status", [("state_rep", 403), ("coordinator", 403), ("reviewer", 404)])
def test_not_for_others(world: World, client, who, status):
    advance(world, "awaiting_decision")
    client.force_login(getattr(world, who))
    assert client.get(reverse("agendas:workflow-reviews-compare", args=[world.agenda.pk])).status_code == status
