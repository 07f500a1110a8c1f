import pytest
from django.core.management import call_command

from accounts import roles
from accounts.models import Alliance, Membership, Organisation, Region, User

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Region, Alliance, Organisation, User, Membership))


def test_demo_data_is_idempotent(capsys):
    call_command("load_demo_data")
    first = _counts()
    out = capsys.readouterr().out
    call_command("load_demo_data")
    assert _counts() == first
    assert Region.objects.count() == 11
    assert Region.objects.filter(name="Caribisch Nederland").exists()
    assert Alliance.objects.count() == 11
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists()
    assert "coordinator@demo.kansenagenda.nl" in out
    assert "Gemeente Doetinchem" in Alliance.objects.get(region__code="achterhoek").organisations.values_list(
        "name", flat=True
    )


def test_demo_agendas_built_through_services_and_idempotent():
    from agendas.models import Agenda

    call_command("load_demo_data", quiet_accounts=True)
    call_command("load_demo_agendas")
    states = dict(Agenda.objects.values_list("alliance__region__code", "status"))
    assert states == {"achterhoek": "draft", "twente": "under_review", "zuid-limburg": "active"}
    call_command("load_demo_agendas")
    assert Agenda.objects.count() == 3
    from accounts.models import RegionSupport
    from agendas.models import RijkCommitment

    limburg = Agenda.objects.get(alliance__region__code="zuid-limburg")
    commitments = RijkCommitment.objects.filter(agenda=limburg)
    assert commitments.count() == 2 and not commitments.filter(signed_at__isnull=True).exists()
    assert commitments.filter(reports__status="on_track").count() == 1
    support = RegionSupport.objects.get()
    assert support.region.code == "achterhoek"
    assert list(support.supporters.values_list("email", flat=True)) == ["ondersteuner@demo.kansenagenda.nl"]


def test_every_demo_region_has_a_state_representative():
    from accounts.models import StateRepresentativeAssignment

    call_command("load_demo_data", quiet_accounts=True)
    call_command("load_demo_data", quiet_accounts=True)
    represented = set(StateRepresentativeAssignment.objects.values_list("region__code", flat=True))
    assert represented == set(Region.objects.values_list("code", flat=True))
    assert StateRepresentativeAssignment.objects.count() == Region.objects.count()  # idempotent


def test_demo_active_agenda_has_a_report_that_is_not_late_and_is_in_mijn_taken():
    from agendas.inbox.selectors import inbox_items
    from agendas.models import ProgressReport

    call_command("load_demo_data", quiet_accounts=True)
    call_command("load_demo_agendas")
    report = ProgressReport.objects.get(agenda__alliance__region__code="zuid-limburg")
    from agendas import clocks

    assert report.status == "open" and report.due_date >= clocks.today()
    coordinator = User.objects.get(email="coordinator-limburg@demo.kansenagenda.nl")
    items = inbox_items(coordinator)
    assert [i.kind for i in items] == ["report_write"] and not items[0].overdue
    call_command("load_demo_agendas")
    assert ProgressReport.objects.filter(agenda__alliance__region__code="zuid-limburg").count() == 1


@pytest.mark.parametrize(
    "today, year",
    [("2026-03-31", 2025), ("2026-04-01", 2025), ("2026-04-02", 2026), ("2026-12-01", 2026), ("2024-06-01", 2025)],
)
def test_demo_report_year_is_never_already_late(today, year):
    import datetime

    from agendas.demo_data import report_year_open_in_time
    from agendas.models import Agenda

    agenda = Agenda(start_year=2025, end_year=2034)
    assert report_year_open_in_time(agenda, datetime.date.fromisoformat(today)) == year
