"""Authorization probe: walks EVERY URL pattern and API route (discovered from the resolver, not
hand-listed) as anonymous and as each role, against objects of another region's alliance, and asserts:

- anonymous gets the login redirect (pages) or 401 (API), except on the explicit public allow-list;
- nobody gets 200 (or a successful write) on an object outside their rights, and nothing changes;
- list pages and list endpoints never include such objects.

A route whose URL arguments the probe cannot fill makes the test fail: add it to ``OBJECT_FOR_KWARG`` /
``PK_OBJECT_BY_ROUTE`` (and give it a foreign object) when you add a route.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import roles
from agendas.models import AgendaVersion, Attachment, Comment, ResponsePoint, Review, ReviewAssignment
from tests.factories import (
    AgendaFactory,
    AgendaPartnerFactory,
    AllianceFactory,
    BudgetLineFactory,
    MilestoneFactory,
    OrganisationFactory,
    PriorityFactory,
    UserFactory,
    make_coordinator,
    make_partner,
    make_state_representative,
)

pytestmark = pytest.mark.django_db

SECRET = "GEHEIM-ANDERE-REGIO-7f3a"

# Routes anyone may open without logging in.
PUBLIC_ROUTES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
    "health-live",
    "health-ready",
    "set_language",
    "api-schema",
    "api-docs",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "accessibility",  # the accessibility statement must be readable by everyone (no data)
    "api-root",  # the API's index of links (AllowAny by design, kansenagenda/openapi.py; no data)
    "calendar-feed",  # the secret URL is the key: an unknown or revoked token answers 404 (test_calendar_feed.py)
}
PUBLIC_PREFIXES = ("openbaar/",)
# Routes outside the probe's scope, with the reason.
SKIPPED_PREFIXES = {
    "beheer/": "Django admin: staff-only by Django's own admin site checks (tested separately)",
    "static/": "static files",
}

# URL keyword → which foreign object fills it.
OBJECT_FOR_KWARG = {
    "priority_pk": "priority",
    "milestone_pk": "milestone",
    "partner_pk": "partner",
    "comment_pk": "comment",
    "attachment_pk": "attachment",
    "line_pk": "budget_line",
    "agenda_pk": "agenda",
    "uidb64": "uidb64",
    "token": "token",
    # workflow (issue 4)
    "action": "action",
    "number": "version_number",
    "assignment_pk": "assignment",
    "point_pk": "response_point",
    "commitment_pk": "commitment",  # partner commitments (issue 16)
    "rijk_commitment_pk": "rijk_commitment",  # the Rijk's commitments (issue 16)
    "region_pk": "region",  # support track (issue 16): a region of the national view
    "support_pk": "region_support",
}
# For a bare ``pk``: the object kind, by route name.
PK_OBJECT_BY_ROUTE = [
    (r"^reports:saved_filter_delete$", "saved_filter"),
    (r"^api-saved-filter$", "saved_filter"),  # the saved-filter API (a person's own)
    (r"^region_assign$", "region"),  # assigning a region's state representative (ministry officer, admin)
    (r"^agendas:monitoring-change-request-decide-check$", "change_request"),  # saved portfolio filters (a person's own)
    (r"^reports:need_region$", "region"),  # need beside money: a region of the national view
    (r"^api-partner-commitment-end$", "commitment"),  # partner commitments (issue 16)
    (r"^api-partner-commitments$", "agenda"),
    (r"^api-rijk-commitments$", "agenda"),  # the Rijk's commitments (issue 16)
    (r"^api-rijk-commitment(-reports)?$", "rijk_commitment"),
    (r"^api-progress-report-spreadsheet$", "progress_report"),  # spreadsheet round trip (issue 16)
    (r"^agendas:monitoring-report", "progress_report"),  # monitoring (issue 5)
    (r"^agendas:monitoring-change-request$", "change_request"),
    (r"^progress-report-", "progress_report"),
    (r"^change-request-", "change_request"),
    (r"^agendas:workflow-assignment$", "assignment"),
    (r"^agendas:", "agenda"),
    (r"^api-agenda-", "agenda"),
    (r"^agenda-", "agenda"),
    (r"^priority-", "priority"),
    (r"^budgetline-", "budget_line"),
    (r"^milestone-", "milestone"),
    (r"^agendapartner-", "partner"),
    (r"^comment-", "comment"),
    (r"^attachment-", "attachment"),
    (r"^reports:agenda_documents$", "agenda"),
    (r"^public:", "agenda"),
    (r"^reports:document", "document"),
    (r"^api-reports-agenda-documents$", "agenda"),
    (r"^api-reports-document(-download)?$", "document"),
]

# Routes whose object is reference data of the ministry's national view (a region, not an alliance's record):
# officers and signatories, who see every region, may open them (200); nobody else may, and what is shown
# of agendas still goes through the agenda policy (the foreign, unshared agenda never appears).
NATIONAL_VIEW_ROLES = {roles.MINISTRY_OFFICER, roles.MINISTRY_SIGNATORY}
# Assigning state representatives: any region, by the ministry officer or an administrator (a GET shows the
# form; the probe's empty POST is refused as invalid input, so nothing changes).
REGION_ASSIGN_ROUTES = {"region_assign"}
REGION_ASSIGN_ROLES = {roles.MINISTRY_OFFICER, roles.ADMINISTRATOR}
# route → the roles whose national view covers every region
NATIONAL_VIEW_ROUTES = {
    "reports:need_region": NATIONAL_VIEW_ROLES,
    # support track: officers and administrators mark any region as supported (the region is reference data)
    "agendas:region-support-add": {roles.MINISTRY_OFFICER, roles.ADMINISTRATOR},
    "agendas:region-support-edit": {roles.MINISTRY_OFFICER, roles.ADMINISTRATOR},
}

ROLES = [
    "anonymous",
    roles.COORDINATOR,
    roles.PARTNER,
    roles.STATE_REPRESENTATIVE,
    roles.REVIEWER,
    roles.MINISTRY_OFFICER,
    roles.MINISTRY_SIGNATORY,
    roles.ADMINISTRATOR,
    roles.SUPPORTER,
]


@dataclass
class Route:
    pattern: str
    name: str
    kwargs: list[str]

    def path(self, values: dict) -> str:
        assert self.name, f"Route {self.pattern} has no name: name every route so it can be probed"
        return reverse(self.name, kwargs=values)


def discover_routes() -> list[Route]:
    routes = []

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                full = prefix + str(p.pattern)
                name = (f"{namespace}:" if namespace else "") + (p.name or "")
                kwargs = re.findall(r"<(?:\w+:)?(\w+)>", full) + re.findall(r"\(\?P<(\w+)>", full)
                routes.append(Route(full, name, kwargs))

    walk(get_resolver().url_patterns)
    return routes


def _in_scope(route: Route) -> bool:
    return not route.pattern.startswith(tuple(SKIPPED_PREFIXES))


def _is_public(route: Route) -> bool:
    return route.name in PUBLIC_ROUTES or route.pattern.startswith(PUBLIC_PREFIXES)


def _is_api(route: Route) -> bool:
    return route.pattern.startswith("api/")


@pytest.fixture
def foreign():
    """A complete draft agenda of another region's alliance (not shared with the ministry)."""
    alliance = AllianceFactory(organisations=[OrganisationFactory()])
    owner = make_coordinator(alliance)
    agenda = AgendaFactory(alliance=alliance, title=SECRET)
    priority = PriorityFactory(agenda=agenda, title=SECRET)
    milestone = MilestoneFactory(priority=priority, title=SECRET)
    line = BudgetLineFactory(priority=priority)
    partner = AgendaPartnerFactory(agenda=agenda)
    comment = Comment.objects.create(agenda=agenda, section="vision", author=owner, body=SECRET)
    attachment = Attachment(
        agenda=agenda,
        original_name=f"{SECRET}.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        uploaded_by=owner,
    )
    attachment.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    from agendas.models import ChangeRequest, ProgressReport  # monitoring (issue 5)

    report = ProgressReport.objects.create(agenda=agenda, year=2027, due_date="2028-04-01", overall_narrative=SECRET)
    change_request = ChangeRequest.objects.create(
        agenda=agenda, reason=SECRET, route="state_representative", requested_by=owner
    )
    # workflow objects on a frozen version (the agenda itself stays an unshared draft)
    from agendas.decision.versions import build_snapshot

    snapshot = build_snapshot(agenda)  # a real frozen version, as version_create makes it
    snapshot["agenda"]["title"] = SECRET
    version = AgendaVersion.objects.create(agenda=agenda, number=1, snapshot=snapshot, created_by=owner)
    assignment = ReviewAssignment.objects.create(
        agenda=agenda,
        version=version,
        reviewer=UserFactory(role=roles.REVIEWER),
        assigned_by=owner,
        due_date=datetime.date(2099, 1, 1),
    )
    review = Review.objects.create(assignment=assignment, distribution_effects=SECRET)
    point = ResponsePoint.objects.create(review=review, text=SECRET)
    from reports.models import GeneratedDocument

    document = GeneratedDocument.objects.create(
        kind="dossier", agenda=agenda, source_fingerprint="f" * 64, source_data={"title": SECRET}
    )
    from django.utils import timezone

    from agendas.models import FundingSource, PartnerCommitment

    commitment = PartnerCommitment.objects.create(
        agenda=agenda,
        organisation=partner.organisation,
        year=agenda.start_year,
        source=FundingSource.objects.get(code="provincie"),
        amount=1,
        confirmed_by=owner,
        confirmed_at=timezone.now(),
    )
    from reports.models import SavedFilter

    saved_filter = SavedFilter.objects.create(user=owner, name=SECRET, query=f"q={SECRET}")
    from accounts.models import RegionSupport
    from agendas.models import Ministry, RijkCommitment

    rijk_commitment = RijkCommitment.objects.create(
        agenda=agenda, ministry=Ministry.objects.get(code="ez"), text=SECRET, due_year=2028, recorded_by=owner
    )
    region_support = RegionSupport.objects.create(
        region=alliance.region, kind="vng", organisation_name="VNG", start_date=datetime.date(2026, 1, 1)
    )
    return {
        "rijk_commitment": rijk_commitment,
        "region_support": region_support,
        "saved_filter": saved_filter,
        "region": alliance.region,
        "commitment": commitment,
        "progress_report": report,
        "change_request": change_request,
        "action": "submit",
        "version_number": 1,
        "assignment": assignment,
        "response_point": point,
        "agenda": agenda,
        "priority": priority,
        "milestone": milestone,
        "budget_line": line,
        "partner": partner,
        "comment": comment,
        "attachment": attachment,
        "document": document,
        "uidb64": "MQ",
        "token": "set-password",
    }


