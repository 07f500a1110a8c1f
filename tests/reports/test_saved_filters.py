"""Saved filters per user on the dashboard and its agenda list: only valid filters stored, only one's own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import roles
from agendas.models import Theme
from reports.models import SavedFilter
from reports.saved_filters import saved_filter_save
from tests.factories import UserFactory, make_coordinator
from tests.factories_reports import build_agenda

pytestmark = pytest.mark.django_db


def test_save_keeps_only_valid_filters(officer):
    zorg = Theme.objects.get(code="zorg")
    saved = saved_filter_save(user=officer, name="  Zorg  lopend ", query=f"theme={zorg.pk}&status=active&evil=1")
    assert saved.name == "Zorg lopend" and "evil" not in saved.query and f"theme={zorg.pk}" in saved.query
    again = saved_filter_save(user=officer, name="Zorg lopend", query="status=submitted")
    assert again.pk == saved.pk and again.query == "status=submitted"  # same name: replaced


@pytest.mark.parametrize("name, query, field", [("", "status=active", "name"), ("Leeg", "", "query")])
def test_refused_without_name_or_filters(officer, name, query, field):
    with pytest.raises(ValidationError) as exc:
        saved_filter_save(user=officer, name=name, query=query)
    assert field in exc.value.message_dict


def test_only_who_may_see_the_dashboard(db):
    coordinator = make_coordinator(build_agenda().alliance)
    with pytest.raises(PermissionDenied):
        saved_filter_save(user=coordinator, name="x", query="status=active")


def test_page_saves_lists_and_deletes_only_own(client, officer):
    client.force_login(officer)
    r = client.post(
        reverse("reports:saved_filter_save"),
        {"name": "Mijn ingediende selectie", "query": "status=submitted", "page": "agenda_list"},
    )
    assert r.status_code == 302 and r["Location"] == reverse("reports:agenda_list") + "?status=submitted"
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Mijn ingediende selectie" in page and reverse("reports:dashboard") + "?status=submitted" in page
    saved = SavedFilter.objects.get()
    other = UserFactory(role=roles.MINISTRY_OFFICER)
    client.force_login(other)
    assert "Mijn ingediende selectie" not in client.get(reverse("reports:dashboard")).content.decode()
    assert client.post(reverse("reports:saved_filter_delete", args=[saved.pk])).status_code == 404
    client.force_login(officer)
    assert client.post(reverse("reports:saved_filter_delete", args=[saved.pk])).status_code == 302
    assert not SavedFilter.objects.exists()
