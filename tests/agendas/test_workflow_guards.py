"""The shared guards through every door: four eyes (agenda decisions and change requests), separation of
duties, the cumulative change-request threshold, transition history and audiences of the tables.

Doors: the service, the page (POST), the API with a session and the API with a token.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import roles
from accounts.models import OutboxMessage, StateRepresentativeAssignment
from agendas import notifications, workflow
from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.models import (
    Agenda,
    BudgetLine,
    ChangeRequest,
    ChangeRequestParticipant,
    ChangeRequestTransition,
    Decision,
    DecisionParticipant,
    ProgressReportTransition,
    ReviewAssignment,
)
from agendas.monitoring import change_requests as cr_svc
from agendas.monitoring import services as mon_svc
from agendas.monitoring import transitions as report_transitions
from agendas.workflow import CHANGE_REQUEST, PROGRESS_REPORT, Context
from kansenagenda.errors import TransitionRefused
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, user_with
from tests.factories import make_coordinator, make_state_representative

DOORS = ["session", "token"]


def api(user, door: str) -> APIClient:
    client = APIClient()
    if door == "session":
        client.force_login(user)  # a real session, through SessionAuthentication
    else:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def nota_body(world: World) -> dict:
    return {
        "advised_decision": "approve",
        "core": "De agenda sluit aan bij Elke regio telt!",
        "year_amounts": [{"year": world.agenda.start_year, "approved_amount": "100000.00"}],
    }


# --- four eyes on the agenda decision -------------------------------------------------------------------
@pytest.mark.parametrize("door", DOORS)
def test_reproduction_preparer_with_both_roles_cannot_sign_after_a_colleagues_revision(world: World, door):
    """Issue 10: A (officer + signatory) prepares, B re-saves the same body, A's sign used to return 200."""
    advance(world, "awaiting_decision")
    a = user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)
    url = reverse("api-agenda-decision", kwargs={"pk": world.agenda.pk})
    assert api(a, door).put(url, nota_body(world), format="json").status_code == 200
    revision = {**nota_body(world), "lock_version": Decision.objects.get().lock_version}
    assert api(world.officer2, door).put(url, revision, format="json").status_code == 200
    decision = Decision.objects.get()
    assert decision.prepared_by == a  # the first preparer is not overwritten …
    assert dict(decision.participants.values_list("user_id", "role")) == {
        a.pk: "preparer",
        world.officer2.pk: "reviser",
    }

    current = {"lock_version": decision.lock_version}  # a well-formed request: only four eyes can refuse it
    sign = reverse("api-agenda-decision-sign", kwargs={"pk": world.agenda.pk})
    r = api(a, door).post(sign, current, format="json")
    assert r.status_code == 403 and r.json()["code"] == "four_eyes"
    # … and the reviser (also a signatory) is refused as well
    r = api(world.officer2, door).post(sign, current, format="json")
    assert r.status_code == 403 and r.json()["code"] == "four_eyes" and "herzien" in r.json()["reasons"][0]
    assert Decision.objects.get().signed_at is None
    # a second person signs
    r = api(world.signatory, door).post(sign, {"lock_version": decision.lock_version}, format="json")
    assert r.status_code == 200 and r.json()["signed_by"] == str(world.signatory)
    assert world.refresh().status in (Agenda.Status.APPROVED, Agenda.Status.ACTIVE)


@pytest.mark.parametrize("who", ["preparer", "reviser"])
def test_four_eyes_service_preparer_and_reviser(world: World, who):
    advance(world, "awaiting_decision")
    preparer = user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)
    reviser = user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)
    for person in (preparer, reviser):
        signoff_services.decision_prepare(agenda=world.agenda, actor=person, advised_decision="approve", core="Kern")
    actor = preparer if who == "preparer" else reviser
    with pytest.raises(TransitionRefused) as exc:
        signoff_services.decision_sign(agenda=world.agenda, actor=actor, second_factor_verified=True)
    assert exc.value.code == "four_eyes" and exc.value.status == 403
    signoff_services.decision_sign(agenda=world.agenda, actor=world.signatory, second_factor_verified=True)
    assert Decision.objects.get().signed_by == world.signatory