def _fingerprint(objects) -> tuple:
    agenda = objects["agenda"]
    agenda.refresh_from_db()
    return (
        agenda.title,
        agenda.lock_version,
        agenda.status,
        agenda.shared_with_ministry,
        agenda.priorities.count(),
        agenda.partners.count(),
        agenda.comments.count(),
        agenda.attachments.count(),
        sorted(agenda.priorities.values_list("lock_version", flat=True)),
    )


def _values_for(route: Route, foreign) -> dict:
    values = {}
    for kwarg in route.kwargs:
        if kwarg == "pk":
            kind = next((k for rx, k in PK_OBJECT_BY_ROUTE if re.search(rx, route.name)), None)
        else:
            kind = OBJECT_FOR_KWARG.get(kwarg)
        assert kind is not None, (
            f"The authorization probe does not know what to put in <{kwarg}> of route {route.name!r} "
            f"({route.pattern}). Add it to OBJECT_FOR_KWARG / PK_OBJECT_BY_ROUTE in {__file__}."
        )
        obj = foreign[kind]
        values[kwarg] = getattr(obj, "pk", obj)
    return values


@pytest.fixture
def home_alliance():
    return AllianceFactory(organisations=[OrganisationFactory()])


def _user(role, home_alliance):
    if role == "anonymous":
        return AnonymousUser()
    if role == roles.COORDINATOR:
        return make_coordinator(home_alliance)
    if role == roles.PARTNER:
        return make_partner(home_alliance)
    if role == roles.STATE_REPRESENTATIVE:
        return make_state_representative(home_alliance.region)
    if role == roles.SUPPORTER:  # supports the home region, never the foreign one
        from accounts.models import RegionSupport

        user = UserFactory(role=role)
        support = RegionSupport.objects.create(
            region=home_alliance.region,
            kind="province",
            organisation_name="Provincie",
            start_date=datetime.date(2020, 1, 1),
        )
        support.supporters.add(user)
        return user
    return UserFactory(role=role)


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/inloggen/" in response.get("Location", "")


