"""Every page, as each role that uses it, on the demo data (issue 12, WCAG 1.4.10 and 1.3.1/4.1.2):

- at 320 CSS px nothing widens the page: ``document.documentElement.scrollWidth <= innerWidth`` (wide tables
  scroll inside their own labelled region);
- every id named by ``aria-describedby``/``aria-labelledby`` exists (the help-text mismatch axe did not catch);
- axe finds nothing (WCAG 2.1 A/AA and best practice), also at 320 px.

With ``HTML_DUMP_DIR`` set, each page's HTML as served is written there, for the Nu HTML Checker
(``scripts/check-html``, a CI step). ``PAGES`` is the list of pages; a page added to the system belongs in it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import StateRepresentativeAssignment, User
from agendas.models import Agenda, AgendaVersion, ProgressReport, ReviewAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "coordinator@demo.kansenagenda.nl"
REVIEWER = "reviewer@demo.kansenagenda.nl"
OFFICER = "medewerker@demo.kansenagenda.nl"
SIGNATORY = "ondertekenaar@demo.kansenagenda.nl"
ADMIN = "beheerder@demo.kansenagenda.nl"
SUPPORTER = "ondersteuner@demo.kansenagenda.nl"

MISSING_IDS = """() => {
  const missing = [];
  for (const attr of ["aria-describedby", "aria-labelledby"]) {
    for (const el of document.querySelectorAll("[" + attr + "]")) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) { missing.push(attr + "=" + id + " on <" + el.tagName.toLowerCase() + ">"); }
      }
    }
  }
  return missing;
}"""

WIDEST = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && !el.closest(".table-scroll, [role=region][tabindex]")) {
      out.push("<" + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).split(" ").join(".") : "") + "> " + Math.round(r.right) + "px");
    }
  }
  return out.slice(0, 8);
}"""


def _pages() -> list[tuple[str, str]]:
    """(who, path): built from the demo data with reverse(), never literal paths."""
    draft = Agenda.objects.get(title__startswith="Kansenagenda Achterhoek")
    review = Agenda.objects.get(title__startswith="Toekomstagenda Twente")
    active = Agenda.objects.get(title__startswith="Kansenagenda Zuid-Limburg")
    priority = draft.priorities.order_by("order", "pk").first()
    milestone = priority.milestones.first()
    partner = draft.partners.first()
    assignment = ReviewAssignment.objects.filter(agenda=review, reviewer__email=REVIEWER).first()
    version = AgendaVersion.objects.filter(agenda=active).order_by("number").first()
    report = ProgressReport.objects.filter(agenda=active).first()
    active_coordinator = active.alliance.coordinators.first().email
    active_state_rep = (
        StateRepresentativeAssignment.objects.filter(region=active.alliance.region).select_related("user").first()
    )

    def r(name, *args):
        return reverse(name, args=args)

    pages = [
        ("anon", r("login")),
        ("anon", r("password_reset")),
        ("anon", r("public:index")),
        ("anon", r("public:agenda", active.pk)),
        ("anon", r("public:decision", active.pk)),
        ("anon", r("public:decision-letter", active.pk)),
        (COORDINATOR, r("home")),
        (COORDINATOR, r("agendas:agenda_list")),
        (COORDINATOR, r("agendas:agenda_detail", draft.pk)),
        (COORDINATOR, r("agendas:agenda_edit", draft.pk)),
        (COORDINATOR, r("agendas:agenda_history", draft.pk)),
        (COORDINATOR, r("agendas:agenda_checklist", draft.pk)),
        (COORDINATOR, r("agendas:budget_grid", draft.pk)),
        (COORDINATOR, r("agendas:priority_create", draft.pk)),
        (COORDINATOR, r("agendas:priority_edit", draft.pk, priority.pk)),
        (COORDINATOR, r("agendas:milestone_create", draft.pk, priority.pk)),
        (COORDINATOR, r("agendas:partner_create", draft.pk)),
        (COORDINATOR, r("agendas:attachment_upload", draft.pk)),
        (COORDINATOR, r("agendas:workflow-inbox")),
        (COORDINATOR, r("agendas:workflow-overview", draft.pk)),
        (COORDINATOR, r("agendas:monitoring-overview")),
        (COORDINATOR, r("password_change")),
        (REVIEWER, r("home")),
        (REVIEWER, r("agendas:workflow-inbox")),
        (OFFICER, r("agendas:agenda_list")),
        (OFFICER, r("agendas:workflow-overview", active.pk)),
        (OFFICER, r("agendas:workflow-reviewers", review.pk)),
        (OFFICER, r("agendas:workflow-versions", active.pk)),
        (OFFICER, r("agendas:workflow-points", active.pk)),
        (OFFICER, r("agendas:monitoring-overview")),
        (OFFICER, r("agendas:monitoring-agenda", active.pk)),
        (OFFICER, r("reports:dashboard")),
        (OFFICER, r("reports:agenda_list")),
        (OFFICER, r("reports:agenda_documents", active.pk)),
        (SIGNATORY, r("agendas:workflow-overview", active.pk)),
        (ADMIN, r("audit_log")),
        (COORDINATOR, r("agendas:partner-commitments", draft.pk)),
        (OFFICER, r("region_list")),
        (OFFICER, r("region_assign", review.alliance.region_id)),
        (OFFICER, r("agendas:workflow-overview", review.pk)),
    ]
    if milestone:
        pages.append((COORDINATOR, r("agendas:milestone_edit", draft.pk, milestone.pk)))
    if partner:
        pages.append((COORDINATOR, r("agendas:partner_edit", draft.pk, partner.pk)))
    if assignment:
        pages.append((REVIEWER, r("agendas:workflow-assignment", assignment.pk)))  # the declaration
    if version:
        pages.append((OFFICER, r("agendas:workflow-version", active.pk, version.number)))
    if report:
        pages.append((active_coordinator, r("agendas:monitoring-report", report.pk)))
    pages.append((active_coordinator, r("agendas:monitoring-agenda", active.pk)))
    pages.append((active_coordinator, r("agendas:monitoring-change-request-new", active.pk)))
    if active_state_rep:
        pages.append((active_state_rep.user.email, r("agendas:workflow-overview", active.pk)))
        pages.append((active_state_rep.user.email, r("agendas:workflow-advice", active.pk)))
    # the Rijk's commitments and the support track (issue 16, items 5 and 7)
    pages.append((OFFICER, r("agendas:rijk-commitments", active.pk)))
    pages.append((OFFICER, r("agendas:rijk-commitments", review.pk)))  # with the form: the decision is prepared
    pages.append((active_coordinator, r("agendas:rijk-commitments", active.pk)))
    pages.append((OFFICER, r("agendas:rijk-commitments-per-ministry")))
    pages.append((OFFICER, r("agendas:all-regions")))
    pages.append((OFFICER, r("agendas:region-support-add", draft.alliance.region_id)))
    support = draft.alliance.region.supports.first()
    if support:
        pages.append((OFFICER, r("agendas:region-support-edit", draft.alliance.region_id, support.pk)))
    pages.append((SUPPORTER, r("agendas:agenda_detail", draft.pk)))
    pages.append(("anon", r("accessibility")))
    return pages


