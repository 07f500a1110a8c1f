"""The signatory's outcomes: sign the advice, another outcome with a reason, or send the nota back to the
officer (a recorded transition in the agenda table, guarded, with notification); the check page."""

import pytest
from django.urls import reverse

from accounts.models import OutboxMessage
from agendas import workflow
from agendas.decision import signoff
from agendas.inbox.selectors import inbox_items
from agendas.models import Agenda, Decision, Transition
from kansenagenda.errors import TransitionRefused
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance

S = Agenda.Status


def _kinds(world, who):
    return [i.kind for i in inbox_items(world.fresh(getattr(world, who))) if i.agenda_id == world.agenda.pk]


def test_send_back_is_a_recorded_step_that_keeps_the_status(world: World):
    advance(world, "prepared")
    decision = signoff.decision_send_back(
        agenda=world.agenda, actor=world.fresh(world.signatory), remarks="Onderbouw de bedragen.", lock_version=1
    )
    agenda = world.refresh()
    assert agenda.status == S.AWAITING_DECISION and decision.sent_back_by == world.signatory
    record = Transition.objects.filter(agenda=agenda, action="send_back_decision").get()
    assert (record.from_status, record.to_status, record.actor, record.comment) == (
        S.AWAITING_DECISION,
        S.AWAITING_DECISION,
        world.signatory,
        "Onderbouw de bedragen.",
    )
    mail = OutboxMessage.objects.get(kind="workflow.decision_sent_back")
    assert mail.recipient == world.officer.email and "Onderbouw de bedragen." in mail.body
    assert "http" in mail.body and reverse("agendas:workflow-decision", args=[agenda.pk]) in mail.body
    # the nota leaves the signatories' tasks and becomes the officer's
    assert _kinds(world, "signatory") == [] and _kinds(world, "officer") == ["revise"]
    # nobody signs a nota that was sent back
    with pytest.raises(TransitionRefused) as exc:
        signoff.decision_sign(agenda=agenda, actor=world.fresh(world.signatory), second_factor_verified=True)
    assert exc.value.code == "sent_back"
    # the officer's revision puts it back on the signatory's desk
    signoff.decision_prepare(
        agenda=agenda,
        actor=world.fresh(world.officer),
        advised_decision="approve",
        core="Herzien.",
        year_amounts={agenda.start_year: "90000.00"},
        lock_version=Decision.objects.get().lock_version,
    )
    assert _kinds(world, "signatory") == ["sign"] and _kinds(world, "officer") == []
    signoff.decision_sign(agenda=world.refresh(), actor=world.fresh(world.signatory), second_factor_verified=True)
    assert world.refresh().status == S.APPROVED


def test_send_back_needs_remarks_and_a_signatory_who_did_not_prepare(world: World):
    advance(world, "prepared")
    with pytest.raises(TransitionRefused) as exc:
        signoff.decision_send_back(agenda=world.agenda, actor=world.fresh(world.signatory), remarks="  ")
    assert exc.value.code == "remarks_required"
    for who in ("officer", "coordinator", "state_rep"):  # not a signatory
        with pytest.raises(TransitionRefused) as exc:
            signoff.decision_send_back(agenda=world.agenda, actor=world.fresh(getattr(world, who)), remarks="Nee")
        assert exc.value.status == 403
    assert not Transition.objects.filter(action="send_back_decision").exists()


def test_send_back_with_a_stale_lock_version_is_a_conflict(world: World):
    from kansenagenda.errors import ConflictError

    advance(world, "prepared")
    with pytest.raises(ConflictError):
        signoff.decision_send_back(agenda=world.agenda, actor=world.fresh(world.signatory), remarks="x", lock_version=9)


