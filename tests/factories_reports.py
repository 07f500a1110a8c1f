"""Factories for the reports tests: agendas with versions, reviews, advice and signed decisions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts import roles
from agendas.decision.versions import build_snapshot
from agendas.models import (
    Advice,
    Agenda,
    AgendaPartner,
    AgendaVersion,
    BroadWelfareDimension,
    BudgetLine,
    Comment,
    Decision,
    DecisionYearAmount,
    FundingSource,
    Milestone,
    NationalProgramme,
    Priority,
    Review,
    ReviewAssignment,
    ReviewDimensionScore,
    Theme,
)
from agendas.summary.services import mark_stale, refresh_summary
from tests.factories import AgendaFactory, AllianceFactory, OrganisationFactory, UserFactory


def source(code: str) -> FundingSource:
    return FundingSource.objects.get(code=code)


def build_agenda(
    *,
    alliance=None,
    status=Agenda.Status.DRAFT,
    priorities: int = 2,
    years: int = 3,
    sources=("rijk-extra", "provincie", "gemeenten"),
    milestones: int = 2,
    amount: Decimal = Decimal("100000.00"),
    theme_codes=("zorg", "huisvesting"),
    programme_code: str | None = None,
    start_year: int = 2027,
    **kwargs,
) -> Agenda:
    """An agenda with ``priorities`` × ``years`` × ``sources`` budget lines (amount grows with the index,
    so sums are not trivially symmetrical) and ``milestones`` per priority."""
    agenda = AgendaFactory(
        alliance=alliance or AllianceFactory(),
        status=status,
        start_year=start_year,
        end_year=start_year + max(years, 1) - 1,
        **kwargs,
    )
    source_objs = [source(c) for c in sources]
    programme = NationalProgramme.objects.get(code=programme_code) if programme_code else None
    lines = []
    ms = []
    for p in range(priorities):
        priority = Priority.objects.create(
            agenda=agenda,
            theme=Theme.objects.get(code=theme_codes[p % len(theme_codes)]),
            title=f"Prioriteit {p + 1} van {agenda.title}",
            goals="Doelen van de prioriteit.",
            theory_cause="Oorzaak.",
            theory_action="Aanpak.",
            theory_conditions="Randvoorwaarden.",
            theory_expected_change="Verwachte verandering.",
            order=p,
        )
        priority.dimensions.add(*BroadWelfareDimension.objects.all()[:2])
        if programme:
            priority.programmes.add(programme)
        for y in range(years):
            for s_index, src in enumerate(source_objs):
                lines.append(
                    BudgetLine(
                        priority=priority,
                        year=start_year + y,
                        source=src,
                        amount=amount + Decimal(p * 1000 + y * 100 + s_index) + Decimal("0.25"),
                    )
                )
        for m in range(milestones):
            ms.append(
                Milestone(
                    priority=priority,
                    title=f"Mijlpaal {m + 1}",
                    indicator_name="Opgeleide zorgmedewerkers",
                    unit="personen",
                    baseline_value=Decimal("10"),
                    baseline_year=start_year - 1,
                    target_value=Decimal("150") + m,
                    target_year=start_year + min(m, years - 1),
                )
            )
    BudgetLine.objects.bulk_create(lines)
    Milestone.objects.bulk_create(ms)
    refresh_summary(agenda)  # rows made directly (not through the services): the dashboard summary follows
    if status != Agenda.Status.DRAFT and not agenda.current_version:
        make_version(agenda)  # after the content, as a submission freezes it
    return agenda


def make_version(agenda: Agenda, actor=None) -> AgendaVersion:
    actor = actor or UserFactory(role=roles.COORDINATOR)
    number = agenda.current_version + 1
    # a real snapshot, as a submission makes: documents render the version they are labelled with
    snapshot = build_snapshot(Agenda.objects.select_related("alliance__region").get(pk=agenda.pk))
    version = AgendaVersion.objects.create(agenda=agenda, number=number, snapshot=snapshot, created_by=actor)
    Agenda.objects.filter(pk=agenda.pk).update(current_version=number, submitted_at=timezone.now())
    mark_stale([agenda.alliance.region_id])  # an update() skips the save signals the region summary follows
    agenda.refresh_from_db()
    return version


def make_decision(
    agenda: Agenda,
    *,
    outcome: str = Decision.Outcome.APPROVE,
    signed: bool = True,
    actively_published: bool = True,
    amounts: dict[int, Decimal] | None = None,
    preparer=None,
    signatory=None,
    with_review: bool = True,
) -> Decision:
    version = agenda.versions.order_by("-number").first() or make_version(agenda)
    preparer = preparer or UserFactory(role=roles.MINISTRY_OFFICER, first_name="Petra", last_name="Voorbereider")
    signatory = signatory or UserFactory(role=roles.MINISTRY_SIGNATORY, first_name="Sander", last_name="Tekenaar")
    if with_review:
        reviewer = UserFactory(role=roles.REVIEWER, first_name="Rob", last_name="Beoordelaar")
        assignment = ReviewAssignment.objects.create(
            agenda=agenda,
            version=version,
            reviewer=reviewer,
            assigned_by=preparer,
            due_date=datetime.date(2026, 1, 1),
            status=ReviewAssignment.Status.SUBMITTED,
        )
        review = Review.objects.create(
            assignment=assignment,
            verdict=Review.Verdict.CONDITIONAL,
            distribution_effects="Vooral jongeren in kleine kernen profiteren.",
            recommendations="Versterk de monitoring van de zorgprioriteit.",
            submitted_at=timezone.now(),
        )
        ReviewDimensionScore.objects.create(
            review=review,
            dimension=BroadWelfareDimension.objects.get(code="gezondheid"),
            effect=2,
            confidence=ReviewDimensionScore.Confidence.HIGH,
        )
        Advice.objects.create(
            agenda=agenda,
            version=version,
            author=UserFactory(role=roles.STATE_REPRESENTATIVE, first_name="Ria", last_name="Vertegenwoordiger"),
            text="Ik adviseer goedkeuring onder voorwaarden.",
            recommendation=Advice.Recommendation.APPROVE_WITH_CONDITIONS,
            submitted_at=timezone.now(),
        )
    decision = Decision.objects.create(
        agenda=agenda,
        version=version,
        addressed_to="minBZK",
        sender="DGOBDR/BFR",
        reference=f"2026-{agenda.pk:010d}",
        date=datetime.date(2026, 7, 12),
        prepared_by=preparer,
        advised_decision=outcome,
        core="Kern van het besluit.",
        explanation="Toelichting op het besluit.",
        actively_published=actively_published,
        conditions="Jaarlijkse voortgangsrapportage." if outcome == Decision.Outcome.APPROVE else "",
        reasons="" if outcome == Decision.Outcome.APPROVE else "De agenda is onvoldoende onderbouwd.",
        signed_by=signatory if signed else None,
        signed_at=timezone.now() if signed else None,
        outcome=outcome if signed else "",
    )
    if outcome == Decision.Outcome.APPROVE:
        for year, value in (amounts or {}).items():
            DecisionYearAmount.objects.create(decision=decision, year=year, approved_amount=value)
    return decision


def add_personal_data(agenda: Agenda):
    """Names, e-mail addresses and an internal comment that must never reach a public page."""
    author = UserFactory(email="geheim.persoon@example.nl", first_name="Geheimnaam", last_name="Persoonlijk")
    Comment.objects.create(agenda=agenda, section="vision", author=author, body="Interne opmerking: niet openbaar!")
    AgendaPartner.objects.create(
        agenda=agenda,
        organisation=OrganisationFactory(name="Zorgcoöperatie Oost"),
        role="Uitvoerder",
        commitment_type=AgendaPartner.Commitment.MONEY,
        commitment="Contactpersoon Geheimnaam Persoonlijk (geheim.persoon@example.nl)",
        commitment_amount=Decimal("50000.00"),
    )
    resnapshot(agenda)  # the partner was part of the submitted content
    return author


def resnapshot(agenda: Agenda) -> None:
    """Test helper: the current version holds the agenda's content as it is now (as if submitted now)."""
    if agenda.current_version:
        fresh = Agenda.objects.select_related("alliance__region").get(pk=agenda.pk)
        AgendaVersion.objects.filter(agenda=agenda, number=agenda.current_version).update(
            snapshot=build_snapshot(fresh)
        )