def test_four_eyes_page_reviser_is_refused(world: World, client):
    advance(world, "prepared")  # prepared by world.officer
    signoff_services.decision_prepare(
        agenda=world.agenda, actor=world.officer2, advised_decision="approve", core="Herzien"
    )
    client.force_login(world.officer2)
    r = client.post(reverse("agendas:workflow-sign", args=[world.agenda.pk]), {"lock_version": 2}, follow=True)
    assert "vier ogen" in " ".join(str(m) for m in r.context["messages"]).lower()
    assert Decision.objects.get().signed_at is None
    client.force_login(world.signatory)
    client.post(reverse("agendas:workflow-sign", args=[world.agenda.pk]), {"lock_version": 2})
    assert Decision.objects.get().signed_by == world.signatory


def test_four_eyes_in_the_database_signer_row_for_a_preparer_is_refused(world: World):
    advance(world, "prepared")
    decision = Decision.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionParticipant.objects.create(decision=decision, user=world.officer, role="signer")


def test_re_saving_the_nota_adds_the_reviser_and_never_overwrites(world: World):
    advance(world, "prepared")
    for _ in range(2):
        signoff_services.decision_prepare(
            agenda=world.agenda, actor=world.officer2, advised_decision="approve", core="X"
        )
    signoff_services.decision_prepare(agenda=world.agenda, actor=world.officer, advised_decision="approve", core="Y")
    assert list(DecisionParticipant.objects.values_list("user_id", "role")) == [
        (world.officer.pk, "preparer"),
        (world.officer2.pk, "reviser"),
    ]


# --- four eyes and second factor on change requests -------------------------------------------------------
@pytest.fixture
def monitoring(db):
    agenda = make_active_agenda(priorities=2, milestones_per_priority=1)
    return agenda, People(agenda)


def rijk_line(agenda, year=2028, order=0):
    return BudgetLine.objects.get(priority__agenda=agenda, year=year, source__code="rijk-extra", priority__order=order)


def shift(agenda, actor, amount, *, year=2028, to_year=2029, order=0) -> ChangeRequest:
    line = rijk_line(agenda, year, order)
    return cr_svc.change_request_create(
        agenda=agenda,
        actor=actor,
        reason="Project loopt uit.",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority_id, "to_year": to_year, "amount": amount}],
    )


@pytest.mark.parametrize("door", ["service", *DOORS])
def test_change_request_preparer_with_both_roles_is_refused_a_second_person_signs(monitoring, door):
    agenda, people = monitoring
    both = user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)
    cr = shift(agenda, people.coordinator, "50000")
    assert cr.route == "ministry"
    cr = cr_svc.change_request_prepare(change_request=cr, actor=both, advised_outcome="accept", note="Past.")
    if door == "service":
        with pytest.raises(TransitionRefused) as exc:
            cr_svc.change_request_sign(change_request=cr, actor=both, outcome="accept", second_factor_verified=True)
        assert exc.value.code == "four_eyes"
    else:
        r = api(both, door).post(
            reverse("change-request-sign", kwargs={"pk": cr.pk}),
            {"outcome": "accept", "lock_version": cr.lock_version},  # well-formed: only four eyes can refuse
            format="json",
        )
        assert r.status_code == 403 and r.json()["code"] == "four_eyes"
        # the /actions/ answer says the same as the service
        acts = {
            a["action"]: a for a in api(both, door).get(reverse("change-request-actions", kwargs={"pk": cr.pk})).json()
        }
        assert acts["sign_change"]["allowed"] is False and "vier ogen" in " ".join(acts["sign_change"]["reasons"])
        cr.refresh_from_db()
        ok = api(people.signatory, door).post(
            reverse("change-request-sign", kwargs={"pk": cr.pk}),
            {"outcome": "accept", "lock_version": cr.lock_version},
            format="json",
        )
        assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    cr.refresh_from_db()
    if door == "service":
        cr_svc.change_request_sign(
            change_request=cr, actor=people.signatory, outcome="accept", second_factor_verified=True
        )
        cr.refresh_from_db()
    assert cr.decided_by == people.signatory


