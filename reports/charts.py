"""Server-rendered SVG bar charts: no JavaScript, readable in the browser, in print and in PDFs.

Each chart is an image with a <title> and <desc> (its accessible name and summary) and carries its
values as text labels, so colour is never the only carrier of meaning. Templates place the same data
as a table next to every chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kansenagenda.money import format_compact_amount, format_number

ROW_HEIGHT = 22
GROUP_GAP = 10
LABEL_WIDTH = 210
BAR_WIDTH = 330
VALUE_WIDTH = 170
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
# Blue and dark orange: both ≥ 4.5:1 against white; series are also named in every value label.
SERIES_FILLS = ["#154273", "#8a4b00", "#1d6b2b", "#5b2a86"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int


def _format(value, kind: str) -> str:
    return format_compact_amount(value) if kind == "money" else format_number(value, 0)


def _truncate(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar], kind: str = "count") -> SafeString:
    """Horizontal bars, one per item, with the label left and the value right of each bar."""
    return grouped_bar_chart(
        chart_id=chart_id,
        title=title,
        description=description,
        groups=[(bar.label, [bar.value]) for bar in bars],
        series=[""],
        kind=kind,
    )


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: list[tuple[str, list]],
    series: list[str],
    kind: str = "money",
) -> SafeString:
    """Groups of horizontal bars (e.g. per year: requested and approved). Values may be None (no bar)."""
    values = [v for _label, vals in groups for v in vals if v is not None]
    maximum = max([Decimal(v) for v in values] + [Decimal(0)])
    per_group = ROW_HEIGHT * len(series) + GROUP_GAP
    legend_height = 24 if len([s for s in series if s]) > 1 else 0
    height = legend_height + max(per_group * len(groups), ROW_HEIGHT) + 4
    parts: list[str] = []
    if legend_height:
        x = LABEL_WIDTH
        for index, name in enumerate(series):
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="14" height="14" fill="{}"></rect>'
                    '<text x="{}" y="16" class="chart-legend">{}</text>',
                    x,
                    SERIES_FILLS[index % len(SERIES_FILLS)],
                    x + 20,
                    name,
                )
            )
            x += 30 + 8 * len(name)
    if not groups:
        parts.append(format_html('<text x="0" y="16" class="chart-label">{}</text>', _("Geen gegevens")))
    for g_index, (label, vals) in enumerate(groups):
        top = legend_height + g_index * per_group
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                top + ROW_HEIGHT * len(series) / 2 + 5,
                _truncate(str(label)),
            )
        )
        for s_index, value in enumerate(vals):
            y = top + s_index * ROW_HEIGHT + 3
            if value is None:
                continue
            width = 0 if not maximum else int(Decimal(value) / maximum * BAR_WIDTH)
            text = _format(value, kind)
            if series[s_index]:
                text = f"{series[s_index].lower()}: {text}"
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}" class="chart-value">{}</text>',
                    LABEL_WIDTH,
                    y,
                    max(width, 1),
                    ROW_HEIGHT - 6,
                    SERIES_FILLS[s_index % len(SERIES_FILLS)],
                    LABEL_WIDTH + max(width, 1) + 6,
                    y + ROW_HEIGHT - 10,
                    text,
                )
            )
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        body=mark_safe("".join(parts)),  # noqa: S308 – every part is built with format_html
    )


__all__ = ["Bar", "bar_chart", "grouped_bar_chart"]
