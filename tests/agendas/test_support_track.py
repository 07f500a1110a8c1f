"""Support track (issue 16, item 7): a region marked as supported, its supporters read and comment on the
region's (draft) agenda and nothing else; the portfolio "agenda's voor alle regio's". Page, API and admin."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from accounts.models import RegionSupport
from agendas.decision import services as wf
from agendas.models import Agenda, Comment
from agendas.support import services
from kansenagenda.errors import TransitionRefused
from reports.models import GeneratedDocument
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, make_complete_agenda, user_with
from tests.api_clients import api
from tests.factories import RegionFactory

DOORS = ["session", "token"]


def _support(world: World, supporter, **kwargs) -> RegionSupport:
    return services.region_support_save(
        actor=world.fresh(world.officer),
        region=world.agenda.alliance.region,
        kind=kwargs.pop("kind", RegionSupport.Kind.VNG),
        organisation_name="VNG Ondersteuning",
        start_date=kwargs.pop("start_date", datetime.date(2026, 1, 1)),
        supporters=[supporter],
        **kwargs,
    )


@pytest.fixture
def supported(world: World):
    supporter = user_with(roles.SUPPORTER)
    _support(world, supporter)
    other = make_complete_agenda()
    return world, supporter, other


# --- what the supporter may do ----------------------------------------------------------------------------
def test_supporter_reads_the_draft_page_and_api(client, supported):
    world, supporter, other = supported
    client.force_login(supporter)
    assert world.agenda.status == Agenda.Status.DRAFT and world.agenda.current_version == 0
    assert client.get(reverse("agendas:agenda_detail", args=[world.agenda.pk])).status_code == 200
    assert api(supporter).get(reverse("agenda-detail", args=[world.agenda.pk])).status_code == 200
    listed = api(supporter).get(reverse("agenda-list")).json()
    ids = {row["id"] for row in (listed["results"] if isinstance(listed, dict) else listed)}
    assert ids == {world.agenda.pk}


def test_supporter_comments_through_page_and_api(client, supported):
    world, supporter, _other = supported
    client.force_login(supporter)
    response = client.post(
        reverse("agendas:comment_add", args=[world.agenda.pk]), {"section": "vision", "body": "Denk aan de kernen."}
    )
    assert response.status_code == 302
    created = api(supporter, "token").post(
        reverse("comment-list"), {"agenda": world.agenda.pk, "section": "vision", "body": "En aan zorg."}, format="json"
    )
    assert created.status_code == 201, created.content
    assert Comment.objects.filter(agenda=world.agenda, author=supporter).count() == 2


# --- what the supporter may NOT do -------------------------------------------------------------------------
@pytest.mark.parametrize("door", DOORS)
def test_supporter_may_not_edit_or_submit(client, supported, door):
    world, supporter, _other = supported
    agenda = world.agenda
    client.force_login(supporter)
    assert client.get(reverse("agendas:agenda_edit", args=[agenda.pk])).status_code == 403
    assert client.post(reverse("agendas:agenda_edit", args=[agenda.pk]), {"title": "Gekaapt"}).status_code == 403
    patch = api(supporter, door).patch(
        reverse("agenda-detail", args=[agenda.pk]),
        {"title": "Gekaapt", "lock_version": agenda.lock_version},
        format="json",
    )
    assert patch.status_code == 403 and patch["Content-Type"].startswith("application/problem+json")
    submit = api(supporter, door).post(
        reverse("api-agenda-submit", args=[agenda.pk]), {"lock_version": agenda.lock_version}, format="json"
    )
    assert submit.status_code == 403 and submit["Content-Type"].startswith("application/problem+json")
    assert client.post(reverse("agendas:workflow-transition", args=[agenda.pk, "submit"])).status_code in (403, 302)
    world.refresh()
    assert world.agenda.status == Agenda.Status.DRAFT and world.agenda.title != "Gekaapt"


def test_supporter_may_not_submit_through_the_service(supported):
    world, supporter, _other = supported
    with pytest.raises((PermissionDenied, TransitionRefused)):
        wf.agenda_submit(agenda=world.agenda, actor=supporter)
    world.refresh()
    assert world.agenda.status == Agenda.Status.DRAFT


@pytest.mark.parametrize("door", DOORS)
def test_supporter_does_not_see_other_regions(client, supported, door):
    _world, supporter, other = supported
    client.force_login(supporter)
    assert client.get(reverse("agendas:agenda_detail", args=[other.pk])).status_code == 404
    assert api(supporter, door).get(reverse("agenda-detail", args=[other.pk])).status_code == 404
    comment = api(supporter, door).post(
        reverse("comment-list"), {"agenda": other.pk, "section": "vision", "body": "x"}, format="json"
    )
    assert comment.status_code in (400, 403, 404)
    assert not Comment.objects.filter(agenda=other).exists()


def test_supporter_does_not_see_ministry_only_data(client, supported):
    world, supporter, _other = supported
    advance(world, "prepared")
    agenda = world.refresh()
    client.force_login(supporter)
    nota = client.get(reverse("agendas:workflow-decision", args=[agenda.pk]))
    assert b"nota-heading" not in nota.content and b"De agenda sluit aan bij" not in nota.content
    decision = api(supporter).get(reverse("api-agenda-decision", args=[agenda.pk]))
    assert decision.status_code in (403, 404)
    assert api(supporter).get(reverse("api-agenda-reviews", args=[agenda.pk])).json() == []
    document = client.post(
        reverse("reports:agenda_documents", args=[agenda.pk]), {"kind": GeneratedDocument.Kind.DECISION_NOTE}
    )
    assert document.status_code in (400, 403)  # the nota is not a kind the supporter may ask for
    assert not GeneratedDocument.objects.filter(kind=GeneratedDocument.Kind.DECISION_NOTE).exists()


def test_support_scoped_to_its_period_and_role(client, world):
    supporter = user_with(roles.SUPPORTER)
    _support(world, supporter, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    client.force_login(supporter)
    assert client.get(reverse("agendas:agenda_detail", args=[world.agenda.pk])).status_code == 404
    # the role without being named as supporter of the region sees nothing either
    stranger = user_with(roles.SUPPORTER)
    client.force_login(stranger)
    assert client.get(reverse("agendas:agenda_detail", args=[world.agenda.pk])).status_code == 404


# --- setting the support ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["coordinator", "partner", "state_rep", "signatory", "reviewer"])
def test_only_officer_or_admin_sets_support(world, who):
    with pytest.raises(PermissionDenied):
        services.region_support_save(
            actor=world.fresh(getattr(world, who)),
            region=world.agenda.alliance.region,
            kind="vng",
            organisation_name="VNG",
            start_date=datetime.date(2026, 1, 1),
        )
    services.region_support_save(
        actor=world.fresh(world.admin),
        region=world.agenda.alliance.region,
        kind="province",
        organisation_name="Provincie Drenthe",
        start_date=datetime.date(2026, 1, 1),
    )
    assert RegionSupport.objects.filter(organisation_name="Provincie Drenthe").count() == 1
    assert not RegionSupport.objects.filter(organisation_name="VNG", supporters__isnull=True).exists()


def test_validation_and_supporter_needs_the_role(world):
    with pytest.raises(ValidationError) as exc:
        services.region_support_save(
            actor=world.fresh(world.officer),
            region=world.agenda.alliance.region,
            kind="elsewhere",
            organisation_name=" ",
            start_date=datetime.date(2026, 1, 2),
            end_date=datetime.date(2026, 1, 1),
            supporters=[world.coordinator],
        )
    assert set(exc.value.message_dict) == {"kind", "organisation_name", "end_date", "supporters"}


def test_support_page_officer_and_not_coordinator(client, world):
    supporter = user_with(roles.SUPPORTER, first_name="Sam", last_name="Steun")
    region = world.agenda.alliance.region
    url = reverse("agendas:region-support-add", args=[region.pk])
    data = {
        "kind": "programme_office",
        "organisation_name": "Programmabureau Elke regio telt!",
        "start_date": "2026-02-01",
        "supporters": [supporter.pk],
    }
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 403 and client.post(url, data).status_code == 403
    client.force_login(world.officer)
    assert b"Sam Steun" in client.get(url).content
    assert client.post(url, data).status_code == 302
    support = RegionSupport.objects.get(organisation_name=data["organisation_name"])
    assert list(support.supporters.all()) == [supporter] and support.history.count() >= 1
    edit = reverse("agendas:region-support-edit", args=[region.pk, support.pk])
    stale = client.post(edit, {**data, "organisation_name": "Nieuw", "lock_version": support.lock_version - 1})
    assert stale.status_code == 409
    ok = client.post(edit, {**data, "organisation_name": "Nieuw", "lock_version": support.lock_version})
    assert ok.status_code == 302
    support.refresh_from_db()
    assert support.organisation_name == "Nieuw"


def test_admin_through_the_service(client, world):
    admin_user = user_with(roles.ADMINISTRATOR, is_staff=True)
    region = world.agenda.alliance.region
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_regionsupport_add"),
        {"region": region.pk, "kind": "vng", "organisation_name": "VNG", "start_date": "2026-01-01"},
    )
    assert response.status_code == 302, response.content[:2000]
    support = RegionSupport.objects.get(organisation_name="VNG", supporters__isnull=True)
    assert support.history.first().history_user == admin_user
    client.force_login(user_with(roles.COORDINATOR, is_staff=True))
    refused = client.post(
        reverse("admin:accounts_regionsupport_add"),
        {"region": region.pk, "kind": "vng", "organisation_name": "VNG 2", "start_date": "2026-01-01"},
    )
    assert refused.status_code == 403 and not RegionSupport.objects.filter(organisation_name="VNG 2").exists()


# --- the portfolio ------------------------------------------------------------------------------------------
def test_all_regions_page(client, supported):
    world, _supporter, _other = supported
    empty = RegionFactory(name="Regio Zonder Agenda")
    url = reverse("agendas:all-regions")
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 403
    client.force_login(world.officer)
    page = client.get(url).content.decode()
    row = page.split("Regio Zonder Agenda", 1)[1].split("</tr>", 1)[0]
    assert "Nog geen agenda" in row
    supported_row = page.split(world.agenda.alliance.region.name + "</th>", 1)[1].split("</tr>", 1)[0]
    assert "VNG Ondersteuning" in supported_row
    # the draft is not shared with the ministry: counted as in preparation, its title not shown
    assert "Concept in voorbereiding" in supported_row and world.agenda.title not in page
    assert empty.name in page
    # once shared, the officer sees its title
    Agenda.objects.filter(pk=world.agenda.pk).update(shared_with_ministry=True)
    assert world.agenda.title in client.get(url).content.decode()


def test_all_regions_query_count_flat(client, world):
    _support(world, user_with(roles.SUPPORTER))
    client.force_login(world.officer)
    url = reverse("agendas:all-regions")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(8):
        region = RegionFactory()
        services.region_support_save(
            actor=world.fresh(world.officer),
            region=region,
            kind="vng",
            organisation_name=f"VNG {i}",
            start_date=datetime.date(2026, 1, 1),
            supporters=[user_with(roles.SUPPORTER)],
        )
        make_complete_agenda()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