def test_another_outcome_needs_a_reason_and_is_recorded(world: World):
    advance(world, "prepared")  # advised: approve
    with pytest.raises(TransitionRefused) as exc:
        signoff.decision_sign(
            agenda=world.agenda, actor=world.fresh(world.signatory), second_factor_verified=True, outcome="reject"
        )
    assert exc.value.code == "deviation_reason"
    decision = signoff.decision_sign(
        agenda=world.agenda,
        actor=world.fresh(world.signatory),
        second_factor_verified=True,
        outcome="reject",
        reason="Past niet in het programma.",
    )
    assert world.refresh().status == S.REJECTED
    assert decision.outcome == "reject" and decision.advised_decision == "approve"
    assert decision.deviation_reason == decision.reasons == "Past niet in het programma."
    assert decision.dispatch_date is not None and decision.conditions == ""


def test_approving_against_a_return_advice_needs_amounts(world: World):
    advance(world, "prepared", outcome="return")
    with pytest.raises(TransitionRefused) as exc:
        signoff.decision_sign(
            agenda=world.agenda,
            actor=world.fresh(world.signatory),
            second_factor_verified=True,
            outcome="approve",
            reason="Toch goed.",
        )
    assert any("bedragen" in str(r) for r in exc.value.reasons)


def test_send_back_is_in_the_table_and_never_a_button(world: World):
    action = workflow.ACTIONS["send_back_decision"]
    assert action.recorded and not action.button and action.notify == ("preparer",)
    assert action.sources == frozenset({S.AWAITING_DECISION}) and action.target is None


# --- the check page --------------------------------------------------------------------------------
def test_check_page_shows_the_nota_and_consequences_then_sends_back(world: World, client):
    advance(world, "prepared")
    client.force_login(world.signatory)
    url = reverse("agendas:workflow-sign", args=[world.agenda.pk])
    page = client.get(url).content.decode()
    assert "Controleer en onderteken" in page and "Wat er gebeurt" in page and "(geadviseerd)" in page
    assert "bezwaartermijn" in page and 'name="lock_version"' in page
    r = client.post(url, {"lock_version": 1, "choice": "send_back", "reason": ""})
    assert r.status_code == 200 and "Schrijf op wat de opsteller" in r.content.decode()
    r = client.post(url, {"lock_version": 1, "choice": "send_back", "reason": "Bedragen onderbouwen."})
    assert r.status_code == 302 and r["Location"] == reverse("agendas:workflow-decision", args=[world.agenda.pk])
    assert Decision.objects.get().sent_back_remarks == "Bedragen onderbouwen."
    client.force_login(world.officer)
    page = client.get(r["Location"]).content.decode()
    assert "teruggestuurd naar de opsteller" in page and "Bedragen onderbouwen." in page


def test_check_page_signs_another_outcome_with_a_reason(world: World, client):
    advance(world, "prepared")
    client.force_login(world.signatory)
    url = reverse("agendas:workflow-sign", args=[world.agenda.pk])
    r = client.post(url, {"lock_version": 1, "choice": "reject"})
    assert r.status_code == 200 and "geeft u een reden" in r.content.decode()
    assert world.refresh().status == S.AWAITING_DECISION
    r = client.post(url, {"lock_version": 1, "choice": "reject", "reason": "Geen draagvlak."})
    assert r.status_code == 302 and world.refresh().status == S.REJECTED


@pytest.mark.parametrize("who", ["coordinator", "state_rep", "reviewer"])
def test_check_page_is_not_for_others(world: World, client, who):
    advance(world, "prepared")
    client.force_login(getattr(world, who))
    r = client.get(reverse("agendas:workflow-sign", args=[world.agenda.pk]))
    assert r.status_code in (403, 404)


def test_check_page_refuses_the_preparer(world: World, client):
    advance(world, "prepared")
    client.force_login(world.officer)
    r = client.get(reverse("agendas:workflow-sign", args=[world.agenda.pk]))
    assert r.status_code == 403


def test_officer_may_not_send_back_through_the_page(world: World, client):
    advance(world, "prepared")
    client.force_login(world.officer)
    r = client.post(
        reverse("agendas:workflow-sign", args=[world.agenda.pk]),
        {"lock_version": 1, "choice": "send_back", "reason": "x"},
    )
    assert r.status_code == 403 and Decision.objects.get().sent_back_at is None