def test_change_request_page_preparer_is_refused(monitoring, client):
    agenda, people = monitoring
    both = user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)
    cr = shift(agenda, people.coordinator, "50000")
    cr_svc.change_request_prepare(change_request=cr, actor=both, advised_outcome="accept", note="Past.")
    client.force_login(both)
    url = reverse("agendas:monitoring-change-request", args=[cr.pk])
    r = client.post(url, {"action": "sign", "outcome": "accept"})
    assert r.status_code == 403
    cr.refresh_from_db()
    assert cr.status == "prepared"


def test_change_request_sign_check_page_refuses_the_preparer_and_confirms_for_a_signatory(monitoring, client):
    """Signing a large change shows the check page first (confirm before you commit); the four-eyes rule holds
    on that page as on every other door; a deviation from the advice without remarks is an error on the page."""
    agenda, people = monitoring
    both = user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY)
    cr = shift(agenda, people.coordinator, "50000")
    cr_svc.change_request_prepare(change_request=cr, actor=both, advised_outcome="accept", note="Past.")
    cr.refresh_from_db()
    check = reverse("agendas:monitoring-change-request-sign-check", args=[cr.pk])
    client.force_login(both)
    assert client.get(check, {"outcome": "accept"}).status_code == 403
    assert (
        client.post(check, {"outcome": "accept", "confirmed": "accept", "lock_version": cr.lock_version}).status_code
        == 403
    )
    client.force_login(people.signatory)
    shown = client.get(check, {"outcome": "accept"})
    assert shown.status_code == 200 and "Besluit definitief vastleggen" in shown.content.decode()
    deviation = client.post(check, {"outcome": "reject", "confirmed": "reject", "lock_version": cr.lock_version})
    cr.refresh_from_db()
    assert cr.status == "prepared"
    assert deviation.status_code == 400 and "wijkt af van het geadviseerde besluit" in deviation.content.decode()
    done = client.post(check, {"outcome": "accept", "confirmed": "accept", "lock_version": cr.lock_version})
    cr.refresh_from_db()
    assert done.status_code == 302 and cr.status == "accepted" and cr.decided_by == people.signatory


def test_change_request_four_eyes_and_sod_in_the_database(monitoring):
    agenda, people = monitoring
    cr = shift(agenda, people.coordinator, "50000")
    cr_svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="accept", note="Past.")
    for user in (people.officer, people.coordinator):  # preparer signs; requester decides
        with pytest.raises(IntegrityError), transaction.atomic():
            ChangeRequestParticipant.objects.create(change_request=cr, user=user, role="signer")


def test_second_factor_is_one_guard_with_one_code(monitoring, world: World, settings):
    settings.TWO_FACTOR_ENFORCED = True
    agenda, people = monitoring
    cr = shift(agenda, people.coordinator, "50000")
    cr = cr_svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="accept", note="Ok")
    with pytest.raises(TransitionRefused) as cr_exc:
        cr_svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="accept")
    advance(world, "prepared")
    with pytest.raises(TransitionRefused) as agenda_exc:
        signoff_services.decision_sign(agenda=world.agenda, actor=world.signatory, second_factor_verified=False)
    assert cr_exc.value.code == agenda_exc.value.code == "second_factor_required"
    assert str(cr_exc.value.message) == str(agenda_exc.value.message)


# --- separation of duties ------------------------------------------------------------------------------
def test_officer_with_reviewer_role_cannot_assign_himself_service(world: World):
    advance(world, "submitted")
    officer = user_with(roles.MINISTRY_OFFICER, roles.REVIEWER)
    with pytest.raises(TransitionRefused) as exc:
        services.reviewer_assign(agenda=world.agenda, actor=officer, reviewer=officer)
    assert exc.value.code == "separation_of_duties" and exc.value.status == 403
    assert not ReviewAssignment.objects.exists()
    services.reviewer_assign(agenda=world.agenda, actor=officer, reviewer=world.reviewer)  # someone else: fine


