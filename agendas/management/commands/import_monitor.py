from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agendas.welfare import services


class Command(BaseCommand):
    help = (
        "Leest een CSV-bestand van de regionale Monitor Brede Welvaart in (formaat: docs/monitor-import.md). "
        "Een jaar opnieuw inlezen vervangt dat jaar; de geschiedenis blijft bewaard."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="pad naar het CSV-bestand")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        record = services.monitor_import_create(data=file.read_bytes(), filename=file.name, actor=None)
        record = services.monitor_import_run(import_id=record.pk)
        if record.status != record.Status.DONE:
            for error in record.errors:
                self.stderr.write(f"  rij {error['row']}: {error['message']}")
            raise CommandError(f"Bestand geweigerd: {len(record.errors)} foute rij(en); er is niets ingelezen.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ingelezen: jaren {', '.join(map(str, record.years))}; {record.created_count} nieuw, "
                f"{record.updated_count} gewijzigd, {record.deleted_count} verwijderd, "
                f"{record.skipped_count} zonder waarde overgeslagen."
            )
        )
