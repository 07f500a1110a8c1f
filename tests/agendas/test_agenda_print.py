"""The print view: the whole agenda without comment forms or buttons; only for who may see the agenda."""

import pytest
from django.urls import reverse

from accounts import roles
from agendas.models import Agenda
from tests.factories import UserFactory, make_coordinator, make_partner
from tests.factories_reports import build_agenda

pytestmark = pytest.mark.django_db


def test_print_view_has_the_content_and_no_forms(client):
    agenda = build_agenda(status=Agenda.Status.SUBMITTED, current_version=1, priorities=2)
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    page = client.get(reverse("agendas:agenda_print", args=[agenda.pk])).content.decode()
    main = page[page.index("<main") :]
    for p in agenda.priorities.all():
        assert p.title in main and "Veranderingstheorie" in main
    assert "<form" not in main and "comment-form" not in main and "Cofinancieringsratio" in main


def test_print_view_follows_the_agenda_policy(client):
    draft = build_agenda(status=Agenda.Status.DRAFT)
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    assert client.get(reverse("agendas:agenda_print", args=[draft.pk])).status_code == 404  # unshared draft
    client.force_login(make_partner(draft.alliance))
    assert client.get(reverse("agendas:agenda_print", args=[draft.pk])).status_code == 200
    client.force_login(make_coordinator(build_agenda().alliance))
    assert client.get(reverse("agendas:agenda_print", args=[draft.pk])).status_code == 404


def test_print_view_query_count_does_not_grow(client, django_assert_max_num_queries):
    small = build_agenda(status=Agenda.Status.SUBMITTED, current_version=1, priorities=1)
    big = build_agenda(status=Agenda.Status.SUBMITTED, current_version=1, priorities=5)
    client.force_login(UserFactory(role=roles.MINISTRY_OFFICER))
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("agendas:agenda_print", args=[small.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("agendas:agenda_print", args=[big.pk]))
