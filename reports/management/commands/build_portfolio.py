"""Build a realistic national portfolio for load tests and demos.

    python manage.py build_portfolio --seed 42            # 40 regions, 400 agendas, ~4,000 priorities,
                                                           # ~60,000 budget lines, ~16,000 milestones
    python manage.py build_portfolio --regions 4 --agendas 40
    python manage.py build_portfolio --seed 42 --scale 10 # 4,000 agendas, 600,000 budget lines, 160,000 milestones

Deterministic for a given seed (dates are relative to today, so clocks stay meaningful). Uses bulk
inserts, so no history rows are written for the generated data. Progress entries (~30,000) are made
only when the monitoring models (``agendas.ProgressReport``) exist.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts import roles
from accounts.models import Alliance, Organisation, Province, Region, StateRepresentativeAssignment, User
from agendas import finance
from agendas.models import (
    Advice,
    Agenda,
    AgendaPartner,
    AgendaVersion,
    BroadWelfareDimension,
    BudgetLine,
    Decision,
    DecisionYearAmount,
    FundingSource,
    Milestone,
    NationalProgramme,
    Priority,
    Review,
    ReviewAssignment,
    Theme,
)
from agendas.summary.services import rebuild_summaries
from kansenagenda import money

S = Agenda.Status
PREFIX = "pf-"
# Share of agendas per status (all states of the lifecycle).
STATUS_MIX = [
    (S.DRAFT, 10),
    (S.SUBMITTED, 8),
    (S.UNDER_REVIEW, 10),
    (S.AWAITING_DECISION, 7),
    (S.APPROVED, 10),
    (S.RETURNED, 5),
    (S.REJECTED, 5),
    (S.ACTIVE, 35),
    (S.CLOSED, 5),
    (S.WITHDRAWN, 5),
]
DECIDED = {S.APPROVED, S.ACTIVE, S.CLOSED, S.REJECTED, S.RETURNED}
REVIEWED = DECIDED | {S.UNDER_REVIEW, S.AWAITING_DECISION}
REGION_NAMES = [
    "Noord- en Oost-Groningen",
    "Zuid- en Oost-Drenthe",
    "Zuid-Limburg",
    "Midden-Limburg",
    "Noord-Limburg",
    "Zeeuws-Vlaanderen",
    "Kop van Noord-Holland",
    "De Achterhoek",
    "Zuidoost- en Noord-Fryslân",
    "Twente",
]
BATCH = 5000


class Command(BaseCommand):
    help = "Bouwt een realistische landelijke portefeuille (deterministisch met --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--regions", type=int, default=40)
        parser.add_argument("--agendas", type=int, default=400)
        parser.add_argument("--priorities", type=int, default=10, help="per agenda")
        parser.add_argument("--budget-years", type=int, default=5, help="years with budget lines per priority")
        parser.add_argument("--sources", type=int, default=3, help="funding sources per priority and year")
        parser.add_argument("--milestones", type=int, default=4, help="per priority")
        parser.add_argument("--password", default="Portefeuille-2026!", help="password of the generated users")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="multiply the number of agendas (and so priorities, budget lines, milestones): 10 → 4,000 agendas",
        )

    def handle(self, *args, **options):
        if Region.objects.filter(code__startswith=PREFIX).exists():
            raise CommandError("Deze database bevat al een gegenereerde portefeuille; gebruik een lege database.")
        if options["regions"] < 1 or options["agendas"] < 1 or options["scale"] < 1:
            raise CommandError("Geef minstens één regio en één agenda op.")
        options["agendas"] *= options["scale"]
        started = time.perf_counter()
        self.rng = random.Random(options["seed"])
        self.now = timezone.now()
        with transaction.atomic():
            counts = self.build(options)
        counts["voortgangsgegevens"] = self.build_progress()
        rebuild_summaries()  # bulk inserts bypass the services: the dashboard's summary, computed the one way
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics after a bulk load, so the planner picks hash joins
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{money.format_number(n, language='nl')} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Portefeuille gebouwd in {seconds:.1f} s: {summary}"))

    # --- the portfolio ----------------------------------------------------------------------
    def build(self, o) -> dict[str, int]:
        rng = self.rng
        themes = list(Theme.objects.order_by("pk"))
        sources = {s.code: s for s in FundingSource.objects.all()}
        rijk = sources["rijk-extra"]
        cofinancing = [s for s in sources.values() if finance.classify(s) == finance.COFINANCING]
        programmes = list(NationalProgramme.objects.order_by("pk"))
        dimensions = list(BroadWelfareDimension.objects.order_by("pk"))
        provinces = list(Province.objects.order_by("pk"))

        users = self.users = self.build_users(o)
        regions = Region.objects.bulk_create(
            [
                Region(
                    name=REGION_NAMES[i] if i < len(REGION_NAMES) else f"COROP-gebied CR{i + 1:02d}",
                    code=f"{PREFIX}{i + 1:02d}",
                    border_region=i % 3 == 0,
                    population_decline=i % 2 == 0,
                    ageing=i % 4 != 3,
                    far_from_economic_core=i % 5 < 2,
                )
                for i in range(o["regions"])
            ]
        )
        if provinces:
            Region.provinces.through.objects.bulk_create(
                [
                    Region.provinces.through(region_id=r.pk, province_id=provinces[i % len(provinces)].pk)
                    for i, r in enumerate(regions)
                ]
            )
        StateRepresentativeAssignment.objects.bulk_create(
            [
                StateRepresentativeAssignment(user=users["reps"][i], region=r, start_date=self.now.date())
                for i, r in enumerate(regions)
            ]
        )
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(name=f"{kind.label} {r.name}", type=kind)
                for r in regions
                for kind in (Organisation.Type.MUNICIPALITY, Organisation.Type.PROVINCE, Organisation.Type.EDUCATION)
            ]
        )
        per_region_orgs = {r.pk: organisations[i * 3 : i * 3 + 3] for i, r in enumerate(regions)}

        statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]
        alliances = Alliance.objects.bulk_create(
            [Alliance(region=regions[i % len(regions)], name=f"Alliantie {i + 1:04d}") for i in range(o["agendas"])]
        )
        Alliance.organisations.through.objects.bulk_create(
            [
                Alliance.organisations.through(alliance_id=a.pk, organisation_id=org.pk)
                for a in alliances
                for org in per_region_orgs[a.region_id]
            ]
        )
        agendas = []
        for i, alliance in enumerate(alliances):
            status = statuses[rng.randrange(len(statuses))]
            # Running and closed agendas started some years ago; the rest start soon.
            start = rng.randint(2021, 2024) if status in (S.ACTIVE, S.CLOSED) else rng.randint(2025, 2029)
            submitted = status != S.DRAFT
            agendas.append(
                Agenda(
                    alliance=alliance,
                    title=f"Kansenagenda {alliance.region.name} {i + 1:04d}",
                    start_year=start,
                    end_year=start + 9,
                    vision="Een vitale regio waar iedereen kan wonen, werken en leven.",
                    analysis="Vergrijzing, krimp en afstand tot voorzieningen stapelen zich op.",
                    status=status,
                    shared_with_ministry=not submitted and rng.random() < 0.3,
                    current_version=(rng.randint(1, 3) if submitted else 0),
                    submitted_at=self.now - timedelta(days=rng.randint(5, 420)) if submitted else None,
                    created_by=users["coordinator"],
                )
            )
        agendas = Agenda.objects.bulk_create(agendas, batch_size=BATCH)
        versions = AgendaVersion.objects.bulk_create(
            [
                AgendaVersion(agenda=a, number=n, snapshot={}, created_by=users["coordinator"])
                for a in agendas
                for n in range(1, a.current_version + 1)
            ],
            batch_size=BATCH,
        )
        latest_version = {v.agenda_id: v for v in versions}  # the last one per agenda wins
        AgendaPartner.objects.bulk_create(
            [
                AgendaPartner(
                    agenda=a,
                    organisation=org,
                    role="Partner",
                    commitment_type=AgendaPartner.Commitment.MONEY,
                    commitment_amount=Decimal(rng.randint(10, 500) * 1000),
                )
                for a in agendas
                for org in per_region_orgs[a.alliance.region_id]
            ],
            batch_size=BATCH,
        )

        priorities = Priority.objects.bulk_create(
            [
                Priority(
                    agenda=a,
                    theme=themes[(i + p) % len(themes)],
                    title=f"Prioriteit {p + 1}: {themes[(i + p) % len(themes)].name}",
                    goals="Meetbare doelen voor de regio.",
                    theory_cause="Oorzaak.",
                    theory_action="Aanpak.",
                    theory_conditions="Randvoorwaarden.",
                    theory_expected_change="Verwachte verandering.",
                    lead_partner=per_region_orgs[a.alliance.region_id][p % 3],
                    order=p,
                )
                for i, a in enumerate(agendas)
                for p in range(o["priorities"])
            ],
            batch_size=BATCH,
        )
        agenda_by_pk = {a.pk: a for a in agendas}
        Priority.programmes.through.objects.bulk_create(
            [
                Priority.programmes.through(priority_id=p.pk, nationalprogramme_id=rng.choice(programmes).pk)
                for p in priorities
                if rng.random() < 0.6
            ],
            batch_size=BATCH,
        )
        Priority.dimensions.through.objects.bulk_create(
            [
                Priority.dimensions.through(priority_id=p.pk, broadwelfaredimension_id=d.pk)
                for p in priorities
                for d in rng.sample(dimensions, 2)
            ],
            batch_size=BATCH,
        )
        lines = []
        requested: dict[tuple[int, int], Decimal] = {}
        for p in priorities:
            agenda = agenda_by_pk[p.agenda_id]
            for year in range(agenda.start_year, agenda.start_year + o["budget_years"]):
                chosen = [rijk] + rng.sample(cofinancing, max(0, min(o["sources"], len(cofinancing) + 1) - 1))
                for source in chosen:
                    amount = Decimal(rng.randint(20_000, 600_000)) + Decimal(rng.randint(0, 99)) / 100
                    lines.append(BudgetLine(priority=p, year=year, source=source, amount=amount))
                    if source is rijk:
                        key = (agenda.pk, year)
                        requested[key] = requested.get(key, Decimal("0")) + amount
        BudgetLine.objects.bulk_create(lines, batch_size=BATCH)
        milestones = Milestone.objects.bulk_create(
            [
                Milestone(
                    priority=p,
                    title=f"Resultaat {m + 1}",
                    indicator_name="Opgeleide zorgmedewerkers" if m % 2 == 0 else "Woningen toegevoegd",
                    unit="personen" if m % 2 == 0 else "woningen",
                    type=Milestone.Type.OUTPUT if m % 2 == 0 else Milestone.Type.OUTCOME,
                    baseline_value=Decimal(rng.randint(0, 50)),
                    baseline_year=agenda_by_pk[p.agenda_id].start_year - 1,
                    target_value=Decimal(rng.randint(60, 500)),
                    target_year=agenda_by_pk[p.agenda_id].start_year + 1 + m * 2,
                )
                for p in priorities
                for m in range(o["milestones"])
            ],
            batch_size=BATCH,
        )

        # Reviews, advice and decisions for agendas that got that far.
        assignments, advices, decisions = [], [], []
        for a in agendas:
            if a.status not in REVIEWED or a.pk not in latest_version:
                continue
            version = latest_version[a.pk]
            done = a.status != S.UNDER_REVIEW
            assignments.append(
                ReviewAssignment(
                    agenda=a,
                    version=version,
                    reviewer=users["reviewers"][a.pk % len(users["reviewers"])],
                    assigned_by=users["officer"],
                    due_date=(a.submitted_at + timedelta(days=42)).date(),
                    status=ReviewAssignment.Status.SUBMITTED if done else ReviewAssignment.Status.ACTIVE,
                )
            )
            if done:
                advices.append(
                    Advice(
                        agenda=a,
                        version=version,
                        author=users["reps"][(a.alliance.region_id - regions[0].pk) % len(users["reps"])],
                        text="Advies van de rijksvertegenwoordiger.",
                        recommendation=Advice.Recommendation.APPROVE_WITH_CONDITIONS,
                        submitted_at=a.submitted_at + timedelta(days=40),
                    )
                )
            if a.status in DECIDED:
                outcome = {
                    S.REJECTED: Decision.Outcome.REJECT,
                    S.RETURNED: Decision.Outcome.RETURN,
                }.get(a.status, Decision.Outcome.APPROVE)
                decisions.append(
                    Decision(
                        agenda=a,
                        version=version,
                        addressed_to="minBZK",
                        sender="DGOBDR/BFR",
                        reference=f"2026-{a.pk:010d}",
                        date=(a.submitted_at + timedelta(days=120)).date(),
                        prepared_by=users["officer"],
                        advised_decision=outcome,
                        core="Kern.",
                        actively_published=rng.random() < 0.5,
                        signed_by=users["signatory"],
                        signed_at=a.submitted_at + timedelta(days=130),
                        outcome=outcome,
                    )
                )
        assignments = ReviewAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        Review.objects.bulk_create(
            [
                Review(assignment=x, verdict=Review.Verdict.POSITIVE, submitted_at=x.agenda.submitted_at)
                for x in assignments
                if x.status == ReviewAssignment.Status.SUBMITTED
            ],
            batch_size=BATCH,
        )
        Advice.objects.bulk_create(advices, batch_size=BATCH)
        decisions = Decision.objects.bulk_create(decisions, batch_size=BATCH)
        year_amounts = [
            DecisionYearAmount(
                decision=d, year=year, approved_amount=(amount * Decimal("0.9")).quantize(Decimal("0.01"))
            )
            for d in decisions
            if d.outcome == Decision.Outcome.APPROVE
            for (agenda_pk, year), amount in requested.items()
            if agenda_pk == d.agenda_id
        ]
        DecisionYearAmount.objects.bulk_create(year_amounts, batch_size=BATCH)
        self.agendas = agendas
        return {
            "regio's": len(regions),
            "agenda's": len(agendas),
            "prioriteiten": len(priorities),
            "begrotingsregels": len(lines),
            "mijlpalen": len(milestones),
            "besluiten": len(decisions),
        }

    def build_users(self, o) -> dict:
        password = make_password(o["password"])
        groups = {g.name: g for g in Group.objects.all()}

        def user(email, first, last):
            return User(email=email, first_name=first, last_name=last, password=password)

        specs = [
            ("officer", roles.MINISTRY_OFFICER, [user("bench-officer@example.nl", "Bea", "Medewerker")]),
            ("signatory", roles.MINISTRY_SIGNATORY, [user("bench-signatory@example.nl", "Olaf", "Ondertekenaar")]),
            ("coordinator", roles.COORDINATOR, [user("bench-coordinator@example.nl", "Cor", "Coördinator")]),
            (
                "reviewers",
                roles.REVIEWER,
                [user(f"bench-reviewer-{i}@example.nl", "Rik", f"Beoordelaar {i}") for i in range(10)],
            ),
            (
                "reps",
                roles.STATE_REPRESENTATIVE,
                [
                    user(f"bench-rep-{i + 1:02d}@example.nl", "Roos", f"Rijksvertegenwoordiger {i + 1}")
                    for i in range(o["regions"])
                ],
            ),
        ]
        result, memberships = {}, []
        for key, role, objs in specs:
            created = User.objects.bulk_create(objs)
            memberships += [User.groups.through(user_id=u.pk, group_id=groups[role].pk) for u in created]
            result[key] = created if len(created) > 1 or key in ("reviewers", "reps") else created[0]
        User.groups.through.objects.bulk_create(memberships)
        return result

    # --- monitoring (only when its models exist) ----------------------------------------------
    def build_progress(self) -> int:
        """Progress reports of active and closed agendas, one per year from the start to this year:
        realised spending per budget line and a status per milestone (~30,000 entries at the default
        scale). Past years are accepted by the state representative; this year's report is open.
        Skipped while the monitoring models (``agendas.ProgressReport``) do not exist."""
        from django.apps import apps

        try:
            report_model = apps.get_model("agendas", "ProgressReport")
            realisation_model = apps.get_model("agendas", "BudgetLineRealisation")
            milestone_model = apps.get_model("agendas", "MilestoneProgress")
        except LookupError:
            self.stdout.write("Geen voortgangsrapportages: het model agendas.ProgressReport bestaat (nog) niet.")
            return 0
        rng = self.rng
        this_year = self.now.year
        rep_for_region = {a.region_id: a.user_id for a in StateRepresentativeAssignment.objects.all()}
        statuses = ["on_track", "on_track", "on_track", "at_risk", "delayed", "achieved", "not_started"]
        with transaction.atomic():
            reports = []
            for agenda in self.agendas:
                if agenda.status not in (S.ACTIVE, S.CLOSED):
                    continue
                for year in range(agenda.start_year, min(this_year, agenda.end_year) + 1):
                    done = year < this_year
                    moment = self.now.replace(year=year + 1, month=3, day=15)
                    reports.append(
                        report_model(
                            agenda=agenda,
                            year=year,
                            status="accepted" if done else "open",
                            due_date=moment.date().replace(month=4, day=1),
                            overall_narrative="Voortgang volgens plan, met vertraging bij één prioriteit.",
                            submitted_at=moment if done else None,
                            submitted_by=self.users["coordinator"] if done else None,
                            decided_at=moment + timedelta(days=10) if done else None,
                            decided_by_id=rep_for_region.get(agenda.alliance.region_id) if done else None,
                        )
                    )
            reports = report_model.objects.bulk_create(reports, batch_size=BATCH)
            agenda_ids = {r.agenda_id for r in reports}
            lines: dict[tuple[int, int], list[tuple[int, Decimal]]] = {}
            for pk, agenda_id, year, amount in BudgetLine.objects.filter(priority__agenda__in=agenda_ids).values_list(
                "pk", "priority__agenda_id", "year", "amount"
            ):
                lines.setdefault((agenda_id, year), []).append((pk, amount))
            milestones: dict[int, list[int]] = {}
            for pk, agenda_id in Milestone.objects.filter(priority__agenda__in=agenda_ids).values_list(
                "pk", "priority__agenda_id"
            ):
                milestones.setdefault(agenda_id, []).append(pk)
            realisations = [
                realisation_model(
                    report=r,
                    budget_line_id=pk,
                    realised=(amount * Decimal(rng.randint(40, 110)) / 100).quantize(Decimal("0.01")),
                )
                for r in reports
                for pk, amount in lines.get((r.agenda_id, r.year), [])
            ]
            realisation_model.objects.bulk_create(realisations, batch_size=BATCH)
            # Milestone statuses in the two most recent reports of each agenda.
            recent = sorted(reports, key=lambda r: (r.agenda_id, -r.year))
            recent = [r for i, r in enumerate(recent) if i < 2 or recent[i - 2].agenda_id != r.agenda_id]
            progress = [
                milestone_model(report=r, milestone_id=pk, status=rng.choice(statuses))
                for r in recent
                for pk in milestones.get(r.agenda_id, [])
            ]
            milestone_model.objects.bulk_create(progress, batch_size=BATCH)
            # Health by THE rule, stored the way the monitoring services store it.
            try:
                from agendas.monitoring.services import refresh_health
            except ImportError:  # monitoring services not installed
                refresh_health = None
            if refresh_health is not None and "health" in {f.name for f in milestone_model._meta.get_fields()}:
                for agenda_id in sorted({r.agenda_id for r in recent}):
                    refresh_health(
                        agenda_id=agenda_id, from_year=min(r.year for r in recent if r.agenda_id == agenda_id)
                    )
        return len(reports) + len(realisations) + len(progress)
