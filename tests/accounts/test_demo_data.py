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
