from django.core.management.base import BaseCommand

from reports.opendata import export_open_data, storage_name


class Command(BaseCommand):
    help = "Writes the open-data feed (public portfolio figures as CSV and JSON, with a data dictionary)."

    def handle(self, *args, **options):
        rows = export_open_data()
        for kind in ("csv", "json", "dictionary"):
            self.stdout.write(storage_name(kind))
        self.stderr.write(f"{rows} row(s)")