@pytest.mark.parametrize("door", ["page", *DOORS])
def test_officer_with_reviewer_role_cannot_assign_himself(world: World, client, door):
    advance(world, "submitted")
    officer = user_with(roles.MINISTRY_OFFICER, roles.REVIEWER)
    if door == "page":
        client.force_login(officer)
        r = client.post(
            reverse("agendas:workflow-reviewers", args=[world.agenda.pk]),
            {"reviewer": officer.pk, "due_date": "2099-01-01"},
        )
        assert "scheiding van functies" in " ".join(str(m) for m in r.context["messages"]).lower()
    else:
        r = api(officer, door).post(
            reverse("api-agenda-assignments", kwargs={"pk": world.agenda.pk}), {"reviewer": officer.pk}, format="json"
        )
        assert r.status_code == 403 and r.json()["code"] == "separation_of_duties"
    assert not ReviewAssignment.objects.exists()


def test_alliance_member_is_never_its_reviewer(world: World):
    advance(world, "submitted")
    with pytest.raises(TransitionRefused) as exc:
        services.reviewer_assign(agenda=world.agenda, actor=world.officer, reviewer=world.conflicted_reviewer)
    assert exc.value.code == "reviewer_not_independent"


@pytest.fixture
def coordinator_and_rep(monitoring):
    """A coordinator of the alliance who is also the region's state representative."""
    agenda, people = monitoring
    both = make_coordinator(agenda.alliance)
    both.groups.add(Group.objects.get(name=roles.STATE_REPRESENTATIVE))
    StateRepresentativeAssignment.objects.create(user=both, region=agenda.alliance.region)
    both.__dict__.pop("role_codes", None)
    return agenda, people, both


@pytest.mark.parametrize("door", ["service", "page", *DOORS])
def test_coordinator_who_is_state_rep_cannot_accept_his_own_change_request(coordinator_and_rep, client, door):
    agenda, people, both = coordinator_and_rep
    cr = shift(agenda, both, "100")
    assert cr.route == "state_representative"
    if door == "service":
        with pytest.raises(TransitionRefused) as exc:
            cr_svc.change_request_decide(change_request=cr, actor=both, outcome="accept")
        assert exc.value.code == "separation_of_duties"
    elif door == "page":
        client.force_login(both)
        r = client.post(
            reverse("agendas:monitoring-change-request", args=[cr.pk]), {"action": "decide", "outcome": "accept"}
        )
        assert r.status_code == 403
    else:
        r = api(both, door).post(
            reverse("change-request-decide", kwargs={"pk": cr.pk}), {"outcome": "accept"}, format="json"
        )
        assert r.status_code == 403
    cr.refresh_from_db()
    assert cr.status == "submitted"
    cr_svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept")  # another person
    cr.refresh_from_db()
    assert cr.status == "accepted"


@pytest.mark.parametrize("door", ["service", "page", *DOORS])
def test_coordinator_who_is_state_rep_cannot_accept_his_own_progress_report(coordinator_and_rep, client, door):
    agenda, people, both = coordinator_and_rep
    report, _ = mon_svc.progress_report_open(agenda=agenda, year=2027)
    report = fill_complete(report, both)
    report = report_transitions.progress_report_submit(report=report, actor=both)
    if door == "service":
        with pytest.raises(TransitionRefused) as exc:
            report_transitions.progress_report_accept(report=report, actor=both)
        assert exc.value.code == "separation_of_duties"
    elif door == "page":
        client.force_login(both)
        r = client.post(reverse("agendas:monitoring-report-decide", args=[report.pk]), {"decision": "accept"})
        assert r.status_code == 403
    else:
        r = api(both, door).post(reverse("progress-report-accept", kwargs={"pk": report.pk}), {}, format="json")
        assert r.status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"
    report_transitions.progress_report_accept(report=report, actor=people.state_rep)
    report.refresh_from_db()
    assert report.status == "accepted"


# --- salami: the cumulative threshold ---------------------------------------------------------------------
# Each priority has € 200.000 extra Rijk contribution: 10 % = € 20.000.
def test_three_ten_percent_shifts_the_crossing_one_goes_to_the_ministry(monitoring):
    agenda, people = monitoring
    first = shift(agenda, people.coordinator, "20000")
    assert first.route == "state_representative"
    cr_svc.change_request_decide(change_request=first, actor=people.state_rep, outcome="accept")
    second = shift(agenda, people.coordinator, "20000", year=2029, to_year=2030)
    assert second.route == "ministry"  # 20 % since the last ministry decision


