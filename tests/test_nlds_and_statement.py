"""NL Design System (issue 12): the vendored CSS is served by the app itself, pinned; the base templates use its
components; the toegankelijkheidsverklaring is public and linked from every footer."""

import hashlib
import re
from pathlib import Path

from django import forms
from django.template import Context, Template
from django.urls import reverse

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "rijkshuisstijl"


def test_vendored_files_match_their_pinned_checksums():
    versions = (VENDOR / "VERSIONS").read_text()
    assert "@rijkshuisstijl-community/components-css 12.0.0" in versions
    assert "@rijkshuisstijl-community/design-tokens 11.1.0" in versions
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert ".rhc-theme" in (VENDOR / "design-tokens.css").read_text()[:2000]


def test_pages_load_the_vendored_css_from_static_and_no_cdn(client):
    page = client.get(reverse("login")).content.decode()
    assert 'class="rhc-theme"' in page
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert [link.rsplit("/", 1)[-1].split(".")[0] for link in links] == ["design-tokens", "components", "site"]
    assert all(link.startswith("/static/") for link in links)


def test_statement_is_public_and_linked_from_the_footer(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@example.nl"
    url = reverse("accessibility")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Toegankelijkheidsverklaring" in page and "WCAG" in page and "mailto:a11y@example.nl" in page
    assert f'href="{url}"' in client.get(reverse("login")).content.decode()


def test_statement_in_english(client):
    response = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


class _Form(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals in het handelsregister.")
    note = forms.CharField(label="Toelichting", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A")])
    agree = forms.BooleanField(label="Akkoord", required=False)


def _render(form, name):
    return Template('{% include "_field.html" %}').render(Context({"field": form[name]}))


def test_field_uses_design_system_classes_and_matching_aria_ids():
    form = _Form(data={"name": ""})
    form.is_valid()
    html = _render(form, "name")
    assert 'class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--invalid"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_helptext"' in html and 'id="id_name_error"' in html and 'aria-invalid="true"' in html
    assert "utrecht-textarea" in _render(form, "note")
    assert "utrecht-select" in _render(form, "kind")
    assert "utrecht-checkbox" in _render(form, "agree")
    assert "utrecht-textbox--invalid" not in _render(_Form(), "name")
