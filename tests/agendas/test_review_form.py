"""The reviewer's view (issue 12): "niet van toepassing" with a reason through every door, the error summary that
links to each field, the automatic draft save, and the reviewer's copy formatted through the money module."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from agendas import workflow
from agendas.decision import reviews as review_services
from agendas.models import (
    BroadWelfareDimension,
    FundingSource,
    Milestone,
    Review,
    ReviewAssignment,
    ReviewDimensionScore,
)
from kansenagenda import money
from tests.agendas.workflow_fixtures import *  # noqa: F403
from tests.agendas.workflow_fixtures import World, advance, build_world, full_scores

API_REVIEW = "api-assignment-review"


@pytest.fixture
def active(world: World):
    advance(world, "under_review")
    return ReviewAssignment.objects.get()


def _dims():
    return list(BroadWelfareDimension.objects.filter(active=True).order_by("order", "name"))


def _save(world, assignment, scores, **kwargs):
    review = Review.objects.get(assignment=assignment)
    return review_services.review_save(
        assignment=assignment,
        actor=world.fresh(world.reviewer),
        lock_version=review.lock_version,
        scores=scores,
        **kwargs,
    )


# --- the rule (service) ---------------------------------------------------------------------------
def test_not_applicable_with_reason_counts_as_filled_in(world, active):
    dims = _dims()
    scores = full_scores()[1:] + [
        review_services.ScoreInput(dims[0].pk, None, "", "Speelt hier geen rol.", not_applicable=True)
    ]
    review = _save(world, active, scores, distribution_effects="Kernen winnen.", verdict="positive")
    row = review.scores.get(dimension=dims[0])
    assert row.not_applicable and row.effect is None and row.confidence == ""
    assert workflow.review_missing_fields(review) == {}
    review_services.review_submit(assignment=active, actor=world.fresh(world.reviewer))
    active.refresh_from_db()
    assert active.status == ReviewAssignment.Status.SUBMITTED


def test_not_applicable_drops_a_certainty_given_with_it(world, active):
    dim = _dims()[0]
    review = _save(world, active, [review_services.ScoreInput(dim.pk, None, "high", "Geen rol.", not_applicable=True)])
    assert review.scores.get().confidence == ""


def test_not_applicable_needs_a_reason(world, active):
    dim = _dims()[0]
    with pytest.raises(ValidationError) as exc:
        _save(world, active, [review_services.ScoreInput(dim.pk, None, "", "  ", not_applicable=True)])
    assert list(exc.value.message_dict) == [f"reason_{dim.code}"]
    assert not ReviewDimensionScore.objects.exists()


def test_not_applicable_and_an_effect_is_refused(world, active):
    dim = _dims()[0]
    with pytest.raises(ValidationError) as exc:
        _save(world, active, [review_services.ScoreInput(dim.pk, 1, "high", "Beide.", not_applicable=True)])
    assert f"score_{dim.code}" in exc.value.message_dict


def test_missing_fields_name_each_part(world, active):
    dims = _dims()
    review = _save(world, active, full_scores()[1:])
    missing = workflow.review_missing_fields(review)
    assert set(missing) == {f"score_{dims[0].code}", "distribution_effects", "verdict"}
    assert workflow.review_missing_items(review) == list(missing.values())


@pytest.mark.parametrize(
    "values",
    [
        {"not_applicable": True, "effect": 1, "confidence": "", "explanation": "x"},  # both
        {"not_applicable": True, "effect": None, "confidence": "", "explanation": ""},  # no reason
        {"not_applicable": False, "effect": None, "confidence": "", "explanation": "x"},  # neither
        {"not_applicable": False, "effect": 1, "confidence": "", "explanation": ""},  # no certainty
    ],
)
def test_database_refuses_what_the_service_refuses(world, active, values):
    review = Review.objects.get(assignment=active)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewDimensionScore.objects.create(review=review, dimension=_dims()[0], **values)


# --- the page: grouping, n.v.t., error summary -----------------------------------------------------
def _form_data(form, **extra):
    data = {"lock_version": form.initial["lock_version"]}
    data.update(extra)
    return data


def test_page_groups_dimensions_by_perspective_and_offers_not_applicable(world, active, client):
    client.force_login(world.reviewer)
    page = client.get(reverse("agendas:workflow-assignment", args=[active.pk])).content.decode()
    for heading in ("Hier en nu", "Later", "Elders"):
        assert f">{heading}</h4>" in page
    assert '<option value="nvt">niet van toepassing</option>' in page
    assert page.index('id="snapshot-heading"') < page.index('id="review-form-heading"')


def test_submit_with_gaps_saves_the_draft_and_links_each_gap(world, active, client):
    client.force_login(world.reviewer)
    url = reverse("agendas:workflow-assignment", args=[active.pk])
    form = client.get(url).context["form"]
    dims = form.dimensions
    data = _form_data(form, submit="1", verdict="negative")
    for d in dims[1:]:
        data[f"effect_{d.code}"] = "1"
        data[f"confidence_{d.code}"] = "high"
    data[f"effect_{dims[1].code}"] = "nvt"
    data[f"confidence_{dims[1].code}"] = ""
    data[f"explanation_{dims[1].code}"] = "Geen woningbouw in deze agenda."
    r = client.post(url, data)
    assert r.status_code == 200
    page = r.content.decode()
    errors = r.context["form"].errors
    assert set(errors) == {f"effect_{dims[0].code}", "distribution_effects", "recommendations"}
    for field in errors:
        assert f'href="#id_{field}"' in page  # the summary links to the field
        assert f'id="id_{field}_error"' in page  # and the field's aria-describedby target exists
    review = Review.objects.get(assignment=active)
    assert review.scores.count() == len(dims) - 1 and review.scores.get(dimension=dims[1]).not_applicable
    assert not review.is_submitted
    # the re-shown form carries the new lock_version: saving again works
    assert r.context["form"]["lock_version"].value() == str(review.lock_version)


def test_not_applicable_without_reason_points_at_the_explanation(world, active, client):
    client.force_login(world.reviewer)
    url = reverse("agendas:workflow-assignment", args=[active.pk])
    form = client.get(url).context["form"]
    code = form.dimensions[0].code
    r = client.post(url, _form_data(form, save="1", **{f"effect_{code}": "nvt"}))
    assert r.status_code == 200 and r.context["form"].errors.get(f"explanation_{code}")
    assert f'href="#id_explanation_{code}"' in r.content.decode()


def test_help_text_ids_match_aria_describedby(world, active, client):
    client.force_login(world.reviewer)
    form = client.get(reverse("agendas:workflow-assignment", args=[active.pk])).context["form"]
    pid = form.priorities[0]["id"]
    page = client.get(reverse("agendas:workflow-assignment", args=[active.pk])).content.decode()
    assert f'aria-describedby="id_points_{pid}_helptext"' in page
    assert f'id="id_points_{pid}_helptext"' in page


# --- autosave ----------------------------------------------------------------------------------------
def test_autosave_saves_the_draft_and_returns_the_new_lock_version(world, active, client):
    client.force_login(world.reviewer)
    form = client.get(reverse("agendas:workflow-assignment", args=[active.pk])).context["form"]
    code = form.dimensions[0].code
    url = reverse("agendas:workflow-assignment-autosave", args=[active.pk])
    r = client.post(url, _form_data(form, **{f"effect_{code}": "2", f"confidence_{code}": "low"}))
    body = r.json()
    review = Review.objects.get(assignment=active)
    assert body["saved"] and body["lock_version"] == review.lock_version
    assert review.scores.get().effect == 2
    # the old lock_version is stale now: a second window's save is refused as a conflict
    r = client.post(url, _form_data(form, verdict="positive"))
    assert r.status_code == 409 and not r.json()["saved"]
    assert Review.objects.get(assignment=active).verdict == ""


def test_autosave_reports_incomplete_rows_without_saving(world, active, client):
    client.force_login(world.reviewer)
    form = client.get(reverse("agendas:workflow-assignment", args=[active.pk])).context["form"]
    code = form.dimensions[0].code
    r = client.post(
        reverse("agendas:workflow-assignment-autosave", args=[active.pk]), _form_data(form, **{f"effect_{code}": "1"})
    )
    assert r.status_code == 200 and not r.json()["saved"] and "zekerheid" in r.json()["message"]
    assert not ReviewDimensionScore.objects.exists()


@pytest.mark.parametrize("who", ["reviewer2", "coordinator", "officer", "state_rep"])
def test_autosave_is_only_for_the_assigned_reviewer(world, active, client, who):
    client.force_login(getattr(world, who))
    r = client.post(reverse("agendas:workflow-assignment-autosave", args=[active.pk]), {"lock_version": "1"})
    assert r.status_code == 404
    assert Review.objects.get(assignment=active).lock_version == 1


def test_autosave_refuses_get_and_anonymous(world, active, client):
    url = reverse("agendas:workflow-assignment-autosave", args=[active.pk])
    assert client.post(url, {}).status_code == 302  # to the login page
    client.force_login(world.reviewer)
    assert client.get(url).status_code == 405


def test_autosave_after_submission_is_refused(world, active, client):
    _save(world, active, full_scores(), distribution_effects="x", verdict="positive")
    review_services.review_submit(assignment=active, actor=world.fresh(world.reviewer))
    client.force_login(world.reviewer)
    r = client.post(reverse("agendas:workflow-assignment-autosave", args=[active.pk]), {"lock_version": "9"})
    assert r.status_code == 404


# --- API door -------------------------------------------------------------------------------------
def test_api_accepts_not_applicable_with_reason_and_refuses_it_without(world, active):
    api = APIClient()
    api.force_authenticate(world.reviewer)
    url = reverse(API_REVIEW, args=[active.pk])
    dim = _dims()[0]
    review = Review.objects.get(assignment=active)
    bad = {"lock_version": review.lock_version, "scores": [{"dimension": dim.code, "not_applicable": True}]}
    assert api.put(url, bad, format="json").status_code == 400
    good = {
        "lock_version": review.lock_version,
        "scores": [{"dimension": dim.code, "not_applicable": True, "explanation": "Geen rol."}],
    }
    r = api.put(url, good, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["scores"] == [
        {"dimension": dim.code, "effect": None, "confidence": "", "not_applicable": True, "explanation": "Geen rol."}
    ]


# --- the reviewer's copy --------------------------------------------------------------------------
def test_reviewer_copy_is_formatted_and_complete(world, client):
    priority = world.agenda.priorities.first()
    priority.theory_cause = "Voorzieningen verdwijnen uit de kernen."
    priority.theory_conditions = "Huisartsen doen mee."
    priority.theory_expected_change = "Minder reistijd naar zorg."
    priority.save()
    Milestone.objects.filter(priority=priority).update(baseline_value=Decimal("0.0000"), target_value=Decimal("150"))
    advance(world, "under_review")
    assignment = ReviewAssignment.objects.get()
    client.force_login(world.reviewer)
    page = client.get(reverse("agendas:workflow-assignment", args=[assignment.pk])).content.decode()
    for text in ("Voorzieningen verdwijnen uit de kernen.", "Huisartsen doen mee.", "Minder reistijd naar zorg."):
        assert text in page
    assert "150.0000" not in page and "0.0000" not in page and ">150 " in page
    assert "€ 100.000,00" in page and "100000.00" not in page
    # the budget is a year × source table: one row per year of the agenda, with totals
    assert page.count('<caption id="snap-budget">') == 1
    assert f'<th scope="row">{world.agenda.start_year}</th>' in page
    assert money.format_amount(Decimal("300000.00")) in page  # total of the three lines
    # every scrolling table sits in a labelled, focusable region
    assert 'role="region" aria-labelledby="snap-budget" tabindex="0"' in page


def _review_page_queries(client, extra_priorities: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BudgetLineFactory, MilestoneFactory, PriorityFactory, confirm_cofinancing

    w = build_world()
    for _i in range(extra_priorities):
        p = PriorityFactory(agenda=w.agenda)
        MilestoneFactory(priority=p, target_year=w.agenda.start_year + 2, baseline_year=w.agenda.start_year - 1)
        BudgetLineFactory(
            priority=p,
            year=w.agenda.start_year,
            amount=Decimal("1000.00"),
            source=FundingSource.objects.get(code="provincie"),
        )
    confirm_cofinancing(w.agenda)  # the extra co-financing is confirmed by a partner, or the agenda cannot be submitted
    advance(w, "under_review")
    assignment = ReviewAssignment.objects.get(agenda=w.agenda)
    client.force_login(w.reviewer)
    url = reverse("agendas:workflow-assignment", args=[assignment.pk])
    client.get(url)  # warm caches (sessions, reference tables)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_reviewer_copy_query_count_does_not_grow_with_priorities(db, client):
    many, few = _review_page_queries(client, 5), _review_page_queries(client, 0)
    assert many <= few, (many, few)


def test_format_quantity():
    assert money.format_quantity(Decimal("120000.0000"), language="nl") == "120.000"
    assert money.format_quantity(Decimal("0.5000"), language="nl") == "0,5"
    assert money.format_quantity(Decimal("1234.25"), language="en") == "1,234.25"
    assert money.format_quantity("0.0000", language="nl") == "0"
    assert money.format_quantity(None) == ""
