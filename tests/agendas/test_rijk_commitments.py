"""The Rijk's commitments (issue 16, item 5): recorded by the ministry officer while the decision is prepared,
signed with the decision (nota and its PDF), reported on yearly by the ministry side only, read-only for the
alliance, and the portfolio's per-ministry overview — through the service, the page and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import roles
from agendas.decision import signoff as signoff_services
from agendas.models import Ministry, RijkCommitment, RijkCommitmentReport
from agendas.rijk import selectors, services
from kansenagenda.errors import ConflictError
from reports.documents import collect_decision_note, render_html
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, build_world, user_with
from tests.api_clients import api
from tests.factories import AgendaFactory, AllianceFactory, OrganisationFactory, UserFactory

DOORS = ["session", "token"]
DATA = {"ministry": "ez", "programme": "regio-deal", "text": "EZ zet het MKB-loket in de regio open.", "due_year": 2027}


@pytest.fixture
def preparing(world: World) -> World:
    advance(world, "awaiting_decision")
    world.refresh()
    return world


@pytest.fixture
def running(db) -> World:
    """An agenda that started in 2025 (so 2025 and 2026 can be reported on), approved with one commitment."""
    w = build_world(start_year=2025, end_year=2030)
    advance(w, "awaiting_decision")
    w.refresh()
    services.rijk_commitment_create(agenda=w.agenda, actor=w.fresh(w.officer), data={**DATA, "due_year": 2026})
    advance_sign(w)
    return w


def _prepare(w: World, advised: str = "approve") -> None:
    signoff_services.decision_prepare(
        agenda=w.agenda,
        actor=w.fresh(w.officer),
        advised_decision=advised,
        core="Kern.",
        reasons="" if advised == "approve" else "Onvoldoende.",
        year_amounts={w.agenda.start_year: "100000.00"} if advised == "approve" else {},
        conditions="",
    )


def _sign(w: World) -> None:
    signoff_services.decision_sign(agenda=w.agenda, actor=w.fresh(w.signatory), second_factor_verified=True)
    w.refresh()


def advance_sign(w: World) -> None:
    _prepare(w)
    _sign(w)


def _record(w: World, **extra) -> RijkCommitment:
    return services.rijk_commitment_create(agenda=w.agenda, actor=w.fresh(w.officer), data={**DATA, **extra})


# --- recording ---------------------------------------------------------------------------------------------
def test_officer_records_through_the_service(preparing):
    c = _record(preparing)
    assert (c.ministry.code, c.programme.code, c.due_year, c.signed_at) == ("ez", "regio-deal", 2027, None)
    assert c.history.count() == 1 and c.history.first().history_user == preparing.officer


@pytest.mark.parametrize("who", ["coordinator", "partner", "reviewer", "state_rep", "signatory", "admin"])
def test_others_may_not_record(preparing, who):
    with pytest.raises(PermissionDenied):
        services.rijk_commitment_create(
            agenda=preparing.agenda, actor=preparing.fresh(getattr(preparing, who)), data=DATA
        )
    assert not RijkCommitment.objects.exists()


def test_not_while_the_agenda_is_a_draft(world):
    with pytest.raises(PermissionDenied, match="besluit wordt voorbereid"):
        services.rijk_commitment_create(agenda=world.agenda, actor=world.officer, data=DATA)


def test_validation_names_each_field(preparing):
    with pytest.raises(ValidationError) as exc:
        services.rijk_commitment_create(
            agenda=preparing.agenda,
            actor=preparing.fresh(preparing.officer),
            data={"ministry": "nope", "programme": "nope", "text": " ", "due_year": 1999},
        )
    assert set(exc.value.message_dict) == {"ministry", "programme", "text", "due_year"}


@pytest.mark.parametrize("door", DOORS)
def test_api_officer_creates_and_updates_with_lock_version(preparing, door):
    client = api(preparing.officer, door)
    url = reverse("api-rijk-commitments", args=[preparing.agenda.pk])
    created = client.post(url, DATA, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["ministry"] == "ez" and body["signed_at"] is None
    one = reverse("api-rijk-commitment", args=[body["id"]])
    changed = client.patch(one, {"text": "Nieuwe tekst", "lock_version": body["lock_version"]}, format="json")
    assert changed.status_code == 200 and changed.json()["text"] == "Nieuwe tekst"
    stale = client.patch(one, {"text": "Oud", "lock_version": body["lock_version"]}, format="json")
    assert stale.status_code == 409 and stale["Content-Type"].startswith("application/problem+json")
    missing = client.patch(one, {"text": "Zonder versie"}, format="json")
    assert missing.status_code == 400 and missing["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("who", ["coordinator", "partner", "state_rep", "signatory"])
def test_api_others_refused_as_problem(preparing, who):
    response = api(getattr(preparing, who)).post(
        reverse("api-rijk-commitments", args=[preparing.agenda.pk]), DATA, format="json"
    )
    assert response.status_code in (403, 404)
    assert response["Content-Type"].startswith("application/problem+json")
    assert not RijkCommitment.objects.exists()


def test_api_reviewer_does_not_see_the_agenda(preparing):
    response = api(preparing.reviewer).get(reverse("api-rijk-commitments", args=[preparing.agenda.pk]))
    assert response.status_code == 404


def test_page_officer_records_and_coordinator_cannot(client, preparing):
    url = reverse("agendas:rijk-commitments", args=[preparing.agenda.pk])
    ez = Ministry.objects.get(code="ez")
    client.force_login(preparing.coordinator)
    page = client.get(url)
    assert page.status_code == 200 and b"Toezegging vastleggen</h2>" not in page.content
    refused = client.post(url, {"ministry": ez.pk, "text": "x", "due_year": 2027})
    assert refused.status_code == 403 and not RijkCommitment.objects.exists()
    client.force_login(preparing.officer)
    assert b"Toezegging vastleggen</h2>" in client.get(url).content
    bad = client.post(url, {"ministry": ez.pk, "text": "", "due_year": 2027})
    assert bad.status_code == 400
    ok = client.post(url, {"ministry": ez.pk, "text": "EZ opent het loket.", "due_year": 2027})
    assert ok.status_code == 302 and RijkCommitment.objects.get().text == "EZ opent het loket."


def test_alliance_sees_only_signed_commitments(preparing):
    _record(preparing)
    url = reverse("api-rijk-commitments", args=[preparing.agenda.pk])
    assert api(preparing.coordinator).get(url).json() == []
    assert len(api(preparing.officer).get(url).json()) == 1


# --- signing -------------------------------------------------------------------------------------------------
def test_signed_with_the_decision_then_locked(preparing):
    c = _record(preparing)
    advance_sign(preparing)
    c.refresh_from_db()
    assert c.signed_at is not None and c.decision.signed_at is not None
    with pytest.raises(PermissionDenied):
        services.rijk_commitment_update(
            commitment=c, actor=preparing.fresh(preparing.officer), data=DATA, lock_version=c.lock_version
        )
    with pytest.raises(PermissionDenied):
        _record(preparing)  # no new commitment without a decision being prepared
    response = api(preparing.officer).patch(
        reverse("api-rijk-commitment", args=[c.pk]), {"text": "Later", "lock_version": c.lock_version}, format="json"
    )
    assert response.status_code == 403 and response["Content-Type"].startswith("application/problem+json")
    client = api(preparing.coordinator)
    listed = client.get(reverse("api-rijk-commitments", args=[preparing.agenda.pk])).json()
    assert [row["id"] for row in listed] == [c.pk]


def test_edit_page_refused_after_signing(client, preparing):
    c = _record(preparing)
    client.force_login(preparing.officer)
    edit = reverse("agendas:rijk-commitment-edit", args=[preparing.agenda.pk, c.pk])
    assert client.get(edit).status_code == 200
    advance_sign(preparing)
    assert client.get(edit).status_code == 403


def test_returned_decision_leaves_them_open(preparing):
    c = _record(preparing)
    _prepare(preparing, "return")
    _sign(preparing)
    c.refresh_from_db()
    assert c.signed_at is None and c.decision is None


def test_nota_and_its_pdf_include_them(preparing):
    _record(preparing)
    _prepare(preparing)
    before = collect_decision_note(preparing.agenda)
    assert [r["text"] for r in before["rijk_commitments"]] == [DATA["text"]]
    assert before["rijk_commitments"][0]["signed"] is False
    _sign(preparing)
    data = collect_decision_note(preparing.agenda)
    assert data["rijk_commitments"][0] | {"signed": True} == data["rijk_commitments"][0]
    html = render_html("decision_note", data)
    assert "Toezeggingen van het Rijk" in html and DATA["text"] in html and "Ondertekend met dit besluit" in html


def test_nota_page_shows_them(client, preparing):
    _record(preparing)
    advance_sign(preparing)
    client.force_login(preparing.officer)
    page = client.get(reverse("agendas:workflow-decision", args=[preparing.agenda.pk]))
    assert DATA["text"].encode() in page.content


# --- yearly report by the ministry side ------------------------------------------------------------------------
def test_officer_reports_yearly_and_region_cannot(running):
    c = RijkCommitment.objects.get()
    assert services.reporting_years(running.agenda) == [y for y in (2025, 2026)]
    row = services.rijk_commitment_report(
        commitment=c, actor=running.fresh(running.officer), year=2026, status="on_track", lock_version=None
    )
    assert row.status == "on_track" and row.history.count() == 1
    for who in ("coordinator", "partner", "state_rep"):
        with pytest.raises(PermissionDenied, match="niet de regio"):
            services.rijk_commitment_report(
                commitment=c, actor=running.fresh(getattr(running, who)), year=2026, status="done", lock_version=None
            )
    with pytest.raises(ValidationError) as exc:
        services.rijk_commitment_report(
            commitment=c, actor=running.fresh(running.officer), year=2031, status="late", lock_version=row.lock_version
        )
    assert set(exc.value.message_dict) == {"year", "explanation"}
    with pytest.raises(ConflictError):
        services.rijk_commitment_report(
            commitment=c, actor=running.fresh(running.officer), year=2026, status="done", lock_version=0
        )
    services.rijk_commitment_report(
        commitment=c, actor=running.fresh(running.officer), year=2026, status="done", lock_version=row.lock_version
    )
    assert RijkCommitmentReport.objects.get().status == "done"


@pytest.mark.parametrize("door", DOORS)
def test_api_report_ministry_only(running, door):
    c = RijkCommitment.objects.get()
    url = reverse("api-rijk-commitment-reports", args=[c.pk])
    refused = api(running.coordinator, door).post(url, {"year": 2026, "status": "done"}, format="json")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/problem+json")
    ok = api(running.officer, door).post(
        url, {"year": 2026, "status": "late", "explanation": "Wetgeving loopt vertraging op."}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["late"] is True
    assert ok.json()["reports"][0]["status"] == "late"
    # the alliance reads it
    listed = api(running.coordinator, door).get(reverse("api-rijk-commitments", args=[running.agenda.pk])).json()
    assert listed[0]["reports"][0]["explanation"] == "Wetgeving loopt vertraging op."


def test_page_report_and_progress_report_shows_it(client, running):
    c = RijkCommitment.objects.get()
    url = reverse("agendas:rijk-commitment-report", args=[running.agenda.pk, c.pk])
    client.force_login(running.coordinator)
    assert client.post(url, {f"r{c.pk}-year": 2026, f"r{c.pk}-status": "done"}).status_code == 403
    client.force_login(running.officer)
    page = client.get(reverse("agendas:rijk-commitments", args=[running.agenda.pk]))
    assert f'name="r{c.pk}-status"'.encode() in page.content
    response = client.post(url, {f"r{c.pk}-year": 2026, f"r{c.pk}-status": "on_track", f"r{c.pk}-lock_version": ""})
    assert response.status_code == 302 and RijkCommitmentReport.objects.get().status == "on_track"
    client.force_login(running.coordinator)
    page = client.get(reverse("agendas:rijk-commitments", args=[running.agenda.pk]))
    assert b"Op schema" in page.content and f'name="r{c.pk}-status"'.encode() not in page.content


# --- per-ministry overview -----------------------------------------------------------------------------------
def _signed(agenda, ministry: str, due_year: int, status: str | None = None) -> RijkCommitment:
    from django.utils import timezone

    officer = UserFactory(role=roles.MINISTRY_OFFICER)
    c = RijkCommitment.objects.create(
        agenda=agenda,
        ministry=Ministry.objects.get(code=ministry),
        text=f"{ministry} {due_year}",
        due_year=due_year,
        recorded_by=officer,
        signed_at=timezone.now(),
    )
    if status:
        RijkCommitmentReport.objects.create(commitment=c, year=2026, status=status, reported_by=officer)
    return c


def _agendas(n: int):
    return [
        AgendaFactory(alliance=AllianceFactory(organisations=[OrganisationFactory()]), current_version=1)
        for _ in range(n)
    ]


def test_per_ministry_counts_open_and_late(db):
    a, b = _agendas(2)
    _signed(a, "ez", 2030)  # open, not late
    _signed(a, "ez", 2025)  # open, late: past its due year
    _signed(b, "ez", 2030, "late")  # open, late: reported late
    _signed(b, "ez", 2025, "done")  # done: neither
    _signed(b, "ocw", 2030, "on_track")
    officer = user_with(roles.MINISTRY_OFFICER)
    rows = {r.ministry.code: r for r in selectors.per_ministry(officer, 2026)}
    assert (len(rows["ez"].open), len(rows["ez"].late)) == (3, 2)
    assert (len(rows["ocw"].open), len(rows["ocw"].late)) == (1, 0)
    assert (len(rows["vws"].open), len(rows["vws"].late)) == (0, 0)


def test_per_ministry_doors(client, db):
    (a,) = _agendas(1)
    _signed(a, "ez", 2025)
    officer, coordinator = user_with(roles.MINISTRY_OFFICER), user_with(roles.COORDINATOR)
    url = reverse("agendas:rijk-commitments-per-ministry")
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    assert api(coordinator).get(reverse("api-rijk-commitments-per-ministry")).status_code == 403
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200 and a.title.encode() in page.content
    body = api(officer).get(reverse("api-rijk-commitments-per-ministry")).json()
    assert {r["ministry"]: (r["open"], r["late"]) for r in body}["ez"] == (1, 1)


def test_per_ministry_query_count_flat(client, db):
    officer = user_with(roles.MINISTRY_OFFICER)
    client.force_login(officer)
    url = reverse("agendas:rijk-commitments-per-ministry")
    for agenda in _agendas(2):
        _signed(agenda, "ez", 2025, "late")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for agenda in _agendas(8):
        _signed(agenda, "ez", 2025, "late")
        _signed(agenda, "ocw", 2030)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_admin_is_read_only(client, preparing):
    c = _record(preparing)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:agendas_rijkcommitment_change", args=[c.pk])).status_code == 200
    response = client.post(reverse("admin:agendas_rijkcommitment_change", args=[c.pk]), {"text": "x"})
    assert response.status_code == 403
    assert client.get(reverse("admin:agendas_rijkcommitment_add")).status_code == 403


def test_progress_report_page_shows_the_ministrys_word_read_only(client, running):
    from agendas.monitoring.services import progress_report_open

    c = RijkCommitment.objects.get()
    services.rijk_commitment_report(
        commitment=c,
        actor=running.fresh(running.officer),
        year=2026,
        status="late",
        explanation="De regeling wacht op de Tweede Kamer.",
        lock_version=None,
    )
    running.refresh()
    report, _created = progress_report_open(agenda=running.agenda, year=2026)
    client.force_login(running.coordinator)
    page = client.get(reverse("agendas:monitoring-report", args=[report.pk])).content.decode()
    section = page.split('id="rijkstoezeggingen"', 1)[1].split("</section>", 1)[0]
    assert "Vertraagd" in section and "De regeling wacht op de Tweede Kamer." in section
    assert "<form" not in section
