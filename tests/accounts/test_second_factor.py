"""Second factor on every door (issue 11, item 1).

The 2FA matrix: every role × {page, API with session, API with token} × {device verified, no device}, for a
read, a write and the xlsx export. The rule (accounts.selectors.second_factor_missing): a role that needs a
second factor and has none gets nothing but the 2FA page (pages, admin) or 403 ``second_factor_required``
(API); with a verified device — and for every other role — the answer is exactly what it is without the
2FA rule at all (the baseline, measured in the same test inside a rolled-back savepoint).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import roles
from agendas.models import ReviewAssignment
from tests.agendas.workflow_fixtures import World, advance, build_world

pytestmark = pytest.mark.django_db

NEEDS_2FA = {roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY, roles.ADMINISTRATOR}
ROLE_USER = {
    roles.COORDINATOR: "coordinator",
    roles.PARTNER: "partner",
    roles.REVIEWER: "reviewer",
    roles.STATE_REPRESENTATIVE: "state_rep",
    roles.MINISTRY_OFFICER: "officer",
    roles.MINISTRY_SIGNATORY: "signatory",
    roles.ADMINISTRATOR: "admin",
    roles.SUPPORTER: "supporter",
}
assert set(ROLE_USER) == set(roles.ALL_ROLES)  # a new role must join the matrix


def test_matrix_covers_the_roles_the_settings_require(settings):
    assert set(settings.TWO_FACTOR_REQUIRED_ROLES) == NEEDS_2FA


@pytest.fixture
def submitted(settings) -> World:
    settings.TWO_FACTOR_ENFORCED = True
    world = build_world()
    advance(world, "submitted")
    return world


def _verify_in_session(client, user) -> None:
    """The real journey: log in, then the 2FA page with the app's current code."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = client.post(reverse("two_factor"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and reverse("two_factor") not in response.url


def _token_through_the_page(client) -> str:
    response = client.post(reverse("api_token"), {"action": "create"})
    assert response.status_code == 200, response
    return re.search(r'<code id="new-token">([0-9a-f]+)</code>', response.content.decode()).group(1)


def _client(door: str, user, verified: bool):
    from django.test import Client

    page = Client()
    if verified:
        _verify_in_session(page, user)
    else:
        page.force_login(user)
    if door in ("page", "api_session"):
        return page
    api = APIClient()
    if verified or user.groups.filter(name__in=NEEDS_2FA).count() == 0:
        key = _token_through_the_page(page)
    else:
        # The attack: a token made before this rule (or by hand) for a password-only account.
        key = Token.objects.create(user=user).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _request(door: str, endpoint: str, client, world: World):
    pk = world.agenda.pk
    if door == "page":
        if endpoint == "read":
            return client.get(reverse("agendas:agenda_detail", args=[pk]))
        if endpoint == "write":
            due = (timezone.localdate() + datetime.timedelta(days=42)).isoformat()
            return client.post(
                reverse("agendas:workflow-reviewers", args=[pk]), {"reviewer": world.reviewer2.pk, "due_date": due}
            )
        return client.get(reverse("reports:export_xlsx"))
    if endpoint == "read":
        return client.get(reverse("agenda-detail", kwargs={"pk": pk}))
    if endpoint == "write":
        return client.post(
            reverse("api-agenda-assignments", kwargs={"pk": pk}), {"reviewer": world.reviewer2.pk}, format="json"
        )
    return client.get(reverse("api-reports-export-xlsx"))


def _baseline(settings, door, endpoint, client, world) -> int:
    """The same request with the 2FA rule switched off, rolled back afterwards."""
    settings.TWO_FACTOR_ENFORCED = False
    try:
        with transaction.atomic():
            response = _request(door, endpoint, client, world)
            transaction.set_rollback(True)
    finally:
        settings.TWO_FACTOR_ENFORCED = True
    return response.status_code


