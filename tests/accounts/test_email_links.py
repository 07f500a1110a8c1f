"""Every e-mail template carries absolute links (``SITE_URL``): no path a mail client cannot open."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from kansenagenda.links import absolute_url, site_url

TEMPLATES = sorted(
    p for base in settings.TEMPLATES[0]["DIRS"] for p in Path(base).glob("*/email/*.txt") if not p.name.startswith("_")
)
BODIES = [p for p in TEMPLATES if not p.name.endswith("_subject.txt")]


class Anything:
    """Stands in for every object a template asks about: attribute, call, number (pk) and text."""

    pk = 7
    number = 1
    due_date = datetime.date(2027, 4, 1)

    def __getattr__(self, name):
        return Anything()

    def __call__(self, *args, **kwargs):
        return Anything()

    def __str__(self):
        return "iets"

    def __iter__(self):
        return iter([])

    def __bool__(self):
        return True


def _render(path: Path) -> str:
    name = str(path).split("/templates/", 1)[1]
    context = {k: Anything() for k in ("agenda", "report", "change_request", "assignment", "decision", "advice")}
    context.update(
        recipient="Anna", url="/agendas/7/procedure/", assignment_url="/agendas/toetsen/7/", actor="Bob",
        protocol="https", domain="kansenagenda.example.nl", uid="MQ", token="abc-123", reason="Telefoon kwijt",
        site_url=site_url(), due=datetime.date(2027, 4, 1), days_left=7, days_late=3,
    )  # fmt: skip
    return render_to_string(name, context)


def test_there_are_templates_to_check():
    assert len(BODIES) >= 20


@pytest.mark.parametrize("path", BODIES, ids=lambda p: p.name)
def test_every_link_is_absolute(path, settings):
    settings.SITE_URL = "https://kansenagenda.example.nl"
    body = _render(path)
    links = re.findall(r"https?://\S+", body)
    relative = re.findall(r"(?:^|[\s(:])(/[\w\-./]+)", re.sub(r"https?://\S+", "", body), flags=re.M)
    assert not relative, f"relative links in {path.name}: {relative}"
    assert links, f"{path.name} has no link to act on"
    assert all(link.startswith("https://kansenagenda.example.nl/") for link in links), links


def test_outbox_messages_carry_the_site_url(db, settings):
    from accounts.services import queue_email

    settings.SITE_URL = "https://ka.example.nl/"
    message = queue_email(
        recipient="a@example.nl",
        subject="x",
        template="agendas/email/closed.txt",
        context={"recipient": "Anna", "agenda": Anything(), "url": "/agendas/7/procedure/"},
    )
    assert "https://ka.example.nl/agendas/7/procedure/" in message.body


@pytest.mark.parametrize(
    "path, expected",
    [("/agendas/1/", "https://ka.example.nl/agendas/1/"), ("x/", "https://ka.example.nl/x/"),
     ("https://elders.nl/a", "https://elders.nl/a")],
)  # fmt: skip
def test_absolute_url(settings, path, expected):
    settings.SITE_URL = "https://ka.example.nl/"
    assert absolute_url(path) == expected
