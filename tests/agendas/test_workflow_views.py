"""Workflow pages: the same services behind POST forms, refusals shown as messages, blind rules, query counts."""

import pytest
from django.urls import reverse

from accounts.models import OutboxMessage
from agendas.decision import services
from agendas.models import Agenda, Decision, ResponsePoint, Review, ReviewAssignment
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, build_world

S = Agenda.Status


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_submit_button_and_refusal_message(world: World, login):
    c = login(world.coordinator)
    world.agenda.partners.all().delete()
    url = reverse("agendas:workflow-transition", args=[world.agenda.pk, "submit"])
    r = c.post(url, {"comment": "", "lock_version": world.refresh().lock_version}, follow=True)
    text = " ".join(_messages(r))
    assert "nog niet compleet" in text and "partnerorganisatie" in text
    assert world.refresh().status == S.DRAFT


def test_submit_via_page(db, login):
    w = build_world()
    c = login(w.coordinator)
    r = c.post(
        reverse("agendas:workflow-transition", args=[w.agenda.pk, "submit"]),
        {"comment": "Klaar", "lock_version": w.agenda.lock_version},
        follow=True,
    )
    assert "ingediend als versie 1" in " ".join(_messages(r))
    assert w.refresh().status == S.SUBMITTED
    # the action panel now offers withdraw
    assert "Indiening intrekken" in r.content.decode()


@pytest.mark.parametrize("who, expected", [("coordinator", 200), ("officer", 404), ("other_state_rep", 404)])
def test_overview_visibility(world: World, login, who, expected):
    assert (
        login(getattr(world, who)).get(reverse("agendas:workflow-overview", args=[world.agenda.pk])).status_code
        == expected
    )


def test_unknown_transition_is_404(world: World, login):
    r = login(world.coordinator).post(reverse("agendas:workflow-transition", args=[world.agenda.pk, "approve"]))
    assert r.status_code == 404


def test_transition_requires_post(world: World, login):
    r = login(world.coordinator).get(reverse("agendas:workflow-transition", args=[world.agenda.pk, "submit"]))
    assert r.status_code == 405


def test_assign_page_refuses_conflicted_reviewer_with_reason(world: World, login):
    advance(world, "submitted")
    c = login(world.officer)
    url = reverse("agendas:workflow-reviewers", args=[world.agenda.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"reviewer": world.conflicted_reviewer.pk, "due_date": "2099-01-01"}, follow=True)
    assert "werkt bij" in " ".join(_messages(r))
    r = c.post(url, {"reviewer": world.reviewer.pk, "due_date": "2099-01-01"}, follow=True)
    assert "gevraagd als beoordelaar" in " ".join(_messages(r))
    assert world.refresh().status == S.UNDER_REVIEW


@pytest.mark.parametrize("who", ["coordinator", "signatory", "state_rep"])
def test_assign_page_is_403_for_other_roles(world: World, login, who):
    advance(world, "submitted")
    assert (
        login(getattr(world, who)).get(reverse("agendas:workflow-reviewers", args=[world.agenda.pk])).status_code == 403
    )


def test_reviewer_declares_then_reviews_then_submits(world: World, login):
    advance(world, "submitted")
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    c = login(world.reviewer)
    url = reverse("agendas:workflow-assignment", args=[a.pk])
    r = c.get(url)
    assert "Verklaring belangenconflict" in r.content.decode() and world.agenda.vision not in r.content.decode()
    c.post(url, {"has_conflict": "no", "text": ""})
    r = c.get(url)
    page = r.content.decode()
    assert world.agenda.vision in page  # the version is open now
    form = r.context["form"]
    data = {
        "lock_version": form.initial["lock_version"],
        "distribution_effects": "Kernen winnen",
        "verdict": "positive",
    }
    for d in form.dimensions:
        data[f"effect_{d.code}"] = "1"
        data[f"confidence_{d.code}"] = "high"
    pid = form.priorities[0]["id"]
    data[f"points_{pid}"] = "Hoe bereikt u jongeren?\nWat kost het na 2030?"
    data["save"] = "1"
    r = c.post(url, data, follow=True)
    assert "Concept opgeslagen" in " ".join(_messages(r))
    assert ResponsePoint.objects.count() == 2
    data["lock_version"] = Review.objects.get().lock_version
    data.pop("save")
    data["submit"] = "1"
    r = c.post(url, data, follow=True)
    assert "ingediend" in " ".join(_messages(r))
    a.refresh_from_db()
    assert a.status == ReviewAssignment.Status.SUBMITTED
    assert "Uw beoordeling" in r.content.decode()