@pytest.mark.parametrize("endpoint", ["read", "write", "xlsx"])
@pytest.mark.parametrize("verified", [True, False], ids=["device", "no-device"])
@pytest.mark.parametrize("door", ["page", "api_session", "api_token"])
@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_second_factor_matrix(settings, submitted, role, door, verified, endpoint):
    world = submitted
    user = world.fresh(getattr(world, ROLE_USER[role]))
    client = _client(door, user, verified)
    before = ReviewAssignment.objects.count()
    expected = _baseline(settings, door, endpoint, client, world)
    response = _request(door, endpoint, client, world)
    if role in NEEDS_2FA and not verified:
        if door == "page":
            assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
        else:
            assert response.status_code == 403
            body = response.json()
            assert body["code"] == "second_factor_required"
            assert "tweestapsverificatie" in body["message"].lower()
        assert ReviewAssignment.objects.count() == before  # nothing written
    else:
        assert response.status_code == expected
        if response.status_code == 403 and door != "page":
            assert response.json()["code"] != "second_factor_required"
    if role == roles.MINISTRY_OFFICER and verified:
        # the officer's real rights are intact: reading, assigning and exporting all succeed
        assert response.status_code in {200, 201, 302}
        if endpoint == "write":
            assert ReviewAssignment.objects.count() == before + 1


def test_officer_baseline_is_really_allowed(settings, submitted):
    """Guard against a matrix that compares refusals with refusals: without 2FA enforcement, the officer's
    password-only session can do all three things the attack report lists."""
    settings.TWO_FACTOR_ENFORCED = False
    client = APIClient()
    client.force_login(submitted.officer)
    pk = submitted.agenda.pk
    assert client.get(reverse("agenda-detail", kwargs={"pk": pk})).status_code == 200
    write = client.post(reverse("api-agenda-assignments", kwargs={"pk": pk}), {"reviewer": submitted.reviewer2.pk})
    assert write.status_code == 201
    assert client.get(reverse("api-reports-export-xlsx")).status_code == 200


