"""Partner commitments (issue 16, item 4): who may confirm, the checklist rule, stale confirmations, revoking,
withdrawing after approval, the snapshot/reviewer/nota, and every door (page, API session and token)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import roles
from accounts.models import OutboxMessage
from agendas.decision import services as wf
from agendas.drafting import commitment_services as services
from agendas.drafting.checklist import missing_items
from agendas.drafting.commitments import commitment_cells
from agendas.models import Agenda, AgendaVersion, BudgetLine, FundingSource, PartnerCommitment
from kansenagenda.errors import ConflictError, TransitionRefused
from reports.documents import collect_decision_note
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, user_with
from tests.api_clients import api
from tests.factories import AgendaPartnerFactory, OrganisationFactory, member_of

C = PartnerCommitment.Status
DOORS = ["session", "token"]


@pytest.fixture
def unconfirmed(world: World) -> World:
    """The world's agenda with its fixture confirmations removed: the province money is not yet confirmed."""
    PartnerCommitment.objects.filter(agenda=world.agenda).delete()
    return world


def _partner_org(world: World):
    return world.agenda.partners.order_by("pk").first().organisation


def _signer(world: World, org=None):
    """A person of the partner organisation with the partner role."""
    org = org or _partner_org(world)
    world.agenda.alliance.organisations.add(org)  # a partner of the agenda takes part in the alliance
    user = user_with(roles.PARTNER)
    member_of(user, org)
    return user


def _province():
    return FundingSource.objects.get(code="provincie")


def _confirm(world: World, signer, amount="150000.00", year=None):
    return services.commitment_confirm(
        agenda=world.agenda,
        actor=signer,
        organisation=_partner_org(world),
        year=year or world.agenda.start_year,
        source="provincie",
        amount=amount,
    )


# --- the rule: the checklist and the submit guard -------------------------------------------------------
def test_submission_refused_until_the_partner_confirms_then_allowed(unconfirmed: World):
    w = unconfirmed
    codes = [i.code for i in missing_items(w.agenda)]
    assert f"commitment_{w.agenda.start_year}_provincie" in codes
    with pytest.raises(TransitionRefused) as exc:
        wf.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    assert any("bevestigd door partners" in r and str(w.agenda.start_year) in r for r in exc.value.reasons)

    commitment = _confirm(w, _signer(w))
    assert commitment.status == C.CONFIRMED and commitment.confirmed_at is not None
    assert missing_items(w.agenda) == []
    version = wf.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    assert version.snapshot["partner_commitments"][0]["amount"] == "150000.00"
    assert version.snapshot["partner_commitments"][0]["organisation"] == _partner_org(w).name


def test_partly_confirmed_and_over_confirmed_amounts_are_named(unconfirmed: World):
    w = unconfirmed
    signer = _signer(w)
    _confirm(w, signer, amount="100000.00")
    (gap,) = [c for c in commitment_cells(w.agenda) if not c.ok]
    assert gap.budgeted == Decimal("150000.00") and gap.confirmed == Decimal("100000.00")
    assert "€ 150.000,00 begroot, € 100.000,00 bevestigd" in gap.message
    # a second confirmation by the same organisation replaces the first (the old one stays in history)
    _confirm(w, signer, amount="200000.00")
    (gap,) = [c for c in commitment_cells(w.agenda) if not c.ok]
    assert gap.confirmed == Decimal("200000.00") and "meer dan" in gap.message
    assert PartnerCommitment.objects.filter(agenda=w.agenda, status=C.REVOKED).count() == 1


def test_a_budget_change_makes_the_confirmation_stale(unconfirmed: World):
    w = unconfirmed
    signer = _signer(w)
    commitment = _confirm(w, signer)
    assert missing_items(w.agenda) == []
    start = w.agenda.start_year
    BudgetLine.objects.filter(priority__agenda=w.agenda, source=_province()).update(year=start + 1)
    cells = {c.year: c for c in commitment_cells(w.agenda)}
    assert cells[start].stale and not cells[start].ok and "niet meer in de begroting" in cells[start].message
    assert not cells[start + 1].stale and cells[start + 1].confirmed == 0
    assert [i.code for i in missing_items(w.agenda)] == [
        f"commitment_{start}_provincie",
        f"commitment_{start + 1}_provincie",
    ]
    services.commitment_end(commitment=commitment, actor=signer, lock_version=commitment.lock_version)
    _confirm(w, signer, year=start + 1)
    assert missing_items(w.agenda) == []


def test_rijk_money_needs_no_confirmation(unconfirmed: World):
    w = unconfirmed
    sources = {c.source.code for c in commitment_cells(w.agenda)}
    assert sources == {"provincie"}  # the rijk-extra lines of the fixture are not co-financing
    with pytest.raises(ValidationError) as exc:
        services.commitment_confirm(
            agenda=w.agenda,
            actor=_signer(w),
            organisation=_partner_org(w),
            year=w.agenda.start_year,
            source="rijk-extra",
            amount="1",
        )
    assert "source" in exc.value.message_dict