def test_review_form_shows_field_errors(world: World, login):
    advance(world, "under_review")
    a = ReviewAssignment.objects.get()
    c = login(world.reviewer)
    url = reverse("agendas:workflow-assignment", args=[a.pk])
    form = c.get(url).context["form"]
    code = form.dimensions[0].code
    r = c.post(url, {"lock_version": form.initial["lock_version"], f"effect_{code}": "1", "save": "1"})
    assert r.status_code == 200 and r.context["form"].errors.get(f"effect_{code}")


def test_conflict_declaration_via_page(world: World, login):
    advance(world, "submitted")
    a = services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.reviewer)
    c = login(world.reviewer)
    url = reverse("agendas:workflow-assignment", args=[a.pk])
    r = c.post(url, {"has_conflict": "yes", "text": ""})
    assert r.status_code == 200 and r.context["form"].errors.get("text")
    r = c.post(url, {"has_conflict": "yes", "text": "Mijn zus is wethouder"}, follow=True)
    assert "teruggetrokken" in " ".join(_messages(r))
    assert OutboxMessage.objects.filter(kind="workflow.conflict_declared").exists()


def test_other_reviewer_gets_404_on_assignment(world: World, login):
    advance(world, "under_review")
    a = ReviewAssignment.objects.get()
    assert login(world.reviewer2).get(reverse("agendas:workflow-assignment", args=[a.pk])).status_code == 404


def test_advice_page(world: World, login):
    advance(world, "under_review")
    c = login(world.state_rep)
    url = reverse("agendas:workflow-advice", args=[world.agenda.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"text": "Steun", "recommendation": "approve", "submit": "1"}, follow=True)
    assert "uitgebracht" in " ".join(_messages(r))
    assert login(world.other_state_rep).get(url).status_code == 404
    assert login(world.coordinator).get(url).status_code == 403


def test_decision_prepare_sign_four_eyes_via_pages(world: World, login):
    advance(world, "awaiting_decision")
    url = reverse("agendas:workflow-decision", args=[world.agenda.pk])
    c = login(world.officer2)
    r = c.get(url)
    assert r.status_code == 200 and "Nota opstellen" in r.content.decode()
    data = {
        "addressed_to": "minBZK",
        "sender": "DGOBDR",
        "date": "2026-12-01",
        "advised_decision": "approve",
        "actively_published": "yes",
        "core": "Goedkeuren",
        "amount_2027": "100000.01",
    }
    r = c.post(url, data)
    assert r.status_code == 200 and "hoger dan gevraagd" in str(r.context["form"].errors["amount_2027"])
    data["amount_2027"] = "90000"
    r = c.post(url, data, follow=True)
    assert "klaar voor ondertekening" in " ".join(_messages(r))
    page = r.content.decode()
    assert "Positief onder voorwaarden" in page  # review summary in the nota
    assert "vier ogen" in page  # the preparer (also a signatory) is told they cannot sign
    r = c.post(reverse("agendas:workflow-sign", args=[world.agenda.pk]), {"lock_version": 1}, follow=True)
    assert "Vier ogen" in " ".join(_messages(r))
    assert Decision.objects.get().signed_at is None
    s = login(world.signatory)
    r = s.post(reverse("agendas:workflow-sign", args=[world.agenda.pk]), {"lock_version": 1}, follow=True)
    assert "ondertekend" in " ".join(_messages(r))
    assert world.refresh().status == S.APPROVED


