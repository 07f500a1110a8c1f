from django.core.management.base import BaseCommand

from agendas import demo_data
from agendas.welfare.demo import load_demo_monitor


class Command(BaseCommand):
    help = (
        "Bouwt demo-agenda's (concept, in beoordeling, goedgekeurd) via de echte services. Veilig om vaker te draaien."
    )

    def handle(self, *args, **options):
        built = demo_data.build()
        for title in built:
            self.stdout.write(f"  agenda gemaakt: {title}")
        self.stdout.write(self.style.SUCCESS(f"Demo-agenda's klaar ({len(built)} nieuw)."))
        if load_demo_monitor():
            self.stdout.write("  monitor brede welvaart: FICTIEVE demowaarden ingelezen (geen CBS-data)")
