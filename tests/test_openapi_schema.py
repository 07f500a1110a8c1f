"""The OpenAPI schema generates without warnings (name collisions make clients and fuzzers wrong)."""

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--fail-on-warn", "--validate")
    text = out.read_text()
    assert "/api/v1/agendas/{id}/submit/" in text or reverse("agenda-list") in text