def test_sign_needs_verified_second_factor_in_the_browser(world: World, login, settings):
    advance(world, "prepared")
    settings.TWO_FACTOR_ENFORCED = True
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.signatory, name="app", confirmed=True)
    c = login(world.signatory)
    r = c.post(reverse("agendas:workflow-sign", args=[world.agenda.pk]), {"lock_version": 1})
    # the middleware sends an unverified ministry user to the second-factor page first
    assert r.status_code == 302 and reverse("two_factor") in r["Location"]
    assert Decision.objects.get().signed_at is None


def test_points_page_answer_and_resubmit(world: World, login):
    advance(world, "returned", points=("Punt A",))
    c = login(world.coordinator)
    url = reverse("agendas:workflow-points", args=[world.agenda.pk])
    r = c.get(url)
    assert "Punt A" in r.content.decode() and "De aanpak voor kleine kernen ontbreekt." in r.content.decode()
    point = ResponsePoint.objects.get()
    r = c.post(url, {"point_id": point.pk, f"p{point.pk}-answer": "Zo."}, follow=True)
    assert "opgeslagen" in " ".join(_messages(r))
    lock = world.refresh().lock_version  # the page's form carries it
    r = c.post(
        reverse("agendas:workflow-transition", args=[world.agenda.pk, "submit"]), {"lock_version": lock}, follow=True
    )
    assert world.refresh().status == S.SUBMITTED and world.agenda.current_version == 2
    # partners see the points but cannot answer
    r = login(world.partner).get(url)
    assert r.status_code == 200 and not r.context["may_answer"]


def test_versions_compare_page(world: World, login):
    advance(world, "returned")
    for p in ResponsePoint.objects.all():
        services.response_point_answer(point=p, actor=world.coordinator, answer="x")
    agenda = world.refresh()
    agenda.vision = "Nieuwe visie"
    agenda.save()
    services.agenda_submit(agenda=agenda, actor=world.fresh(world.coordinator))
    c = login(world.coordinator)
    r = c.get(reverse("agendas:workflow-versions", args=[agenda.pk]), {"a": 1, "b": 2})
    page = r.content.decode()
    assert r.status_code == 200 and "Nieuwe visie" in page and "visie en ambitie" in page
    assert c.get(reverse("agendas:workflow-version", args=[agenda.pk, 1])).status_code == 200


def test_inbox_page_query_count_does_not_grow(db, login, django_assert_max_num_queries):
    w = build_world()
    advance(w, "prepared")
    c = login(w.signatory)
    with django_assert_max_num_queries(20) as small:
        r = c.get(reverse("agendas:workflow-inbox"))
    assert "Besluit ondertekenen" in r.content.decode()
    for _i in range(3):
        extra = build_world()
        advance(extra, "prepared")
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = c.get(reverse("agendas:workflow-inbox"))
    assert r.content.decode().count("Besluit ondertekenen") == 4


def test_versions_page_query_count_does_not_grow(db, login, django_assert_max_num_queries):
    w = build_world()
    advance(w, "submitted")
    c = login(w.coordinator)
    url = reverse("agendas:workflow-versions", args=[w.agenda.pk])
    with django_assert_max_num_queries(25) as small:
        c.get(url)
    for _i in range(3):
        services.agenda_withdraw(agenda=w.agenda, actor=w.fresh(w.coordinator))
        services.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    with django_assert_max_num_queries(len(small.captured_queries)):
        c.get(url)


def test_agenda_actions_include_renders_for_the_detail_page(world: World, rf):
    from django.template.loader import render_to_string

    advance(world, "returned")
    html = render_to_string(
        "agendas/workflow/_agenda_actions.html", {"agenda": world.refresh(), "user": world.fresh(world.coordinator)}
    )
    assert "Indienen kan nog niet" in html and "Statusovergangen" in html and "<caption>" in html
