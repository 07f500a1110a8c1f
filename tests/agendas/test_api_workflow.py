"""Workflow API: the journey, error format, blind reviews, versions & diff, inbox, query counts, OpenAPI."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.models import AgendaVersion, BroadWelfareDimension, Decision, ReviewAssignment
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, build_world


def agenda_lock(world: World) -> dict:
    """Every versioned write carries the lock_version the client read (the one lock rule)."""
    return {"lock_version": world.refresh().lock_version}


def nota_lock(world: World) -> dict:
    return {"lock_version": Decision.objects.get(agenda=world.agenda, signed_at__isnull=True).lock_version}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_submit_refusal_lists_missing_items(world: World):
    world.agenda.partners.all().delete()
    response = client_for(world.coordinator).post(
        reverse("api-agenda-submit", kwargs={"pk": world.agenda.pk}), agenda_lock(world), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "incomplete" and any("partnerorganisatie" in r for r in body["reasons"])


def test_submit_with_stale_lock_version_is_409_conflict(world: World):
    response = client_for(world.coordinator).post(
        reverse("api-agenda-submit", kwargs={"pk": world.agenda.pk}), {"lock_version": 999}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_whole_journey_over_the_api(world: World):
    pk = world.agenda.pk
    coordinator = client_for(world.coordinator)
    r = coordinator.post(
        reverse("api-agenda-submit", kwargs={"pk": pk}), {"comment": "Graag"} | agenda_lock(world), format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["current_version"] == 1

    officer = client_for(world.officer)
    r = officer.post(
        reverse("api-agenda-assignments", kwargs={"pk": pk}), {"reviewer": world.conflicted_reviewer.pk}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "reviewer_not_independent"
    r = officer.post(
        reverse("api-agenda-assignments", kwargs={"pk": pk}), {"reviewer": world.reviewer.pk}, format="json"
    )
    assert r.status_code == 201
    assignment_id = r.json()["id"]

    reviewer = client_for(world.fresh(world.reviewer))
    assert (
        reviewer.get(reverse("api-assignment-version", kwargs={"assignment_pk": assignment_id})).status_code == 404
    )  # not declared
    r = reviewer.post(
        reverse("api-assignment-declaration", kwargs={"assignment_pk": assignment_id}),
        {"has_conflict": False},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "active"
    r = reviewer.get(reverse("api-assignment-version", kwargs={"assignment_pk": assignment_id}))
    assert r.status_code == 200 and r.json()["snapshot"]["agenda"]["title"] == world.agenda.title
    priority_id = r.json()["snapshot"]["priorities"][0]["id"]
    review = reviewer.get(reverse("api-assignment-review", kwargs={"assignment_pk": assignment_id})).json()
    payload = {
        "lock_version": review["lock_version"],
        "distribution_effects": "Kleine kernen winnen.",
        "verdict": "conditional",
        "recommendations": "Meetbare doelen per kern.",
        "scores": [
            {"dimension": d.code, "effect": 1, "confidence": "high", "explanation": "Ja"}
            for d in BroadWelfareDimension.objects.filter(active=True)
        ],
        "remarks": [{"priority": priority_id, "remarks": "Sterk"}],
        "response_points": [{"priority": priority_id, "text": "Hoe houdt u het personeel vast?"}],
    }
    r = reviewer.put(reverse("api-assignment-review", kwargs={"assignment_pk": assignment_id}), payload, format="json")
    assert r.status_code == 200, r.content
    assert len(r.json()["scores"]) == BroadWelfareDimension.objects.filter(active=True).count()
    r = reviewer.put(reverse("api-assignment-review", kwargs={"assignment_pk": assignment_id}), payload, format="json")
    assert r.status_code == 409 and r.json()["code"] == "conflict"  # stale lock_version
    lock = reviewer.get(reverse("api-assignment-review", kwargs={"assignment_pk": assignment_id})).json()[
        "lock_version"
    ]
    r = reviewer.post(
        reverse("api-assignment-review-submit", kwargs={"assignment_pk": assignment_id}),
        {"lock_version": lock},
        format="json",
    )
    assert r.status_code == 200 and r.json()["submitted_at"]

    # blind: the alliance does not see the review yet
    assert coordinator.get(reverse("api-agenda-reviews", kwargs={"pk": pk})).json() == []
    state_rep = client_for(world.state_rep)
    assert len(state_rep.get(reverse("api-agenda-reviews", kwargs={"pk": pk})).json()) == 1
    r = state_rep.put(
        reverse("api-agenda-advice", kwargs={"pk": pk}),
        {"text": "Steun", "recommendation": "return", "submit": True},
        format="json",
    )
    assert r.status_code == 200
    assert (
        officer.get(reverse("api-agenda-transitions", kwargs={"pk": pk})).json()[-1]["to_status"] == "awaiting_decision"
    )

    r = officer.put(
        reverse("api-agenda-decision", kwargs={"pk": pk}),
        {
            "advised_decision": "return",
            "core": "Nog niet rijp",
            "reasons": "Personeel ontbreekt",
            "actively_published": True,
        },
        format="json",
    )
    assert r.status_code == 200 and "Positief onder voorwaarden" in r.json()["review_summary"]
    assert coordinator.get(reverse("api-agenda-decision", kwargs={"pk": pk})).status_code == 404  # not signed yet
    signatory = client_for(world.signatory)
    r = signatory.post(reverse("api-agenda-decision-sign", kwargs={"pk": pk}), nota_lock(world), format="json")
    assert r.status_code == 200 and r.json()["outcome"] == "return"
    assert coordinator.get(reverse("api-agenda-decision", kwargs={"pk": pk})).json()["reasons"] == "Personeel ontbreekt"
    assert len(coordinator.get(reverse("api-agenda-reviews", kwargs={"pk": pk})).json()) == 1
    points = coordinator.get(reverse("api-agenda-response-points", kwargs={"pk": pk})).json()
    assert [p["text"] for p in points] == ["Hoe houdt u het personeel vast?"]
    r = coordinator.post(reverse("api-agenda-submit", kwargs={"pk": pk}), agenda_lock(world), format="json")
    assert r.status_code == 409 and r.json()["code"] == "response_points_open"
    r = coordinator.post(
        reverse("api-response-point-answer", kwargs={"point_pk": points[0]["id"]}),
        {"answer": "Met een opleidingsfonds."},
        format="json",
    )
    assert r.status_code == 200
    r = coordinator.post(reverse("api-agenda-submit", kwargs={"pk": pk}), agenda_lock(world), format="json")
    assert r.status_code == 200 and r.json()["current_version"] == 2
    diff = coordinator.get(reverse("api-agenda-versions-diff", kwargs={"pk": pk}) + "?from=1&to=2").json()
    assert diff["old_number"] == 1 and diff["has_changes"] is False


def test_decision_amount_above_request_is_400_naming_the_year(world: World):
    advance(world, "awaiting_decision")
    r = client_for(world.officer).put(
        reverse("api-agenda-decision", kwargs={"pk": world.agenda.pk}),
        {
            "advised_decision": "approve",
            "core": "Kern",
            "year_amounts": [{"year": 2027, "approved_amount": "100000.01"}],
        },
        format="json",
    )
    assert r.status_code == 400 and "amount_2027" in r.json()["errors"]
    assert not Decision.objects.exists()


def test_prepare_with_stale_lock_version_conflicts(world: World):
    advance(world, "prepared")
    r = client_for(world.officer2).put(
        reverse("api-agenda-decision", kwargs={"pk": world.agenda.pk}),
        {"advised_decision": "approve", "core": "Andere kern", "lock_version": 0},
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"


def test_sign_over_api_requires_second_factor_when_enforced(world: World, settings):
    settings.TWO_FACTOR_ENFORCED = True
    advance(world, "prepared")
    r = client_for(world.signatory).post(
        reverse("api-agenda-decision-sign", kwargs={"pk": world.agenda.pk}), nota_lock(world), format="json"
    )
    assert r.status_code == 403 and r.json()["code"] == "second_factor_required"


def test_preparer_signing_is_403_four_eyes(world: World):
    advance(world, "awaiting_decision")
    signoff_services.decision_prepare(
        agenda=world.agenda, actor=world.officer2, advised_decision="approve", core="Kern"
    )
    r = client_for(world.officer2).post(
        reverse("api-agenda-decision-sign", kwargs={"pk": world.agenda.pk}), nota_lock(world), format="json"
    )
    assert r.status_code == 403 and r.json()["code"] == "four_eyes" and "vier ogen" in r.json()["reasons"][0]


def test_versions_list_and_detail(world: World):
    advance(world, "submitted")
    client = client_for(world.state_rep)
    versions = client.get(reverse("api-agenda-versions", kwargs={"pk": world.agenda.pk})).json()
    assert [v["number"] for v in versions] == [1]
    detail = client.get(reverse("api-agenda-version", kwargs={"pk": world.agenda.pk, "number": 1})).json()
    assert detail["snapshot"]["budget"]["rijk_extra"] == "150000.00"
    assert (
        client.get(reverse("api-agenda-versions-diff", kwargs={"pk": world.agenda.pk}) + "?from=1").status_code == 400
    )
    assert (
        client.get(reverse("api-agenda-versions-diff", kwargs={"pk": world.agenda.pk}) + "?from=1&to=7").status_code
        == 404
    )


@pytest.mark.parametrize(
    "state, who, kinds",
    [
        ("submitted", "officer", ["assign"]),
        ("submitted", "state_rep", ["advice"]),
        ("submitted", "other_state_rep", []),
        ("under_review", "reviewer", ["review"]),
        ("under_review", "free_reviewer", []),
        ("awaiting_decision", "officer", ["prepare"]),
        ("prepared", "signatory", ["sign"]),
        ("prepared", "officer2", ["sign"]),
        ("returned", "coordinator", ["return"]),
        ("returned", "partner", []),
    ],
)
def test_inbox_per_role(world: World, state, who, kinds):
    advance(world, state)
    items = client_for(world.fresh(getattr(world, who))).get(reverse("api-inbox")).json()
    assert [i["kind"] for i in items] == kinds
    for item in items:
        assert item["agenda_id"] == world.agenda.pk and item["url"].startswith("/agendas/")


def test_inbox_marks_overdue_first(world: World):
    advance(world, "submitted")
    import datetime

    from django.utils import timezone

    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    other = build_world()
    advance(other, "submitted")
    b = services.reviewer_assign(agenda=other.agenda, actor=other.officer, reviewer=world.reviewer)
    ReviewAssignment.objects.filter(pk=b.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    items = client_for(world.fresh(world.reviewer)).get(reverse("api-inbox")).json()
    assert [(i["agenda_id"], i["overdue"]) for i in items] == [(other.agenda.pk, True), (a.agenda_id, False)]


def _many_agendas(n: int, w: World):
    for _i in range(n):
        extra = build_world()
        advance(extra, "prepared")
        ReviewAssignment.objects.filter(agenda=extra.agenda).update(reviewer=w.reviewer)


@pytest.mark.parametrize(
    "who, url",
    [
        ("signatory", reverse("api-inbox")),
        ("officer", reverse("api-inbox")),
        ("reviewer", reverse("api-inbox")),
        ("officer", reverse("api-assignments")),
    ],
)
def test_list_query_counts_do_not_grow(world: World, django_assert_max_num_queries, who, url):
    advance(world, "prepared")
    client = client_for(world.fresh(getattr(world, who)))
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    _many_agendas(4, world)
    client = client_for(world.fresh(getattr(world, who)))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "api-agenda-versions",
        "api-agenda-reviews",
        "api-agenda-transitions",
        "api-agenda-response-points",
        "api-agenda-assignments",
    ],
)
def test_agenda_lists_query_counts_do_not_grow(db, django_assert_max_num_queries, name):
    w = build_world()
    advance(w, "returned")
    client = client_for(w.fresh(w.officer))
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse(name, kwargs={"pk": w.agenda.pk})).status_code == 200
    # more versions, reviews, points and transitions on the same agenda
    from agendas.models import ResponsePoint

    for p in ResponsePoint.objects.all():
        services.response_point_answer(point=p, actor=w.fresh(w.coordinator), answer="A")
    services.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    a = services.reviewer_assign(agenda=w.agenda, actor=w.fresh(w.officer), reviewer=w.reviewer2)
    services.assignment_declare(assignment=a, actor=w.fresh(w.reviewer2), has_conflict=False)
    from tests.agendas.workflow_fixtures import _write_review

    a.refresh_from_db()
    _write_review(w, a, points=("Een", "Twee", "Drie"))
    assert AgendaVersion.objects.filter(agenda=w.agenda).count() == 2
    client = client_for(w.fresh(w.officer))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name, kwargs={"pk": w.agenda.pk})).status_code == 200


def test_actions_endpoint_lists_buttons_with_reasons(world: World):
    advance(world, "returned")
    actions = client_for(world.coordinator).get(reverse("api-agenda-actions", kwargs={"pk": world.agenda.pk})).json()
    assert actions[0]["action"] == "submit" and actions[0]["allowed"] is False and len(actions[0]["reasons"]) == 2


def test_openapi_documents_the_workflow_endpoints(admin_client):
    schema = admin_client.get(reverse("api-schema")).json()
    for p in [
        "/api/v1/agendas/{id}/submit",
        "/api/v1/agendas/{id}/decision/sign",
        "/api/v1/agendas/{id}/versions/diff",
        "/api/v1/review-assignments/{assignment_pk}/review",
        reverse("api-inbox"),
    ]:
        assert p.replace("{id}", "{pk}") in schema["paths"] or p in schema["paths"], p
