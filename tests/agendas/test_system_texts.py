"""System texts (automatic comments, the nota's review summary) are stored in Dutch and shown in the page's
language; old Dutch rows are recognised by the same source strings; a person's text is left alone."""

import pytest
from django.template import Context, Template
from django.utils import translation

from agendas.system_texts import automatic_comment, translate_system_text


def test_automatic_comment_is_stored_in_dutch_whatever_the_language():
    with translation.override("en"):
        assert automatic_comment("start_year", year=2027) == "Automatisch: het beginjaar 2027 is aangebroken."
        assert automatic_comment("review_complete") == "Automatisch: alle beoordelingen en het advies zijn binnen."


@pytest.mark.parametrize(
    "stored, english",
    [
        (
            "Automatisch: alle beoordelingen en het advies zijn binnen.",
            "Automatic: all reviews and the advice have been received.",
        ),
        ("Beoordeling 1 (Anna de Vries): Positief.", "Review 1 (Anna de Vries): Positive."),
    ],
)
def test_old_dutch_rows_show_in_english(stored, english):
    with translation.override("en"):
        assert translate_system_text(stored) == english
    with translation.override("nl"):
        assert translate_system_text(stored) == stored


def test_start_year_and_multiline_summary_translate_parameters_and_labels():
    with translation.override("en"):
        shown = translate_system_text(automatic_comment("start_year", year=2030))
        assert "2030" in shown and "Automatisch" not in shown
        summary = "Beoordeling 1 (Bo): Negatief.\nBeoordeling 2 (Cas): Positief onder voorwaarden.\nIets anders"
        lines = translate_system_text(summary).split("\n")
        assert "Beoordeling" not in lines[0] and "Negatief" not in lines[0] and "Bo" in lines[0]
        assert "voorwaarden" not in lines[1]
        assert lines[2] == "Iets anders"  # typed by a person: unchanged


def test_filter_in_templates():
    template = Template("{% load workflow_tags %}{{ text|system_text }}")
    with translation.override("en"):
        html = template.render(Context({"text": "Automatisch: alle beoordelingen en het advies zijn binnen."}))
    assert html.startswith("Automatic")


@pytest.mark.django_db
def test_review_summary_is_stored_in_dutch_for_an_english_officer(world):
    from agendas.decision.signoff import review_summary_text
    from tests.agendas.workflow_fixtures import advance

    advance(world, "awaiting_decision")
    version = world.refresh().versions.order_by("-number").first()
    with translation.override("en"):
        text = review_summary_text(version)
        assert "Beoordeling 1" in text and "Review 1" not in text
        assert "Review 1" in translate_system_text(text)


from tests.agendas.workflow_fixtures import *  # noqa: E402, F403
