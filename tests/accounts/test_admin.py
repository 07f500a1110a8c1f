import pytest
from django.urls import reverse

from accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["user", "organisation", "membership", "region", "alliance", "staterepresentativeassignment"]


def _admin_user():
    user = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    from accounts.apps import _grant_administrator_permissions

    _grant_administrator_permissions(None)
    return user


@pytest.mark.parametrize("model", MODELS)
def test_administrator_manages_accounts_data_in_dutch_admin(client, model):
    client.force_login(_admin_user())
    changelist = client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert changelist.status_code == 200
    assert 'lang="nl"' in changelist.content.decode()
    assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == 200


def test_administrator_creates_region_through_admin(client):
    from accounts.models import Region

    client.force_login(_admin_user())
    response = client.post(
        reverse("admin:accounts_region_add"),
        {"name": "Noordoost-Friesland", "code": "nof", "description": ""},
    )
    assert response.status_code == 302
    region = Region.objects.get(code="nof")
    assert region.history.first().history_type == "+"


@pytest.mark.parametrize("role", [r for r in roles.ALL_ROLES if r != roles.ADMINISTRATOR])
def test_other_roles_have_no_admin(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("admin:accounts_region_changelist"))
    assert response.status_code == 302 and "/beheer/login/" in response.url


def test_outbox_is_read_only_in_admin(client):
    client.force_login(_admin_user())
    assert client.get(reverse("admin:accounts_outboxmessage_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_outboxmessage_add")).status_code == 403
