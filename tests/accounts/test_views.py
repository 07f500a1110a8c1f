import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import roles
from tests.factories import UserFactory, make_coordinator

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-42!"


def test_login_with_email_and_logout(client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Mijn overzicht" in home.content.decode()
    assert "Regiocoördinator" in home.content.decode()
    assert coordinator.coordinated_alliances.first().name in home.content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_dutch_message(client, coordinator):
    response = client.post(reverse("login"), {"username": coordinator.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Voer een juiste e-mailadres en wachtwoord in" in response.content.decode()


def test_lockout_after_repeated_failures(client, coordinator):
    for _ in range(5):
        client.post(reverse("login"), {"username": coordinator.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": coordinator.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_password_reset_mail_goes_through_outbox_and_task(client, coordinator, django_capture_on_commit_callbacks):
    from accounts.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": coordinator.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(recipient=coordinator.email)
    assert message.kind == "password_reset"
    assert message.delivered_at is not None  # Celery eager delivered it after commit
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/wachtwoord-herstellen/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Een-Nieuw-Wachtwoord-99", "new_password2": "Een-Nieuw-Wachtwoord-99"}
    )
    assert response.status_code == 302
    login = client.post(reverse("login"), {"username": coordinator.email, "password": "Een-Nieuw-Wachtwoord-99"})
    assert login.status_code == 302 and login.url == reverse("home")


def test_password_reset_for_unknown_email_sends_nothing(client):
    client.post(reverse("password_reset"), {"email": "nobody@example.nl"})
    assert mail.outbox == []


def test_weak_password_refused_with_actionable_message(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "Het moet minstens 12 tekens bevatten" in response.content.decode()


def test_sessions_invalidated_on_password_change(client, coordinator):
    from django.test import Client

    other = Client()
    other.force_login(coordinator)
    assert other.get(reverse("home")).status_code == 200
    coordinator.set_password("Nog-Een-Nieuw-Wachtwoord-1")
    coordinator.save()
    assert other.get(reverse("home")).status_code == 302


def test_language_switch_to_english(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert '<html lang="en"' in response.content.decode()
    assert "My overview" in response.content.decode()


def test_dutch_is_default(client):
    response = client.get(reverse("login"))
    assert '<html lang="nl"' in response.content.decode()
    assert "Direct naar de inhoud" in response.content.decode()


@pytest.mark.parametrize("role", [roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY, roles.ADMINISTRATOR])
def test_two_factor_required_for_ministry_and_admin(client, settings, role):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_ENFORCED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("two_factor") in response.url
    page = client.get(reverse("two_factor"))
    assert "QR-code" in page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    bad = client.post(reverse("two_factor"), {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert "klopt niet" in bad.content.decode()
    ok = client.post(reverse("two_factor"), {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", [roles.COORDINATOR, roles.PARTNER, roles.REVIEWER, roles.STATE_REPRESENTATIVE])
def test_two_factor_optional_for_other_roles(client, settings, role, alliance):
    settings.TWO_FACTOR_ENFORCED = True
    user = make_coordinator(alliance) if role == roles.COORDINATOR else UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_two_factor_next_parameter_cannot_redirect_offsite(client, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_ENFORCED = True
    user = UserFactory(role=roles.MINISTRY_OFFICER)
    client.force_login(user)
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(
        reverse("two_factor") + "?next=https://evil.example.com/", {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response.url == "home" or response.url == reverse("home")