def test_me_endpoint_in_english_also_refused_without_second_factor(settings, submitted):
    client = APIClient()
    client.force_login(submitted.signatory)
    response = client.get(reverse("api-me"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"


def test_admin_site_refuses_an_unverified_session_even_without_the_middleware(settings, submitted):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.RequireTwoFactorMiddleware"]
    admin = submitted.fresh(submitted.admin)
    admin.is_staff = True
    admin.save()
    from accounts.apps import _grant_administrator_permissions

    _grant_administrator_permissions(None)
    from django.test import Client

    client = Client()
    client.force_login(admin)
    assert client.get(reverse("admin:accounts_region_changelist")).status_code == 302
    _verify_in_session(client, admin)
    assert client.get(reverse("admin:accounts_region_changelist")).status_code == 200


# --- tokens: creation, revocation ---------------------------------------------------------------------


def test_token_creation_refused_without_verified_session(settings, submitted):
    from django.core.exceptions import PermissionDenied

    from accounts.services import api_token_create

    officer = submitted.fresh(submitted.officer)
    with pytest.raises(PermissionDenied):
        api_token_create(user=officer)  # a command or shell has no verified session
    from django.test import Client

    client = Client()
    client.force_login(officer)
    response = client.post(reverse("api_token"), {"action": "create"})
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor"))
    assert not Token.objects.filter(user=officer).exists()


def test_token_from_verified_session_counts_as_verified_for_signing_checks(settings, submitted):
    from django.test import Client

    client = Client()
    _verify_in_session(client, submitted.officer)
    key = _token_through_the_page(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-me")).status_code == 200
    assert Token.objects.get(key=key).origin.second_factor_verified is True


def _officer_token(world) -> tuple[str, APIClient]:
    from django.test import Client

    client = Client()
    _verify_in_session(client, world.officer)
    key = _token_through_the_page(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-me")).status_code == 200
    return key, api


def test_token_rejected_after_password_change_on_the_page(settings, submitted):
    from django.test import Client

    key, api = _officer_token(submitted)
    client = Client()
    _verify_in_session(client, submitted.fresh(submitted.officer))
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Correct-Horse-42!",
            "new_password1": "Nieuw-Paard-77-lang",
            "new_password2": "Nieuw-Paard-77-lang",
        },
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()
    assert api.get(reverse("api-me")).status_code == 401


def test_token_rejected_after_password_set_by_any_other_door(settings, submitted):
    """changepassword, the shell: the token is bound to the password, so it stops working anyway."""
    key, api = _officer_token(submitted)
    officer = submitted.fresh(submitted.officer)
    officer.set_password("Nog-Een-Ander-Wachtwoord-9")
    officer.save()
    assert Token.objects.filter(key=key).exists()
    response = api.get(reverse("api-me"))
    assert response.status_code == 401


def test_token_rejected_after_deactivation_in_admin(settings, submitted, admin_pair):
    key, api = _officer_token(submitted)
    first, _second = admin_pair
    officer = submitted.fresh(submitted.officer)
    response = first.post(
        reverse("admin:accounts_user_change", args=[officer.pk]), _user_form(officer, is_active=False)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Token.objects.filter(key=key).exists()
    assert api.get(reverse("api-me")).status_code == 401


def test_token_rejected_after_role_loss_in_admin(settings, submitted, admin_pair):
    key, api = _officer_token(submitted)
    first, _second = admin_pair
    officer = submitted.fresh(submitted.officer)
    response = first.post(reverse("admin:accounts_user_change", args=[officer.pk]), _user_form(officer, groups=[]))
    assert response.status_code == 302
    assert not officer.groups.exists()
    assert not Token.objects.filter(key=key).exists()
    assert api.get(reverse("api-me")).status_code == 401


def test_token_rejected_after_role_loss_through_another_door(settings, submitted):
    key, api = _officer_token(submitted)
    submitted.officer.groups.clear()  # shell / script: no service called
    assert api.get(reverse("api-me")).status_code == 401


def test_token_of_coordinator_who_becomes_ministry_officer_is_not_verified(settings, submitted, admin_pair):
    from django.test import Client

    coordinator = submitted.fresh(submitted.coordinator)
    page = Client()
    page.force_login(coordinator)
    key = _token_through_the_page(page)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-me")).status_code == 200
    first, second = admin_pair
    first.post(
        reverse("admin:accounts_user_change", args=[coordinator.pk]),
        _user_form(coordinator, groups=["coordinator", "ministry_officer"]),
    )
    from accounts.models import RoleGrant

    grant = RoleGrant.objects.get(user=coordinator, role="ministry_officer")
    second.post(reverse("admin:accounts_rolegrant_changelist"), {"action": "confirm", "_selected_action": [grant.pk]})
    assert coordinator.groups.filter(name="ministry_officer").exists()
    assert api.get(reverse("api-me")).status_code in {401, 403}


# --- backup codes ---------------------------------------------------------------------------------------


def test_backup_codes_shown_once_and_each_works_once(settings, submitted):
    from django.test import Client

    signatory = submitted.fresh(submitted.signatory)
    client = Client()
    _verify_in_session(client, signatory)
    response = client.post(reverse("backup_codes"))
    codes = re.findall(r"<li><code>([a-z0-9]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    again = client.get(reverse("backup_codes"))
    assert not any(code in again.content.decode() for code in codes)  # shown once
    assert StaticToken.objects.filter(device__user=signatory).count() == 10

    lost_phone = Client()
    lost_phone.force_login(signatory)
    assert lost_phone.get(reverse("agendas:agenda_list")).status_code == 302
    ok = lost_phone.post(reverse("two_factor"), {"token": codes[0].upper()})
    assert ok.status_code == 302
    assert lost_phone.get(reverse("agendas:agenda_list")).status_code == 200

    reuse = Client()
    reuse.force_login(signatory)
    refused = reuse.post(reverse("two_factor"), {"token": codes[0]})
    assert refused.status_code == 200 and "klopt niet" in refused.content.decode()
    assert reuse.get(reverse("agendas:agenda_list")).status_code == 302
    assert StaticToken.objects.filter(device__user=signatory).count() == 9


def test_backup_codes_need_a_verified_session(settings, submitted):
    from django.core.exceptions import PermissionDenied

    from accounts.services import backup_codes_create

    with pytest.raises(PermissionDenied):
        backup_codes_create(user=submitted.fresh(submitted.officer))


# --- device reset by an administrator -------------------------------------------------------------------


def test_device_reset_needs_reason_is_audited_and_mailed(settings, submitted, admin_pair):
    from accounts.models import AccountEvent, OutboxMessage

    first, _second = admin_pair
    officer = submitted.fresh(submitted.officer)
    TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    url = reverse("admin:accounts_user_changelist")
    no_reason = first.post(url, {"action": "reset_second_factor", "_selected_action": [officer.pk], "apply": "1"})
    assert no_reason.status_code == 200  # the form again
    assert TOTPDevice.objects.filter(user=officer).exists()
    done = first.post(
        url,
        {
            "action": "reset_second_factor",
            "_selected_action": [officer.pk],
            "apply": "1",
            "reason": "Telefoon kwijt, telefonisch gecontroleerd",
        },
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AccountEvent.objects.get(user=officer, kind=AccountEvent.Kind.DEVICES_RESET)
    assert event.reason.startswith("Telefoon kwijt") and event.actor.email == first.admin_email
    message = OutboxMessage.objects.get(recipient=officer.email, kind="second_factor_reset")
    assert "Telefoon kwijt" in message.body


def test_administrator_cannot_reset_own_devices(settings, submitted, admin_pair):
    from accounts.models import User

    first, _second = admin_pair
    me = User.objects.get(email=first.admin_email)
    device = TOTPDevice.objects.filter(user=me).first()
    first.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [me.pk], "apply": "1", "reason": "Ik wil het zelf"},
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- helpers shared with the admin-bounds tests ----------------------------------------------------------


def _user_form(user, **overrides) -> dict:
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [g.pk for g in user.groups.all()],
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "region_assignments-TOTAL_FORMS": "0",
        "region_assignments-INITIAL_FORMS": "0",
    }
    for key, value in overrides.items():
        if key == "groups":
            from django.contrib.auth.models import Group

            data["groups"] = [Group.objects.get(name=name).pk for name in value]
        elif isinstance(value, bool):
            data[key] = "on" if value else ""
        else:
            data[key] = value
    return {k: v for k, v in data.items() if v != "" or k.endswith("_FORMS")}


@pytest.fixture
def admin_pair(settings):
    from django.test import Client

    from accounts.apps import _grant_administrator_permissions
    from tests.factories import UserFactory

    settings.TWO_FACTOR_ENFORCED = True
    _grant_administrator_permissions(None)
    clients = []
    for _i in range(2):
        admin = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
        client = Client()
        _verify_in_session(client, admin)
        client.admin_email = admin.email
        clients.append(client)
    return clients


def test_one_person_with_an_ordinary_and_a_2fa_role_needs_the_second_factor(settings, submitted):
    from django.contrib.auth.models import Group

    coordinator = submitted.fresh(submitted.coordinator)
    coordinator.groups.add(Group.objects.get(name=roles.MINISTRY_OFFICER))
    client = APIClient()
    client.force_login(coordinator)
    response = client.get(reverse("agenda-detail", kwargs={"pk": submitted.agenda.pk}))
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    from django.test import Client

    page = Client()
    _verify_in_session(page, coordinator)
    assert page.get(reverse("agendas:agenda_detail", args=[submitted.agenda.pk])).status_code == 200


def test_token_revoked_after_password_reset_link(settings, submitted):
    from django.contrib.auth.tokens import default_token_generator
    from django.test import Client
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    key, api = _officer_token(submitted)
    officer = submitted.fresh(submitted.officer)
    uid = urlsafe_base64_encode(force_bytes(officer.pk))
    client = Client()
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(officer)])
    form_url = client.get(url).url
    response = client.post(
        form_url, {"new_password1": "Hersteld-Wachtwoord-88", "new_password2": "Hersteld-Wachtwoord-88"}
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()
    assert api.get(reverse("api-me")).status_code == 401


# --- Fragments loaded after the page (htmx) ------------------------------------------------------------------
# The navigation loads "Mijn taken"'s count after the page. A CI run caught the verification page (with its
# own <main>) swapped into the menu link: the fragment's request was redirected and htmx swapped what came.


def test_verification_page_offers_no_menu_and_loads_no_fragment(client, submitted):
    client.force_login(submitted.officer)
    page = client.get(reverse("two_factor"), follow=True).content.decode()
    assert "Uitloggen" in page  # the way out stays
    assert reverse("agendas:workflow-inbox-count") not in page
    assert reverse("agendas:agenda_list") not in page


def test_fragment_request_without_second_factor_gets_no_page_but_a_redirect_header(client, submitted):
    client.force_login(submitted.officer)
    url = reverse("agendas:workflow-inbox-count")
    r = client.get(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r.content == b""
    assert r["HX-Redirect"].startswith(reverse("two_factor"))
    # a plain page request is still redirected as before
    assert client.get(url).status_code == 302


def test_verified_officer_gets_menu_and_count(client, submitted):
    _verify_in_session(client, submitted.officer)
    page = client.get(reverse("agendas:agenda_list")).content.decode()
    assert reverse("agendas:workflow-inbox-count") in page
    r = client.get(reverse("agendas:workflow-inbox-count"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<main" not in r.content.decode()


def test_fragment_after_logout_is_empty_not_the_login_page(client, db):
    r = client.get(reverse("agendas:workflow-inbox-count"), HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r.content == b""
