"""Browser journeys of the Rijk's commitments and the support track (issue 16, items 5 and 7), on the demo data,
axe on every page: the officer records a commitment by keyboard while the decision is prepared, sees the
per-ministry overview and the regions without an agenda; the supporter comments on the Achterhoek's draft."""

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from agendas.models import Agenda, Comment, RijkCommitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, email: str) -> None:
    """Signed in as a demo user (a session, as the every-page test does: no password or second factor typed)."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])


@pytest.fixture
def demo(db, settings):
    settings.AXES_ENABLED = False
    call_command("load_demo_data", quiet_accounts=True, verbosity=0)
    call_command("load_demo_agendas", verbosity=0)


def test_officer_records_a_rijk_commitment_and_sees_the_portfolio(demo, browser_page, assert_no_axe_violations):
    page = browser_page
    twente = Agenda.objects.get(title__startswith="Toekomstagenda Twente")
    _as(page, "medewerker@demo.kansenagenda.nl")
    page.goto(f"/agendas/{twente.pk}/")
    page.get_by_role("link", name="Toezeggingen van het Rijk").click()
    page.wait_for_url(f"**/agendas/{twente.pk}/rijkstoezeggingen/")
    assert_no_axe_violations(page)
    page.get_by_label("Ministerie").select_option(label="Ministerie van Economische Zaken")
    page.get_by_label("Nationaal programma").select_option(label="Regio Deal")
    page.locator("#id_text").fill("EZ zet het innovatieprogramma open voor Twentse mkb'ers.")
    page.get_by_label("Uiterlijk in jaar").select_option("2028")
    page.get_by_label("Uiterlijk in jaar").focus()
    with page.expect_navigation():
        page.get_by_role("button", name="Toezegging vastleggen").press("Enter")
    assert "De toezegging van het Rijk is vastgelegd." in page.content()
    assert RijkCommitment.objects.filter(agenda=twente, ministry__code="ez", due_year=2028).exists()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Wijzigen EZ 2028").click()
    assert_no_axe_violations(page)

    page.goto("/rapportages/")
    page.get_by_role("link", name="Toezeggingen van het Rijk per ministerie").click()
    row = page.locator("tr", has_text="Ministerie van Economische Zaken")
    assert row.locator("td").first.inner_text() == "1"  # the demo's signed EZ commitment in Zuid-Limburg
    assert_no_axe_violations(page)

    page.goto("/rapportages/")
    page.get_by_role("link", name="Agenda's voor alle regio's (zonder agenda en met ondersteuning)").click()
    assert "Nog geen agenda" in page.locator("tr", has_text="Caribisch Nederland").inner_text()
    assert "VNG Ondersteuningsteam" in page.locator("tr", has_text="Achterhoek").inner_text()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 720})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_supporter_reads_and_comments_but_cannot_edit(demo, browser_page, assert_no_axe_violations):
    page = browser_page
    draft = Agenda.objects.get(title__startswith="Kansenagenda Achterhoek")
    _as(page, "ondersteuner@demo.kansenagenda.nl")
    page.goto(f"/agendas/{draft.pk}/")
    assert page.get_by_role("link", name="Agenda bewerken").count() == 0
    assert_no_axe_violations(page)
    form = page.locator("form", has=page.locator("textarea")).first
    form.locator("textarea").fill("Denk aan de kleine kernen in de Oost-Achterhoek.")
    with page.expect_navigation():
        form.get_by_role("button").first.click()
    assert Comment.objects.filter(agenda=draft, author__email="ondersteuner@demo.kansenagenda.nl").exists()
    assert_no_axe_violations(page)
    response = page.goto(f"/agendas/{draft.pk}/bewerken/")
    assert response.status == 403
