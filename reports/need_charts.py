"""SVG for need beside money: the tile map of the 40 COROP areas (a fixed grid, no geodata) and a scatter chart
of need against approved money per inhabitant. Like ``reports.charts``: an image with <title>/<desc>, values as
text, and the same data as a table beside it on the page; colour is never the only carrier of meaning."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agendas.welfare.reference import TILE_POSITIONS
from kansenagenda.money import format_number

TILE = 64
GAP = 4
# Light to dark blue; the two darkest take white text (contrast ≥ 4.5:1 for both text colours).
FILLS = ["#dce9f5", "#a9c8e6", "#6f9fcf", "#2f6aa6", "#154273"]
DARK_TEXT_UNTIL = 2
EMPTY_FILL = "#f1f1f1"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> SafeString:
    return format_html(
        '<svg class="chart need-chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=desc,
        body=mark_safe("".join(body)),  # noqa: S308 – every part is built with format_html
    )


def classes(values: list[Decimal]) -> list[tuple[Decimal, Decimal]]:
    """Five equal-width classes over the range of ``values`` (for the fill and the legend)."""
    if not values:
        return []
    low, high = min(values), max(values)
    step = (high - low) / len(FILLS) or Decimal(1)
    return [(low + step * i, low + step * (i + 1)) for i in range(len(FILLS))]


def class_of(value: Decimal, bounds: list[tuple[Decimal, Decimal]]) -> int:
    for index, (_low, high) in enumerate(bounds):
        if value <= high:
            return index
    return len(bounds) - 1


def tile_map(*, chart_id: str, title: str, tiles: list[tuple[str, str, Decimal | None]], decimals: int) -> SafeString:
    """``tiles``: (COROP code, name, value) — each drawn at its fixed grid place, coloured by class of value."""
    values = [v for _c, _n, v in tiles if v is not None]
    bounds = classes(values)
    columns = max(col for col, _row in TILE_POSITIONS.values()) + 1
    rows = max(row for _col, row in TILE_POSITIONS.values()) + 1
    legend_top = rows * (TILE + GAP) + 8
    parts = []
    for code, name, value in tiles:
        col, row = TILE_POSITIONS[code]
        x, y = col * (TILE + GAP), row * (TILE + GAP)
        if value is None:
            fill, ink, text = EMPTY_FILL, "#1a1a1a", "–"
        else:
            index = class_of(value, bounds)
            fill, ink = FILLS[index], "#1a1a1a" if index < DARK_TEXT_UNTIL else "#ffffff"
            text = format_number(value, decimals)
        parts.append(
            format_html(
                '<g><title>{} {}: {}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#5a5a5a">'
                '</rect><text x="{}" y="{}" text-anchor="middle" class="tile-code" fill="{}">{}</text>'
                '<text x="{}" y="{}" text-anchor="middle" class="tile-value" fill="{}">{}</text></g>',
                code,
                name,
                text,
                x,
                y,
                TILE,
                TILE,
                fill,
                x + TILE / 2,
                y + 24,
                ink,
                code,
                x + TILE / 2,
                y + 46,
                ink,
                text,
            )
        )
    for index, (low, high) in enumerate(bounds):
        y = legend_top + index * 20
        parts.append(
            format_html(
                '<rect x="0" y="{}" width="16" height="16" fill="{}" stroke="#5a5a5a"></rect>'
                '<text x="24" y="{}" class="chart-legend">{} – {}</text>',
                y,
                FILLS[index],
                y + 13,
                format_number(low, decimals),
                format_number(high, decimals),
            )
        )
    y = legend_top + len(bounds) * 20
    parts.append(
        format_html(
            '<rect x="0" y="{}" width="16" height="16" fill="{}" stroke="#5a5a5a"></rect>'
            '<text x="24" y="{}" class="chart-legend">{}</text>',
            y,
            EMPTY_FILL,
            y + 13,
            _("geen gegevens"),
        )
    )
    width = columns * (TILE + GAP)
    height = y + 24
    desc = _(
        "Tegelkaart van de 40 COROP-gebieden; donkerder is een hogere waarde. De tabel ernaast bevat dezelfde cijfers."
    )
    return _svg(chart_id, title, desc, width, height, parts)


def scatter(*, chart_id: str, title: str, points: list[tuple[str, Decimal, Decimal]], y_label: str) -> SafeString:
    """``points``: (label, need score 0–100, money per inhabitant). Need along x, money up the y axis."""
    left, top, plot_w, plot_h = 70, 16, 520, 300
    y_max = max([p[2] for p in points] + [Decimal(1)])
    parts = [
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#5a5a5a"></line>'
            '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#5a5a5a"></line>'
            '<line x1="{m}" y1="{t}" x2="{m}" y2="{b}" stroke="#aaaaaa" stroke-dasharray="4 4"></line>'
            '<text x="{l}" y="{lb}" class="chart-label">0</text><text x="{r}" y="{lb}" class="chart-label" '
            'text-anchor="end">100</text><text x="{c}" y="{lb}" class="chart-label" text-anchor="middle">{xl}</text>'
            '<text x="{yl}" y="{t2}" class="chart-label" text-anchor="end">{ymax}</text>'
            '<text x="{yl}" y="{b}" class="chart-label" text-anchor="end">0</text>'
            '<text x="{yl}" y="{c2}" class="chart-label" text-anchor="end">{ylabel}</text>',
            l=left,
            r=left + plot_w,
            t=top,
            b=top + plot_h,
            m=left + plot_w / 2,
            c=left + plot_w / 2,
            lb=top + plot_h + 20,
            xl=_("opgave (score) →"),
            yl=left - 6,
            t2=top + 10,
            ymax=format_number(y_max, 0),
            c2=top + plot_h / 2,
            ylabel=_("€/inw."),
        )
    ]
    for label, need, money_pc in points:
        x = left + float(need) / 100 * plot_w
        y = top + plot_h - float(money_pc / y_max) * plot_h
        parts.append(
            format_html(
                '<g><title>{}: {} {}, {} {}</title><circle cx="{}" cy="{}" r="6" fill="#154273"></circle>'
                '<text x="{}" y="{}" class="chart-value">{}</text></g>',
                label,
                _("opgave"),
                format_number(need, 1),
                y_label,
                format_number(money_pc, 2),
                f"{x:.1f}",
                f"{y:.1f}",
                f"{x + 9:.1f}",
                f"{y + 4:.1f}",
                label[:22],
            )
        )
    desc = _(
        "Elke stip is een regio: naar rechts een grotere opgave, naar boven meer geld per inwoner. Rechtsonder: hoge "
        "opgave met weinig geld. De tabel bevat dezelfde cijfers."
    )
    return _svg(chart_id, title, desc, left + plot_w + 160, top + plot_h + 32, parts)
