"""Fuzz of every page form (issue 11, item 6): bad input is a form error, never a 500.

The form views are discovered, not listed: every page route of the URL resolver (as in the
authorization probe) is opened with GET as each role, on objects of that role's own alliance; every
page that shows a POST form to that role is then posted random and hostile bodies built by hypothesis
from the field names on the page (plus ``lock_version``, which every versioned write reads). The test
fails on any 5xx. The API has its own fuzz run beside this one (scripts/fuzz-api, schemathesis).
"""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import roles
from tests.factories import UserFactory, make_coordinator, make_partner, make_state_representative
from tests.test_authorization_probe import _in_scope, _values_for, discover_routes, foreign  # noqa: F401

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 3
SKIP_ROUTES = {
    "logout",  # would end the fuzzer's own session
    "login",  # axes lockout and login have their own tests
    "set_language",
    "password_reset",  # sends e-mail; its form is Django's own
    "password_reset_confirm",
}
FIELD = re.compile(r"""<(?:input|select|textarea|button)\b[^>]*>""", re.IGNORECASE)
ATTR = re.compile(r"""\b(name|value)=["']([^"']*)["']""", re.IGNORECASE)
POST_FORM = re.compile(r"""<form\b[^>]*method=["']post["']""", re.IGNORECASE)

HOSTILE = [
    "abc",
    "",
    " ",
    "-1",
    "0",
    "1e400",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "1.000.000,50",
    "€ -1.250.000,50",
    "2026-02-30",
    "31-12-2026",
    "true",
    "null",
    "[]",
    "{}",
    "\x00",
    "\u202e\u200b",
    "<script>alert(1)</script>",
    "'; DROP TABLE agendas_agenda; --",
    '=HYPERLINK("http://x")',
    "x" * 5000,
    "../../etc/passwd",
    "9" * 400,
]
VALUE = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str))
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))


def _user_for(role, objects):
    agenda = objects["agenda"]
    if role == roles.COORDINATOR:
        return agenda.alliance.coordinators.first() or make_coordinator(agenda.alliance)
    if role == roles.PARTNER:
        return make_partner(agenda.alliance)
    if role == roles.STATE_REPRESENTATIVE:
        return make_state_representative(agenda.alliance.region)
    if role == roles.REVIEWER:
        return objects["assignment"].reviewer
    return UserFactory(role=role)


def _fields(html: str) -> dict[str, list[str]]:
    """Field name → the values the page itself offers (buttons' actions, hidden ids, choices)."""
    fields: dict[str, list[str]] = {"lock_version": []}
    for tag in FIELD.findall(html):
        attrs = {k.lower(): v for k, v in ATTR.findall(tag)}
        if attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken":
            offered = fields.setdefault(attrs["name"], [])
            if attrs.get("value") and attrs["value"] not in offered:
                offered.append(attrs["value"])
    return fields


def _form_pages(client, objects) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(route name, path, fields) of every page that shows this user a POST form."""
    pages = []
    for route in filter(_in_scope, discover_routes()):
        if route.pattern.startswith("api/") or route.name in SKIP_ROUTES:
            continue
        path = route.path(_values_for(route, objects))
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} ({route.name}) → {response.status_code}"
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        html = response.content.decode("utf-8", "replace")
        if not POST_FORM.search(html):
            continue
        pages.append((route.name, path, _fields(html)))
    return pages


FIGURES: dict[str, dict] = {}


@pytest.mark.parametrize(
    "role",
    [
        roles.COORDINATOR,
        roles.PARTNER,
        roles.STATE_REPRESENTATIVE,
        roles.REVIEWER,
        roles.MINISTRY_OFFICER,
        roles.MINISTRY_SIGNATORY,
        roles.ADMINISTRATOR,
    ],
)
def test_no_page_form_answers_a_server_error(role, foreign, settings_override):  # noqa: F811
    objects = foreign
    agenda = objects["agenda"]
    agenda.shared_with_ministry = True  # so the ministry roles reach the agenda's pages too
    agenda.save(update_fields=["shared_with_ministry"])
    client = Client(raise_request_exception=False)
    client.force_login(_user_for(role, objects))
    pages = _form_pages(client, objects)
    failures: list[tuple] = []
    counts = {"forms": len(pages), "requests": 0, "5xx": 0}
    started = time.monotonic()

    for name, path, fields in pages:
        target = (path, name)
        # Fixed hostile body first: every field a non-number, lock_version=abc (the change-request case).
        # Then per action the page offers (button values): that action with lock_version=abc.
        bodies = [dict.fromkeys(fields, "abc"), {"lock_version": "abc"}]
        for field, offered in fields.items():
            bodies += [{field: value, "lock_version": "abc"} for value in offered[:6] if field != "lock_version"]

        @settings(
            max_examples=EXAMPLES_PER_FORM,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(body=_bodies(fields))
        def fuzz(body):
            _post(client, target[0], target[1], body, counts, failures)

        for body in bodies:
            _post(client, path, name, body, counts, failures)
        fuzz()

    FIGURES[role] = {
        **counts,
        "names": sorted(n for n, _p, _f in pages),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(f"form fuzz as {role}: {FIGURES[role]}")  # noqa: T201 - figures for the report
    assert len(pages) >= 5, f"{role} sees only {len(pages)} forms: the fuzzer found too little to test"
    pending = [f for f in failures if _fixed_by_a_pending_branch(f)]
    if failures and len(pending) == len(failures):
        pytest.xfail(
            "Only 500s that another branch's one rule fixes (see PENDING_RULES):\n"
            + "\n".join(_describe(f) for f in failures[:20])
        )
    assert not failures, "\n".join(_describe(f) for f in failures[:20])


# Doors whose parse errors are fixed by another engineer's one-rule module, merged separately: while that
# module does not exist here, a 500 at those doors for that kind of input is an expected failure; as soon as
# the module exists (after the merge), no allowance is made at all.
PENDING_RULES = {
    # lock_version missing or not an integer: kansenagenda/locking.py parse_lock_version (locks branch)
    "kansenagenda.locking": {
        "doors": ("agendas:agenda_delete", "agendas:monitoring-report", "agendas:monitoring-change-request"),
        "input": lambda body: not str(body.get("lock_version", "")).isdigit(),
    },
    # amounts beyond the database's 14 digits: kansenagenda/money.py (money branch)
    "kansenagenda.money": {"doors": ("agendas:budget_grid",), "input": lambda body: True},
}


def _fixed_by_a_pending_branch(failure: tuple) -> bool:
    import importlib.util

    _path, name, body = failure
    return any(
        importlib.util.find_spec(module) is None and name in rule["doors"] and rule["input"](body)
        for module, rule in PENDING_RULES.items()
    )


def _bodies(fields: dict[str, list[str]]):
    """Some of the page's fields, each a value the page offers or a hostile/random one."""
    return st.fixed_dictionaries(
        {},
        optional={
            name: (st.one_of(st.sampled_from(offered), VALUES) if offered else VALUES)
            for name, offered in fields.items()
        },
    )


def _describe(failure: tuple) -> str:
    path, name, body = failure
    return f"POST {path} ({name}) {body!r:.300} → 5xx"


def _post(client, path, name, body, counts, failures):
    response = client.post(path, body)
    counts["requests"] += 1
    if response.status_code >= 500:
        counts["5xx"] += 1
        failures.append((path, name, body))


@pytest.fixture
def settings_override(settings):
    settings.TWO_FACTOR_ENFORCED = False  # 2FA has its own tests; here every role reaches its forms
    settings.AXES_ENABLED = False
    settings.LOGGING_CONFIG = None
    return settings
