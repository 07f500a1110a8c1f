import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agendas.models import Agenda
from reports import exports
from tests.factories_reports import build_agenda
from tests.reports.portfolio_fixtures import build_portfolio, expected_figures


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6 1234", "'+31 6 1234"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Zuid-Limburg", "Zuid-Limburg"),
        (Decimal("-5.00"), Decimal("-5.00")),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected


@pytest.fixture
def portfolio_data(db):
    regions, agendas = build_portfolio(regions=2, agendas_per_region=3)
    evil = build_agenda(
        status=Agenda.Status.SUBMITTED, title='=HYPERLINK("http://evil.example","klik")', alliance=agendas[1].alliance
    )
    return regions, agendas + [evil]


def test_csv_comma_and_semicolon(client, portfolio_data, officer):
    regions, agendas = portfolio_data
    client.force_login(officer)
    response = client.get(reverse("reports:export_csv"), {"region": regions[0].pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    expected = expected_figures(agendas, region=regions[0].pk)
    assert len(rows) - 1 == expected["count"]
    assert rows[0][1] == "Titel"
    assert sum(Decimal(r[7]) for r in rows[1:]) == sum(expected["requested_by_region"].values())

    semicolon = client.get(reverse("reports:export_csv"), {"region": regions[0].pk, "scheiding": "puntkomma"})
    text = semicolon.content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    amount = rows[1][7]
    assert "," in amount and "." not in amount  # decimal comma for Dutch Excel


def test_csv_breakdown_tables_and_unknown_table(client, portfolio_data, officer):
    client.force_login(officer)
    for table in ("statuses", "years", "regions", "themes", "sources"):
        assert client.get(reverse("reports:export_csv"), {"tabel": table}).status_code == 200
    assert client.get(reverse("reports:export_csv"), {"tabel": "geheim"}).status_code == 404


def test_csv_neutralises_formulas(client, portfolio_data, officer):
    client.force_login(officer)
    text = client.get(reverse("reports:export_csv")).content.decode("utf-8")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and '"=HYPERLINK' not in text


def test_xlsx_has_typed_numeric_cells_and_neutralised_text(client, portfolio_data, officer):
    regions, agendas = portfolio_data
    client.force_login(officer)
    response = client.get(reverse("reports:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Agenda's",
        "Per status",
        "Per jaar",
        "Per regio",
        "Per thema",
        "Per financieringsbron",
    ]
    sheet = workbook["Agenda's"]
    header = [c.value for c in sheet[1]]
    requested_col = header.index("Gevraagde extra rijksbijdrage (€)")
    values = [row[requested_col] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "n" for cell in values)
    assert all(cell.number_format == "#,##0.00" for cell in values)
    expected = expected_figures(agendas)
    assert sum(Decimal(str(c.value)) for c in values) == sum(expected["requested_by_region"].values())
    titles = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil.example","klik")' in titles
    assert not any(str(t).startswith("=") for t in titles)
    years = workbook["Per jaar"]
    assert all(row[0].data_type == "n" for row in years.iter_rows(min_row=2))


def test_api_exports(client, portfolio_data, officer):
    client.force_login(officer)
    xlsx = client.get(reverse("api-reports-export-xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    csv_response = client.get(reverse("api-reports-export-csv") + "?table=regions&separator=semicolon")
    assert csv_response.status_code == 200 and ";" in csv_response.content.decode()
    assert client.get(reverse("api-reports-export-csv") + "?table=nope").status_code == 400
