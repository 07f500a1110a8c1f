"""The allowed/refused matrix of the progress report policy, per role and report status."""

import pytest

from agendas.models import ProgressReport
from agendas.monitoring.change_requests import change_request_create
from agendas.permissions import progress_report_policy as policy
from tests.agendas.monitoring_fixtures import *  # noqa: F403

ROLES = [
    "coordinator",
    "partner",
    "state_rep",
    "other_state_rep",
    "officer",
    "signatory",
    "reviewer",
    "other_coordinator",
]

# who may VIEW a report / the agenda's monitoring
VIEW = {"coordinator", "partner", "state_rep", "officer", "signatory"}
# action → status → roles allowed
MATRIX = {
    policy.EDIT: {"open": {"coordinator"}, "returned": {"coordinator"}, "submitted": set(), "accepted": set()},
    policy.SUBMIT: {"open": {"coordinator"}, "returned": {"coordinator"}, "submitted": set(), "accepted": set()},
    policy.COMMENT: {s: {"coordinator", "partner"} for s in ("open", "returned", "submitted", "accepted")},
    policy.DECIDE: {"open": set(), "returned": set(), "submitted": {"state_rep"}, "accepted": set()},
    policy.REOPEN: {"open": set(), "returned": set(), "submitted": set(), "accepted": {"officer", "signatory"}},
}


def _set_status(report, status):
    ProgressReport.objects.filter(pk=report.pk).update(
        status=status, submitted_at="2028-02-01T10:00:00Z", decided_by=report.agenda.alliance.coordinators.first()
    )
    report.refresh_from_db()


def test_view_matrix(report, people):
    wrong = []
    for role in ROLES:
        user, allowed = people[role], role in VIEW
        got = (
            policy.can(user, policy.VIEW, report),
            policy.visible(user).filter(pk=report.pk).exists(),
            policy.can_view_agenda(user, report.agenda),
        )
        if got != (allowed, allowed, allowed):
            wrong.append((role, got))
    assert wrong == []


def test_anonymous_sees_nothing(report):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not policy.visible(anon).exists()
    assert not policy.can(anon, policy.VIEW, report)
    assert not policy.visible_change_requests(anon).exists()


@pytest.mark.parametrize("status", ["open", "returned", "submitted", "accepted"])
@pytest.mark.parametrize("action", list(MATRIX))
def test_action_matrix(report, people, action, status):
    """Every role, allowed and refused; a refusal always carries a reason."""
    _set_status(report, status)
    allowed = {role for role in ROLES if policy.can(people[role], action, report)}
    assert allowed == MATRIX[action][status]
    for role in set(ROLES) - allowed:
        assert policy.refusal_reason(people[role], action, report)


def test_get_for_answers_404_for_invisible_and_reason_for_refused(report, people):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        policy.get_for(people.reviewer, report.pk)
    with pytest.raises(Http404):
        policy.get_for(people.other_state_rep, report.pk)
    with pytest.raises(PermissionDenied) as exc:
        policy.get_for(people.partner, report.pk, policy.EDIT)
    assert "Alleen de coördinator" in str(exc.value)


def test_request_change_matrix(active_agenda, people):
    assert {r for r in ROLES if policy.can_request_change(people[r], active_agenda)} == {"coordinator"}


@pytest.mark.parametrize(
    ("route", "status", "action", "allowed"),
    [
        ("state_representative", "submitted", policy.DECIDE_CHANGE, {"state_rep"}),
        ("state_representative", "submitted", policy.PREPARE_CHANGE, set()),
        ("state_representative", "submitted", policy.SIGN_CHANGE, set()),
        ("state_representative", "submitted", policy.WITHDRAW_CHANGE, {"coordinator"}),
        ("ministry", "submitted", policy.DECIDE_CHANGE, set()),
        ("ministry", "submitted", policy.PREPARE_CHANGE, {"officer"}),
        ("ministry", "submitted", policy.SIGN_CHANGE, set()),
        ("ministry", "prepared", policy.SIGN_CHANGE, {"signatory"}),
        ("ministry", "prepared", policy.PREPARE_CHANGE, set()),
        ("ministry", "prepared", policy.WITHDRAW_CHANGE, {"coordinator"}),
        ("ministry", "accepted", policy.WITHDRAW_CHANGE, set()),
        ("ministry", "accepted", policy.SIGN_CHANGE, set()),
    ],
)
def test_change_request_matrix(active_agenda, people, route, status, action, allowed):
    from agendas.models import ChangeRequest

    ms = active_agenda.priorities.first().milestones.first()
    cr = change_request_create(
        agenda=active_agenda,
        actor=people.coordinator,
        reason="Later klaar",
        milestone_changes=[{"milestone": ms.pk, "new_target_year": ms.target_year + 1}],
    )
    ChangeRequest.objects.filter(pk=cr.pk).update(
        route=route,
        status=status,
        prepared_by=people.officer if status != "submitted" else None,
        decided_by=people.signatory if status == "accepted" else None,
    )
    cr.refresh_from_db()
    assert {r for r in ROLES if policy.can_change_request(people[r], action, cr)} == allowed
    assert {r for r in ROLES if policy.can_change_request(people[r], policy.VIEW, cr)} == VIEW


def test_preparer_who_is_also_signatory_may_not_sign(active_agenda, people):
    from agendas.models import ChangeRequest
    from tests.factories import UserFactory

    both = UserFactory(role=["ministry_officer", "ministry_signatory"])
    ms = active_agenda.priorities.first().milestones.first()
    cr = change_request_create(
        agenda=active_agenda,
        actor=people.coordinator,
        reason="x",
        milestone_changes=[{"milestone": ms.pk, "new_target_year": ms.target_year + 3}],
    )
    ChangeRequest.objects.filter(pk=cr.pk).update(status="prepared", prepared_by=both)
    cr.refresh_from_db()
    assert not policy.can_change_request(both, policy.SIGN_CHANGE, cr)
    assert "Vier ogen" in policy.change_refusal_reason(both, policy.SIGN_CHANGE, cr)
    assert policy.can_change_request(people.signatory, policy.SIGN_CHANGE, cr)
