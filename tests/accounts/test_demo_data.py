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