def test_small_slices_add_up_open_and_accepted(monitoring):
    agenda, people = monitoring
    a = shift(agenda, people.coordinator, "8000")
    b = shift(agenda, people.coordinator, "8000")  # open together: 16.000
    c = shift(agenda, people.coordinator, "8000")  # 24.000 > 20.000: crosses
    assert [a.route, b.route, c.route] == ["state_representative", "state_representative", "ministry"]
    # a ministry decision starts a new window
    cr_svc.change_request_prepare(change_request=c, actor=people.officer, advised_outcome="accept", note="Ok")
    cr_svc.change_request_sign(change_request=c, actor=people.signatory, outcome="accept", second_factor_verified=True)
    cr_svc.change_request_decide(change_request=a, actor=people.state_rep, outcome="accept")
    cr_svc.change_request_decide(change_request=b, actor=people.state_rep, outcome="accept")
    assert shift(agenda, people.coordinator, "4000").route == "state_representative"  # 8+8+4 since the decision


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["request", "request", "request", "accept_all", "withdraw", "ministry"]),
            st.integers(1000, 20000),
        ),
        min_size=2,
        max_size=8,
    )
)
def test_property_state_rep_never_alone_approves_more_than_the_threshold(monitoring, steps):
    """Over any sequence of requests, decisions and withdrawals, the money the state representative alone
    accepted since the last ministry decision never exceeds 10 % of the priority's extra Rijk contribution."""
    agenda, people = monitoring
    with transaction.atomic():
        sid = transaction.savepoint()
        threshold = Decimal("20000")  # shifts between years keep the priority's total constant
        for op, amount in steps:
            open_small = ChangeRequest.objects.filter(agenda=agenda, status="submitted", route="state_representative")
            open_large = ChangeRequest.objects.filter(agenda=agenda, status="submitted", route="ministry")
            if op == "request":
                shift(agenda, people.coordinator, str(amount), year=2027, to_year=2028)
            elif op == "accept_all":
                for cr in open_small.order_by("pk"):
                    try:
                        cr_svc.change_request_decide(change_request=cr, actor=people.state_rep, outcome="accept")
                    except TransitionRefused:
                        pass  # refused by the mandate guard or a stale line: never silently accepted
            elif op == "withdraw" and open_small.exists():
                cr_svc.change_request_withdraw(change_request=open_small.last(), actor=people.coordinator)
            elif op == "ministry" and open_large.exists():
                cr = cr_svc.change_request_prepare(
                    change_request=open_large.first(), actor=people.officer, advised_outcome="accept", note="Ok"
                )
                try:
                    cr_svc.change_request_sign(
                        change_request=cr, actor=people.signatory, outcome="accept", second_factor_verified=True
                    )
                except TransitionRefused:
                    pass
            last = (
                ChangeRequest.objects.filter(agenda=agenda, route="ministry", status="accepted")
                .order_by("-decided_at")
                .first()
            )
            alone = ChangeRequest.objects.filter(agenda=agenda, route="state_representative", status="accepted")
            if last is not None:
                alone = alone.filter(decided_at__gt=last.decided_at)
            total = sum((i.amount for cr in alone for i in cr.items.all()), Decimal("0"))
            assert total <= threshold
        transaction.savepoint_rollback(sid)