def test_validation_names_each_field(unconfirmed: World):
    w = unconfirmed
    with pytest.raises(ValidationError) as exc:
        services.commitment_confirm(
            agenda=w.agenda, actor=_signer(w), organisation=_partner_org(w), year=1999, source="x", amount="0"
        )
    assert set(exc.value.message_dict) == {"year", "source", "amount"}
    with pytest.raises(ValidationError) as exc:
        _confirm(w, _signer(w), amount="1.2.3,4")
    assert "amount" in exc.value.message_dict


# --- who may, and may NOT ----------------------------------------------------------------------------------
def test_who_may_not_confirm(unconfirmed: World):
    w = unconfirmed
    org = _partner_org(w)
    outsider_in_alliance = user_with(roles.PARTNER)  # partner role, but of an alliance org that is no agenda partner
    alliance_org = OrganisationFactory()
    w.agenda.alliance.organisations.add(alliance_org)
    member_of(outsider_in_alliance, alliance_org)
    member_without_role = user_with(roles.COORDINATOR)  # a member of the org, but not with the partner role
    member_of(member_without_role, org)
    for actor in (w.coordinator, w.officer, w.state_rep, w.admin, outsider_in_alliance, member_without_role):
        with pytest.raises(PermissionDenied):
            services.commitment_confirm(
                agenda=w.agenda,
                actor=w.fresh(actor),
                organisation=org,
                year=w.agenda.start_year,
                source="provincie",
                amount="150000",
            )
    assert not PartnerCommitment.objects.filter(agenda=w.agenda).exists()


def test_only_the_organisations_people_end_a_commitment(unconfirmed: World):
    w = unconfirmed
    commitment = _confirm(w, _signer(w))
    other_org = OrganisationFactory()
    AgendaPartnerFactory(agenda=w.agenda, organisation=other_org)
    w.agenda.alliance.organisations.add(other_org)
    colleague_of_other_partner = _signer(w, other_org)
    for actor in (w.coordinator, colleague_of_other_partner, w.officer):
        with pytest.raises(PermissionDenied):
            services.commitment_end(commitment=commitment, actor=w.fresh(actor), lock_version=commitment.lock_version)
    # a colleague at the same organisation may
    services.commitment_end(commitment=commitment, actor=_signer(w), lock_version=commitment.lock_version)
    commitment.refresh_from_db()
    assert commitment.status == C.REVOKED


def test_stale_lock_version_is_a_conflict(unconfirmed: World):
    w = unconfirmed
    signer = _signer(w)
    commitment = _confirm(w, signer)
    with pytest.raises(ConflictError):
        services.commitment_end(commitment=commitment, actor=signer, lock_version=commitment.lock_version + 5)


# --- the lifecycle: locked while submitted, a monitoring signal after approval ------------------------------
def test_no_revoking_while_submitted_and_a_withdrawal_after_approval_is_a_signal(unconfirmed: World):
    w = unconfirmed
    signer = _signer(w)
    commitment = _confirm(w, signer)
    advance(w, "submitted")
    with pytest.raises(TransitionRefused) as exc:
        services.commitment_end(commitment=commitment, actor=signer, lock_version=commitment.lock_version)
    assert exc.value.code == "commitment_locked"
    with pytest.raises(PermissionDenied):  # and no new confirmations while submitted
        _confirm(w, signer, amount="1.00")

    Agenda.objects.filter(pk=w.agenda.pk).update(status=Agenda.Status.APPROVED)
    commitment.refresh_from_db()
    with pytest.raises(ValidationError) as missing_reason:
        services.commitment_end(commitment=commitment, actor=signer, lock_version=commitment.lock_version)
    assert "reason" in missing_reason.value.message_dict
    commitment.refresh_from_db()
    OutboxMessage.objects.all().delete()
    services.commitment_end(
        commitment=commitment,
        actor=signer,
        reason="Provinciale begroting gekort.",
        lock_version=commitment.lock_version,
    )
    commitment.refresh_from_db()
    assert commitment.status == C.WITHDRAWN and commitment.ended_by == signer
    told = set(OutboxMessage.objects.filter(kind="partner_commitment_withdrawn").values_list("recipient", flat=True))
    assert w.coordinator.email in told and w.state_rep.email in told and w.officer.email in told
    assert signer.email not in told

    client = APIClient()
    client.force_login(w.fresh(w.coordinator))
    page = client.get(reverse("agendas:monitoring-agenda", args=[w.agenda.pk]))
    assert "Signaal: partner trekt toezegging terug" in page.content.decode()
    assert "Provinciale begroting gekort." in page.content.decode()


