import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import roles
from accounts.models import Membership, User
from accounts.services import personal_data_export, user_anonymise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_security_headers_on_real_response(client, coordinator, settings):
    settings.SESSION_RENEW_SECONDS = 0  # renew (and so send the session cookie) on this very request
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def test_production_settings_add_hsts_and_secure_cookies(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789")
    prod = importlib.import_module("kansenagenda.settings.production")
    prod = importlib.reload(prod)
    assert prod.SECURE_HSTS_SECONDS >= 31536000 and prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE


def test_production_refuses_weak_secret_key(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(importlib.import_module("kansenagenda.settings.production"))


def test_no_inline_scripts_in_base_template(client):
    html = client.get(reverse("login")).content.decode()
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, f"inline script found: {tag}"
    assert "style=" not in html


def test_csrf_enforced_on_forms():
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("login"), {"username": "a@example.nl", "password": "x"})
    assert response.status_code == 403


def test_api_token_shown_once_and_revocable(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("api_token"), {"action": "create"})
    key = Token.objects.get(user=coordinator).key
    assert key in response.content.decode()
    again = client.get(reverse("api_token")).content.decode()
    assert key not in again and key[-4:] in again
    assert client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.post(reverse("api_token"), {"action": "revoke"})
    assert not Token.objects.filter(user=coordinator).exists()
    from django.test import Client

    assert Client().get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_api_session_writes_need_csrf(coordinator):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(coordinator)
    # A write through the session without the CSRF token is refused by DRF's SessionAuthentication.
    response = c.post(reverse("api-me"), {})
    assert response.status_code == 403


def test_personal_data_export_contains_the_person(coordinator):
    data = personal_data_export(user=coordinator)
    assert data["user"]["email"] == coordinator.email
    assert data["memberships"]
    json.dumps(data)


def test_anonymise_keeps_audit_trail_and_removes_personal_data(coordinator):
    admin = UserFactory(role=roles.ADMINISTRATOR)
    old_email = coordinator.email
    coordinator.first_name = "Voornaam"
    coordinator.save()
    history_count = coordinator.history.count()
    user_anonymise(user=coordinator, actor=admin)
    coordinator.refresh_from_db()
    assert str(coordinator) == "een voormalige gebruiker"
    assert not coordinator.is_active and not coordinator.has_usable_password()
    assert coordinator.history.count() > history_count  # nothing removed, the anonymisation itself recorded
    assert not coordinator.history.filter(email=old_email).exists()
    assert not User.objects.filter(email=old_email).exists()
    assert Membership.objects.filter(user=coordinator).exists()  # organisational history stays


def test_admin_cannot_anonymise_self():
    from django.core.exceptions import ValidationError

    admin = UserFactory(role=roles.ADMINISTRATOR)
    with pytest.raises(ValidationError):
        user_anonymise(user=admin, actor=admin)


def test_oidc_backend_maps_existing_users_by_email_only(coordinator):
    from accounts.oidc import EmailOnlyOIDCBackend

    backend = EmailOnlyOIDCBackend.__new__(EmailOnlyOIDCBackend)
    backend.UserModel = User
    assert list(backend.filter_users_by_claims({"email": coordinator.email.upper()})) == [coordinator]
    assert list(backend.filter_users_by_claims({"email": "new@example.nl"})) == []
    assert backend.create_user({"email": "new@example.nl"}) is None
    assert set(backend.update_user(coordinator, {"email": coordinator.email}).role_codes) == {"coordinator"}
