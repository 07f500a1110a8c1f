"""Builders for workflow tests: a complete agenda, the cast of people around it, and steps to move it on.

Import into a test module with ``from tests.agendas.workflow_fixtures import *`` (fixtures: ``world``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import Organisation, User
from agendas.decision import reviews as review_services
from agendas.decision import services
from agendas.decision import signoff as signoff_services
from agendas.models import Agenda, BroadWelfareDimension, FundingSource
from agendas.summary.services import refresh_summary
from tests.factories import (
    AgendaFactory,
    AgendaPartnerFactory,
    AllianceFactory,
    BudgetLineFactory,
    MilestoneFactory,
    OrganisationFactory,
    PriorityFactory,
    UserFactory,
    confirm_cofinancing,
    make_coordinator,
    make_partner,
    make_state_representative,
    member_of,
)

__all__ = [
    "World",
    "build_world",
    "world",
    "make_complete_agenda",
    "full_scores",
    "advance",
    "STATES",
]


def make_complete_agenda(alliance=None, **agenda_kwargs) -> Agenda:
    """An agenda that passes the completeness checklist (priority, milestone, budget 1:1, two partners)."""
    alliance = alliance or AllianceFactory(organisations=[OrganisationFactory()])
    if not alliance.coordinators.exists():
        make_coordinator(alliance)
    agenda = AgendaFactory(alliance=alliance, **agenda_kwargs)
    for _i in range(2):
        AgendaPartnerFactory(agenda=agenda, organisation=OrganisationFactory(type=Organisation.Type.COMPANY))
    priority = PriorityFactory(agenda=agenda)
    MilestoneFactory(priority=priority, target_year=agenda.start_year + 3, baseline_year=agenda.start_year - 1)
    BudgetLineFactory(priority=priority, year=agenda.start_year, amount=Decimal("100000.00"))
    BudgetLineFactory(priority=priority, year=agenda.start_year + 1, amount=Decimal("50000.00"))
    BudgetLineFactory(
        priority=priority,
        year=agenda.start_year,
        amount=Decimal("150000.00"),
        source=FundingSource.objects.get(code="provincie"),
    )
    confirm_cofinancing(agenda)
    refresh_summary(agenda)  # rows made by factories (not through the services): the dashboard summary follows
    return agenda


def user_with(*codes: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    for code in codes:
        user.groups.add(Group.objects.get(name=code))
    user.__dict__.pop("role_codes", None)
    return user


@dataclass
class World:
    agenda: Agenda
    coordinator: User
    partner: User
    other_coordinator: User
    state_rep: User
    other_state_rep: User
    reviewer: User
    reviewer2: User
    free_reviewer: User
    conflicted_reviewer: User
    officer: User
    officer2: User
    signatory: User
    signatory2: User
    admin: User
    supporter: User | None = None  # supports the agenda's region (support track, issue 16)

    def refresh(self) -> Agenda:
        self.agenda.refresh_from_db()
        return self.agenda

    def fresh(self, user: User) -> User:
        """A new instance without cached role/alliance lookups (as a new request would have)."""
        return User.objects.get(pk=user.pk)


def build_world(**agenda_kwargs) -> World:
    agenda = make_complete_agenda(**agenda_kwargs)
    alliance = agenda.alliance
    other_alliance = AllianceFactory(organisations=[OrganisationFactory()])
    conflicted = user_with(roles.REVIEWER)
    member_of(conflicted, alliance.organisations.first(), start_date=datetime.date(2015, 1, 1))
    return World(
        agenda=agenda,
        coordinator=alliance.coordinators.first(),
        partner=make_partner(alliance),
        other_coordinator=make_coordinator(other_alliance),
        state_rep=make_state_representative(alliance.region),
        other_state_rep=make_state_representative(other_alliance.region),
        reviewer=user_with(roles.REVIEWER),
        reviewer2=user_with(roles.REVIEWER),
        free_reviewer=user_with(roles.REVIEWER),
        conflicted_reviewer=conflicted,
        officer=user_with(roles.MINISTRY_OFFICER),
        officer2=user_with(roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY),
        signatory=user_with(roles.MINISTRY_SIGNATORY),
        signatory2=user_with(roles.MINISTRY_SIGNATORY),
        admin=user_with(roles.ADMINISTRATOR),
        supporter=_supporter_of(alliance.region),
    )


def _supporter_of(region) -> User:
    from accounts.models import RegionSupport

    supporter = user_with(roles.SUPPORTER)
    support = RegionSupport.objects.create(
        region=region, kind=RegionSupport.Kind.VNG, organisation_name="VNG", start_date=datetime.date(2020, 1, 1)
    )
    support.supporters.add(supporter)
    return supporter


@pytest.fixture
def world(db) -> World:
    return build_world()


def full_scores(effect: int = 1) -> list[review_services.ScoreInput]:
    return [
        review_services.ScoreInput(d.pk, effect, "medium", f"Toelichting {d.code}")
        for d in BroadWelfareDimension.objects.filter(active=True)
    ]


def _write_review(w: World, assignment, *, verdict="positive", points=()):
    review = assignment.review
    review_services.review_save(
        assignment=assignment,
        actor=w.fresh(assignment.reviewer),
        lock_version=review.lock_version,
        distribution_effects="Ouderen in kleine kernen winnen; de stad verliest weinig.",
        verdict=verdict,
        recommendations="Maak de aanpak meetbaar per kern.",
        scores=full_scores(),
        remarks={w.agenda.priorities.first().pk: "Goed onderbouwd."},
        response_points=[review_services.PointInput(text) for text in points],
    )
    return review_services.review_submit(assignment=assignment, actor=w.fresh(assignment.reviewer))


STATES = ["draft", "submitted", "under_review", "awaiting_decision", "prepared", "returned", "approved", "rejected"]


def advance(w: World, state: str, *, points=("Hoe bereikt u de kleine kernen?",), outcome=None, while_preparing=None):
    """Bring ``w.agenda`` to ``state`` through the real services. ``prepared`` = awaiting_decision with a nota.
    ``while_preparing(w)`` runs once the agenda awaits its decision, before the nota (e.g. the Rijk's commitments)."""
    if state == "draft":
        return
    services.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    if state == "submitted":
        return
    assignment = services.reviewer_assign(agenda=w.agenda, actor=w.fresh(w.officer), reviewer=w.reviewer)
    assignment = services.assignment_declare(assignment=assignment, actor=w.fresh(w.reviewer), has_conflict=False)
    if state == "under_review":
        return
    assignment.refresh_from_db()
    _write_review(w, assignment, verdict="conditional", points=points)
    services.advice_save(
        agenda=w.agenda, actor=w.fresh(w.state_rep), text="Steun de agenda.", recommendation="approve", submit=True
    )
    if while_preparing is not None:
        while_preparing(w)
    if state == "awaiting_decision":
        return
    advised = (
        outcome or {"prepared": "approve", "returned": "return", "approved": "approve", "rejected": "reject"}[state]
    )
    signoff_services.decision_prepare(
        agenda=w.agenda,
        actor=w.fresh(w.officer),
        advised_decision=advised,
        core="De agenda sluit aan bij Elke regio telt!",
        reasons="" if advised == "approve" else "De aanpak voor kleine kernen ontbreekt.",
        year_amounts={w.agenda.start_year: "100000.00"} if advised == "approve" else {},
        conditions="Jaarlijkse voortgangsrapportage." if advised == "approve" else "",
    )
    if state == "prepared":
        return
    signoff_services.decision_sign(agenda=w.agenda, actor=w.fresh(w.signatory), second_factor_verified=True)


def today() -> datetime.date:
    return timezone.localdate()
