"""'Mijn taken' per role: progress reports, change requests and comments, with due dates and overdue marking
from the clocks; the navigation count with a query count that does not grow."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agendas.drafting.comments import comment_add
from agendas.inbox.selectors import inbox_counts, inbox_items
from agendas.models import Agenda, ProgressReport
from agendas.monitoring import change_requests as cr_svc
from agendas.monitoring import transitions as report_transitions
from agendas.monitoring.services import progress_report_open
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda
from tests.agendas.test_monitoring_change_requests import shift

ALL = ("coordinator", "partner", "state_rep", "other_state_rep", "officer", "signatory", "reviewer", "admin")


def kinds_for(people, who):
    user = people[who]
    user.__dict__.pop("_inbox_items", None)
    return [i.kind for i in inbox_items(type(user).objects.get(pk=user.pk))]


def expect(people, **expected):
    for who in ALL:
        assert kinds_for(people, who) == expected.get(who, []), who


def test_open_report_is_the_coordinators_task_with_its_due_date(report, people):
    expect(people, coordinator=["report_write"])
    item = inbox_items(people.coordinator)[0]
    assert item.due_date == report.due_date and item.agenda_id == report.agenda_id
    assert item.url == reverse("agendas:monitoring-report", args=[report.pk])
    assert "2027" in item.label


def test_submitted_report_waits_for_the_state_representative_only(report, people):
    fill_complete(report, people.coordinator)
    report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    expect(people, state_rep=["report_accept"])


def test_returned_report_goes_back_to_the_coordinator(report, people):
    fill_complete(report, people.coordinator)
    report = report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    report_transitions.progress_report_return(report=report, actor=people.state_rep, remarks="Onderbouw dit.")
    expect(people, coordinator=["report_write"])
    coordinator = type(people.coordinator).objects.get(pk=people.coordinator.pk)
    assert "opnieuw indienen" in inbox_items(coordinator)[0].label


def test_accepted_report_is_nobodys_task(report, people):
    fill_complete(report, people.coordinator)
    report = report_transitions.progress_report_submit(report=report, actor=people.coordinator)
    report_transitions.progress_report_accept(report=report, actor=people.state_rep)
    expect(people)


def test_overdue_report_is_marked_and_first(active_agenda, people):
    report, _ = progress_report_open(agenda=active_agenda, year=2027)
    late, _ = progress_report_open(agenda=active_agenda, year=2028)
    ProgressReport.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    ProgressReport.objects.filter(pk=report.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=60))
    items = inbox_items(people.coordinator)
    assert [(i.kind, i.overdue) for i in items] == [("report_write", True), ("report_write", False)]
    assert "2028" in items[0].label
    assert inbox_counts(people.coordinator) == {"total": 2, "overdue": 1}


def test_small_change_request_waits_for_the_state_representative(active_agenda, people):
    shift(active_agenda, people, "1000")
    expect(people, state_rep=["change_decide"])


def test_large_change_request_prepared_by_officer_then_signed_by_another(active_agenda, people):
    cr = shift(active_agenda, people, "50000")
    expect(people, officer=["change_prepare"])
    cr_svc.change_request_prepare(change_request=cr, actor=people.officer, advised_outcome="accept", note="Goed.")
    expect(people, signatory=["change_sign"])
    # a signatory who prepared it never sees it to sign (four eyes)
    from django.contrib.auth.models import Group

    people.officer.groups.add(Group.objects.get(name="ministry_signatory"))
    assert kinds_for(people, "officer") == []


def make_draft_agenda():
    agenda = make_active_agenda()
    Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.DRAFT)
    agenda.refresh_from_db()
    return agenda


def test_unanswered_comment_waits_for_the_coordinator_until_answered(db):
    agenda = make_draft_agenda()
    people = People(agenda)
    comment = comment_add(agenda=agenda, actor=people.partner, section="vision", body="Klopt dit jaartal?")
    expect(people, coordinator=["comment"])
    assert inbox_items(people.coordinator)[0].url.endswith(f"#comment-{comment.pk}")
    comment_add(agenda=agenda, actor=people.coordinator, section="vision", body="Ja.", parent=comment)
    expect(people)
    # the coordinator's own comments are not a task for herself
    comment_add(agenda=agenda, actor=people.coordinator, section="vision", body="Nog een punt.")
    expect(people)


def test_comments_on_a_submitted_agenda_are_not_a_task(db):
    agenda = make_draft_agenda()
    people = People(agenda)
    comment_add(agenda=agenda, actor=people.partner, section="vision", body="Vraag")
    Agenda.objects.filter(pk=agenda.pk).update(status=Agenda.Status.SUBMITTED)
    assert kinds_for(people, "coordinator") == []


def _login(client, user):
    client.force_login(user)


def test_inbox_page_and_nav_count_query_count_does_not_grow(client, django_assert_max_num_queries, db):
    agenda = make_active_agenda()
    people = People(agenda)
    progress_report_open(agenda=agenda, year=2027)
    _login(client, people.coordinator)
    url = reverse("agendas:workflow-inbox")
    with django_assert_max_num_queries(40) as small:
        r = client.get(url)
    page = r.content.decode()
    assert 'class="nav-count">1<' in page and "Voortgangsrapportage 2027 invullen en indienen" in page
    for year in (2028, 2029, 2030):
        progress_report_open(agenda=agenda, year=year)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(url)
    page = r.content.decode()
    assert 'class="nav-count">4<' in page and page.count("invullen en indienen") == 4


def test_nav_count_on_another_page_costs_the_same_with_more_tasks(client, django_assert_max_num_queries, db):
    agenda = make_active_agenda()
    people = People(agenda)
    progress_report_open(agenda=agenda, year=2027)
    _login(client, people.coordinator)
    assert "nav-count" not in client.get(reverse("agendas:agenda_list")).content.decode()  # loaded after the page
    url = reverse("agendas:workflow-inbox-count")
    with django_assert_max_num_queries(60) as small:
        r = client.get(url)
    assert 'class="nav-count">1<' in r.content.decode()
    for year in (2028, 2029):
        progress_report_open(agenda=agenda, year=year)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(url)
    assert 'class="nav-count">3<' in r.content.decode()


@pytest.mark.parametrize("who", ["partner", "other_state_rep", "reviewer"])
def test_people_without_tasks_see_no_count(client, report, people, who):
    _login(client, people[who])
    page = client.get(reverse("agendas:workflow-inbox")).content.decode()
    assert "nav-count" not in page and "Er wacht nu niets op u" in page
