"""Texts the system writes into records (transition comments "Automatisch: …", the nota's generated summary
of the reviews): stored ONCE in Dutch (the source language, whoever's request triggered them) and translated
when shown (``{{ text|system_text }}``), so an English page shows English and the record stays one text.

Old rows need no migration: they were stored in Dutch by the same source strings, so the same patterns
recognise them. A text that matches no pattern (typed by a person) is shown as it is.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext_lazy

# Automatic transition comments: (key, source string). The key is how writers name them.
AUTOMATIC = {
    "review_complete": gettext_lazy("Automatisch: alle beoordelingen en het advies zijn binnen."),
    "start_year": gettext_lazy("Automatisch: het beginjaar %(year)s is aangebroken."),
}


def _pattern(source: str) -> re.Pattern:
    """A %(name)s source string as a regex with one named group per parameter."""
    escaped = re.escape(source)
    return re.compile("^" + re.sub(r"%\\\(([a-z_]+)\\\)s", r"(?P<\1>.+?)", escaped) + "$")


def _dutch(text) -> str:
    with translation.override("nl"):
        return str(text)


def automatic_comment(key: str, **params) -> str:
    """The comment to store for an automatic step: always the Dutch source text."""
    with translation.override("nl"):
        return str(AUTOMATIC[key]) % params if params else str(AUTOMATIC[key])


def _translate_line(line: str, sources) -> str:
    for source, labels in sources:
        match = _pattern(_dutch(source)).match(line)
        if match:
            params = {k: labels.get(k, {}).get(v, v) for k, v in match.groupdict().items()}
            return str(source) % params if params else str(source)
    return line


def _label_map(choices_class) -> dict[str, str]:
    """Dutch label → the label in the current language (for labels stored inside generated text)."""
    with translation.override("nl"):
        dutch = {value: str(label) for value, label in choices_class.choices}
    return {dutch[value]: str(label) for value, label in choices_class.choices}


def _summary_sources():
    from agendas.models import Advice, Review

    verdicts, recommendations = _label_map(Review.Verdict), _label_map(Advice.Recommendation)
    return [
        (gettext_lazy("Beoordeling %(n)s (%(name)s): %(verdict)s."), {"verdict": verdicts}),
        (gettext_lazy("  Aanbevelingen: %(text)s"), {}),
        (gettext_lazy("Advies rijksvertegenwoordiger: %(rec)s."), {"rec": recommendations}),
    ]


def translate_system_text(text: str | None) -> str:
    """Show a stored system text in the current language (unknown lines unchanged)."""
    if not text or translation.get_language() in (None, "nl") or translation.get_language().startswith("nl"):
        return text or ""
    sources = [(source, {}) for source in AUTOMATIC.values()] + _summary_sources()
    return "\n".join(_translate_line(line, sources) for line in text.split("\n"))
