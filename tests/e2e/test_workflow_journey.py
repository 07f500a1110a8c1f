"""The whole route by keyboard, with zero axe violations on every page:

coordinator submits → officer assigns a reviewer (refused for a conflicted one) → reviewer declares and
reviews → state representative advises → officer prepares the nota → a second officer (also a signatory)
cannot sign their own nota, the signatory returns it → coordinator answers the points and resubmits →
approval.

The second review round (assign, declare, review, advice) runs through the same services directly, to keep
the test short: those pages were walked in the first round. Preparing and signing the approval is done in
the browser again.
"""

import os
import re

import pytest

from agendas.decision import services
from agendas.models import Agenda, Decision, ResponsePoint, ReviewAssignment
from tests.agendas.workflow_fixtures import _write_review, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press_button(page, name):
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow_link(page, name):
    link = page.get_by_role("link", name=name, exact=True).first
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def field(page, label):
    """The form control labelled ``label`` (a required field's label ends in " *")."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def choose(page, label, option_text):
    """Pick an option of a <select> with the arrow keys."""
    select = field(page, label)
    select.focus()
    page.keyboard.press("Home")
    for _i in range(80):
        if select.evaluate("e => e.options[e.selectedIndex].text.trim()") == option_text:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {option_text!r} not reachable in {label!r}")


def type_into(page, label, text):
    """Type as a person replacing what the field holds (the nota's amounts come pre-filled)."""
    field(page, label).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def check_radio(page, label):
    page.get_by_label(label, exact=True).focus()
    page.keyboard.press("Space")


def messages(page) -> str:
    return page.locator(".messages").inner_text() if page.locator(".messages").count() else ""


SHOTS = os.environ.get("KA_SCREENSHOTS", "")


def screenshots(page, name, reflow=True):
    """With ``KA_SCREENSHOTS=<dir>``: the page at 1280 and 390 px wide (for people to look at); never wider
    than the viewport at 390 px."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        if width == 390 and reflow:
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.set_viewport_size({"width": 1280, "height": 900})


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user.email)


def test_submission_review_advice_decision_journey(browser_page, login, assert_no_axe_violations):
    page = browser_page
    w = build_world()
    pk = w.agenda.pk
    overview = f"/agendas/{pk}/procedure/"

    # 1. the coordinator submits
    login(page, w.coordinator.email)
    page.goto(overview)
    assert_no_axe_violations(page)
    follow_link(page, "Controleren en indienen")  # the check page first: what is sent and what follows
    main = page.locator("main").inner_text()
    assert "Controleer en dien in" in main and "versie 1" in main and "Wat er gebeurt" in main
    assert_no_axe_violations(page)
    screenshots(page, "submit-check")
    press_button(page, "Agenda indienen")
    assert "ingediend als versie 1" in messages(page)
    assert_no_axe_violations(page)

    # 2. the officer assigns a reviewer; a conflicted one is refused
    switch_user(page, login, w.officer)
    page.goto("/agendas/mijn-taken/")
    assert_no_axe_violations(page)
    follow_link(page, "Beoordelaar toewijzen")
    assert_no_axe_violations(page)
    choose(page, "Beoordelaar", str(w.conflicted_reviewer))
    press_button(page, "Toewijzen")
    assert "werkt bij" in messages(page)
    assert_no_axe_violations(page)
    choose(page, "Beoordelaar", str(w.reviewer))
    press_button(page, "Toewijzen")
    assert "gevraagd als beoordelaar" in messages(page)

    # 3. the reviewer declares no conflict and writes the review
    switch_user(page, login, w.reviewer)
    page.goto("/agendas/mijn-taken/")
    assert_no_axe_violations(page)
    follow_link(page, "Verklaring belangenconflict afleggen")
    assert_no_axe_violations(page)
    check_radio(page, "Nee, ik heb geen belang bij deze agenda of de organisaties in de alliantie")
    press_button(page, "Verklaring afleggen")
    assert "geopend" in messages(page)
    assert_no_axe_violations(page)
    form = page.locator("form.form")
    # the dimensions, grouped under hier en nu / later / elders, each its own fieldset
    dimension_rows = form.locator("section.perspective fieldset legend").all_inner_texts()
    assert dimension_rows
    for name in dimension_rows:
        choose(page, f"Verwacht effect op ‘{name}’", "+1")
        choose(page, f"Zekerheid ‘{name}’", "Gemiddeld")
    priority_title = w.agenda.priorities.first().title
    type_into(page, f"Punten waarop de regio moet reageren bij ‘{priority_title}’", "Hoe bereikt u de kleine kernen?")
    type_into(page, "Verdelingseffecten", "Ouderen in kleine kernen winnen het meest.")
    choose(page, "Oordeel", "Positief onder voorwaarden")
    type_into(page, "Aanbevelingen", "Maak de aanpak meetbaar per kern.")
    press_button(page, "Concept opslaan")
    assert "Concept opgeslagen" in messages(page)
    press_button(page, "Beoordeling indienen")
    assert "Uw beoordeling is ingediend" in messages(page)
    assert_no_axe_violations(page)

    # 4. the state representative advises
    switch_user(page, login, w.state_rep)
    page.goto("/agendas/mijn-taken/")
    follow_link(page, "Advies uitbrengen")
    assert_no_axe_violations(page)
    type_into(page, "Advies", "De regio heeft een sterke coalitie; de bereikbaarheid verdient meer aandacht.")
    choose(page, "Aanbeveling", "Terugsturen voor aanpassing")
    press_button(page, "Advies uitbrengen")
    assert "uitgebracht" in messages(page)
    assert Agenda.objects.get(pk=pk).status == Agenda.Status.AWAITING_DECISION

    # 5. a second officer (also a signatory) prepares the nota and cannot sign it
    switch_user(page, login, w.officer2)
    page.goto("/agendas/mijn-taken/")
    follow_link(page, "Besluit voorbereiden")
    assert_no_axe_violations(page)
    choose(page, "Geadviseerd besluit", "Terugsturen")
    type_into(page, "Kern", "De agenda is kansrijk maar nog niet rijp voor een besluit.")
    type_into(page, "Redenen (bij terugsturen of afwijzen)", "De aanpak voor kleine kernen ontbreekt.")
    press_button(page, "Nota opslaan")
    assert "klaar voor ondertekening" in messages(page)
    assert_no_axe_violations(page)
    follow_link(page, "Controleren en ondertekenen of terugsturen")
    assert "Vier ogen" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Bevestigen").count() == 0
    assert Decision.objects.get().signed_at is None
    assert_no_axe_violations(page)

    # 6. the signatory first sends the nota back to the officer with remarks, then signs the revision
    switch_user(page, login, w.signatory)
    page.goto("/agendas/mijn-taken/")
    follow_link(page, "Besluit ondertekenen")
    assert_no_axe_violations(page)
    follow_link(page, "Controleren en ondertekenen of terugsturen")
    assert_no_axe_violations(page)
    screenshots(page, "sign-check")
    check_radio(page, "Niet ondertekenen: terugsturen naar de opsteller")
    press_button(page, "Bevestigen")  # no remarks: refused at the field
    assert "Schrijf op wat de opsteller" in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    check_radio(page, "Niet ondertekenen: terugsturen naar de opsteller")
    type_into(page, "Reden of opmerkingen", "Noem in de kern welke kernen het betreft.")
    press_button(page, "Bevestigen")
    assert "teruggestuurd naar" in messages(page)
    assert Decision.objects.get().sent_back_at is not None
    assert_no_axe_violations(page)
    switch_user(page, login, w.officer2)
    page.goto("/agendas/mijn-taken/")
    follow_link(page, "Nota herzien (teruggestuurd door de ondertekenaar)")
    assert "Noem in de kern welke kernen het betreft." in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    screenshots(page, "decision-sent-back", reflow=False)  # the nota form: reflow is issue 12 item 4
    type_into(page, "Kern", "De agenda is kansrijk maar nog niet rijp; het gaat om de kernen in de Achterhoek.")
    press_button(page, "Nota opslaan")
    assert "klaar voor ondertekening" in messages(page)
    switch_user(page, login, w.signatory)
    page.goto("/agendas/mijn-taken/")
    follow_link(page, "Besluit ondertekenen")
    follow_link(page, "Controleren en ondertekenen of terugsturen")
    press_button(page, "Bevestigen")  # the advised outcome is chosen by default
    assert "ondertekend" in messages(page)
    assert Agenda.objects.get(pk=pk).status == Agenda.Status.RETURNED
    assert_no_axe_violations(page)

    # 7. the coordinator answers the point and resubmits
    switch_user(page, login, w.coordinator)
    page.goto("/agendas/mijn-taken/")
    follow_link(page, "Beantwoord 1 punt(en) uit de beoordeling en dien opnieuw in")
    assert_no_axe_violations(page)
    assert "Indienen kan nog niet" in page.locator("main").inner_text()
    type_into(page, "Uw reactie", "Met een bus op afroep en een mobiel zorgteam per kern.")
    press_button(page, "Reactie opslaan")
    assert "opgeslagen" in messages(page)
    assert ResponsePoint.objects.get().answer
    follow_link(page, "Controleren en indienen")
    press_button(page, "Agenda indienen")
    assert "ingediend als versie 2" in messages(page)
    page.goto(f"/agendas/{pk}/versies/")
    assert_no_axe_violations(page)
    press_button(page, "Vergelijken")
    assert "Wat is er veranderd van versie 1 naar versie 2" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    # second round through the services (the pages were walked above)
    agenda = Agenda.objects.get(pk=pk)
    assignment = services.reviewer_assign(agenda=agenda, actor=w.fresh(w.officer), reviewer=w.reviewer2)
    services.assignment_declare(assignment=assignment, actor=w.fresh(w.reviewer2), has_conflict=False)
    _write_review(w, ReviewAssignment.objects.get(pk=assignment.pk), verdict="positive", points=())
    services.advice_save(
        agenda=agenda, actor=w.fresh(w.state_rep), text="Nu wel.", recommendation="approve", submit=True
    )

    # 8. approval: officer2 prepares, the signatory signs
    switch_user(page, login, w.officer2)
    page.goto(f"/agendas/{pk}/besluit/")
    choose(page, "Geadviseerd besluit", "Goedkeuren")
    type_into(page, "Kern", "Goedkeuren met een rijksbijdrage van € 100.000 in 2027.")
    assert field(page, "Toegekende rijksbijdrage 2027 (€)").input_value()  # pre-filled with the requested amount
    type_into(page, "Toegekende rijksbijdrage 2027 (€)", "100000")
    press_button(page, "Nota opslaan")
    assert "klaar voor ondertekening" in messages(page)
    switch_user(page, login, w.signatory)
    page.goto(f"/agendas/{pk}/besluit/")
    follow_link(page, "Controleren en ondertekenen of terugsturen")
    assert "Goedkeuren (geadviseerd)" in page.locator("main").inner_text()
    press_button(page, "Bevestigen")
    assert "ondertekend" in messages(page)
    assert Agenda.objects.get(pk=pk).status == Agenda.Status.APPROVED
    assert_no_axe_violations(page)
