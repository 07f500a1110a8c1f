"""Need beside money: figures against a hand-made fixture (ranks, national distance, trend, per inhabitant, the gap
signal), flat query counts over 40 regions, the exports, and who may and may NOT see it."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from agendas.models import (
    Agenda,
    BudgetLine,
    BudgetLineRealisation,
    MonitorArea,
    MonitorIndicator,
    ProgressReport,
    Theme,
)
from reports import need
from tests.factories import RegionFactory, UserFactory
from tests.factories_reports import make_decision
from tests.reports.need_fixtures import agenda_with_money, link, set_values

D = Decimal


@pytest.fixture
def fixture(db):
    """Four COROP areas with values for 'ervaren gezondheid' (a 'zorg' indicator: higher is better); NL01 = 76."""
    set_values(
        "ervaren-gezondheid",
        {
            ("CR01", 2021): "70",
            ("CR01", 2023): "72",
            ("CR02", 2021): "76",
            ("CR02", 2023): "75",
            ("CR03", 2023): "80",
            ("CR04", 2023): "75",
            ("NL01", 2023): "76",
        },
    )
    north = RegionFactory(name="A Noord", inhabitants=100_000)
    east = RegionFactory(name="B Oost", inhabitants=200_000)
    centre = RegionFactory(name="C Midden", inhabitants=50_000)
    link(north, "CR01")
    link(east, "CR02")
    link(centre, "CR03")
    a = agenda_with_money(north, zorg="1000000", huisvesting="1000000")
    make_decision(a, amounts={2027: D("600000"), 2028: D("400000")}, with_review=False)
    report = ProgressReport.objects.create(
        agenda=a,
        year=2027,
        due_date=datetime.date(2028, 4, 1),
        status=ProgressReport.Status.ACCEPTED,
        submitted_at=timezone.now(),
        decided_by=UserFactory(role=roles.STATE_REPRESENTATIVE),
    )
    zorg_line = BudgetLine.objects.get(priority__agenda=a, priority__theme__code="zorg", source__code="rijk-extra")
    BudgetLineRealisation.objects.create(report=report, budget_line=zorg_line, realised=D("200000"))
    draft = ProgressReport.objects.create(agenda=a, year=2028, due_date=datetime.date(2029, 4, 1))
    BudgetLineRealisation.objects.create(report=draft, budget_line=zorg_line, realised=D("777777"))  # open: not spent
    c = agenda_with_money(centre, zorg="500000")
    make_decision(c, amounts={2027: D("500000")}, with_review=False)
    agenda_with_money(east, zorg="300000")  # requested, nothing approved
    return {"north": north, "east": east, "centre": centre}


def officer():
    return UserFactory(role=roles.MINISTRY_OFFICER)


def table_for(user=None):
    from reports.permissions import dashboard_policy

    return need.need_table(dashboard_policy.agendas(user or officer()), Theme.objects.get(code="zorg"))


def test_ranks_distance_trend_and_score(fixture):
    table = table_for()
    rows = {row.label: row for row in table.rows}
    assert list(rows) == ["A Noord", "B Oost", "C Midden"]
    (north,) = rows["A Noord"].positions
    assert (north.year, north.value, north.national, north.distance) == (2023, D("72"), D("76"), D("-4"))
    assert (north.rank, north.of, north.first_year, north.trend, north.trend_direction) == (
        1,
        4,
        2021,
        D("2"),
        "better",
    )
    (east,) = rows["B Oost"].positions
    assert (east.rank, east.trend_direction) == (2, "worse")  # shares rank 2 with CR04 (both 75)
    (centre,) = rows["C Midden"].positions
    assert (centre.rank, centre.trend_direction) == (4, "same")
    assert [rows[n].need_score for n in rows] == [D("100.0"), D("66.7"), D("0.0")]


def test_lower_is_better_ranks_the_highest_value_first(db):
    set_values("slachtofferschap", {("CR01", 2023): "10", ("CR02", 2023): "20", ("CR03", 2023): "15"})
    indicator = MonitorIndicator.objects.get(code="slachtofferschap")
    positions = need.indicator_positions([indicator])
    ranks = {MonitorArea.objects.get(pk=pk).code: p[0].rank for pk, p in positions.items()}
    assert ranks == {"CR02": 1, "CR03": 2, "CR01": 3}
    # no NL01 value: the national value is the mean of the COROP areas
    assert {p[0].national for p in positions.values()} == {D("15")}


def test_money_per_inhabitant(fixture):
    rows = {row.label: row for row in table_for().rows}
    north, east, centre = rows["A Noord"], rows["B Oost"], rows["C Midden"]
    # requested: only extra Rijk lines of the theme (province money and the other theme do not count)
    assert (north.requested, north.requested_pc) == (D("1000000"), D("10.00"))
    # approved € 1,000,000 spread pro rata of requested per theme: half is zorg
    assert (north.approved, north.approved_pc) == (D("500000.00"), D("5.00"))
    # spent: accepted report only, not the open one
    assert (north.spent, north.spent_pc) == (D("200000"), D("2.00"))
    assert (east.requested_pc, east.approved_pc, east.spent_pc) == (D("1.50"), D("0.00"), D("0.00"))
    assert (centre.approved_pc, centre.requested_pc) == (D("10.00"), D("10.00"))


def test_gap_signal(fixture):
    table = table_for()
    rows = {row.label: row for row in table.rows}
    assert table.median_approved_pc == D("5.00")
    assert rows["B Oost"].gap == "need_without_money"  # score 66.7, € 0 < median
    assert rows["C Midden"].gap == "money_without_need"  # score 0, € 10 > median
    assert rows["A Noord"].gap == ""  # score 100 but € 5 is not below the median


def test_tile_map_has_all_40_corop_areas(fixture):
    table = table_for()
    assert [t.area.code for t in table.areas] == [f"CR{n:02d}" for n in range(1, 41)]
    assert table.areas[0].region == fixture["north"]
    assert table.areas[3].region is None and table.areas[3].need_score == D("66.7")


# --- pages and exports ---------------------------------------------------------------------------------------
def test_national_page_shows_table_chart_and_tile_map(client, fixture):
    client.force_login(officer())
    response = client.get(reverse("reports:need"), {"thema": "zorg", "maat": "approved_pc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="tile-code"') == 40
    assert 'id="need-scatter"' in html and 'id="need-tiles"' in html
    assert "Hoge opgave, weinig geld" in html and "€ 5,00" in html
    assert reverse("reports:need_region", args=[fixture["north"].pk]) in html


def test_region_page_shows_every_theme(client, fixture):
    client.force_login(officer())
    response = client.get(reverse("reports:need_region", args=[fixture["north"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 van 4" in html and "Ervaren gezondheid" in html
    assert html.count("<h2 ") == Theme.objects.filter(active=True).count()


def test_region_page_404_for_unknown_region(client, db):
    client.force_login(officer())
    assert client.get(reverse("reports:need_region", args=[999999])).status_code == 404


def test_csv_and_xlsx_exports(client, fixture):
    client.force_login(officer())
    body = client.get(reverse("reports:need_csv"), {"thema": "zorg"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["Regio", "COROP-gebied", "Inwoners", "Opgave (score 0–100)"]
    north = next(r for r in rows if r[0] == "A Noord")
    assert north[1:4] == ["CR01", "100000", "100.00"] and north[8:11] == ["10.00", "5.00", "2.00"]
    first = rows[0].index("Ervaren gezondheid (goed of zeer goed): waarde")
    assert north[first : first + 4] == ["72.00", "1", "-4.00", "2.00"]  # value, rank, distance, trend
    xlsx = client.get(reverse("reports:need_xlsx"), {"thema": "zorg"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    assert sheet.cell(row=values["A Noord"], column=10).value == 5  # a number, not text


# --- query counts ----------------------------------------------------------------------------------------------
def _regions(first: int, last: int) -> None:
    """Regions linked to CR<first+1>..CR<last>, each with an agenda; every other one approved."""
    for index in range(first, last):
        region = RegionFactory(inhabitants=10_000 + index)
        link(region, f"CR{index + 1:02d}")
        agenda = agenda_with_money(region, zorg=str(1000 + index), huisvesting="500")
        if index % 2:
            make_decision(agenda, amounts={2027: D("1000")}, with_review=False)
        set_values("ervaren-gezondheid", {(f"CR{index + 1:02d}", 2022): str(70 + index % 7)})
        set_values("tevredenheid-leven", {(f"CR{index + 1:02d}", 2022): str(80 + index % 5)})


def _count(client, url: str, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("url_name", ["reports:need", "reports:need_csv", "reports:need_xlsx"])
def test_query_count_is_flat_in_the_number_of_regions(client, db, django_assert_max_num_queries, url_name):
    client.force_login(officer())
    _regions(0, 2)
    few = _count(client, reverse(url_name), {"thema": "zorg"})
    _regions(2, 40)
    with django_assert_max_num_queries(few):
        assert client.get(reverse(url_name), {"thema": "zorg"}).status_code == 200
    assert len(need.need_table(Agenda.objects.all(), Theme.objects.get(code="zorg")).rows) == 40


def test_region_page_query_count_is_flat(client, db, django_assert_max_num_queries):
    client.force_login(officer())
    _regions(0, 2)
    region = MonitorArea.objects.get(code="CR01").region
    few = _count(client, reverse("reports:need_region", args=[region.pk]))
    _regions(2, 40)
    with django_assert_max_num_queries(few):
        assert client.get(reverse("reports:need_region", args=[region.pk])).status_code == 200


# --- who may see it --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.MINISTRY_OFFICER, True),
        (roles.MINISTRY_SIGNATORY, True),
        (roles.STATE_REPRESENTATIVE, False),
        (roles.COORDINATOR, False),
        (roles.PARTNER, False),
        (roles.REVIEWER, False),
        (roles.ADMINISTRATOR, False),
    ],
)
def test_who_may_see_need_beside_money(client, fixture, role, allowed):
    client.force_login(UserFactory(role=role))
    expected = 200 if allowed else 403
    assert client.get(reverse("reports:need")).status_code == expected
    assert client.get(reverse("reports:need_region", args=[fixture["north"].pk])).status_code == expected
    assert client.get(reverse("reports:need_csv")).status_code == expected
    assert client.get(reverse("reports:need_xlsx")).status_code == expected
    nav = client.get(reverse("home")).content.decode()
    assert (reverse("reports:need") in nav) is allowed


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("reports:need"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_drafts_not_shared_with_the_ministry_do_not_count(fixture):
    draft = agenda_with_money(fixture["east"], zorg="9000000", status=Agenda.Status.DRAFT)
    Agenda.objects.filter(pk=draft.pk).update(current_version=0, shared_with_ministry=False)
    rows = {row.label: row for row in table_for().rows}
    assert rows["B Oost"].requested == D("300000")
