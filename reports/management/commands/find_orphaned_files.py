from django.core.management.base import BaseCommand

from reports.services import find_orphaned_files


class Command(BaseCommand):
    help = "Lists files in MEDIA_ROOT that no record refers to (leftovers of crashes). Deletes nothing."

    def handle(self, *args, **options):
        orphans = find_orphaned_files()
        for name in orphans:
            self.stdout.write(name)
        self.stderr.write(f"{len(orphans)} orphaned file(s)")
        return None
