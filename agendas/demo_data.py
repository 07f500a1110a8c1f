"""Demo agendas, built through the real services so they are consistent with the workflow:
- Achterhoek: a complete draft, ready to submit (the demo coordinator's own);
- Twente: submitted and under review (the demo reviewer has an assignment waiting);
- Zuid-Limburg: reviewed, advised, approved and active (with a progress report opened).
Idempotent: an agenda with the same title is not built twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Alliance, Membership, RegionSupport, StateRepresentativeAssignment, User
from agendas import clocks
from agendas.decision import reviews as review_services
from agendas.decision import services as wf
from agendas.decision import signoff as signoff_services
from agendas.drafting import budget as budget_services
from agendas.drafting import commitment_services
from agendas.drafting import milestones as milestone_services
from agendas.drafting import services as drafting
from agendas.drafting.commitments import commitment_cells
from agendas.models import Agenda, BroadWelfareDimension, FundingSource, NationalProgramme, Review, Theme
from agendas.rijk import services as rijk_services
from agendas.support import services as support_services

PASSWORD = "Kansen-Demo-2026!"

PRIORITIES = [
    (
        "zorg",
        "Zorg dichtbij in de kernen",
        "Huisartsenzorg en wijkverpleging binnen 15 minuten voor iedere inwoner.",
        (
            "Zorgverleners vertrekken, praktijken sluiten.",
            "Regionale zorgcampus en opleidingsplekken.",
            "Huisvesting voor zorgpersoneel.",
            "Betere gezondheid en langer zelfstandig wonen.",
        ),
        ("150 extra zorgmedewerkers opgeleid", "Opgeleide zorgmedewerkers", "personen", "0", "150", 2030),
        ["iza", "regio-deal"],
    ),
    (
        "onderwijs-arbeidsmarkt",
        "Leren en werken in de regio",
        "Jongeren vinden een opleiding en werk in de eigen regio.",
        (
            "Opleidingen verdwijnen, jongeren trekken weg.",
            "Praktijkleren met regionale werkgevers.",
            "Bereikbare mbo-locaties.",
            "Meer jongeren blijven in de regio wonen en werken.",
        ),
        ("400 extra praktijkleerplaatsen", "Praktijkleerplaatsen", "plaatsen", "120", "520", 2031),
        ["regios-aan-de-grens"],
    ),
]


def _user(email: str, first: str, last: str, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("role_codes", None)
    return user


def _complete_agenda(alliance: Alliance, coordinator: User, title: str, start: int) -> Agenda:
    agenda = drafting.agenda_create(
        alliance=alliance,
        actor=coordinator,
        data={
            "title": title,
            "start_year": start,
            "end_year": start + 9,
            "vision": f"{alliance.region.name}: een regio waar iedereen kan wonen, leren, werken en oud worden.",
            "analysis": "Vergrijzing, krimp en afstand tot voorzieningen stapelen zich op; tegelijk zijn er kansen "
            "in grensoverschrijdende samenwerking, zorginnovatie en de maakindustrie.",
            "baseline_notes": "Nulmeting volgens de Monitor Brede Welvaart (CBS), COROP-gebied van de regio.",
        },
    )
    sources = {s.code: s for s in FundingSource.objects.all()}
    orgs = list(alliance.organisations.exclude(memberships__user=coordinator).order_by("name")[:3])
    for org in orgs:
        drafting.partner_create(
            agenda=agenda,
            actor=coordinator,
            data={
                "organisation": org,
                "role": "Uitvoerend partner",
                "commitment_type": "money",
                "commitment": "Cofinanciering en projectleiding",
                "commitment_amount": Decimal("250000.00"),
            },
        )
    cells = []
    priorities = []
    for order, (theme, ptitle, goals, toc, ms, programmes) in enumerate(PRIORITIES):
        priority = drafting.priority_create(
            agenda=agenda,
            actor=coordinator,
            data={
                "theme": Theme.objects.get(code=theme),
                "title": ptitle,
                "goals": goals,
                "theory_cause": toc[0],
                "theory_action": toc[1],
                "theory_conditions": toc[2],
                "theory_expected_change": toc[3],
                "lead_partner": orgs[order % len(orgs)] if orgs else None,
                "order": order,
                "dimensions": list(Theme.objects.get(code=theme).dimensions.all()),
                "programmes": list(NationalProgramme.objects.filter(code__in=programmes)),
            },
        )
        priorities.append(priority)
        milestone_services.milestone_create(
            priority=priority,
            actor=coordinator,
            data={
                "title": ms[0],
                "indicator_name": ms[1],
                "unit": ms[2],
                "type": "output",
                "baseline_value": Decimal(ms[3]),
                "baseline_year": start - 1,
                "target_value": Decimal(ms[4]),
                "target_year": ms[5],
                "measurement": "Jaarlijkse registratie door de trekker.",
            },
        )
        for year in range(start, start + 4):
            cells.append(budget_services.BudgetCell(priority.pk, year, sources["rijk-extra"].pk, Decimal("500000.00")))
            cells.append(budget_services.BudgetCell(priority.pk, year, sources["provincie"].pk, Decimal("300000.00")))
            cells.append(budget_services.BudgetCell(priority.pk, year, sources["gemeenten"].pk, Decimal("200000.00")))
            cells.append(budget_services.BudgetCell(priority.pk, year, sources["privaat"].pk, Decimal("75000.50")))
    agenda.refresh_from_db()
    budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=cells,
        lock_versions={p.pk: Priority_lock(p) for p in priorities},
    )
    if orgs:
        _confirm_commitments(agenda, orgs)
    agenda.refresh_from_db()
    return agenda


def _confirm_commitments(agenda: Agenda, orgs: list) -> None:
    """Each co-financing source is confirmed by one partner organisation, by a person of it with the partner role."""
    for cell in commitment_cells(agenda):
        org = orgs[cell.source.order % len(orgs)]
        signer = _user(f"toezegging-{org.pk}@demo.kansenagenda.nl", "Financiën", org.name[:100], "partner")
        Membership.objects.get_or_create(user=signer, organisation=org)
        commitment_services.commitment_confirm(
            agenda=agenda, actor=signer, organisation=org, year=cell.year, source=cell.source, amount=cell.budgeted
        )


def Priority_lock(priority) -> int:  # noqa: N802 - tiny helper
    priority.refresh_from_db()
    return priority.lock_version


def _coordinator_for(alliance: Alliance, email: str, first: str, last: str) -> User:
    user = _user(email, first, last, "coordinator")
    org = alliance.organisations.order_by("name").first()
    Membership.objects.get_or_create(user=user, organisation=org)
    alliance.coordinators.add(user)
    return user


@transaction.atomic
def build() -> list[str]:
    built = []
    officer = User.objects.get(email="medewerker@demo.kansenagenda.nl")
    signatory = User.objects.get(email="ondertekenaar@demo.kansenagenda.nl")
    reviewer = User.objects.get(email="reviewer@demo.kansenagenda.nl")

    # 1. Achterhoek: complete draft of the demo coordinator.
    achterhoek = Alliance.objects.get(region__code="achterhoek")
    coordinator = User.objects.get(email="coordinator@demo.kansenagenda.nl")
    title = "Kansenagenda Achterhoek 2027–2036"
    if not Agenda.objects.filter(title=title).exists():
        _complete_agenda(achterhoek, coordinator, title, 2027)
        built.append(title)

    # 2. Twente: submitted, a review waiting for the demo reviewer.
    twente = Alliance.objects.get(region__code="twente")
    title = "Toekomstagenda Twente 2027–2036"
    if not Agenda.objects.filter(title=title).exists():
        coord = _coordinator_for(twente, "coordinator-twente@demo.kansenagenda.nl", "Ties", "Oude Luttikhuis")
        agenda = _complete_agenda(twente, coord, title, 2027)
        wf.agenda_submit(agenda=agenda, actor=coord)
        wf.reviewer_assign(agenda=agenda, actor=officer, reviewer=reviewer)
        built.append(title)

    # 3. Zuid-Limburg: approved and active.
    limburg = Alliance.objects.get(region__code="zuid-limburg")
    title = "Kansenagenda Zuid-Limburg 2025–2034"
    if not Agenda.objects.filter(title=title).exists():
        coord = _coordinator_for(limburg, "coordinator-limburg@demo.kansenagenda.nl", "Loes", "Hermans")
        rep = _user("rijksvertegenwoordiger-limburg@demo.kansenagenda.nl", "Jo", "Frissen", "state_representative")
        StateRepresentativeAssignment.objects.get_or_create(user=rep, region=limburg.region)
        second_reviewer = _user("reviewer2@demo.kansenagenda.nl", "Pim", "Verbeek", "reviewer")
        agenda = _complete_agenda(limburg, coord, title, 2025)
        wf.agenda_submit(agenda=agenda, actor=coord)
        assignment = wf.reviewer_assign(agenda=agenda, actor=officer, reviewer=second_reviewer)
        wf.assignment_declare(assignment=assignment, actor=second_reviewer, has_conflict=False, text="Geen belangen.")
        scores = [
            review_services.ScoreInput(d.pk, 1 if d.perspective != "elsewhere" else 0, "medium", "Verwacht positief.")
            for d in BroadWelfareDimension.objects.filter(active=True)
        ]
        review = review_services.review_save(
            assignment=assignment,
            actor=second_reviewer,
            lock_version=1,
            distribution_effects="Vooral ouderen en jongeren in de kleinere kernen winnen.",
            verdict=Review.Verdict.POSITIVE,
            recommendations="Volg de zorgcampus met een effectmeting.",
            scores=scores,
        )
        review_services.review_submit(assignment=assignment, actor=second_reviewer, lock_version=review.lock_version)
        wf.advice_save(
            agenda=agenda,
            actor=rep,
            text="De agenda sluit goed aan bij de regionale opgaven.",
            recommendation="approve",
            submit=True,
        )
        agenda.refresh_from_db()
        from agendas.decision.versions import requested_rijk_extra_by_year

        requested = {str(y): str(a) for y, a in requested_rijk_extra_by_year(wf.current_version(agenda)).items()}
        rijk = _demo_rijk_commitments(agenda, officer)
        signoff_services.decision_prepare(
            agenda=agenda,
            actor=officer,
            advised_decision="approve",
            core="Goedkeuring van de kansenagenda Zuid-Limburg met de gevraagde rijksbijdrage.",
            explanation="De beoordeling is positief en de rijksvertegenwoordiger adviseert goedkeuring.",
            addressed_to="Minister van BZK",
            sender="DG Volkshuisvesting en Ruimtelijke Ordening",
            reference="2026-0000123456",
            date=datetime.date(2026, 10, 1),
            actively_published=True,
            conditions="Jaarlijkse voortgangsrapportage voor 1 april.",
            year_amounts=requested,
        )
        signoff_services.decision_sign(agenda=agenda, actor=signatory, second_factor_verified=True)
        for year in rijk_services.reporting_years(agenda)[-1:]:
            rijk_services.rijk_commitment_report(
                commitment=rijk[0],
                actor=officer,
                year=year,
                status="on_track",
                explanation="Het loket is ingericht; de eerste ondernemers zijn geholpen.",
                lock_version=None,
            )
        built.append(title)
    agenda = Agenda.objects.filter(title=title, status=Agenda.Status.ACTIVE).first()
    if agenda is not None:
        _open_demo_report(agenda)
    _demo_support(achterhoek, officer)
    return built


def _demo_rijk_commitments(agenda: Agenda, officer: User) -> list:
    """Two of the Rijk's commitments, recorded while the decision is prepared (signed with it)."""
    return [
        rijk_services.rijk_commitment_create(agenda=agenda, actor=officer, data=data)
        for data in (
            {
                "ministry": "ez",
                "programme": "regio-deal",
                "text": "EZ opent samen met de regio een loket voor grensoverschrijdend ondernemen.",
                "due_year": agenda.start_year + 1,
            },
            {
                "ministry": "ocw",
                "programme": "",
                "text": "OCW maakt een proef met grensoverschrijdend mbo-onderwijs mogelijk.",
                "due_year": agenda.start_year + 3,
            },
        )
    ]


def _demo_support(alliance: Alliance, officer: User) -> None:
    """The Achterhoek is supported by the VNG: the demo supporter reads and comments on its draft agenda."""
    supporter = _user("ondersteuner@demo.kansenagenda.nl", "Hanna", "Steunebrink", "supporter")
    if RegionSupport.objects.filter(region=alliance.region).exists():
        return
    support_services.region_support_save(
        actor=officer,
        region=alliance.region,
        kind=RegionSupport.Kind.VNG,
        organisation_name="VNG Ondersteuningsteam Kansenagenda's",
        start_date=datetime.date(2026, 1, 1),
        supporters=[supporter],
    )


def report_year_open_in_time(agenda: Agenda, today: datetime.date | None = None) -> int:
    """The report year the demo opens: the last finished year while its report is not yet due, else the
    running year (so the coordinator's report never opens already late)."""
    today = today or clocks.today()
    year = today.year - 1 if clocks.report_due_date(today.year - 1) >= today else today.year
    return max(agenda.start_year, min(year, agenda.end_year))


def _open_demo_report(agenda: Agenda) -> None:
    from agendas.monitoring.services import progress_report_open

    progress_report_open(agenda=agenda, year=report_year_open_in_time(agenda))
