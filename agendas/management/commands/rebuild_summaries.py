"""Recompute the dashboard summary (agendas.summary: per agenda, then per region) from the source rows. Idempotent.

python manage.py rebuild_summaries            # every agenda
python manage.py rebuild_summaries --missing  # only agendas without a summary (after migrate, a bulk load)
python manage.py rebuild_summaries --check    # compare only; exit 1 when a stored summary is stale
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import Region
from agendas.models import Agenda, RegionSummaryStale
from agendas.summary.services import (
    fresh_cells,
    fresh_region_cells,
    rebuild_summaries,
    stored_cells,
    stored_region_cells,
)


class Command(BaseCommand):
    help = "Herbereken de samenvatting per agenda waaruit het portefeuilleoverzicht leest."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Alleen agenda's zonder samenvatting.")
        parser.add_argument("--check", action="store_true", help="Alleen vergelijken; fout als er een afwijkt.")

    def handle(self, *args, missing=False, check=False, **options):
        agendas = Agenda.objects.all()
        if missing:
            agendas = agendas.filter(summary__isnull=True)
        if check:
            ids = list(agendas.values_list("pk", flat=True))
            stale = sorted({key[0] for key in set(stored_cells(ids).items()) ^ set(fresh_cells(ids).items())})
            if stale:
                raise CommandError(_("Verouderde samenvatting bij agenda's: %(ids)s") % {"ids": stale[:20]})
            # A region marked stale is waiting for its recount (the dashboard reads its agendas meanwhile).
            regions = list(
                Region.objects.exclude(pk__in=RegionSummaryStale.objects.values("region_id")).values_list(
                    "pk", flat=True
                )
            )
            stale = sorted(
                {key[0] for key in set(stored_region_cells(regions).items()) ^ set(fresh_region_cells(regions).items())}
            )
            if stale:
                raise CommandError(_("Verouderde regiosamenvatting bij regio's: %(ids)s") % {"ids": stale[:20]})
            self.stdout.write(_("Alle %(n)d samenvattingen kloppen.") % {"n": len(ids)})
            return
        n = rebuild_summaries(agendas)
        self.stdout.write(_("%(n)d samenvattingen herberekend.") % {"n": n})
