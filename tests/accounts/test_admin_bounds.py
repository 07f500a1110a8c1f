"""Administrators within bounds (issue 11, item 2): escalation attempts through the admin POST are refused,
privileged roles need a second administrator, the outbox admin shows no secrets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import OutboxMessage, RoleGrant, User
from tests.accounts.test_second_factor import _user_form, _verify_in_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(settings):
    """Two functional administrators (staff, not superusers) with verified sessions."""
    from accounts.apps import _grant_administrator_permissions

    settings.TWO_FACTOR_ENFORCED = True
    _grant_administrator_permissions(None)
    result = []
    for _i in range(2):
        user = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
        client = Client()
        _verify_in_session(client, user)
        result.append((user, client))
    return result


def _change(client, user, **overrides):
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), _user_form(user, **overrides))


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_administrator_cannot_make_themselves_superuser(admins):
    (me, client), _other = admins
    response = _change(client, me, is_superuser=True)
    assert response.status_code in {200, 302}
    assert not _fresh(me).is_superuser


def test_administrator_cannot_make_someone_else_superuser(admins):
    (_me, client), _other = admins
    target = UserFactory(role=roles.COORDINATOR)
    _change(client, target, is_superuser=True, is_staff=True)
    target = _fresh(target)
    assert not target.is_superuser
    assert target.is_staff  # staff is within the administrator's own rights


@pytest.mark.parametrize("role", [roles.MINISTRY_SIGNATORY, roles.MINISTRY_OFFICER, roles.COORDINATOR])
def test_administrator_cannot_change_own_roles(admins, role):
    (me, client), _other = admins
    _change(client, me, groups=[roles.ADMINISTRATOR, role])
    assert set(_fresh(me).role_codes) == {roles.ADMINISTRATOR}
    assert not RoleGrant.objects.filter(user=me).exists()
    _change(client, me, groups=[])
    assert set(_fresh(me).role_codes) == {roles.ADMINISTRATOR}  # nor drop them
    _change(client, me, is_active=False, is_staff=False)
    assert _fresh(me).is_active and _fresh(me).is_staff


def test_own_roles_refused_by_the_service_too(admins):
    from django.core.exceptions import PermissionDenied

    from accounts.services import user_roles_change

    (me, _client), _other = admins
    with pytest.raises(PermissionDenied):
        user_roles_change(actor=me, user=me, requested={roles.ADMINISTRATOR, roles.MINISTRY_SIGNATORY})


@pytest.mark.parametrize("role", sorted(roles.FOUR_EYES_GRANT_ROLES))
def test_privileged_role_needs_a_second_administrator(admins, role):
    (first, first_client), (second, second_client) = admins
    target = UserFactory(role=roles.PARTNER)
    response = _change(first_client, target, groups=[roles.PARTNER, role])
    assert response.status_code == 302
    assert role not in _fresh(target).role_codes  # not yet
    grant = RoleGrant.objects.get(user=target, role=role, status=RoleGrant.Status.PENDING)
    assert grant.requested_by == first

    # the requester cannot confirm their own request
    first_client.post(
        reverse("admin:accounts_rolegrant_changelist"), {"action": "confirm", "_selected_action": [grant.pk]}
    )
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.PENDING and role not in _fresh(target).role_codes

    second_client.post(
        reverse("admin:accounts_rolegrant_changelist"), {"action": "confirm", "_selected_action": [grant.pk]}
    )
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.CONFIRMED and grant.decided_by == second
    assert role in _fresh(target).role_codes
    assert [h.status for h in grant.history.order_by("history_date")] == ["pending", "confirmed"]  # audited


def test_ordinary_role_is_granted_at_once(admins):
    (_first, client), _second = admins
    target = UserFactory()
    _change(client, target, groups=[roles.COORDINATOR])
    assert _fresh(target).role_codes == {roles.COORDINATOR}
    assert not RoleGrant.objects.exists()


def test_new_user_with_privileged_role_waits_for_confirmation(admins):
    (_first, client), _second = admins
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nieuw@example.nl",
            "password1": "Lang-Genoeg-Wachtwoord-12",
            "password2": "Lang-Genoeg-Wachtwoord-12",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "region_assignments-TOTAL_FORMS": "0",
            "region_assignments-INITIAL_FORMS": "0",
            "groups": [Group.objects.get(name=roles.MINISTRY_SIGNATORY).pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="nieuw@example.nl")
    assert not user.groups.exists()
    assert RoleGrant.objects.filter(user=user, role=roles.MINISTRY_SIGNATORY, status="pending").exists()


def test_administrator_cannot_confirm_a_grant_for_themselves(admins):
    """B asks the signatory role for A; A may not confirm it (A would hold it on one pair of eyes)."""
    from accounts.services import role_grant_request

    (first, first_client), (second, _second_client) = admins
    grant = role_grant_request(actor=second, user=first, role=roles.MINISTRY_SIGNATORY)
    first_client.post(
        reverse("admin:accounts_rolegrant_changelist"), {"action": "confirm", "_selected_action": [grant.pk]}
    )
    grant.refresh_from_db()
    assert grant.status == RoleGrant.Status.PENDING
    assert roles.MINISTRY_SIGNATORY not in _fresh(first).role_codes


def test_grant_requested_for_oneself_is_refused(admins):
    from django.core.exceptions import PermissionDenied

    from accounts.services import role_grant_request

    (first, _client), _second = admins
    with pytest.raises(PermissionDenied):
        role_grant_request(actor=first, user=first, role=roles.MINISTRY_SIGNATORY)


def test_database_refuses_a_grant_decided_by_its_requester(admins):
    from django.db import IntegrityError, transaction

    (first, _client), _second = admins
    grant = RoleGrant.objects.create(user=UserFactory(), role=roles.MINISTRY_OFFICER, requested_by=first)
    grant.decided_by = first
    grant.status = RoleGrant.Status.CONFIRMED
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.save()


def test_administrator_cannot_touch_a_superuser_account(admins):
    (_first, client), _second = admins
    boss = User.objects.create_superuser(email="baas@example.nl", password="Heel-Geheim-Wachtwoord-1")
    response = _change(client, boss, email="overgenomen@example.nl")
    assert response.status_code == 403
    assert _fresh(boss).email == "baas@example.nl"


def test_administrator_cannot_set_the_password_of_a_signatory(admins):
    (_first, client), _second = admins
    signatory = UserFactory(role=roles.MINISTRY_SIGNATORY)
    url = reverse("admin:auth_user_password_change", args=[signatory.pk])
    response = client.post(url, {"password1": "Overname-Wachtwoord-99", "password2": "Overname-Wachtwoord-99"})
    assert response.status_code == 403
    assert _fresh(signatory).check_password("Correct-Horse-42!")
    coordinator = UserFactory(role=roles.COORDINATOR)
    ok = client.post(
        reverse("admin:auth_user_password_change", args=[coordinator.pk]),
        {"password1": "Nieuw-Wachtwoord-Coord-9", "password2": "Nieuw-Wachtwoord-Coord-9", "usable_password": "true"},
    )
    assert ok.status_code == 302
    assert _fresh(coordinator).check_password("Nieuw-Wachtwoord-Coord-9")


def test_administrator_cannot_change_what_a_role_may_do(admins):
    (_first, client), _second = admins
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "administrator"})
    assert response.status_code == 403


def test_outbox_admin_never_shows_the_reset_link(admins, settings):
    (_first, client), _second = admins
    victim = UserFactory(role=roles.MINISTRY_SIGNATORY, email="ondertekenaar@example.nl")
    anonymous = Client()
    assert anonymous.post(reverse("password_reset"), {"email": victim.email}).status_code == 302
    message = OutboxMessage.objects.get(recipient=victim.email, kind="password_reset")
    link = next(line for line in message.body.splitlines() if "/wachtwoord-herstellen/" in line).strip()
    token_part = link.rstrip("/").rsplit("/", 1)[-1]
    search = client.get(reverse("admin:accounts_outboxmessage_changelist") + f"?q={token_part}")
    assert "0 resultaten" in search.content.decode()  # bodies are not searchable either
    pages = [
        client.get(reverse("admin:accounts_outboxmessage_changelist")),
        client.get(reverse("admin:accounts_outboxmessage_change", args=[message.pk])),
        client.get(reverse("audit_log")),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert link not in html and token_part not in html


def test_outbox_admin_masks_links_and_tokens_in_other_messages(admins):
    from accounts.admin import mask_secrets

    (_first, client), _second = admins
    body = "Zie https://kansenagenda.example.nl/agendas/1/?sleutel=abc en sleutel 9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3."
    message = OutboxMessage.objects.create(recipient="x@example.nl", subject="Test", body=body, kind="reminder")
    html = client.get(reverse("admin:accounts_outboxmessage_change", args=[message.pk])).content.decode()
    assert "kansenagenda.example.nl/agendas" not in html and "9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3" not in html
    assert "Zie [link verborgen]" in mask_secrets(body)


def test_grant_is_decided_once_and_a_refused_grant_adds_nothing(admins):
    from django.core.exceptions import ValidationError

    from accounts.services import role_grant_confirm, role_grant_request

    (first, _c1), (second, second_client) = admins
    third = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    target = UserFactory()
    grant = role_grant_request(actor=first, user=target, role=roles.MINISTRY_OFFICER)
    role_grant_confirm(grant_id=grant.pk, actor=second)
    with pytest.raises(ValidationError):
        role_grant_confirm(grant_id=grant.pk, actor=third)  # the second of two simultaneous confirmations
    refused = role_grant_request(actor=first, user=target, role=roles.MINISTRY_SIGNATORY)
    second_client.post(
        reverse("admin:accounts_rolegrant_changelist"), {"action": "refuse", "_selected_action": [refused.pk]}
    )
    refused.refresh_from_db()
    assert refused.status == RoleGrant.Status.REFUSED
    with pytest.raises(ValidationError):
        role_grant_confirm(grant_id=refused.pk, actor=third)
    assert _fresh(target).role_codes == {roles.MINISTRY_OFFICER}


def test_non_administrator_cannot_confirm_or_request(admins):
    from django.core.exceptions import PermissionDenied

    from accounts.services import role_grant_confirm, role_grant_request

    (first, _c1), _second = admins
    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    grant = role_grant_request(actor=first, user=UserFactory(), role=roles.MINISTRY_SIGNATORY)
    with pytest.raises(PermissionDenied):
        role_grant_confirm(grant_id=grant.pk, actor=officer)
    with pytest.raises(PermissionDenied):
        role_grant_request(actor=officer, user=UserFactory(), role=roles.MINISTRY_SIGNATORY)
