"""The portfolio "agenda's voor alle regio's": every region, its latest agenda (or none yet) and its current
support. Three queries, whatever the number of regions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Region, RegionSupport
from agendas.models import Agenda


@dataclass
class RegionRow:
    region: Region
    agendas: list[Agenda] = field(default_factory=list)
    supports: list[RegionSupport] = field(default_factory=list)

    @property
    def latest(self) -> Agenda | None:
        return self.agendas[0] if self.agendas else None

    @property
    def current_supports(self) -> list[RegionSupport]:
        today = timezone.localdate()
        return [s for s in self.supports if s.is_current(today)]


def all_regions() -> list[RegionRow]:
    agendas: dict[int, list[Agenda]] = {}
    for agenda in Agenda.objects.select_related("alliance").order_by("-start_year", "-pk"):
        agendas.setdefault(agenda.alliance.region_id, []).append(agenda)
    regions = Region.objects.prefetch_related(
        Prefetch(
            "supports",
            queryset=RegionSupport.objects.prefetch_related("supporters").order_by("-start_date", "-pk"),
        )
    ).order_by("name")
    return [RegionRow(region=r, agendas=agendas.get(r.pk, []), supports=list(r.supports.all())) for r in regions]