@pytest.mark.parametrize("role", ROLES)
def test_nobody_reaches_another_regions_objects(client, role, foreign, home_alliance, settings):
    settings.TWO_FACTOR_ENFORCED = False  # the probe checks object rights; 2FA has its own tests
    settings.AXES_ENABLED = False
    user = _user(role, home_alliance)
    if role != "anonymous":
        client.force_login(user)
    before = _fingerprint(foreign)
    problems = []
    probed = 0
    for route in filter(_in_scope, discover_routes()):
        public = _is_public(route)
        path = route.path(_values_for(route, foreign))
        for method in ("get", "post"):
            if route.name == "logout" and method == "post":
                continue  # would end the probe's own session; logout has its own test
            response = getattr(client, method)(path, {}) if method == "post" else client.get(path)
            probed += 1
            status = response.status_code
            body = response.content.decode("utf-8", "replace") if not getattr(response, "streaming", False) else ""
            if role == "anonymous" and not public:
                ok = _login_redirect(response) if not _is_api(route) else status in (401, 405)
                ok = ok or (route.name == "logout" and status == 405)  # logout only accepts POST
                if not ok:
                    problems.append(
                        f"{method.upper()} {path} ({route.name}) as anonymous → {status}, expected login/401"
                    )
                continue
            has_object_kwargs = any(k not in ("uidb64", "token") for k in route.kwargs)
            if role in NATIONAL_VIEW_ROUTES.get(route.name, ()) and method == "get":
                has_object_kwargs = False  # their national view covers every region (SECRET still checked)
            if route.name in REGION_ASSIGN_ROUTES and role in REGION_ASSIGN_ROLES and method == "get":
                has_object_kwargs = False  # every region (the page shows no agenda data)
            if (
                has_object_kwargs
                and status in (200, 201, 204)
                or (has_object_kwargs and method == "post" and status in (301, 302))
            ):
                problems.append(
                    f"{method.upper()} {path} ({route.name}) as {role} → {status} on another region's object"
                )
            if SECRET in body and not (route.name == "audit_log" and role == roles.ADMINISTRATOR):
                # (the audit trail is, by design, readable in full by administrators)
                problems.append(f"{method.upper()} {path} ({route.name}) as {role} shows another region's data")
    assert _fingerprint(foreign) == before, f"{role} changed another region's agenda through some route"
    assert not problems, "\n".join(problems)
    assert probed > 50


def test_every_route_is_fillable(foreign):
    """A new route with an unknown URL argument fails here (and in the probe) until it is mapped."""
    for route in filter(_in_scope, discover_routes()):
        _values_for(route, foreign)
