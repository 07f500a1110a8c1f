"""The open-data feed (issue 14, item 5): the public portfolio figures per agenda and year as CSV and JSON,
with a data dictionary, written daily to the default storage and served at a stable public URL.

Which agendas: exactly those that are actively published (``reports.permissions.publication_policy``) –
what the public may see under /openbaar/. No personal data: no people, only agendas, regions and themes.
Figures come from THE rules: budgets through ``agendas.finance.Totals`` (requested extra Rijk contribution
and co-financing by ``finance.classify``), the approved contribution from ``finance.approved_year_amounts``,
spending from the progress reports' realisations (classified the same way), milestone health as stored
by the monitoring services (``agendas.health``). A fixed number of queries, whatever the portfolio's size.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agendas import finance
from agendas.health import Health
from agendas.models import BudgetLine, BudgetLineRealisation, MilestoneProgress, Priority
from kansenagenda import money
from reports.exports import Table, to_csv
from reports.permissions import publication_policy

STORAGE_ALIAS = "default"
DIRECTORY = "opendata"
FILES = {
    "csv": "kansenagenda-portefeuille.csv",
    "json": "kansenagenda-portefeuille.json",
    "dictionary": "kansenagenda-portefeuille-datadictionary.json",
}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "dictionary": "application/json"}
LICENCE = "CC0-1.0"
HEALTH_CODES = [Health.ON_TRACK, Health.AT_RISK, Health.DELAYED, Health.ACHIEVED, Health.CANCELLED]

#: The data dictionary: (column, type, description). CSV headers, JSON keys and docs come from here.
FIELDS: list[tuple[str, str, object]] = [
    ("agenda_id", "integer", _("Vast nummer van de kansenagenda (ook in /openbaar/agendas/<nummer>).")),
    ("agenda_title", "string", _("Titel van de kansenagenda.")),
    ("region_code", "string", _("Code van de regio.")),
    ("region_name", "string", _("Naam van de regio.")),
    ("themes", "string", _("Thema's van de prioriteiten (codes, gescheiden door ‘;’).")),
    ("status", "string", _("Status van de agenda (approved = goedgekeurd, active = lopend).")),
    ("year", "integer", _("Begrotingsjaar.")),
    ("requested_rijk", "decimal (EUR)", _("Gevraagde extra rijksbijdrage in dit jaar (begroting).")),
    ("approved_rijk", "decimal (EUR)", _("Toegekende extra rijksbijdrage in dit jaar (ondertekend besluit).")),
    ("spent_rijk", "decimal (EUR)", _("Gerealiseerde besteding van de extra rijksbijdrage (voortgangsrapportage).")),
    ("planned_cofinancing", "decimal (EUR)", _("Begrote cofinanciering in dit jaar.")),
    ("spent_cofinancing", "decimal (EUR)", _("Gerealiseerde cofinanciering (voortgangsrapportage).")),
    *[
        (
            f"milestones_{code}",
            "integer",
            _("Aantal mijlpalen met gezondheid ‘%(label)s’ in de rapportage over dit jaar."),
        )
        for code in HEALTH_CODES
    ],
]
MONEY_FIELDS = {"requested_rijk", "approved_rijk", "spent_rijk", "planned_cofinancing", "spent_cofinancing"}


@dataclass
class YearFigures:
    requested_rijk: Decimal = finance.ZERO
    approved_rijk: Decimal = finance.ZERO
    spent_rijk: Decimal = finance.ZERO
    planned_cofinancing: Decimal = finance.ZERO
    spent_cofinancing: Decimal = finance.ZERO
    health: dict[str, int] = field(default_factory=dict)


def _field_description(name: str, description) -> str:
    if name.startswith("milestones_"):
        code = name.removeprefix("milestones_")
        return str(description) % {"label": Health.LABELS[code]}
    return str(description)


def data_dictionary() -> dict:
    return {
        "title": str(_("Kansenagenda – publieke portefeuillecijfers per agenda en jaar")),
        "licence": LICENCE,
        "files": {kind: f"{DIRECTORY}/{name}" for kind, name in FILES.items()},
        "fields": [{"name": n, "type": t, "description": _field_description(n, d)} for n, t, d in FIELDS],
    }


def portfolio_rows() -> list[dict]:
    """One dict per published agenda and year with the dictionary's fields (money as Decimal). 6 queries."""
    agendas = list(publication_policy.published().select_related("alliance__region").order_by("pk"))
    ids = [a.pk for a in agendas]
    themes: dict[int, set[str]] = defaultdict(set)
    for agenda_id, code in Priority.objects.filter(agenda_id__in=ids).values_list("agenda_id", "theme__code"):
        if code:
            themes[agenda_id].add(code)
    figures: dict[int, dict[int, YearFigures]] = defaultdict(lambda: defaultdict(YearFigures))
    for agenda_id, year, category, amount in BudgetLine.objects.filter(priority__agenda_id__in=ids).values_list(
        "priority__agenda_id", "year", "source__category", "amount"
    ):
        planned = finance.totals([(category, amount)])
        row = figures[agenda_id][year]
        row.requested_rijk += planned.requested
        row.planned_cofinancing += planned.cofinancing
    for agenda_id, year, amount in finance.approved_year_amounts(ids).values_list(
        "decision__agenda_id", "year", "approved_amount"
    ):
        figures[agenda_id][year].approved_rijk += amount or finance.ZERO
    for agenda_id, year, category, amount in BudgetLineRealisation.objects.filter(
        report__agenda_id__in=ids
    ).values_list("report__agenda_id", "report__year", "budget_line__source__category", "realised"):
        spent = finance.totals([(category, amount)])
        row = figures[agenda_id][year]
        row.spent_rijk += spent.requested
        row.spent_cofinancing += spent.cofinancing
    for agenda_id, year, health, n in (
        MilestoneProgress.objects.filter(report__agenda_id__in=ids)
        .values_list("report__agenda_id", "report__year", "health")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if health:
            counts = figures[agenda_id][year].health
            counts[health] = counts.get(health, 0) + n
    rows = []
    for agenda in agendas:
        for year, fig in sorted(figures[agenda.pk].items()):
            rows.append(
                {
                    "agenda_id": agenda.pk,
                    "agenda_title": agenda.title,
                    "region_code": agenda.alliance.region.code,
                    "region_name": agenda.alliance.region.name,
                    "themes": ";".join(sorted(themes[agenda.pk])),
                    "status": agenda.status,
                    "year": year,
                    "requested_rijk": fig.requested_rijk,
                    "approved_rijk": fig.approved_rijk,
                    "spent_rijk": fig.spent_rijk,
                    "planned_cofinancing": fig.planned_cofinancing,
                    "spent_cofinancing": fig.spent_cofinancing,
                    **{f"milestones_{code}": fig.health.get(code, 0) for code in HEALTH_CODES},
                }
            )
    return rows


def render(rows: list[dict]) -> dict[str, bytes]:
    """The three files: CSV (comma, "." decimals), JSON (amounts as strings, like the API) and the dictionary."""
    names = [name for name, _type, _description in FIELDS]
    table = Table("portfolio", "portfolio", names, [[row[n] for n in names] for row in rows], set())
    as_json = [{n: money.format_api_amount(row[n]) if n in MONEY_FIELDS else row[n] for n in names} for row in rows]
    document = {
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "licence": LICENCE,
        "data_dictionary": f"{DIRECTORY}/{FILES['dictionary']}",
        "rows": as_json,
    }
    return {
        "csv": to_csv(table),
        "json": json.dumps(document, ensure_ascii=False, indent=1).encode(),
        "dictionary": json.dumps(data_dictionary(), ensure_ascii=False, indent=1).encode(),
    }


def storage_name(kind: str) -> str:
    return f"{DIRECTORY}/{FILES[kind]}"


def export_open_data() -> int:
    """Write the three files to the default storage under their stable names; returns the number of rows."""
    storage = storages[STORAGE_ALIAS]
    rows = portfolio_rows()
    for kind, content in render(rows).items():
        name = storage_name(kind)
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(content))
        if saved != name:  # pragma: no cover – a storage that renames instead of overwriting
            raise RuntimeError(f"open data stored as {saved}, expected {name}")
    return len(rows)


def read_open_data(kind: str) -> bytes:
    """The stored file (written now when the daily job has not run yet)."""
    storage = storages[STORAGE_ALIAS]
    name = storage_name(kind)
    if not storage.exists(name):
        export_open_data()
    with storage.open(name, "rb") as handle:
        return handle.read()
