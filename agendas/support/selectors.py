"""The portfolio "agenda's voor alle regio's": every region, its latest agenda (or none yet) and its current
support. An agenda the user may not see (a draft not shared with the ministry) counts as "in preparation",
without its title: the agenda policy decides what is shown. Four queries, whatever the number of regions."""

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
    drafts_in_preparation: int = 0  # agendas the user may not see yet (unshared drafts)

    @property
    def has_agenda(self) -> bool:
        return bool(self.agendas) or self.drafts_in_preparation > 0

    @property
    def latest(self) -> Agenda | None:
        return self.agendas[0] if self.agendas else None

    @property
    def current_supports(self) -> list[RegionSupport]:
        today = timezone.localdate()
        return [s for s in self.supports if s.is_current(today)]


def all_regions(user) -> list[RegionRow]:
    from agendas.permissions import agenda_policy

    agendas: dict[int, list[Agenda]] = {}
    for agenda in agenda_policy.visible(user).select_related("alliance").order_by("-start_year", "-pk"):
        agendas.setdefault(agenda.alliance.region_id, []).append(agenda)
    hidden: dict[int, int] = {}
    for region_id in Agenda.objects.exclude(pk__in=agenda_policy.visible(user).values("pk")).values_list(
        "alliance__region_id", flat=True
    ):
        hidden[region_id] = hidden.get(region_id, 0) + 1
    regions = Region.objects.prefetch_related(
        Prefetch(
            "supports",
            queryset=RegionSupport.objects.prefetch_related("supporters").order_by("-start_date", "-pk"),
        )
    ).order_by("name")
    return [
        RegionRow(
            region=r,
            agendas=agendas.get(r.pk, []),
            supports=list(r.supports.all()),
            drafts_in_preparation=hidden.get(r.pk, 0),
        )
        for r in regions
    ]
