"""The audit trail covers every project model; records are immutable; administrators read and export it."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts import roles
from accounts.audit import PROJECT_APPS
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

# Models that are themselves append-only records (their rows ARE the audit trail) are exempt.
APPEND_ONLY = {"agendas.agendaversion", "agendas.transition", "accounts.accesslogentry"}


def _project_models():
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        yield label, model


def test_every_project_model_is_audited():
    missing = []
    for label, model in _project_models():
        if label in APPEND_ONLY:
            continue
        if not hasattr(model, "history"):
            missing.append(label)
    assert not missing, f"Models without an audit trail (add HistoricalRecords): {missing}"


def test_every_many_to_many_is_audited():
    missing = []
    for label, model in _project_models():
        for field in model._meta.local_many_to_many:
            history = getattr(model, "history", None)
            tracked = [f.name for f in history.model._history_m2m_fields] if history is not None else []
            if field.name not in tracked and field.remote_field.through._meta.auto_created:
                missing.append(f"{label}.{field.name}")
    assert not missing, f"Many-to-many fields whose changes are not recorded (m2m_fields=[...]): {missing}"


def test_append_only_records_refuse_change_and_delete():
    from agendas.models import Transition
    from tests.factories import AgendaFactory

    agenda = AgendaFactory()
    t = Transition.objects.create(agenda=agenda, action="submit", from_status="draft", to_status="submitted")
    with pytest.raises(ValueError):
        t.save()
    with pytest.raises(ValueError):
        t.delete()


def test_historical_models_not_editable_in_admin():
    from django.contrib import admin

    registered = {m.__name__ for m in admin.site._registry}
    assert not any(name.startswith("Historical") for name in registered)


def test_administrator_reads_and_exports_audit_log(client):
    admin_user = UserFactory(role=roles.ADMINISTRATOR)
    region = RegionFactory(name="Oude naam")
    region.name = "Nieuwe naam"
    region._history_user = admin_user
    region.save()
    client.force_login(admin_user)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Oude naam" in page and "Nieuwe naam" in page
    export = client.get(reverse("audit_log"), {"export": "csv", "model": "accounts.region"})
    assert export["Content-Disposition"].startswith("attachment")
    body = export.content.decode("utf-8-sig")
    assert "Oude naam" in body and "gewijzigd" in body


@pytest.mark.parametrize("role", [r for r in roles.ALL_ROLES if r != roles.ADMINISTRATOR])
def test_other_roles_cannot_read_audit_log(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("audit_log")).status_code == 403


def test_audit_log_query_count_independent_of_rows(client, django_assert_max_num_queries):
    admin_user = UserFactory(role=roles.ADMINISTRATOR)
    client.force_login(admin_user)
    for r in RegionFactory.create_batch(3):
        r.name += " x"
        r.save()
    with django_assert_max_num_queries(200) as small:
        client.get(reverse("audit_log"))
    for r in RegionFactory.create_batch(30):
        r.name += " x"
        r.save()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("audit_log"))


def test_csv_formula_injection_neutralised():
    from kansenagenda.spreadsheet import neutralise

    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("+31") == "'+31" and neutralise("@x") == "'@x" and neutralise("gewoon") == "gewoon"
    assert neutralise(12.5) == 12.5
