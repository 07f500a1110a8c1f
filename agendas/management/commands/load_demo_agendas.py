from django.core.management.base import BaseCommand

from agendas import demo_data


class Command(BaseCommand):
    help = (
        "Bouwt demo-agenda's (concept, in beoordeling, goedgekeurd) via de echte services. Veilig om vaker te draaien."
    )

    def handle(self, *args, **options):
        built = demo_data.build()
        for title in built:
            self.stdout.write(f"  agenda gemaakt: {title}")
        self.stdout.write(self.style.SUCCESS(f"Demo-agenda's klaar ({len(built)} nieuw)."))
