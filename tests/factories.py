"""factory_boy factories with traits per role and state."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Alliance, Membership, Organisation, Region, StateRepresentativeAssignment, User
from agendas.models import Agenda, AgendaPartner, BudgetLine, FundingSource, Milestone, Priority, Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("Correct-Horse-42!")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            for code in extracted if isinstance(extracted, (list, tuple)) else [extracted]:
                self.groups.add(Group.objects.get(name=code))
            self.__dict__.pop("role_codes", None)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Voorbeeld {n}")
    type = Organisation.Type.MUNICIPALITY


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Regio {n}")
    code = factory.Sequence(lambda n: f"regio-{n}")


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Alliantie {n}")

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if extracted:
            self.organisations.add(*extracted)


def member_of(user: User, organisation: Organisation, **kwargs) -> Membership:
    return Membership.objects.create(user=user, organisation=organisation, **kwargs)


def make_coordinator(alliance: Alliance, **kwargs) -> User:
    user = UserFactory(role=roles.COORDINATOR, **kwargs)
    org = alliance.organisations.first() or OrganisationFactory()
    alliance.organisations.add(org)
    member_of(user, org)
    alliance.coordinators.add(user)
    return user


def make_partner(alliance: Alliance, **kwargs) -> User:
    user = UserFactory(role=roles.PARTNER, **kwargs)
    org = OrganisationFactory(type=Organisation.Type.EDUCATION)
    alliance.organisations.add(org)
    member_of(user, org)
    return user


def make_state_representative(region: Region, **kwargs) -> User:
    user = UserFactory(role=roles.STATE_REPRESENTATIVE, **kwargs)
    StateRepresentativeAssignment.objects.create(user=user, region=region)
    return user


class AgendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agenda

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"Kansenagenda {n}")
    start_year = 2027
    end_year = 2036
    vision = "Een vitale regio waar iedereen kan wonen, werken en leven."
    analysis = "Vergrijzing, krimp en afstand tot voorzieningen stapelen zich op."


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    agenda = factory.SubFactory(AgendaFactory)
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="zorg"))
    title = factory.Sequence(lambda n: f"Prioriteit {n}")
    goals = "Meer zorgmedewerkers opleiden en behouden."


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    priority = factory.SubFactory(PriorityFactory)
    year = 2027
    source = factory.LazyFunction(lambda: FundingSource.objects.get(code="rijk-extra"))
    amount = Decimal("100000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    priority = factory.SubFactory(PriorityFactory)
    title = "150 extra zorgmedewerkers opgeleid"
    indicator_name = "Opgeleide zorgmedewerkers"
    unit = "personen"
    baseline_value = Decimal("0")
    baseline_year = 2026
    target_value = Decimal("150")
    target_year = 2030


class AgendaPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaPartner

    agenda = factory.SubFactory(AgendaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Uitvoerder"
    commitment_type = AgendaPartner.Commitment.MONEY


def confirm_cofinancing(agenda, organisation=None, user=None):
    """Record, as the partner would, a confirmation for every co-financing amount of the budget (fixtures only)."""
    from django.utils import timezone

    from agendas.drafting.commitments import commitment_cells
    from agendas.models import PartnerCommitment

    organisation = organisation or agenda.partners.order_by("pk").first().organisation
    user = user or UserFactory(role=roles.PARTNER)
    for cell in commitment_cells(agenda):
        if cell.budgeted > cell.confirmed:
            own = next((c for c in cell.commitments if c.organisation_id == organisation.pk), None)
            if own is not None:
                PartnerCommitment.objects.filter(pk=own.pk).update(amount=own.amount + cell.budgeted - cell.confirmed)
                continue
            PartnerCommitment.objects.create(
                agenda=agenda,
                organisation=organisation,
                year=cell.year,
                source=cell.source,
                amount=cell.budgeted - cell.confirmed,
                confirmed_by=user,
                confirmed_at=timezone.now(),
            )


def confirm_amount(agenda, year: int, source_code: str, amount: str):
    """A partner's confirmation given before the budget holds the amount (fixtures only)."""
    from django.utils import timezone

    from agendas.models import PartnerCommitment

    return PartnerCommitment.objects.create(
        agenda=agenda,
        organisation=agenda.partners.order_by("pk").first().organisation,
        year=year,
        source=FundingSource.objects.get(code=source_code),
        amount=Decimal(amount),
        confirmed_by=UserFactory(role=roles.PARTNER),
        confirmed_at=timezone.now(),
    )