# --- reviewer view and nota -------------------------------------------------------------------------------------
def test_reviewer_sees_the_confirmed_amounts(world: World):
    advance(world, "under_review")
    client = APIClient()
    client.force_login(world.fresh(world.reviewer))
    assignment = world.agenda.review_assignments.get(reviewer=world.reviewer)
    page = client.get(reverse("agendas:workflow-assignment", args=[assignment.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Door partners bevestigde cofinanciering" in body and "€ 150.000,00" in body


def test_nota_shows_the_confirmed_amounts_of_the_version(world: World):
    advance(world, "prepared")
    version = AgendaVersion.objects.get(agenda=world.agenda, number=1)
    assert version.snapshot["partner_commitments"]
    # a later change to the live rows does not change the nota: it is about the version
    PartnerCommitment.objects.filter(agenda=world.agenda).update(amount=Decimal("1.00"))
    note = collect_decision_note(world.agenda)
    assert note["partner_commitments"]["total"] == "150000.00"
    assert note["partner_commitments"]["rows"][0]["source_code"] == "provincie"
    from reports.documents import render_html

    html = render_html("decision_note", note)
    assert "Door partners bevestigde cofinanciering" in html and "150.000,00" in html


# --- the page door ---------------------------------------------------------------------------------------------
def test_page_confirm_and_revoke(unconfirmed: World):
    w = unconfirmed
    signer = _signer(w)
    client = APIClient()
    client.force_login(signer)
    url = reverse("agendas:partner-commitments", args=[w.agenda.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'inputmode="decimal"' in page.content.decode()
    bad = client.post(
        url,
        {"organisation": _partner_org(w).pk, "year": w.agenda.start_year, "source": _province().pk, "amount": "abc"},
    )
    assert bad.status_code == 400 and "error-summary" in bad.content.decode()
    ok = client.post(
        url,
        {
            "organisation": _partner_org(w).pk,
            "year": w.agenda.start_year,
            "source": _province().pk,
            "amount": "150.000,00",
        },
    )
    assert ok.status_code == 302
    commitment = PartnerCommitment.objects.get(agenda=w.agenda, status=C.CONFIRMED)
    assert commitment.amount == Decimal("150000.00") and commitment.confirmed_by == signer
    assert commitment.history.first().history_user == signer
    end = client.post(
        reverse("agendas:partner-commitment-end", args=[w.agenda.pk, commitment.pk]),
        {"lock_version": commitment.lock_version},
    )
    assert end.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == C.REVOKED


def test_page_coordinator_sees_but_cannot_confirm_outsider_gets_404(unconfirmed: World):
    w = unconfirmed
    client = APIClient()
    client.force_login(w.fresh(w.coordinator))
    url = reverse("agendas:partner-commitments", args=[w.agenda.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Toezegging bevestigen" not in page.content.decode()
    post = client.post(
        url, {"organisation": _partner_org(w).pk, "year": w.agenda.start_year, "source": _province().pk, "amount": "1"}
    )
    assert post.status_code == 400 and not PartnerCommitment.objects.exists()
    client.force_login(w.fresh(w.other_coordinator))
    assert client.get(url).status_code == 404


# --- the API doors ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("door", DOORS)
def test_api_confirm_list_and_end(unconfirmed: World, door):
    w = unconfirmed
    signer = _signer(w)
    url = reverse("api-partner-commitments", args=[w.agenda.pk])
    body = {
        "organisation": _partner_org(w).pk,
        "year": w.agenda.start_year,
        "source": "provincie",
        "amount": "150000.00",
    }
    coordinator = api(w.fresh(w.coordinator), door)
    refused = coordinator.post(url, body, format="json")
    assert refused.status_code == 403 and "alliantiepartner" in refused.json()["message"]
    bad = api(signer, door).post(url, {**body, "amount": "150.000"}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    created = api(signer, door).post(url, body, format="json")
    assert created.status_code == 201 and created.json()["amount"] == "150000.00"
    listed = coordinator.get(url).json()
    assert listed["complete"] is True and listed["cells"][0]["confirmed"] == "150000.00"
    end_url = reverse("api-partner-commitment-end", args=[created.json()["id"]])
    assert api(signer, door).post(end_url, {}, format="json").status_code == 400  # lock_version missing
    assert coordinator.post(end_url, {"lock_version": 1}, format="json").status_code == 403
    stale = api(signer, door).post(end_url, {"lock_version": 99}, format="json")
    assert stale.status_code == 409
    ended = api(signer, door).post(end_url, {"lock_version": created.json()["lock_version"]}, format="json")
    assert ended.status_code == 200 and ended.json()["status"] == "revoked"
    assert api(w.fresh(w.other_coordinator), door).get(url).status_code == 404


def test_api_list_query_count_is_flat(unconfirmed: World):
    w = unconfirmed
    client = api(w.fresh(w.coordinator), "session")
    url = reverse("api-partner-commitments", args=[w.agenda.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    signer = _signer(w)
    for year in range(w.agenda.start_year, w.agenda.start_year + 6):
        _confirm(w, signer, amount="10.00", year=year)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.json()["commitments"]) == 6
    assert len(many) == len(few)
    page = APIClient()
    page.force_login(signer)
    page_url = reverse("agendas:partner-commitments", args=[w.agenda.pk])
    page.get(page_url)
    with CaptureQueriesContext(connection) as page_many:
        page.get(page_url)
    _confirm(w, signer, amount="10.00", year=w.agenda.start_year + 7)
    with CaptureQueriesContext(connection) as page_more:
        page.get(page_url)
    assert len(page_more) == len(page_many)
