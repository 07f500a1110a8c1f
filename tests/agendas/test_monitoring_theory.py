"""Theory of change followed in monitoring: the chain per priority, milestones on links with their health and the
linked monitor indicator's movement, the report asking per link whether the assumption holds (service and page),
the monitoring page showing it, and who may answer (and who may NOT)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agendas.models import ChainAssessment, Milestone, MonitorArea, MonitorIndicator, MonitorValue, Priority
from agendas.monitoring.theory import chain_assessments_save, theory_chains
from kansenagenda.errors import ConflictError
from tests.agendas.monitoring_fixtures import *  # noqa: F403
from tests.agendas.monitoring_fixtures import fill_complete


@pytest.fixture
def chained(active_agenda, report, people):
    """Milestones on links; the first measured against 'ervaren gezondheid' in the region's COROP area."""
    first, second = Priority.objects.filter(agenda=active_agenda).order_by("order")
    m1, m2 = first.milestones.order_by("pk")
    indicator = MonitorIndicator.objects.get(code="ervaren-gezondheid")
    Milestone.objects.filter(pk=m1.pk).update(chain_link="intervention", monitor_indicator=indicator)
    Milestone.objects.filter(pk=m2.pk).update(chain_link="outcome")
    area = MonitorArea.objects.get(code="CR01")
    area.region = active_agenda.alliance.region
    area.save()
    m1.refresh_from_db()
    for year, value in ((m1.baseline_year - 1, "69"), (m1.baseline_year, "70"), (m1.baseline_year + 2, "72.5")):
        MonitorValue.objects.create(area=area, indicator=indicator, year=year, value=Decimal(value))
    fill_complete(report, people.coordinator)
    return {"first": first, "second": second, "m1": m1, "m2": m2}


def test_chain_has_four_links_with_the_priority_texts_and_milestones(chained, active_agenda):
    chains = theory_chains(active_agenda)
    first = chains[0]
    assert [link.code for link in first.links] == ["cause", "intervention", "conditions", "outcome"]
    assert first.links[0].text == chained["first"].theory_cause
    assert first.links[3].text == chained["first"].theory_expected_change
    intervention = first.links[1]
    assert [m.milestone for m in intervention.milestones] == [chained["m1"]]
    assert intervention.milestones[0].health and intervention.health == intervention.milestones[0].health
    movement = intervention.milestones[0].movement
    assert (movement.baseline_year, movement.baseline_value, movement.latest_value) == (
        chained["m1"].baseline_year,
        Decimal("70"),
        Decimal("72.5"),
    )
    assert (movement.change, movement.direction) == (Decimal("2.5"), "better")
    assert [m.milestone for m in first.links[3].milestones] == [chained["m2"]]
    assert first.links[3].milestones[0].movement is None
    # the second priority's milestones are on no link yet
    assert len(chains[1].unlinked) == 2


def test_a_link_is_as_healthy_as_its_worst_milestone(chained, active_agenda, report):
    Milestone.objects.filter(pk=chained["m2"].pk).update(chain_link="intervention")
    report.milestone_progress.filter(milestone=chained["m2"]).update(health="delayed")
    report.milestone_progress.filter(milestone=chained["m1"]).update(health="on_track")
    link = theory_chains(active_agenda)[0].links[1]
    assert link.health == "delayed"


