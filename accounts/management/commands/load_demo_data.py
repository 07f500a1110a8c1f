from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo_data
from accounts.models import (
    Alliance,
    Membership,
    Municipality,
    Organisation,
    Province,
    Region,
    StateRepresentativeAssignment,
    User,
)


class Command(BaseCommand):
    help = "Laadt demogegevens (regio's, organisaties, allianties, één gebruiker per rol). Veilig om vaker te draaien."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Toon de demo-accounts niet.")

    @transaction.atomic
    def handle(self, *args, **options):
        provinces = {p.code: p for p in Province.objects.all()}
        ministry, _ = Organisation.objects.get_or_create(
            name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            defaults={"type": Organisation.Type.RIJK, "identifier": "00000001003214345000"},
        )
        pbl, _ = Organisation.objects.get_or_create(
            name="Planbureau voor de Leefomgeving", defaults={"type": Organisation.Type.KNOWLEDGE}
        )
        alliances = {}
        for code, name, prov_codes, municipalities, characteristics in demo_data.REGIONS:
            region, _ = Region.objects.update_or_create(code=code, defaults={"name": name, **characteristics})
            region.provinces.set([provinces[c] for c in prov_codes])
            munis = []
            for muni_name in municipalities:
                muni, _ = Municipality.objects.get_or_create(name=muni_name, province=provinces[prov_codes[0]])
                munis.append(muni)
            region.municipalities.set(munis)
            alliance, _ = Alliance.objects.get_or_create(
                name=f"Regionale alliantie {name}", defaults={"region": region}
            )
            orgs = []
            for muni_name in municipalities:
                org, _ = Organisation.objects.get_or_create(
                    name=f"Gemeente {muni_name}", defaults={"type": Organisation.Type.MUNICIPALITY}
                )
                orgs.append(org)
            for org_name, org_type in demo_data.EXTRA_ORGANISATIONS.get(code, []):
                org, _ = Organisation.objects.get_or_create(name=org_name, defaults={"type": org_type})
                orgs.append(org)
            alliance.organisations.add(*orgs)
            alliances[code] = alliance

        accounts = []
        for email, first, last, role, region_code in demo_data.DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=demo_data.DEMO_PASSWORD, first_name=first, last_name=last
                )
            user.groups.add(Group.objects.get(name=role))
            if role == "administrator" and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            if region_code:
                alliance = alliances[region_code]
                if role == "coordinator":
                    org = alliance.organisations.get(name="Gemeente Doetinchem")
                    Membership.objects.get_or_create(user=user, organisation=org, defaults={})
                    alliance.coordinators.add(user)
                elif role == "partner":
                    org = alliance.organisations.get(name="Graafschap College")
                    Membership.objects.get_or_create(user=user, organisation=org, defaults={})
                elif role == "state_representative":
                    StateRepresentativeAssignment.objects.get_or_create(user=user, region=alliance.region)
            elif role in ("ministry_officer", "ministry_signatory"):
                Membership.objects.get_or_create(user=user, organisation=ministry)
            elif role == "reviewer":
                Membership.objects.get_or_create(user=user, organisation=pbl)
            accounts.append((email, role))

        represented = set(StateRepresentativeAssignment.objects.values_list("region__code", flat=True))
        for code, name, *_rest in demo_data.REGIONS:
            if code in represented:
                continue
            email, first, last = demo_data.region_state_representative(code, name)
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email=email, password=demo_data.DEMO_PASSWORD, first_name=first, last_name=last
            )
            user.groups.add(Group.objects.get(name="state_representative"))
            StateRepresentativeAssignment.objects.get_or_create(user=user, region=alliances[code].region)

        from accounts import roles

        if not options["quiet_accounts"]:
            self.stdout.write(
                self.style.SUCCESS("Demogegevens geladen. Demo-accounts (wachtwoord voor alle accounts):")
            )
            self.stdout.write(f"  wachtwoord: {demo_data.DEMO_PASSWORD}")
            for email, role in accounts:
                self.stdout.write(f"  {roles.role_label(role):45} {email}")
            self.stdout.write(
                "  (BZK-rollen en beheerder stellen bij de eerste keer inloggen tweestapsverificatie in, "
                "tenzij TWO_FACTOR_ENFORCED=false; in de demo-omgeving staat dat uit.)"
            )
