"""The audit trail covers every project model; records are immutable; administrators read and export it.

Truthful history (accounts/audit.py): one row per edit with only what changed (many-to-many sets included),
every bulk write with its rows, checked for every audited model through a whole lifecycle, per service, and
statically (no code path around the history).
"""

import ast
from collections import Counter
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts import roles
from accounts.audit import PROJECT_APPS, AuditedHistoryManager, audited_models, history_models
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

# Models that are themselves append-only records (their rows ARE the audit trail) are exempt.
APPEND_ONLY = {"agendas.agendaversion", "agendas.transition", "accounts.accesslogentry"}
# Derived data: recomputed from audited rows (agendas.summary, rebuild_summaries); nobody edits it.
DERIVED = {
    "agendas.agendasummary",
    "agendas.agendasummarycell",
    "agendas.regionsummarycell",  # recounted from the agenda cells
    "agendas.regionsummarystale",  # a mark that a recount is due
}


def _project_models():
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        yield label, model


def test_every_project_model_is_audited():
    missing = []
    for label, model in _project_models():
        if label in APPEND_ONLY | DERIVED:
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


# --- truthful history: one row per edit, only what changed, every bulk write included --------------
# (the rule lives in accounts/audit.py: AuditedHistoricalRecords, save_rows_with_history)


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def history_counts() -> dict[str, Counter]:
    return {_label(m): Counter(m.history.values_list("history_type", flat=True)) for m in audited_models()}


def history_delta(before: dict[str, Counter]) -> dict[str, dict[str, int]]:
    """The history rows written since ``before``, per model and type: {"agendas.priority": {"~": 1}}."""
    after = history_counts()
    delta = {}
    for label, counts in after.items():
        diff = {t: n - before.get(label, Counter())[t] for t, n in counts.items()}
        diff = {t: n for t, n in diff.items() if n}
        if diff:
            delta[label] = diff
    return delta


def _m2m_sets(hmodel, records) -> dict[tuple[int, str], set]:
    sets: dict[tuple[int, str], set] = {}
    for field in hmodel._history_m2m_fields:
        m2m_model = HistoricalRecords.m2m_models[field]
        target = f"{field.m2m_reverse_field_name()}_id"
        for history_id, target_id in m2m_model.objects.filter(
            history_id__in=[r.history_id for r in records]
        ).values_list("history_id", target):
            sets.setdefault((history_id, field.name), set()).add(target_id)
    return sets


def history_disagreements(baseline: dict[str, set]) -> list[str]:
    """Every way the history of any audited model disagrees with the live rows: a live object whose latest row
    differs from it (fields or many-to-many sets) or says deleted, a deleted object without a "-" row, and a
    "~" row that changed nothing. Objects that existed before the scenario without history (reference data
    from migrations) are left out."""
    problems = []
    for model in audited_models():
        label = _label(model)
        hmodel = model.history.model
        fields = [f.attname for f in hmodel.tracked_fields]
        records = list(hmodel.objects.order_by("history_date", "history_id"))
        by_object: dict = {}
        for rec in records:
            by_object.setdefault(rec.id, []).append(rec)
        sets = _m2m_sets(hmodel, records)
        live = {obj.pk: obj for obj in model._base_manager.all()}
        for pk, obj in live.items():
            recs = by_object.get(pk)
            if not recs:
                if pk not in baseline.get(label, set()):
                    problems.append(f"{label} #{pk}: written without a history row")
                continue
            last = recs[-1]
            if last.history_type == "-":
                problems.append(f"{label} #{pk}: alive, but its last history row says deleted")
            for name in fields:
                if getattr(last, name) != getattr(obj, name):
                    problems.append(
                        f"{label} #{pk}.{name}: history {getattr(last, name)!r} ≠ live {getattr(obj, name)!r}"
                    )
            for field in hmodel._history_m2m_fields:
                live_set = set(getattr(obj, field.name).values_list("pk", flat=True))
                if sets.get((last.history_id, field.name), set()) != live_set:
                    problems.append(f"{label} #{pk}.{field.name}: history set ≠ live set {sorted(live_set)}")
        for pk, recs in by_object.items():
            if pk not in live and recs[-1].history_type != "-":
                problems.append(f"{label} #{pk}: deleted without a '-' history row")
            for before, after in zip(recs, recs[1:], strict=False):
                if after.history_type != "~":
                    continue
                same_fields = all(getattr(before, n) == getattr(after, n) for n in fields)
                same_sets = all(
                    sets.get((before.history_id, f.name), set()) == sets.get((after.history_id, f.name), set())
                    for f in hmodel._history_m2m_fields
                )
                if same_fields and same_sets:
                    problems.append(f"{label} #{pk}: a '~' row (history_id {after.history_id}) that changed nothing")
    return problems


def live_pks() -> dict[str, set]:
    return {_label(m): set(m._base_manager.values_list("pk", flat=True)) for m in audited_models()}


def test_every_audited_model_uses_the_one_history_configuration():
    """THE rule lives in accounts.audit.AuditedHistoricalRecords; a model with plain HistoricalRecords would
    write phantom removals again (bulk rows without their many-to-many sets)."""
    assert audited_models(), "no audited models found"
    plain = [_label(m) for m in audited_models() if not isinstance(m.history, AuditedHistoryManager)]
    assert not plain, f"Use accounts.audit.AuditedHistoricalRecords for: {plain}"
    assert len(list(history_models())) == len(audited_models())


def _priority_with_sets(agenda, coordinator):
    from agendas.drafting import services as drafting
    from agendas.models import BroadWelfareDimension, NationalProgramme, Theme

    return drafting.priority_create(
        agenda=agenda,
        actor=coordinator,
        data={
            "theme": Theme.objects.get(code="zorg"),
            "title": "Zorg dichtbij",
            "goals": "Meer zorgmedewerkers",
            "programmes": list(NationalProgramme.objects.filter(code__in=["iza", "regio-deal"])),
            "dimensions": list(BroadWelfareDimension.objects.filter(code__in=["gezondheid", "wonen"])),
        },
    )


def _budget_save(agenda, priority, coordinator, amount="1000"):
    """A grid save bumps the priority's lock version in bulk: the write that used to lose the sets."""
    from agendas.drafting import budget as budget_services
    from agendas.models import FundingSource

    priority.refresh_from_db()
    budget_services.budget_grid_save(
        agenda=agenda,
        actor=coordinator,
        cells=[
            budget_services.BudgetCell(
                priority.pk, agenda.start_year, FundingSource.objects.get(code="provincie").pk, Decimal(amount)
            )
        ],
        lock_versions={priority.pk: priority.lock_version},
    )
    priority.refresh_from_db()


