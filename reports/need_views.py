"""Pages for need beside money (``reports.need``): the national table, chart and tile map per theme, one region on
every theme, and the CSV/XLSX exports. Thin: the policy decides, the selector computes, the template shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Region
from agendas.models import Theme
from reports import exports, need, need_charts
from reports.permissions import dashboard_policy, need_policy
from reports.views import record_export


def _theme(request) -> Theme:
    themes = Theme.objects.filter(active=True)
    code = request.GET.get("thema")
    theme = themes.filter(code=code).first() if code else None
    return theme or themes.first()


def _measure(request) -> str:
    code = request.GET.get("maat", "need")
    return code if code in need.MEASURES else "need"


def _table(request):
    need_policy.check(request.user)
    theme = _theme(request)
    if theme is None:
        raise Http404
    return need.need_table(dashboard_policy.agendas(request.user), theme)


@login_required
@require_GET
def need_national(request):
    table = _table(request)
    measure = _measure(request)
    decimals = 1 if measure == "need" else 2
    label = str(need.MEASURES[measure])
    tile_rows = [(row.area.code, row.area.name, row.measure(measure)) for row in table.areas]
    points = [(row.label, row.need_score, row.approved_pc) for row in table.rows if row.need_score is not None]
    points = [p for p in points if p[2] is not None]
    context = {
        "table": table,
        "themes": Theme.objects.filter(active=True),
        "measures": list(need.MEASURES.items()),
        "measure": measure,
        "measure_label": label,
        "tiles": table.areas,
        "tile_map": need_charts.tile_map(
            chart_id="need-tiles",
            title=_("%(measure)s per COROP-gebied, thema %(theme)s") % {"measure": label, "theme": table.theme.name},
            tiles=tile_rows,
            decimals=decimals,
        ),
        "scatter": need_charts.scatter(
            chart_id="need-scatter",
            title=_("Opgave naast toegekend geld per inwoner, thema %(theme)s") % {"theme": table.theme.name},
            points=points,
            y_label=_("toegekend per inwoner (€)"),
        ),
        "query": f"thema={table.theme.code}",
    }
    return render(request, "reports/need.html", context)


@login_required
@require_GET
def need_region(request, pk: int):
    need_policy.check(request.user)
    region = Region.objects.filter(pk=pk).first()
    if region is None:
        raise Http404
    themes = need.region_need(dashboard_policy.agendas(request.user), region)
    return render(request, "reports/need_region.html", {"region": region, "themes": themes})


def export_table(table: need.NeedTable) -> exports.Table:
    headers = [
        _("Regio"),
        _("COROP-gebied"),
        _("Inwoners"),
        _("Opgave (score 0–100)"),
        _("Signaal"),
        _("Gevraagd (€)"),
        _("Toegekend (€)"),
        _("Besteed (€)"),
        _("Gevraagd per inwoner (€)"),
        _("Toegekend per inwoner (€)"),
        _("Besteed per inwoner (€)"),
    ]
    for indicator in table.indicators:
        headers += [
            f"{indicator.name}: {_('waarde')}",
            f"{indicator.name}: {_('rang')}",
            f"{indicator.name}: {_('verschil met Nederland')}",
            f"{indicator.name}: {_('trend')}",
        ]
    rows = []
    for row in table.rows:
        by_indicator = {p.indicator.pk: p for p in row.positions}
        cells = [
            row.label,
            row.area.code if row.area else "",
            row.inhabitants,
            row.need_score,
            row.gap_label,
            row.requested,
            row.approved,
            row.spent,
            row.requested_pc,
            row.approved_pc,
            row.spent_pc,
        ]
        for indicator in table.indicators:
            p = by_indicator.get(indicator.pk)
            cells += [p.value, p.rank, p.distance, p.trend] if p else [None, None, None, None]
        rows.append(cells)
    return exports.Table(
        code="opgave-en-geld",
        title=str(_("Opgave en geld – %(theme)s") % {"theme": table.theme.name}),
        headers=[str(h) for h in headers],
        rows=rows,
        money_columns={5, 6, 7, 8, 9, 10},
    )


@login_required
@require_GET
def need_csv(request):
    table = export_table(_table(request))
    record_export(request, file_format="csv", filters={"opgave-en-geld": request.GET.get("thema", "")})
    response = HttpResponse(
        exports.to_csv(table, semicolon=request.GET.get("scheiding") == "puntkomma"), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="opgave-en-geld.csv"'
    return response


@login_required
@require_GET
def need_xlsx(request):
    table = export_table(_table(request))
    record_export(request, file_format="xlsx", filters={"opgave-en-geld": request.GET.get("thema", "")})
    response = HttpResponse(
        exports.to_xlsx([table]), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="opgave-en-geld.xlsx"'
    return response


urlpatterns = [
    path("opgave-en-geld/", need_national, name="need"),
    path("opgave-en-geld/regio/<int:pk>/", need_region, name="need_region"),
    path("opgave-en-geld.csv", need_csv, name="need_csv"),
    path("opgave-en-geld.xlsx", need_xlsx, name="need_xlsx"),
]