# --- transition history and audiences -------------------------------------------------------------------
def test_progress_report_transitions_one_row_each(monitoring):
    agenda, people = monitoring
    report, _ = mon_svc.progress_report_open(agenda=agenda, year=2027)
    report = report_transitions.progress_report_submit(
        report=fill_complete(report, people.coordinator), actor=people.coordinator
    )
    report = report_transitions.progress_report_return(report=report, actor=people.state_rep, remarks="Vul aan.")
    report = report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    report = report_transitions.progress_report_accept(report=report, actor=people.state_rep)
    report = report_transitions.progress_report_reopen(report=report, actor=people.officer, reason="Fout in cijfers.")
    rows = list(
        ProgressReportTransition.objects.filter(report=report).values_list("action", "from_status", "to_status")
    )
    assert rows == [
        ("submit", "open", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("accept", "submitted", "accepted"),
        ("reopen", "accepted", "returned"),
    ]


def test_change_request_transitions_one_row_each(monitoring):
    agenda, people = monitoring
    cr = shift(agenda, people.coordinator, "50000")
    cr = cr_svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="accept", note="Ok")
    cr_svc.change_request_sign(change_request=cr, actor=people.signatory, outcome="accept", second_factor_verified=True)
    small = shift(agenda, people.coordinator, "100", order=1)
    cr_svc.change_request_withdraw(change_request=small, actor=people.coordinator)
    rows = list(
        ChangeRequestTransition.objects.values_list("change_request_id", "action", "from_status", "to_status", "actor")
    )
    assert rows == [
        (cr.pk, "submit", "", "submitted", people.coordinator.pk),
        (cr.pk, "prepare_change", "submitted", "prepared", people.officer.pk),
        (cr.pk, "sign_change", "prepared", "accepted", people.signatory.pk),
        (small.pk, "submit", "", "submitted", people.coordinator.pk),
        (small.pk, "withdraw_change", "submitted", "withdrawn", people.coordinator.pk),
    ]
    with pytest.raises(ValueError):
        ChangeRequestTransition.objects.first().delete()


def _recipients(kind: str) -> set[str]:
    return set(OutboxMessage.objects.filter(kind=kind).values_list("recipient", flat=True))


def _table(machine, action, case, actor) -> set[str]:
    return {u.email for u in notifications.recipients(machine.actions[action], Context(case=case, actor=actor))}


def test_notified_users_match_the_tables(monitoring):
    agenda, people = monitoring
    inactive = make_state_representative(agenda.alliance.region)
    inactive.is_active = False
    inactive.save()
    report, _ = mon_svc.progress_report_open(agenda=agenda, year=2027)
    report = report_transitions.progress_report_submit(
        report=fill_complete(report, people.coordinator), actor=people.coordinator
    )
    assert _recipients("monitoring_report_submitted") == _table(PROGRESS_REPORT, "submit", report, people.coordinator)
    assert people.state_rep.email in _recipients("monitoring_report_submitted")
    assert inactive.email not in _recipients("monitoring_report_submitted")
    report = report_transitions.progress_report_accept(report=report, actor=people.state_rep)
    assert _recipients("monitoring_report_accepted") == _table(PROGRESS_REPORT, "accept", report, people.state_rep)
    assert _recipients("monitoring_report_accepted") == {people.coordinator.email}

    cr = shift(agenda, people.coordinator, "50000")
    assert _recipients("monitoring_change_request_submitted") == {people.officer.email} | {
        u.email for u in notifications.officers()
    }
    cr_svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="accept", note="Ok")
    assert _recipients("monitoring_change_request_prepared") == _table(
        CHANGE_REQUEST, "prepare_change", cr, people.officer
    )
    assert _recipients("monitoring_change_request_prepared") == {people.signatory.email, people.signatory2.email}


def test_agenda_audiences_come_from_the_table(world: World):
    advance(world, "submitted")
    sent = _recipients("workflow.submitted")
    table = {
        u.email
        for u in notifications.recipients(
            workflow.ACTIONS["submit"], Context(case=world.agenda, actor=world.coordinator)
        )
    }
    assert sent == table and world.state_rep.email in sent and world.officer.email in sent
    assert world.coordinator.email not in sent


def test_progress_report_actions_endpoint(monitoring):
    agenda, people = monitoring
    report, _ = mon_svc.progress_report_open(agenda=agenda, year=2027)
    client = api(people.coordinator, "session")
    acts = client.get(reverse("progress-report-actions", kwargs={"pk": report.pk})).json()
    assert [a["action"] for a in acts] == ["submit"] and acts[0]["allowed"] is True
    assert api(people.state_rep, "token").get(reverse("progress-report-actions", kwargs={"pk": report.pk})).json() == []
    assert (
        api(people.other_coordinator, "token")
        .get(reverse("progress-report-actions", kwargs={"pk": report.pk}))
        .status_code
        == 404
    )
