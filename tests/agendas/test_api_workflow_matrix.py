"""The full permission matrix over the API: every transition × every role × (own region / other region /
assigned / not assigned). 200/201 = done, 403 = wrong role or person, 404 = may not see it, 409 = wrong state.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agendas.decision import reviews as review_services
from agendas.decision import services
from agendas.models import Decision, ResponsePoint, Review, ReviewAssignment, Transition
from tests.agendas.workflow_fixtures import World, advance, build_world, full_scores

ACTORS = [
    "coordinator",  # of this alliance
    "partner",  # member of an organisation in this alliance
    "other_coordinator",  # coordinator of an alliance in another region
    "state_rep",  # state representative of this region
    "other_state_rep",  # state representative of another region
    "reviewer",  # the assigned reviewer (where one is assigned)
    "free_reviewer",  # a reviewer not assigned to this agenda
    "officer",
    "officer2",  # officer and signatory
    "signatory",
    "admin",
]


def arrange(w: World, state: str):
    if state == "assigned":
        advance(w, "submitted")
        services.reviewer_assign(agenda=w.agenda, actor=w.fresh(w.officer), reviewer=w.reviewer)
    elif state == "review_drafted":
        advance(w, "under_review")
        a = ReviewAssignment.objects.get(reviewer=w.reviewer)
        review_services.review_save(
            assignment=a,
            actor=w.fresh(w.reviewer),
            lock_version=1,
            distribution_effects="Kernen winnen",
            verdict="positive",
            scores=full_scores(),
        )
    elif state == "active_ended":
        advance(w, "approved")  # the world was built with a period that ends this year: active at once
    elif state == "resubmitted":
        advance(w, "returned")
        for p in ResponsePoint.objects.all():
            services.response_point_answer(point=p, actor=w.fresh(w.coordinator), answer="Antwoord")
        services.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    else:
        advance(w, state)


def world_for(state: str) -> World:
    if state == "active_ended":
        year = timezone.localdate().year
        return build_world(start_year=year - 3, end_year=year)
    return build_world()


def call(client: APIClient, w: World, action: str):
    pk = w.agenda.pk
    agenda_lock = {"lock_version": w.refresh().lock_version}  # every versioned write carries the one it read
    if action in ("submit", "withdraw", "close"):
        return client.post(reverse(f"api-agenda-{action}", kwargs={"pk": pk}), agenda_lock, format="json")
    if action == "assign":
        return client.post(
            reverse("api-agenda-assignments", kwargs={"pk": pk}), {"reviewer": w.reviewer2.pk}, format="json"
        )
    if action == "declare":
        a = ReviewAssignment.objects.get(reviewer=w.reviewer)
        return client.post(
            reverse("api-assignment-declaration", kwargs={"assignment_pk": a.pk}),
            {"has_conflict": False},
            format="json",
        )
    if action == "save_review":
        a = ReviewAssignment.objects.get(reviewer=w.reviewer)
        lock = Review.objects.get(assignment=a).lock_version
        return client.put(
            reverse("api-assignment-review", kwargs={"assignment_pk": a.pk}),
            {"lock_version": lock, "verdict": "positive"},
            format="json",
        )
    if action == "submit_review":
        a = ReviewAssignment.objects.get(reviewer=w.reviewer)
        review = Review.objects.filter(assignment=a).first()
        lock = {"lock_version": review.lock_version if review else 1}
        return client.post(reverse("api-assignment-review-submit", kwargs={"assignment_pk": a.pk}), lock, format="json")
    if action == "advice":
        return client.put(
            reverse("api-agenda-advice", kwargs={"pk": pk}),
            {"text": "Advies", "recommendation": "approve", "submit": True},
            format="json",
        )
    if action == "prepare":
        return client.put(
            reverse("api-agenda-decision", kwargs={"pk": pk}),
            {
                "advised_decision": "approve",
                "core": "Kern",
                "year_amounts": [{"year": 2027, "approved_amount": "1000"}],
            },
            format="json",
        )
    if action == "sign":
        nota = Decision.objects.filter(agenda=w.agenda).order_by("-pk").first()
        lock = {"lock_version": nota.lock_version if nota else 1}
        return client.post(reverse("api-agenda-decision-sign", kwargs={"pk": pk}), lock, format="json")
    if action == "answer":
        point = ResponsePoint.objects.order_by("pk").first()
        return client.post(
            reverse("api-response-point-answer", kwargs={"point_pk": point.pk}),
            {"answer": "Zo doen we dat."},
            format="json",
        )
    raise AssertionError(action)


# action, state it is tried in, actors for whom it succeeds, actors who get 403; everybody else gets 404
MATRIX = [
    ("submit", "draft", {"coordinator"}, {"partner"}),
    (
        "withdraw",
        "submitted",
        {"coordinator"},
        {"partner", "state_rep", "officer", "officer2", "signatory", "admin"},
    ),
    ("assign", "submitted", {"officer", "officer2"}, {"coordinator", "partner", "state_rep", "signatory", "admin"}),
    ("declare", "assigned", {"reviewer"}, {"officer", "officer2", "signatory", "admin"}),
    ("save_review", "under_review", {"reviewer"}, set()),
    ("submit_review", "review_drafted", {"reviewer"}, set()),
    (
        "advice",
        "under_review",
        {"state_rep"},
        {"coordinator", "partner", "officer", "officer2", "signatory", "admin"},
    ),
    (
        "prepare",
        "awaiting_decision",
        {"officer", "officer2"},
        {"coordinator", "partner", "state_rep", "signatory", "admin"},
    ),
    ("sign", "prepared", {"signatory", "officer2"}, {"officer", "coordinator", "partner", "state_rep", "admin"}),
    (
        "answer",
        "returned",
        {"coordinator"},
        {"partner", "state_rep", "officer", "officer2", "signatory", "admin"},
    ),
    ("close", "active_ended", {"officer", "officer2"}, {"coordinator", "partner", "state_rep", "signatory", "admin"}),
]

CASES = [
    pytest.param(
        action, state, actor, 200 if actor in ok else 403 if actor in forbidden else 404, id=f"{action}-{actor}"
    )
    for action, state, ok, forbidden in MATRIX
    for actor in ACTORS
]


@pytest.mark.parametrize("action, state, actor, expected", CASES)
def test_matrix(db, action, state, actor, expected):
    w = world_for(state)
    arrange(w, state)
    before = Transition.objects.count()
    status_before = w.refresh().status
    client = APIClient()
    client.force_authenticate(w.fresh(getattr(w, actor)))
    response = call(client, w, action)
    got = 200 if response.status_code in (200, 201) else response.status_code
    assert got == expected, response.content
    body = response.json()
    if expected != 200:
        assert set(body) >= {"message", "code", "errors"} and body["message"]
        assert w.refresh().status == status_before
        assert Transition.objects.count() == before


WRONG_STATE = [
    ("submit", "submitted", "coordinator"),
    ("withdraw", "under_review", "coordinator"),
    ("assign", "awaiting_decision", "officer"),
    ("declare", "under_review", "reviewer"),
    ("save_review", "awaiting_decision", "reviewer"),
    ("submit_review", "awaiting_decision", "reviewer"),
    ("advice", "awaiting_decision", "state_rep"),
    ("prepare", "under_review", "officer"),
    ("prepare", "returned", "officer"),
    ("sign", "awaiting_decision", "signatory"),
    ("sign", "returned", "signatory"),
    ("answer", "resubmitted", "coordinator"),
    ("close", "approved", "officer"),
]


@pytest.mark.parametrize("action, state, actor", WRONG_STATE, ids=[f"{a}-{s}" for a, s, _x in WRONG_STATE])
def test_wrong_state_is_409_with_reason(db, action, state, actor):
    w = world_for(state)
    arrange(w, state)
    before = Transition.objects.count()
    client = APIClient()
    client.force_authenticate(w.fresh(getattr(w, actor)))
    response = call(client, w, action)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["message"] and body["code"] in {
        "wrong_state",
        "guard_failed",
        "no_decision",
        "already_signed",
        "response_points_open",
    }
    assert Transition.objects.count() == before


def test_assigned_reviewer_of_another_agenda_sees_nothing_here(db):
    w = build_world()
    advance(w, "under_review")
    other = build_world()
    advance(other, "submitted")
    services.reviewer_assign(agenda=other.agenda, actor=other.officer, reviewer=w.reviewer2)
    client = APIClient()
    client.force_authenticate(w.fresh(w.reviewer2))
    a = ReviewAssignment.objects.get(reviewer=w.reviewer)
    assert client.get(reverse("api-assignment", kwargs={"assignment_pk": a.pk})).status_code == 404
    assert client.get(reverse("api-assignment-version", kwargs={"assignment_pk": a.pk})).status_code == 404
    assert client.get(reverse("api-agenda-versions", kwargs={"pk": w.agenda.pk})).status_code == 404
    assert client.get(reverse("api-agenda-reviews", kwargs={"pk": w.agenda.pk})).status_code == 404


def test_due_date_in_past_is_refused(db):
    w = build_world()
    advance(w, "submitted")
    client = APIClient()
    client.force_authenticate(w.fresh(w.officer))
    response = client.post(
        reverse("api-agenda-assignments", kwargs={"pk": w.agenda.pk}),
        {"reviewer": w.reviewer.pk, "due_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 409 and "na vandaag" in response.json()["reasons"][0]
