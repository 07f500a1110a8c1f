"""Issue 14 item 4: the personal iCalendar feed – only the owner's deadlines, revocable, stable ids."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from agendas import clocks
from agendas.calendarfeed import services
from agendas.calendarfeed.models import CalendarFeed
from agendas.models import ReviewAssignment
from agendas.monitoring import change_requests as cr_svc
from agendas.monitoring.services import progress_report_open
from tests.agendas.monitoring_fixtures import People, make_active_agenda
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import advance
from tests.factories import BudgetLineFactory


def events(client, user) -> dict[str, dict]:
    token = services.calendar_feed_create(user=user)
    response = client.get(reverse("calendar-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {
        str(e["uid"]): {"summary": str(e["summary"]), "start": e.decoded("dtstart"), "url": str(e["url"])}
        for e in cal.walk("VEVENT")
    }


def test_token_is_stored_hashed_and_shown_once(world):
    token = services.calendar_feed_create(user=world.reviewer)
    feed = CalendarFeed.objects.get(user=world.reviewer)
    assert token not in feed.token_hash and feed.token_hash == services.token_digest(token)
    assert feed.suffix == token[-4:]


def test_review_deadline_only_in_the_reviewers_feed(client, world):
    advance(world, "under_review")
    assignment = ReviewAssignment.objects.get(agenda=world.agenda, reviewer=world.reviewer)
    mine = events(client, world.reviewer)
    [review] = [e for uid, e in mine.items() if "-review-" in uid]
    assert review["start"] == assignment.due_date
    assert world.agenda.title in review["summary"]
    assert review["url"].startswith("http")
    for other in (world.reviewer2, world.coordinator, world.partner, world.other_coordinator, world.admin):
        assert not [uid for uid in events(client, other) if "-review-" in uid]


def test_advice_deadline_for_the_regions_state_representative_only(client, world):
    advance(world, "under_review")
    mine = events(client, world.state_rep)
    [advice] = [e for uid, e in mine.items() if "-advice-" in uid]
    assert advice["start"] == clocks.decision_due_date(world.refresh())
    assert not [uid for uid in events(client, world.other_state_rep) if "-advice-" in uid]


def test_decision_deadlines_for_officer_and_signatory_not_for_the_preparer(client, world):
    advance(world, "prepared")
    due = clocks.decision_due_date(world.refresh())
    signatory = events(client, world.signatory)
    assert [e["start"] for uid, e in signatory.items() if "-sign-" in uid] == [due]
    # officer2 is signatory too, but did not prepare: sees it; the preparing officer (no signatory role) does not
    assert [uid for uid in events(client, world.officer2) if "-sign-" in uid]
    assert not [uid for uid in events(client, world.officer) if "-sign-" in uid]
    assert not [uid for uid in events(client, world.coordinator) if "-sign-" in uid]


def test_stable_uids_when_the_date_moves(client, world):
    advance(world, "under_review")
    first = events(client, world.reviewer)
    ReviewAssignment.objects.filter(agenda=world.agenda).update(due_date=clocks.today() + datetime.timedelta(days=3))
    second = events(client, world.reviewer)
    assert set(first) == set(second)
    [uid] = [uid for uid in second if "-review-" in uid]
    assert second[uid]["start"] == clocks.today() + datetime.timedelta(days=3) != first[uid]["start"]


def test_revoked_and_replaced_urls_answer_404(client, world):
    token = services.calendar_feed_create(user=world.reviewer)
    url = reverse("calendar-feed", args=[token])
    assert client.get(url).status_code == 200
    newer = services.calendar_feed_create(user=world.reviewer)
    assert client.get(url).status_code == 404
    assert services.calendar_feed_revoke(user=world.reviewer)
    assert client.get(reverse("calendar-feed", args=[newer])).status_code == 404
    assert client.get(reverse("calendar-feed", args=["not-a-token"])).status_code == 404


def test_deactivated_owner_answers_404(client, world):
    token = services.calendar_feed_create(user=world.reviewer)
    world.reviewer.is_active = False
    world.reviewer.save()
    assert client.get(reverse("calendar-feed", args=[token])).status_code == 404


@pytest.fixture
def monitoring(db):
    agenda = make_active_agenda(priorities=1, milestones_per_priority=1, years=[2027, 2028, 2029])
    return agenda, People(agenda)


def test_report_deadline_for_the_coordinator_only(client, monitoring):
    agenda, people = monitoring
    report, _created = progress_report_open(agenda=agenda, year=2027)
    mine = events(client, people.coordinator)
    assert [e["start"] for uid, e in mine.items() if "-report-" in uid] == [report.due_date]
    for other in (people.partner, people.other_coordinator, people.state_rep, people.officer):
        assert not [uid for uid in events(client, other) if "-report-" in uid]


def test_change_request_deadline_for_who_decides(client, monitoring):
    agenda, people = monitoring
    line = agenda.priorities.first().budget_lines.get(year=2028, source__code="rijk-extra")
    small = cr_svc.change_request_create(
        agenda=agenda,
        actor=people.coordinator,
        reason="Project loopt uit.",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2029, "amount": "1000"}],
    )
    assert small.route == "state_representative"
    due = clocks.change_request_due_date(small)
    assert due == clocks.today() + datetime.timedelta(weeks=8)
    assert [e["start"] for uid, e in events(client, people.state_rep).items() if "-change-" in uid] == [due]
    for other in (people.other_state_rep, people.coordinator, people.officer, people.signatory):
        assert not [uid for uid in events(client, other) if "-change-" in uid]
    large = cr_svc.change_request_create(
        agenda=agenda,
        actor=people.coordinator,
        reason="Groot.",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2029, "amount": "90000"}],
    )
    assert large.route == "ministry"
    assert [uid for uid in events(client, people.officer) if f"-change-{large.pk}-" in uid]
    cr_svc.change_request_prepare(change_request=large, actor=people.officer, advised_outcome="accept", note="Past.")
    assert not [uid for uid in events(client, people.officer) if f"-change-{large.pk}-" in uid]
    assert [uid for uid in events(client, people.signatory) if f"-change-{large.pk}-" in uid]
    cr_svc.change_request_withdraw(change_request=large, actor=people.coordinator)
    assert not [uid for uid in events(client, people.signatory) if f"-change-{large.pk}-" in uid]


def test_feed_query_count_does_not_grow_with_rows(client, db):
    agenda = make_active_agenda(years=[2027])
    people = People(agenda)
    token = services.calendar_feed_create(user=people.coordinator)
    url = reverse("calendar-feed", args=[token])
    progress_report_open(agenda=agenda, year=2027)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _i in range(4):
        other = make_active_agenda(alliance=agenda.alliance, years=[2027])
        BudgetLineFactory(priority=other.priorities.first(), year=2028)
        progress_report_open(agenda=other, year=2027)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 5
    assert len(five.captured_queries) <= len(one.captured_queries)


def test_page_creates_shows_once_and_revokes(client, world):
    page = reverse("calendar-feed-page")
    assert client.get(page).status_code == 302  # login first
    client.force_login(world.reviewer)
    response = client.post(page, {"action": "create"})
    assert response.status_code == 200
    url = response.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert services.calendar_feed_user(token) == world.reviewer
    shown_again = client.get(page)
    assert token not in shown_again.content.decode() and token[-4:] in shown_again.content.decode()
    client.post(page, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=world.reviewer).exists()
    client.logout()
    assert client.get(url.split("testserver", 1)[1]).status_code == 404
