"""Exports of a filtered dashboard view: CSV (UTF-8, optionally with semicolons for Dutch Excel) and XLSX
(typed numeric cells). Text that a spreadsheet would read as a formula is neutralised."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from agendas import finance
from kansenagenda.spreadsheet import FORMULA_PREFIXES, csv_bytes, neutralise  # noqa: F401 (re-exported)
from reports.selectors import Portfolio

MONEY_FORMAT = "#,##0.00"
RATIO_FORMAT = "0.00"


@dataclass
class Table:
    code: str
    title: str
    headers: list[str]
    rows: list[list]
    money_columns: set[int]
    ratio_columns: set[int] = frozenset()


def _money_row_table(code: str, title: str, first: str, rows) -> Table:
    headers = [
        first,
        _("Gevraagde extra rijksbijdrage (€)"),
        _("Toegekende extra rijksbijdrage (€)"),
        _("Cofinanciering (€)"),
        _("Cofinancieringsverhouding"),
        _("Totale begroting (€)"),
    ]
    data = [[r.label, r.requested, r.approved, r.cofinancing, r.cofinancing_ratio, r.planned_total] for r in rows]
    return Table(code, title, headers, data, money_columns={1, 2, 3, 5}, ratio_columns={4})


def portfolio_tables(portfolio: Portfolio, agendas: Iterable) -> list[Table]:
    """Every table of the dashboard, plus the agendas behind it, for the current filters."""
    agenda_rows = [
        [
            a.pk,
            a.title,
            a.alliance.region.name,
            a.get_status_display(),
            a.start_year,
            a.end_year,
            a.current_version,
            a.requested,
            a.approved,
            a.cofinancing,
            finance.cofinancing_ratio(a.cofinancing, a.requested),
        ]
        for a in agendas
    ]
    tables = [
        Table(
            "agendas",
            _("Agenda's"),
            [
                _("Nummer"),
                _("Titel"),
                _("Regio"),
                _("Status"),
                _("Beginjaar"),
                _("Eindjaar"),
                _("Versie"),
                _("Gevraagde extra rijksbijdrage (€)"),
                _("Toegekende extra rijksbijdrage (€)"),
                _("Cofinanciering (€)"),
                _("Cofinancieringsverhouding"),
            ],
            agenda_rows,
            money_columns={7, 8, 9},
            ratio_columns={10},
        ),
        Table(
            "statuses",
            _("Per status"),
            [_("Status"), _("Aantal agenda's")],
            [[s["label"], s["count"]] for s in portfolio.status_counts],
            money_columns=set(),
        ),
        _money_row_table("years", _("Per jaar"), _("Jaar"), portfolio.by_year),
        _money_row_table("regions", _("Per regio"), _("Regio"), portfolio.by_region),
        _money_row_table("themes", _("Per thema"), _("Thema"), portfolio.by_theme),
        _money_row_table("sources", _("Per financieringsbron"), _("Financieringsbron"), portfolio.by_source),
    ]
    for table in tables:
        if table.code == "years":
            for row in table.rows:
                row[0] = int(row[0])
    return tables


def to_csv(table: Table, *, semicolon: bool = False) -> bytes:
    """A table as CSV through the one writer (``kansenagenda.spreadsheet.csv_bytes``): UTF-8 with BOM; with
    ``semicolon`` the Dutch Excel dialect (``;`` and a decimal comma)."""
    return csv_bytes(table.headers, table.rows, semicolon=semicolon)


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([neutralise(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
        for column in table.money_columns | set(table.ratio_columns):
            number_format = MONEY_FORMAT if column in table.money_columns else RATIO_FORMAT
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = number_format
        for index, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