def test_report_asks_per_link_whether_the_assumption_holds(chained, report, people):
    report.refresh_from_db()
    first = chained["first"]
    saved = chain_assessments_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        answers={
            (first.pk, "intervention"): {"holds": "yes"},
            (first.pk, "conditions"): {"holds": "no", "explanation": "Geen woningen voor zorgpersoneel."},
        },
    )
    assert saved.lock_version == report.lock_version + 1
    rows = {a.link: a for a in ChainAssessment.objects.filter(report=report)}
    assert (rows["intervention"].holds, rows["conditions"].holds) == ("yes", "no")
    assert rows["conditions"].history.first().history_user == people.coordinator
    links = {link.code: link for link in theory_chains(report.agenda, report)[0].links}
    assert links["conditions"].assessment.explanation == "Geen woningen voor zorgpersoneel."


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"holds": "no"}, "Licht toe"),
        ({"holds": "partly", "explanation": "  "}, "Licht toe"),
        ({"holds": "misschien"}, "Kies ja"),
        ({"holds": "yes", "explanation": "x" * 5001}, "5000"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(chained, report, people, answer, message):
    report.refresh_from_db()
    key = (chained["first"].pk, "cause")
    with pytest.raises(ValidationError) as info:
        chain_assessments_save(
            report=report, actor=people.coordinator, lock_version=report.lock_version, answers={key: answer}
        )
    assert message in str(info.value.message_dict)
    assert not ChainAssessment.objects.exists()


def test_a_link_of_another_agenda_is_refused(chained, report, people):
    from tests.agendas.monitoring_fixtures import make_active_agenda

    other = Priority.objects.filter(agenda=make_active_agenda()).first()
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        chain_assessments_save(
            report=report,
            actor=people.coordinator,
            lock_version=report.lock_version,
            answers={(other.pk, "cause"): {"holds": "yes"}},
        )


def test_stale_lock_version_is_a_conflict(chained, report, people):
    with pytest.raises(ConflictError):
        chain_assessments_save(
            report=report,
            actor=people.coordinator,
            lock_version=1,
            answers={(chained["first"].pk, "cause"): {"holds": "yes"}},
        )


@pytest.mark.parametrize("who", ["partner", "state_rep", "officer", "reviewer", "other_coordinator", "admin"])
def test_only_the_coordinator_may_answer(chained, report, people, who):
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        chain_assessments_save(
            report=report,
            actor=people[who],
            lock_version=report.lock_version,
            answers={(chained["first"].pk, "cause"): {"holds": "yes"}},
        )
    assert not ChainAssessment.objects.exists()


# --- pages -------------------------------------------------------------------------------------------------------
def test_report_theory_page_saves_through_the_form(client, chained, report, people):
    report.refresh_from_db()
    client.force_login(people.coordinator)
    url = reverse("agendas:monitoring-report-theory", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="holds-' in page.content
    first = chained["first"].pk
    response = client.post(
        url,
        {
            "lock_version": report.lock_version,
            f"holds-{first}-conditions": "partly",
            f"explanation-{first}-conditions": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#holds-{first}-conditions"' in html and "Licht toe" in html  # error summary linked to the field
    response = client.post(
        url,
        {
            "lock_version": report.lock_version,
            f"holds-{first}-conditions": "partly",
            f"explanation-{first}-conditions": "Huisvesting loopt achter.",
        },
    )
    assert response.status_code == 302
    assert ChainAssessment.objects.get(report=report, link="conditions").holds == "partly"


@pytest.mark.parametrize("who", ["partner", "state_rep", "officer"])
def test_readers_see_the_answers_but_may_not_post(client, chained, report, people, who):
    ChainAssessment.objects.create(report=report, priority=chained["first"], link="cause", holds="yes")
    client.force_login(people[who])
    url = reverse("agendas:monitoring-report-theory", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="holds-' not in page.content
    assert "Ja, de aanname klopt nog" in page.content.decode()
    report.refresh_from_db()
    response = client.post(url, {"lock_version": report.lock_version, f"holds-{chained['first'].pk}-cause": "no"})
    assert response.status_code in (403, 404)
    assert ChainAssessment.objects.get().holds == "yes"


def test_outsiders_do_not_see_the_theory_page(client, chained, report, people):
    client.force_login(people.other_coordinator)
    assert client.get(reverse("agendas:monitoring-report-theory", args=[report.pk])).status_code == 404


def test_monitoring_page_shows_the_chain_with_health_and_indicator_movement(
    client, chained, active_agenda, people, report
):
    ChainAssessment.objects.create(
        report=report, priority=chained["first"], link="conditions", holds="no", explanation="Geen huisvesting."
    )
    client.force_login(people.officer)
    html = client.get(reverse("agendas:monitoring-agenda", args=[active_agenda.pk])).content.decode()
    assert 'id="veranderingstheorie"' in html
    assert chained["m1"].title in html and "Ervaren gezondheid (goed of zeer goed) (CR01)" in html
    assert "70,0 → 72,5" in html and "beter" in html
    assert "Nee, de aanname klopt niet meer" in html and "Geen huisvesting." in html
    report_html = client.get(reverse("agendas:monitoring-report", args=[report.pk])).content.decode()
    assert reverse("agendas:monitoring-report-theory", args=[report.pk]) in report_html
    assert "Geen huisvesting." in report_html


def test_monitoring_page_query_count_does_not_grow_with_milestones(
    client, chained, active_agenda, people, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MilestoneFactory

    client.force_login(people.officer)
    url = reverse("agendas:monitoring-agenda", args=[active_agenda.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    indicator = MonitorIndicator.objects.get(code="ervaren-gezondheid")
    for n in range(10):
        MilestoneFactory(
            priority=chained["second"], title=f"Extra {n}", chain_link="conditions", monitor_indicator=indicator
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_progress_report_document_has_the_answers_per_link(chained, report, people):
    """The yearly progress report PDF says per chain link whether the assumption still holds."""
    from reports.documents import collect_progress_report, render_html

    report.refresh_from_db()
    first = chained["first"]
    chain_assessments_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        answers={(first.pk, "conditions"): {"holds": "no", "explanation": "Geen woningen voor zorgpersoneel."}},
    )
    data = collect_progress_report(report.agenda, report.year)
    links = {row["link"]: row for row in data["priorities"][0]["chain"]}
    assert links["Randvoorwaarden"]["holds"] == "Nee, de aanname klopt niet meer"
    assert links["Randvoorwaarden"]["explanation"] == "Geen woningen voor zorgpersoneel."
    assert links["Oorzaak"]["holds"] == "" and links["Oorzaak"]["text"] == first.theory_cause
    html = render_html("progress_report", data)
    assert "Veranderingstheorie: kloppen de aannames nog?" in html
    assert "Geen woningen voor zorgpersoneel." in html and "Niet beantwoord" in html


def test_version_snapshot_keeps_chain_link_and_indicator(chained, active_agenda):
    from agendas.decision.versions import build_snapshot, diff_snapshots

    snapshot = build_snapshot(active_agenda)
    milestones = {m["id"]: m for p in snapshot["priorities"] for m in p["milestones"]}
    m1, m2 = milestones[chained["m1"].pk], milestones[chained["m2"].pk]
    assert (m1["chain_link"], m1["monitor_indicator_code"]) == ("intervention", "ervaren-gezondheid")
    assert m1["monitor_indicator"] == chained["m1"].monitor_indicator.name
    assert (m2["chain_link"], m2["monitor_indicator"]) == ("outcome", "")
    Milestone.objects.filter(pk=m2["id"]).update(chain_link="conditions")
    changed = diff_snapshots(snapshot, build_snapshot(active_agenda))
    labels = [c.label for s in changed for child in s.children for c in child.changes]
    assert "schakel in de veranderingstheorie" in labels
