"""Where the dashboard reads its summary cells (``agendas.summary``): per region where it can, per agenda where
it must.

The agendas a dashboard user sees (``DashboardPolicy.agendas``) are always every agenda past its draft
(``agendas.permissions.beyond_draft``) in the user's regions — the ministry's and the state representative's
view — plus, for someone who also coordinates, partners in or supports an alliance, some drafts. So the figures
are the region summary's rows past the draft, narrowed like the agendas (region, province, status), plus the
agenda cells of the visible drafts: a few thousand rows instead of a few hundred per agenda. A region a change
has marked stale (``RegionSummaryStale``, until its recount) is counted from its agendas' own cells instead.
``tests/reports/test_region_summary.py`` holds the policy to that shape for every role.

A year filter narrows the agendas by their span and a programme filter by their priorities, which a region row
cannot tell apart: with either filter, or without a known scope, the cells of the agendas themselves are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from agendas.models import Agenda, AgendaSummaryCell, RegionSummaryCell, RegionSummaryStale
from agendas.permissions import beyond_draft
from agendas.summary.models import ANY_STATUS
from reports.dashboard_filters import DashboardFilters

AGENDA_REGION = "agenda__alliance__region_id"


@dataclass(frozen=True)
class CellSource:
    parts: tuple[tuple[QuerySet, str], ...]  # (summary cells, the path from such a cell to its region id)

    @property
    def regional(self) -> bool:
        return self.parts[0][0].model is RegionSummaryCell

    @classmethod
    def for_dashboard(cls, agendas: QuerySet[Agenda], filters: DashboardFilters, audience=None) -> CellSource:
        """``agendas``: the user's dashboard agendas, already narrowed by ``filters``; ``audience``: the user's
        ``DashboardPolicy.audience`` (``None``: not known, read the agendas' own cells)."""
        if audience is None or filters.year or filters.programme:
            return cls(((AgendaSummaryCell.objects.filter(agenda__in=agendas.values("pk")), AGENDA_REGION),))
        stale = RegionSummaryStale.objects.values("region_id")
        regional = RegionSummaryCell.objects.filter(beyond_draft=True).exclude(region_id__in=stale)
        if audience.region_ids is not None:
            regional = regional.filter(region_id__in=audience.region_ids)
        if filters.region:
            regional = regional.filter(region_id=filters.region)
        if filters.province:
            regional = regional.filter(region__provinces=filters.province)
        regional = regional.filter(status=filters.status or ANY_STATUS)
        own = Q(alliance__region_id__in=stale)  # a region a change has just moved: its agendas' own cells
        if audience.sees_drafts:
            own |= ~beyond_draft()
        agenda_cells = AgendaSummaryCell.objects.filter(agenda__in=agendas.filter(own).values("pk"))
        return cls(((regional, "region_id"), (agenda_cells, AGENDA_REGION)))

    def narrowed(self, condition: Q | None = None, **lookups) -> list[tuple[QuerySet, str]]:
        condition = condition if condition is not None else Q()
        return [(cells.filter(condition, **lookups), region) for cells, region in self.parts]


def union_all(querysets) -> QuerySet:
    """One query for several grouped querysets of the same columns (region and agenda cells)."""
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first