def _priority_changes(agenda, title):
    from agendas.drafting.selectors import agenda_history

    return [
        [(c.label, c.old, c.new) for c in e.changes]
        for e in agenda_history(agenda)
        if e.subject == f"Prioriteit ‘{title}’" and e.action == "gewijzigd"
    ]


def _edit_title_via_service(priority, coordinator, client):
    from agendas.drafting import services as drafting

    drafting.priority_update(
        priority=priority, actor=coordinator, data={"title": "Zorg in de kern"}, lock_version=priority.lock_version
    )


def _edit_title_via_page(priority, coordinator, client):
    """The page form posts every field, the unchanged sets included."""
    client.force_login(coordinator)
    data = {
        "theme": priority.theme_id,
        "title": "Zorg in de kern",
        "goals": priority.goals,
        "dimensions": list(priority.dimensions.values_list("pk", flat=True)),
        "programmes": list(priority.programmes.values_list("pk", flat=True)),
        "lock_version": priority.lock_version,
    }
    response = client.post(reverse("agendas:priority_edit", args=[priority.agenda_id, priority.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _edit_title_via_api_session(priority, coordinator, client):
    client.force_login(coordinator)
    response = client.patch(
        reverse("priority-detail", kwargs={"pk": priority.pk}),
        {"title": "Zorg in de kern", "lock_version": priority.lock_version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


def _edit_title_via_api_token(priority, coordinator, client):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=coordinator)[0].key}")
    response = api.patch(
        reverse("priority-detail", kwargs={"pk": priority.pk}),
        {"title": "Zorg in de kern", "lock_version": priority.lock_version},
        format="json",
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "edit",
    [_edit_title_via_service, _edit_title_via_page, _edit_title_via_api_session, _edit_title_via_api_token],
    ids=["service", "page", "api-session", "api-token"],
)
def test_title_only_edit_records_only_the_title(edit, client):
    from agendas.models import Priority
    from tests.factories import AgendaFactory, AllianceFactory, OrganisationFactory, make_coordinator

    alliance = AllianceFactory(organisations=[OrganisationFactory()])
    coordinator = make_coordinator(alliance)
    agenda = AgendaFactory(alliance=alliance)
    baseline = live_pks()
    priority = _priority_with_sets(agenda, coordinator)
    _budget_save(agenda, priority, coordinator)
    before = history_counts()
    edit(Priority.objects.get(pk=priority.pk), coordinator, client)

    assert history_delta(before) == {"agendas.priority": {"~": 1}}
    latest = Priority.history.filter(id=priority.pk).latest()
    assert latest.title == "Zorg in de kern" and latest.history_user == coordinator
    changes = _priority_changes(agenda, "Zorg in de kern")
    assert changes == [[("titel", "Zorg dichtbij", "Zorg in de kern")]], changes
    # the grid save before it changed no field anyone reads: it shows nothing for the priority
    assert _priority_changes(agenda, "Zorg dichtbij") == []
    assert history_disagreements(baseline) == []


def test_priority_create_is_one_row_with_its_sets(alliance, coordinator):
    from agendas.models import Priority
    from tests.factories import AgendaFactory

    agenda = AgendaFactory(alliance=alliance)
    before = history_counts()
    priority = _priority_with_sets(agenda, coordinator)
    assert history_delta(before) == {"agendas.priority": {"+": 1}}
    record = Priority.history.get(id=priority.pk)
    assert record.history_user == coordinator
    sets = _m2m_sets(Priority.history.model, [record])
    assert sets[(record.history_id, "programmes")] == set(priority.programmes.values_list("pk", flat=True))
    assert len(sets[(record.history_id, "dimensions")]) == 2


def test_m2m_change_recorded_once_and_correctly(alliance, coordinator):
    from agendas.drafting import services as drafting
    from agendas.models import NationalProgramme, Priority
    from tests.factories import AgendaFactory

    agenda = AgendaFactory(alliance=alliance)
    baseline = live_pks()
    priority = _priority_with_sets(agenda, coordinator)
    before = history_counts()
    drafting.priority_update(
        priority=priority,
        actor=coordinator,
        data={"programmes": list(NationalProgramme.objects.filter(code__in=["iza", "nplv"]))},
        lock_version=priority.lock_version,
    )
    assert history_delta(before) == {"agendas.priority": {"~": 1}}
    [change] = [c for e in _priority_changes(agenda, "Zorg dichtbij") for c in e]
    iza, rd, nplv = (str(NationalProgramme.objects.get(code=c)) for c in ("iza", "regio-deal", "nplv"))
    assert change == ("nationale programma's", ", ".join(sorted([iza, rd])), ", ".join(sorted([iza, nplv])))
    # the same sets again: nothing changed, nothing but the lock version is written, nothing is shown
    before = history_counts()
    priority.refresh_from_db()
    drafting.priority_update(
        priority=priority,
        actor=coordinator,
        data={"programmes": list(NationalProgramme.objects.filter(code__in=["iza", "nplv"]))},
        lock_version=priority.lock_version,
    )
    assert history_delta(before) == {"agendas.priority": {"~": 1}}
    assert len(_priority_changes(agenda, "Zorg dichtbij")) == 1
    assert Priority.history.filter(id=priority.pk).count() == 3
    assert history_disagreements(baseline) == []


def test_admin_m2m_edit_is_one_row(client):
    """The admin saves the object, then its sets: one history row by the administrator, with the new sets."""
    from accounts.models import Alliance
    from tests.factories import AllianceFactory, OrganisationFactory

    admin_user = UserFactory(role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    alliance = AllianceFactory(organisations=[OrganisationFactory(), OrganisationFactory()])
    keep, drop = alliance.organisations.all()
    new = OrganisationFactory()
    baseline = live_pks()
    client.force_login(admin_user)
    url = reverse("admin:accounts_alliance_change", args=[alliance.pk])
    before = history_counts()
    response = client.post(
        url,
        {
            "name": alliance.name,
            "region": alliance.region_id,
            "organisations": [keep.pk, new.pk],
            "coordinators": list(alliance.coordinators.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert history_delta(before) == {"accounts.alliance": {"~": 1}}
    record = Alliance.history.filter(id=alliance.pk).latest()
    assert record.history_user == admin_user
    assert _m2m_sets(Alliance.history.model, [record])[(record.history_id, "organisations")] == {keep.pk, new.pk}
    assert history_disagreements(baseline) == []


def test_reverse_side_m2m_change_is_recorded_on_the_owner():
    """organisation.alliances.add(alliance) changes the alliance's set: the alliance gets the row."""
    from accounts.models import Alliance, Organisation
    from tests.factories import AllianceFactory, OrganisationFactory

    alliance = AllianceFactory(organisations=[])
    org = OrganisationFactory()
    before = history_counts()
    accessor = Alliance._meta.get_field("organisations").remote_field.get_accessor_name()
    getattr(org, accessor).add(alliance)
    assert history_delta(before) == {"accounts.alliance": {"~": 1}}
    assert not Organisation.history.filter(id=org.pk, history_type="~").exists()


# --- review and nota: the rows that used to be bulk-created without history -------------------------


def test_review_creation_leaves_history_rows_for_scores_remarks_and_points():
    from agendas.decision import reviews
    from agendas.decision import services as wf
    from agendas.models import ResponsePoint, ReviewDimensionScore, ReviewPriorityRemark
    from tests.agendas.workflow_fixtures import build_world, full_scores

    w = build_world()
    baseline = live_pks()
    wf.agenda_submit(agenda=w.agenda, actor=w.fresh(w.coordinator))
    assignment = wf.reviewer_assign(agenda=w.agenda, actor=w.fresh(w.officer), reviewer=w.reviewer)
    assignment = wf.assignment_declare(assignment=assignment, actor=w.fresh(w.reviewer), has_conflict=False)
    assignment.refresh_from_db()
    priority = w.agenda.priorities.first()
    scores = full_scores()
    before = history_counts()
    review = reviews.review_save(
        assignment=assignment,
        actor=w.fresh(w.reviewer),
        lock_version=assignment.review.lock_version,
        verdict="conditional",
        distribution_effects="Ouderen in kleine kernen winnen.",
        recommendations="Maak de aanpak meetbaar.",
        scores=scores,
        remarks={priority.pk: "Goed onderbouwd."},
        response_points=[reviews.PointInput("Hoe bereikt u de kleine kernen?", priority.pk)],
    )
    assert history_delta(before) == {
        "agendas.review": {"~": 1},
        "agendas.reviewdimensionscore": {"+": len(scores)},
        "agendas.reviewpriorityremark": {"+": 1},
        "agendas.responsepoint": {"+": 1},
    }
    for model in (ReviewDimensionScore, ReviewPriorityRemark, ResponsePoint):
        assert set(model.history.values_list("history_user", flat=True)) == {w.reviewer.pk}

    # saving again with one score changed, the remark emptied and the same point: exactly that is written
    changed = [scores[0].__class__(scores[0].dimension_id, -1, "high", "Anders"), *scores[1:]]
    before = history_counts()
    reviews.review_save(
        assignment=assignment,
        actor=w.fresh(w.reviewer),
        lock_version=review.lock_version,
        verdict="conditional",
        distribution_effects="Ouderen in kleine kernen winnen.",
        recommendations="Maak de aanpak meetbaar.",
        scores=changed,
        remarks={priority.pk: ""},
        response_points=[reviews.PointInput("Hoe bereikt u de kleine kernen?", priority.pk)],
    )
    assert history_delta(before) == {
        "agendas.review": {"~": 1},
        "agendas.reviewdimensionscore": {"~": 1},
        "agendas.reviewpriorityremark": {"-": 1},
    }
    score = ReviewDimensionScore.history.filter(history_type="~").get()
    assert (score.effect, score.confidence, score.history_user_id) == (-1, "high", w.reviewer.pk)
    assert ReviewPriorityRemark.history.get(history_type="-").history_user_id == w.reviewer.pk
    assert history_disagreements(baseline) == []


def test_nota_creation_leaves_history_rows_for_year_amounts():
    from agendas.decision import signoff as signoff_services
    from agendas.models import DecisionYearAmount
    from tests.agendas.workflow_fixtures import advance, build_world

    w = build_world()
    baseline = live_pks()
    advance(w, "awaiting_decision")
    start = w.agenda.start_year

    def prepare(amounts):
        signoff_services.decision_prepare(
            agenda=w.agenda,
            actor=w.fresh(w.officer),
            advised_decision="approve",
            core="De agenda sluit aan bij Elke regio telt!",
            reasons="",
            year_amounts=amounts,
            conditions="Jaarlijkse voortgangsrapportage.",
        )

    before = history_counts()
    prepare({start: "60000.00", start + 1: "40000.00"})
    delta = history_delta(before)
    assert delta["agendas.decision"] == {"+": 1}
    assert delta["agendas.decisionyearamount"] == {"+": 2}
    assert set(DecisionYearAmount.history.values_list("history_user", flat=True)) == {w.officer.pk}

    before = history_counts()
    prepare({start: "60000.00", start + 1: "45000.00"})  # a revision: one year changed
    delta = history_delta(before)
    assert delta["agendas.decision"] == {"~": 1}
    assert delta["agendas.decisionyearamount"] == {"~": 1}
    record = DecisionYearAmount.history.get(history_type="~")
    assert (record.year, record.approved_amount) == (start + 1, Decimal("45000.00"))

    before = history_counts()
    prepare({start: "60000.00"})  # a year dropped: one deletion, by the officer
    assert history_delta(before)["agendas.decisionyearamount"] == {"-": 1}
    assert DecisionYearAmount.history.get(history_type="-").history_user_id == w.officer.pk
    assert history_disagreements(baseline) == []


# --- every audited model, through a whole lifecycle ------------------------------------------------
# One scenario drives every service (drafting, review, advice, nota, signing, reports, change requests,
# anonymisation, admin); afterwards, for EVERY audited model, the history must agree with the live rows.

# Audited models the scenario does not write (each with why); a new model must be added to the scenario
# or named here, so none can escape the check.
NOT_WRITTEN_BY_SCENARIO = {
    "accounts.province": "reference data, loaded by migration; edited by administrators only",
    "accounts.municipality": "reference data; edited by administrators only",
    "agendas.theme": "reference data (migration); administrators only",
    "agendas.broadwelfaredimension": "reference data (migration); administrators only",
    "agendas.fundingsource": "reference data (migration); administrators only",
    "agendas.nationalprogramme": "reference data (migration); administrators only",
    "agendas.ministry": "reference data (migration 0016_rijk_ministries); administrators only",
    "accounts.alliancegroupobjectpermission": "no code writes it (alliance rights are per user)",
    "agendas.monitorindicator": "reference data of the monitor (migration); administrators only",
    "agendas.selectioncategory": "reference data (the selectielijst, migration 0010); administrators only",
    # the archive cycle ends in destroying a dossier (content, files and their history), so it cannot run
    # inside the shared scenario; tests/agendas/test_archive.py runs it through the services
    "agendas.dossierclassification": "written when an agenda is closed, rejected or withdrawn (archive cycle)",
    "agendas.destructionlist": "archive cycle: drawn up after the archiefactiedatum has passed",
    "agendas.destructionlistitem": "archive cycle: the dossiers of a destruction list",
    "agendas.destructionlisttransition": "archive cycle: the destruction list's state machine",
    "agendas.destructionrecord": "archive cycle: written when a dossier is destroyed",
}


def _welfare(admin_user=None):
    """The monitor import: a first import (new values, a new municipality area), then a re-import of that year."""
    from agendas.welfare import services as welfare

    header = "gebied;indicator;thema;jaar;waarde;gebiedsnaam\n"
    for text in (
        header + "CR01;fijnstof;milieu;2023;7;\nGM0014;fijnstof;milieu;2023;8;Groningen\n",
        header + "CR01;fijnstof;milieu;2023;6,5;\n",
    ):
        record = welfare.monitor_import_create(data=text.encode(), filename="m.csv", actor=admin_user)
        assert welfare.monitor_import_run(import_id=record.pk).status == "done"


def _drafting(w):
    from agendas.drafting import budget as budget_services
    from agendas.drafting import comments as comment_services
    from agendas.drafting import milestones as milestone_services
    from agendas.drafting import services as drafting
    from agendas.models import FundingSource, Milestone
    from tests.agendas.fixtures_drafting import milestone_data

    coordinator = w.fresh(w.coordinator)
    agenda = w.agenda
    drafting.agenda_update(agenda=agenda, actor=coordinator, data={"vision": "Een vitale regio."}, lock_version=1)
    priority = _priority_with_sets(agenda, coordinator)
    _budget_save(agenda, priority, coordinator, "1000")
    _budget_save(agenda, priority, coordinator, "2000")  # update
    drafting.priority_update(
        priority=priority, actor=coordinator, data={"title": "Zorg in de kern"}, lock_version=priority.lock_version
    )
    milestone = milestone_services.milestone_create(priority=priority, actor=coordinator, data=milestone_data())
    milestone_services.milestone_update(
        milestone=milestone, actor=coordinator, data={"title": "160 zorgmedewerkers"}, lock_version=1
    )
    milestone = Milestone.objects.get(pk=milestone.pk)
    milestone_services.milestone_delete(milestone=milestone, actor=coordinator, lock_version=milestone.lock_version)
    comment = comment_services.comment_add(agenda=agenda, actor=w.fresh(w.partner), section="vision", body="Mooi")
    comment_services.comment_update(comment=comment, actor=w.fresh(w.partner), body="Mooi zo")
    comment_services.comment_delete(comment=comment, actor=w.fresh(w.partner))
    priority.refresh_from_db()
    cells = [
        budget_services.BudgetCell(priority.pk, agenda.start_year, FundingSource.objects.get(code="provincie").pk, None)
    ]
    budget_services.budget_grid_save(
        agenda=agenda, actor=coordinator, cells=cells, lock_versions={priority.pk: priority.lock_version}
    )  # delete
    priority.refresh_from_db()
    drafting.priority_delete(priority=priority, actor=coordinator, lock_version=priority.lock_version)
    from agendas.drafting import attachments

    attachments.attachment_delete(attachment=_attachment(agenda, coordinator), actor=coordinator)


def _monitoring():
    from agendas.models import Attachment, BudgetLine, FundingSource, Milestone
    from agendas.monitoring import change_requests
    from agendas.monitoring import services as mon
    from agendas.monitoring import transitions as report_transitions
    from tests.agendas.monitoring_fixtures import People, fill_complete, make_active_agenda

    agenda = make_active_agenda(priorities=2, milestones_per_priority=2)
    people = People(agenda)
    report, _ = mon.progress_report_open(agenda=agenda, year=2027)
    report = fill_complete(report, people.coordinator)
    from agendas.monitoring.theory import chain_assessments_save

    first = agenda.priorities.order_by("order").first()
    report = chain_assessments_save(  # theory of change: per link, does the assumption hold?
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        answers={(first.pk, "conditions"): {"holds": "no", "explanation": "Geen woningen."}},
    )
    report = chain_assessments_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        answers={(first.pk, "conditions"): {"holds": "partly", "explanation": "Enkele woningen."}},
    )
    row = report.milestone_progress.first()
    attachment = Attachment.objects.create(  # an active agenda takes no uploads; evidence from before
        agenda=agenda,
        file="bijlagen/bewijs.pdf",
        original_name="bewijs.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=people.coordinator,
    )
    report.refresh_from_db()
    report = mon.progress_report_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        milestones={row.pk: {"evidence_attachments": [attachment.pk]}},
    )
    report_transitions.progress_report_comment(report=report, actor=people.partner, body="Graag meer cijfers.")
    report = report_transitions.progress_report_submit(
        report=report, actor=people.coordinator, lock_version=report.lock_version
    )
    report_transitions.progress_report_accept(report=report, actor=people.state_rep, lock_version=report.lock_version)
    line = BudgetLine.objects.filter(
        priority__agenda=agenda, source=FundingSource.objects.get(code="rijk-extra"), year=2028
    ).first()
    cr = change_requests.change_request_create(
        agenda=agenda,
        actor=people.coordinator,
        reason="Project loopt een jaar uit.",
        budget_shifts=[{"from_line": line.pk, "to_priority": line.priority_id, "to_year": 2029, "amount": "1000"}],
        milestone_changes=[
            {"milestone": Milestone.objects.filter(priority__agenda=agenda).first().pk, "new_target_year": 2031}
        ],
    )
    change_requests.change_request_decide(
        change_request=cr, actor=people.state_rep, outcome="accept", lock_version=cr.lock_version
    )
    return people


def _attachment(agenda, actor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agendas.drafting import attachments

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return attachments.attachment_add(
        agenda=agenda, actor=actor, uploaded_file=SimpleUploadedFile("bewijs.pdf", pdf, "application/pdf")
    )


def _accounts_and_admin(w):
    from django.test import Client

    from accounts.services import user_anonymise
    from tests.factories import OrganisationFactory, RegionFactory

    admin_user = UserFactory(role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    region = RegionFactory()
    client = Client()
    client.force_login(admin_user)
    org = OrganisationFactory()
    alliance = w.agenda.alliance
    response = client.post(
        reverse("admin:accounts_alliance_change", args=[alliance.pk]),
        {
            "name": alliance.name + " (nieuw)",
            "region": alliance.region_id,
            "organisations": [*alliance.organisations.values_list("pk", flat=True), org.pk],
            "coordinators": list(alliance.coordinators.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    region.name += " (gewijzigd)"
    region._history_user = admin_user
    region.save()
    user_anonymise(user=w.fresh(w.free_reviewer), actor=admin_user)
    # security records of accounts: an API token (origin + event) and a four-eyes role grant
    from accounts.services import api_token_create, role_grant_confirm, role_grant_request

    api_token_create(user=w.fresh(w.coordinator))
    second_admin = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    grantee = UserFactory()
    grant = role_grant_request(actor=second_admin, user=grantee, role=roles.MINISTRY_OFFICER)
    role_grant_confirm(grant_id=grant.pk, actor=admin_user)
    # personal settings: a calendar feed (created, replaced, revoked) and a saved portfolio filter
    from agendas.calendarfeed.services import calendar_feed_create, calendar_feed_revoke
    from reports.saved_filters import saved_filter_delete, saved_filter_save

    calendar_feed_create(user=w.fresh(w.coordinator))
    calendar_feed_create(user=w.fresh(w.coordinator))
    assert calendar_feed_revoke(user=w.fresh(w.coordinator))
    officer = w.fresh(w.officer)
    saved_filter_save(user=officer, name="Lopend", query="status=submitted")
    saved_filter_save(user=officer, name="Lopend", query="status=active")  # same name: updated
    saved_filter_delete(user=officer, pk=saved_filter_save(user=officer, name="Weg", query="status=active").pk)


def _rijk_commitments(w):
    """The Rijk's commitments while the decision is prepared: recorded and changed (signed with the decision)."""
    from agendas.rijk import services as rijk

    c = rijk.rijk_commitment_create(
        agenda=w.agenda,
        actor=w.fresh(w.officer),
        data={"ministry": "ez", "programme": "regio-deal", "text": "EZ opent een loket.", "due_year": 2028},
    )
    rijk.rijk_commitment_update(
        commitment=c,
        actor=w.fresh(w.officer),
        data={"ministry": "ez", "programme": "", "text": "EZ opent een loket.", "due_year": 2029},
        lock_version=c.lock_version,
    )


def _rijk_report(w):
    """The ministry's yearly report on a signed commitment (a year the agenda runs in)."""
    from agendas.models import RijkCommitment
    from agendas.rijk import services as rijk

    commitment = RijkCommitment.objects.get(agenda=w.agenda)
    year = max(w.agenda.start_year, min(w.agenda.end_year, timezone.localdate().year))
    with mock.patch.object(rijk, "reporting_years", return_value=[year]):
        row = rijk.rijk_commitment_report(
            commitment=commitment, actor=w.fresh(w.officer), year=year, status="on_track", lock_version=None
        )
        rijk.rijk_commitment_report(
            commitment=commitment,
            actor=w.fresh(w.officer),
            year=year,
            status="late",
            explanation="Vertraagd.",
            lock_version=row.lock_version,
        )


def _region_support(w):
    """The support track: a region supported (with a supporter), then changed (supporters replaced)."""
    import datetime

    from agendas.support.services import region_support_save
    from tests.agendas.workflow_fixtures import user_with

    first, second = user_with(roles.SUPPORTER), user_with(roles.SUPPORTER)
    args = {"region": w.agenda.alliance.region, "kind": "vng", "organisation_name": "VNG"}
    support = region_support_save(
        actor=w.fresh(w.officer), start_date=datetime.date(2026, 1, 1), supporters=[first], **args
    )
    region_support_save(
        actor=w.fresh(w.admin),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        supporters=[second],
        support=support,
        lock_version=support.lock_version,
        **args,
    )


@pytest.fixture(scope="module")
def lifecycle(django_db_setup, django_db_blocker):
    """Run the scenario once, collect per model what was written and how history disagrees; roll back."""
    from django.db import transaction

    from tests.agendas.workflow_fixtures import advance, build_world

    with django_db_blocker.unblock(), transaction.atomic():
        baseline = live_pks()
        before = history_counts()
        w = build_world()
        _drafting(w)
        advance(w, "approved", while_preparing=_rijk_commitments)
        _rijk_report(w)
        _region_support(w)
        _monitoring()
        _welfare()
        _accounts_and_admin(w)
        from reports.services import render_attempt, request_document

        document = request_document(kind="decision_note", agenda=w.agenda, actor=w.fresh(w.officer))
        render_attempt(document_id=document.pk, final=True)  # what the Celery task does
        written = history_delta(before)
        problems: dict[str, list[str]] = {}
        for problem in history_disagreements(baseline):
            problems.setdefault(problem.split(" ", 1)[0], []).append(problem)
        transaction.set_rollback(True)
    return {"written": written, "problems": problems}


@pytest.mark.parametrize("label", sorted(_label(m) for m in audited_models()))
def test_history_of_every_audited_model_agrees_with_its_rows(lifecycle, label):
    assert lifecycle["problems"].get(label, []) == []
    if label in NOT_WRITTEN_BY_SCENARIO:
        return
    assert label in lifecycle["written"], (
        f"{label} is audited but the lifecycle scenario writes none of it: add it to the scenario "
        "(or to NOT_WRITTEN_BY_SCENARIO with the reason)"
    )


def test_the_agreement_check_catches_writes_that_bypass_history():
    """The check above must be able to fail: each bypass of the history is reported."""
    from agendas.models import BudgetLine, NationalProgramme, Priority
    from tests.factories import BudgetLineFactory, PriorityFactory

    baseline = live_pks()
    line = BudgetLineFactory()
    priority = PriorityFactory()
    assert history_disagreements(baseline) == []

    BudgetLine.objects.filter(pk=line.pk).update(amount=Decimal("1.23"))  # queryset update: no history
    BudgetLine.objects.bulk_create([BudgetLine(priority=priority, year=line.year + 1, source=line.source, amount=1)])
    Priority.programmes.through.objects.create(
        priority=priority, nationalprogramme=NationalProgramme.objects.first()
    )  # a set changed behind the history's back
    priority.save()  # ...and then the same state written again: a row that records nothing new
    priority.save()
    problems = history_disagreements(baseline)
    assert any(p.startswith(f"agendas.budgetline #{line.pk}.amount") for p in problems), problems
    assert any("written without a history row" in p for p in problems), problems
    assert any("changed nothing" in p for p in problems), problems
    Priority.programmes.through.objects.filter(priority=priority).delete()
    assert any(f"agendas.priority #{priority.pk}.programmes" in p for p in history_disagreements(baseline))


# --- static check: no write path around the history ------------------------------------------------


ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("accounts", "agendas", "reports", "kansenagenda")
QUERYSET_METHODS = {"all", "filter", "exclude", "select_for_update", "order_by", "select_related", "only", "defer"}
# Files allowed to write audited rows without history, each with the reason.
NO_HISTORY_ALLOWED = {
    "agendas/welfare/progress.py": (
        "progress ticks of a running monitor import (rows checked so far, status running) are not edits; "
        "the outcome is saved with history"
    ),
    "reports/management/commands/build_portfolio.py": (
        "synthetic load-test portfolio (tens of thousands of rows): bulk inserts without history by design, "
        "documented in the command; it is test data, not a record"
    ),
}


def _audited_names():
    """Class name → model, reverse accessor name → model, and Model.field.through → owner, for audited models."""
    by_name, by_accessor, m2m = {}, {}, {}
    for model in audited_models():
        by_name[model.__name__] = model
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and not field.auto_created:
                accessor = field.remote_field.get_accessor_name()
                if accessor and not accessor.endswith("+"):
                    by_accessor[accessor] = model
        for field in model._meta.local_many_to_many:
            m2m[(model.__name__, field.name)] = model
    return by_name, by_accessor, m2m


def _chain(node):
    """The attribute/call chain of an expression, root first: Model.objects.filter(...) → [Model, objects, filter()]."""
    parts = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
            if isinstance(node, ast.Attribute):
                parts.append(node.attr + "()")
                node = node.value
                continue
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
            continue
        if isinstance(node, ast.Name):
            parts.append(node.id)
        else:
            parts.append("?")
        return list(reversed(parts))


def _unhistoried_writes(path: Path, by_name, by_accessor, m2m) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    scopes = [tree] + [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    innermost = {}  # each call → the innermost function (or module) it is written in
    for scope in scopes:
        for node in ast.walk(scope):
            innermost[node] = scope
    for scope in scopes:
        calls = [
            n
            for n in ast.walk(scope)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and innermost[n] is scope
        ]
        names = {n.func.attr for n in ast.walk(scope) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
        for call in calls:
            method = call.func.attr
            chain = _chain(call.func.value)
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            if any("history" in part for part in chain) or method not in {
                "bulk_create",
                "bulk_update",
                "update",
                "delete",
                "execute",
                "executemany",
            }:
                continue
            if method in {"execute", "executemany"}:
                sql = " ".join(
                    a.value for a in ast.walk(call) if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ).upper()
                if any(w in sql for w in ("UPDATE ", "DELETE ", "INSERT ")) and "bulk_history_create" not in names:
                    found.append(f"{where}: raw SQL write without bulk_history_create in the same function")
                continue
            model = None
            if "objects" in chain:
                i = chain.index("objects")
                if i >= 1 and chain[i - 1] == "through" and i >= 3:
                    model = m2m.get((chain[i - 3], chain[i - 2]))
                    if model is not None:
                        found.append(f"{where}: {'.'.join(chain)}.{method}() writes a recorded set behind its history")
                    continue
                model = by_name.get(chain[i - 1]) if i >= 1 else None
                if model is None and i >= 1 and chain[i - 1] not in by_name and chain[i - 1][:1].islower():
                    found.append(f"{where}: {'.'.join(chain)}.{method}() on a model the check cannot name")
                    continue
            elif any(p.endswith("()") and p[:-2] in QUERYSET_METHODS for p in chain) or method in {
                "bulk_create",
                "bulk_update",
            }:
                model = next((by_accessor[p] for p in chain if p in by_accessor), None)
            if model is None:
                continue
            if (
                method in {"bulk_create", "bulk_update"}
                or (method in {"update", "delete"} and chain[-1].endswith("()"))
                or (method in {"update", "delete"} and chain[-1] in ("objects", *by_accessor))
            ):
                found.append(
                    f"{where}: {'.'.join(chain)}.{method}() on audited {model.__name__} skips its history "
                    "(use accounts.audit.save_rows_with_history / delete_with_history or simple-history's "
                    "bulk_create_with_history / bulk_update_with_history)"
                )
    return found


def _source_files():
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_service_writes_audited_rows_around_the_history():
    by_name, by_accessor, m2m = _audited_names()
    found = []
    for path in _source_files():
        if str(path.relative_to(ROOT)) in NO_HISTORY_ALLOWED:
            continue
        found += _unhistoried_writes(path, by_name, by_accessor, m2m)
    assert not found, "Writes that leave no history row:\n" + "\n".join(found)


def test_the_static_check_finds_each_kind_of_bypass(tmp_path):
    by_name, by_accessor, m2m = _audited_names()
    sample = ROOT / "tests" / "_audit_sample_tmp.py"
    sample.write_text(
        "def f(review, decision, cursor, model):\n"
        "    ReviewDimensionScore.objects.bulk_create([])\n"
        "    review.scores.all().delete()\n"
        "    BudgetLine.objects.filter(pk=1).update(amount=1)\n"
        "    Priority.programmes.through.objects.bulk_create([])\n"
        "    decision.year_amounts.filter(year=1).delete()\n"
        "    cursor.execute('UPDATE agendas_budgetline SET amount = 1')\n"
        "    model.objects.bulk_create([])\n"
        "    line.delete()\n"  # an instance delete records its row: allowed
        "    errors.update({'a': 1})\n"  # a dict: allowed
        "    user.history.exclude(pk=1).update(email='')\n"  # the history itself (anonymisation): allowed
    )
    try:
        found = _unhistoried_writes(sample, by_name, by_accessor, m2m)
    finally:
        sample.unlink()
    lines = sorted(int(f.split(":")[1]) for f in found)
    assert lines == [2, 3, 4, 5, 6, 7, 8], found
    # the allowed exception is still a real file that writes without history (so the entry is not stale)
    for name in NO_HISTORY_ALLOWED:
        assert _unhistoried_writes(ROOT / name, by_name, by_accessor, m2m), f"{name} no longer needs its exception"


# --- each service writes exactly one history row per changed object, of the right type -------------


def _drafting_world():
    from agendas.models import FundingSource
    from tests.factories import (
        AgendaFactory,
        AllianceFactory,
        BudgetLineFactory,
        MilestoneFactory,
        OrganisationFactory,
        PriorityFactory,
        make_coordinator,
        make_partner,
    )

    alliance = AllianceFactory(organisations=[OrganisationFactory(), OrganisationFactory()])
    agenda = AgendaFactory(alliance=alliance)
    priority = PriorityFactory(agenda=agenda)
    provincie = FundingSource.objects.get(code="provincie")
    return {
        "agenda": agenda,
        "priority": priority,
        "line": BudgetLineFactory(priority=priority, year=agenda.start_year, source=provincie, amount=Decimal("500")),
        "line2": BudgetLineFactory(priority=priority, year=agenda.start_year + 1, source=provincie),
        "milestone": MilestoneFactory(priority=priority, target_year=agenda.start_year + 2),
        "coordinator": make_coordinator(alliance),
        "partner": make_partner(alliance),
        "provincie": provincie,
    }


def _grid(x):
    from agendas.drafting import budget as budget_services

    p, a, src = x["priority"], x["agenda"], x["provincie"]
    budget_services.budget_grid_save(
        agenda=a,
        actor=x["coordinator"],
        cells=[
            budget_services.BudgetCell(p.pk, a.start_year, src.pk, Decimal("750")),  # update
            budget_services.BudgetCell(p.pk, a.start_year + 1, src.pk, None),  # delete
            budget_services.BudgetCell(p.pk, a.start_year + 2, src.pk, Decimal("10")),  # create
            budget_services.BudgetCell(p.pk, a.start_year + 3, src.pk, None),  # nothing there, nothing written
        ],
        lock_versions={p.pk: p.lock_version},
    )


def _partner_cycle(x):
    from agendas.drafting import services as drafting
    from agendas.models import AgendaPartner

    org = x["agenda"].alliance.organisations.first()
    data = {"organisation": org, "role": "Uitvoerder", "commitment_type": "money", "commitment_amount": Decimal("10")}
    partner = drafting.partner_create(agenda=x["agenda"], actor=x["coordinator"], data=data)
    drafting.partner_update(partner=partner, actor=x["coordinator"], data={**data, "role": "Trekker"}, lock_version=1)
    partner = AgendaPartner.objects.get(pk=partner.pk)
    drafting.partner_delete(partner=partner, actor=x["coordinator"], lock_version=partner.lock_version)


def _comment_cycle(x):
    from agendas.drafting import comments as comment_services

    comment = comment_services.comment_add(agenda=x["agenda"], actor=x["partner"], section="vision", body="Mooi")
    comment_services.comment_update(comment=comment, actor=x["partner"], body="Mooi zo")


def _change_sets(x):
    from agendas.drafting import services as drafting
    from agendas.models import BroadWelfareDimension, NationalProgramme

    drafting.priority_update(
        priority=x["priority"],
        actor=x["coordinator"],
        data={
            "dimensions": list(BroadWelfareDimension.objects.all()[:3]),
            "programmes": list(NationalProgramme.objects.all()[:2]),
        },
        lock_version=1,
    )


def _milestone_update(x):
    from agendas.drafting import milestones

    milestones.milestone_update(
        milestone=x["milestone"], actor=x["coordinator"], data={"title": "Nieuw"}, lock_version=1
    )


SERVICE_CASES = {
    "agenda_update": (
        lambda x, d: d.agenda_update(
            agenda=x["agenda"], actor=x["coordinator"], data={"title": "Nieuw"}, lock_version=1
        ),
        {"agendas.agenda": {"~": 1}},
    ),
    "priority_update_title": (
        lambda x, d: d.priority_update(
            priority=x["priority"], actor=x["coordinator"], data={"title": "Nieuw"}, lock_version=1
        ),
        {"agendas.priority": {"~": 1}},
    ),
    "priority_update_sets": (lambda x, d: _change_sets(x), {"agendas.priority": {"~": 1}}),
    "priority_delete": (
        lambda x, d: d.priority_delete(priority=x["priority"], actor=x["coordinator"], lock_version=1),
        {"agendas.priority": {"-": 1}, "agendas.budgetline": {"-": 2}, "agendas.milestone": {"-": 1}},
    ),
    "budget_grid_save": (
        lambda x, d: _grid(x),
        {"agendas.budgetline": {"+": 1, "~": 1, "-": 1}, "agendas.priority": {"~": 1}},
    ),
    "milestone_update": (lambda x, d: _milestone_update(x), {"agendas.milestone": {"~": 1}}),
    "partner_create_update_delete": (
        lambda x, d: _partner_cycle(x),
        {"agendas.agendapartner": {"+": 1, "~": 1, "-": 1}},
    ),
    "comment_add_update": (lambda x, d: _comment_cycle(x), {"agendas.comment": {"+": 1, "~": 1}}),
}


@pytest.mark.parametrize("case", sorted(SERVICE_CASES))
def test_each_service_writes_one_history_row_per_changed_object(case):
    from agendas.drafting import services as drafting

    run, expected = SERVICE_CASES[case]
    x = _drafting_world()
    actor = x["coordinator"]
    before = history_counts()
    first_new = {
        _label(m): m.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        for m in audited_models()
    }
    run(x, drafting)
    assert history_delta(before) == expected
    for model in audited_models():  # every new row names the person who did it
        rows = model.history.filter(history_id__gt=first_new[_label(model)])
        users = set(rows.values_list("history_user", flat=True))
        assert users <= {actor.pk, x["partner"].pk}, (_label(model), users)


def test_report_save_writes_one_row_per_changed_entry_with_its_evidence():
    """A milestone entry whose status and evidence set both change gets ONE row (not one per change)."""
    from agendas.models import Attachment, MilestoneProgress, ProgressReport
    from agendas.monitoring import services as mon
    from tests.agendas.monitoring_fixtures import People, make_active_agenda

    agenda = make_active_agenda(priorities=1, milestones_per_priority=2)
    people = People(agenda)
    report, _ = mon.progress_report_open(agenda=agenda, year=2027)
    first, second = report.milestone_progress.order_by("pk")
    attachment = Attachment.objects.create(
        agenda=agenda,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=people.coordinator,
    )
    report = ProgressReport.objects.get(pk=report.pk)
    before = history_counts()
    mon.progress_report_save(
        report=report,
        actor=people.coordinator,
        lock_version=report.lock_version,
        milestones={
            first.pk: {"status": "on_track", "evidence_attachments": [attachment.pk]},
            second.pk: {"evidence_attachments": [attachment.pk]},  # the set only
        },
    )
    delta = history_delta(before)
    assert delta.pop("agendas.progressreport") == {"~": 1}
    assert delta.pop("agendas.milestoneprogress") == {"~": 2}, "one row per changed entry"
    assert delta == {}
    for entry in (first, second):
        record = MilestoneProgress.history.filter(id=entry.pk).latest()
        assert record.history_user == people.coordinator
        sets = _m2m_sets(MilestoneProgress.history.model, [record])
        assert sets[(record.history_id, "evidence_attachments")] == {attachment.pk}


def test_audit_log_shows_set_changes_once(client):
    """The administrator's audit log shows who added an organisation to an alliance (m2m), once."""
    from accounts.audit import audit_entries
    from tests.factories import AllianceFactory, OrganisationFactory

    admin_user = UserFactory(role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)
    alliance = AllianceFactory(organisations=[OrganisationFactory(name="Gemeente Aa")])
    added = OrganisationFactory(name="Zorggroep Bb")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_alliance_change", args=[alliance.pk]),
        {
            "name": alliance.name,
            "region": alliance.region_id,
            "organisations": [*alliance.organisations.values_list("pk", flat=True), added.pk],
            "coordinators": [],
        },
    )
    assert response.status_code == 302
    entries = [e for e in audit_entries(model_label="accounts.alliance") if e.action == "gewijzigd"]
    assert len(entries) == 1 and entries[0].user == str(admin_user)
    assert ("deelnemende organisaties", "Gemeente Aa", "Gemeente Aa, Zorggroep Bb") in entries[0].changes
    page = client.get(reverse("audit_log"), {"model": "accounts.alliance"}).content.decode()
    assert "Zorggroep Bb" in page


# --- the other doors: management commands, Celery tasks, two people, one object --------------------


def test_demo_commands_write_history_that_agrees_with_the_rows():
    """load_demo_data and load_demo_agendas go through the real services: every row they write has its history."""
    from django.core.management import call_command

    baseline = live_pks()
    before = history_counts()
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_agendas", verbosity=0)
    written = history_delta(before)
    assert written.get("agendas.agenda", {}).get("+") and written.get("accounts.alliance", {}).get("+")
    assert history_disagreements(baseline) == []
    # run again: safe to repeat, and a second run changes (and records) nothing new for the agendas
    before = history_counts()
    call_command("load_demo_agendas", verbosity=0)
    assert "agendas.agenda" not in history_delta(before)


def test_celery_task_opening_reports_writes_their_history():
    from django.utils import timezone

    from agendas.models import BudgetLineRealisation, MilestoneProgress, PriorityNarrative, ProgressReport
    from agendas.monitoring.tasks import open_progress_reports
    from tests.agendas.monitoring_fixtures import make_active_agenda

    year = timezone.localdate().year - 1
    make_active_agenda(priorities=2, milestones_per_priority=2, start_year=year - 1, end_year=year + 8, years=[year])
    baseline = live_pks()
    before = history_counts()
    assert open_progress_reports.apply().get() == 1
    delta = history_delta(before)
    assert delta["agendas.progressreport"]["+"] == 1
    assert delta["agendas.milestoneprogress"]["+"] == MilestoneProgress.objects.count() == 4
    assert delta["agendas.budgetlinerealisation"] == {"+": BudgetLineRealisation.objects.count()}
    assert delta["agendas.prioritynarrative"] == {"+": PriorityNarrative.objects.count()}
    assert ProgressReport.history.get().history_user is None  # the system did it
    assert history_disagreements(baseline) == []


def test_two_people_editing_one_object_instance_get_a_row_each(alliance, coordinator):
    """The same Python object saved by A, then its set changed by B in the same transaction: B's change is
    B's row, never folded into A's."""
    from django.db import transaction

    from agendas.models import BroadWelfareDimension, Priority
    from tests.factories import AgendaFactory, make_coordinator

    other = make_coordinator(alliance)
    priority = _priority_with_sets(AgendaFactory(alliance=alliance), coordinator)
    with transaction.atomic():
        priority.title = "Door A"
        priority._history_user = coordinator
        priority.save()
        priority._history_user = other
        priority.dimensions.add(BroadWelfareDimension.objects.exclude(pk__in=priority.dimensions.all()).first())
    a, b = Priority.history.filter(id=priority.pk).order_by("-history_id")[:2][::-1]
    assert (a.history_user, a.title) == (coordinator, "Door A")
    assert b.history_user == other
    sets = _m2m_sets(Priority.history.model, [a, b])
    assert len(sets[(b.history_id, "dimensions")]) == len(sets[(a.history_id, "dimensions")]) + 1


def test_a_later_set_change_is_its_own_row(alliance, coordinator):
    """Once the service that saved the object has returned, a later set change is a new edit: a new row."""
    from agendas.drafting import services as drafting
    from agendas.models import BroadWelfareDimension, Priority
    from tests.factories import AgendaFactory

    priority = _priority_with_sets(AgendaFactory(alliance=alliance), coordinator)
    drafting.priority_update(priority=priority, actor=coordinator, data={"title": "Nieuw"}, lock_version=1)
    before = Priority.history.filter(id=priority.pk).count()
    priority._history_user = coordinator
    priority.dimensions.set(BroadWelfareDimension.objects.all()[:1])  # remove and add: still one row
    assert Priority.history.filter(id=priority.pk).count() == before + 1
    assert Priority.history.filter(id=priority.pk).latest().title == "Nieuw"


def test_rows_deleted_with_their_agenda_name_who_deleted_it(alliance, coordinator):
    """Outside a request (command, task) the cascade's rows carry the deleting person too, not "systeem"."""
    from agendas.drafting import services as drafting
    from tests.factories import AgendaFactory, AgendaPartnerFactory, BudgetLineFactory, MilestoneFactory

    agenda = AgendaFactory(alliance=alliance)
    priority = _priority_with_sets(agenda, coordinator)
    BudgetLineFactory(priority=priority, year=agenda.start_year)
    MilestoneFactory(priority=priority, target_year=agenda.start_year + 2)
    AgendaPartnerFactory(agenda=agenda, organisation=alliance.organisations.first())
    baseline = live_pks()
    before = history_counts()
    drafting.agenda_delete(agenda=agenda, actor=coordinator, lock_version=agenda.lock_version)
    delta = history_delta(before)
    for label in (
        "agendas.agenda",
        "agendas.priority",
        "agendas.budgetline",
        "agendas.milestone",
        "agendas.agendapartner",
    ):
        assert delta.get(label) == {"-": 1}, (label, delta)
    for model in audited_models():
        users = set(model.history.filter(history_type="-").values_list("history_user", flat=True))
        assert users <= {coordinator.pk}, (_label(model), users)
    assert history_disagreements(baseline) == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_history_page_shows_only_the_real_change_in_both_languages(client, language):
    from agendas.drafting import services as drafting
    from tests.factories import AgendaFactory, AllianceFactory, OrganisationFactory, make_coordinator

    alliance = AllianceFactory(organisations=[OrganisationFactory()])
    coordinator = make_coordinator(alliance)
    agenda = AgendaFactory(alliance=alliance)
    priority = _priority_with_sets(agenda, coordinator)
    _budget_save(agenda, priority, coordinator)
    drafting.priority_update(
        priority=priority, actor=coordinator, data={"title": "Zorg in de kern"}, lock_version=priority.lock_version
    )
    client.force_login(coordinator)
    page = client.get(
        reverse("agendas:agenda_history", args=[agenda.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert "Zorg in de kern" in page
    # the sets never changed after creation: neither their names nor an emptied set appear as a change
    from django.utils import translation

    from agendas.models import NationalProgramme

    with translation.override(language):
        iza = str(NationalProgramme.objects.get(code="iza"))
    assert "(IZA)" in iza
    assert iza not in page and "(IZA)" not in page, "a set shown as changed although nobody changed it"
