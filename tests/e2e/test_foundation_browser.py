import pytest

from accounts import roles
from tests.factories import AllianceFactory, OrganisationFactory, UserFactory, make_coordinator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_each_role_logs_in_by_keyboard_and_sees_start_page(
    role, browser_page, login, assert_no_axe_violations, settings
):
    settings.TWO_FACTOR_ENFORCED = True
    alliance = AllianceFactory(organisations=[OrganisationFactory()])
    user = make_coordinator(alliance) if role == roles.COORDINATOR else UserFactory(role=role)

    browser_page.goto("/inloggen/")
    assert_no_axe_violations(browser_page)
    login(browser_page, user.email)
    if role in ("ministry_officer", "ministry_signatory", "administrator"):
        # Two-factor is enforced for these roles in the browser tests too: set it up.
        assert "/tweestapsverificatie/" in browser_page.url, browser_page.locator("main").inner_text()
        assert_no_axe_violations(browser_page)
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=user)
        browser_page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
        with browser_page.expect_navigation():
            browser_page.keyboard.press("Enter")
    assert browser_page.locator("h1").inner_text() == "Mijn overzicht", browser_page.locator("main").inner_text()
    assert str(roles.ROLE_LABELS[role]) in browser_page.locator("main").inner_text()
    assert_no_axe_violations(browser_page)


def test_language_switch_and_skip_link(browser_page, assert_no_axe_violations):
    browser_page.goto("/wachtwoord-vergeten/")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent")
    assert "Direct naar de inhoud" in focused
    browser_page.select_option("#language-select", "en")
    with browser_page.expect_navigation():
        browser_page.get_by_role("button", name="Wijzig taal").click()
    assert browser_page.locator("html").get_attribute("lang") == "en"
    assert browser_page.get_by_role("button", name="Change language").is_visible()
    assert_no_axe_violations(browser_page)