def _session_cookie(email: str) -> dict:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value}


def _slug(who: str, path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{who.split('@')[0]}{path}".lower()).strip("-") or "root"


@pytest.fixture
def demo(db):
    call_command("load_demo_data", quiet_accounts=True, verbosity=0)
    call_command("load_demo_agendas", verbosity=0)
    # the demo reviewer's assignment waits for the declaration; declare, so the review form is visited too
    from agendas.decision import services

    assignment = ReviewAssignment.objects.filter(reviewer__email=REVIEWER).first()
    pages = _pages()
    if assignment and assignment.status == ReviewAssignment.Status.AWAITING_DECLARATION:
        services.assignment_declare(assignment=assignment, actor=assignment.reviewer, has_conflict=False, text="")
        pages.append((REVIEWER, reverse("agendas:workflow-assignment", args=[assignment.pk])))
    return pages


def test_every_page_reflows_at_320px_with_existing_aria_ids_and_no_axe_violations(
    _browser, live_server, settings, demo, assert_no_axe_violations
):
    settings.AXES_ENABLED = False
    dump = Path(os.environ["HTML_DUMP_DIR"]) if os.environ.get("HTML_DUMP_DIR") else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    cookies = {}
    by_role: dict[str, list[str]] = {}
    for who, path in demo:
        by_role.setdefault(who, []).append(path)
    for who, paths in by_role.items():
        context = _browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 720})
        if who != "anon":
            cookies[who] = cookies.get(who) or _session_cookie(who)
            context.add_cookies([{**cookies[who], "url": live_server.url}])
        page = context.new_page()
        for path in paths:
            label = f"{who} {path}"
            try:
                response = page.goto(live_server.url + path)
            except Exception as exc:  # noqa: BLE001 - an error page is a finding, not a crash of the test
                problems.append(f"{label}: {exc}".splitlines()[0])
                continue
            if response is None or response.status >= 400:
                problems.append(f"{label}: HTTP {response.status if response else '?'}")
                continue
            if dump:
                (dump / f"{_slug(who, path)}.html").write_bytes(response.body())
            width, viewport = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if width > viewport:
                problems.append(f"{label}: {width}px wide at {viewport}px: {page.evaluate(WIDEST)}")
            missing = page.evaluate(MISSING_IDS)
            if missing:
                problems.append(f"{label}: {missing}")
            try:
                assert_no_axe_violations(page)
            except AssertionError as exc:
                problems.append(f"{label}: {exc}")
        context.close()
    print("\n".join(problems))  # the whole list in the captured output, whatever the assertion shows
    assert not problems, "\n".join(problems)
