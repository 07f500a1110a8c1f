"""THE search across agendas: title, region, alliance, priority text and organisation names, only among the
agendas the policy lets the user see (``agenda_policy.visible``), for those who may search
(``agenda_policy.can_search``).

PostgreSQL: full-text search with the Dutch configuration (stemming: "woningen" finds "woning"), ranked on
the agenda's own fields. SQLite (the demo): every word must occur somewhere (case-insensitive substring).
One query either way, however many agendas there are.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Organisation, User
from agendas.models import Agenda, Priority
from agendas.permissions import agenda_policy

MAX_QUERY_LENGTH = 200
PRIORITY_FIELDS = ("title", "goals", "theory_cause", "theory_action", "theory_expected_change")


def _words(query: str) -> list[str]:
    return [w for w in (query or "")[:MAX_QUERY_LENGTH].split() if w][:10]


def _postgres(agendas: QuerySet[Agenda], query: str) -> QuerySet[Agenda]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    q = SearchQuery(query, config="dutch", search_type="websearch")
    own = SearchVector("title", weight="A", config="dutch") + SearchVector(
        "alliance__region__name", "alliance__name", weight="B", config="dutch"
    )
    priorities = Priority.objects.annotate(v=SearchVector(*PRIORITY_FIELDS, config="dutch")).filter(
        agenda=OuterRef("pk"), v=q
    )
    organisations = Organisation.objects.annotate(v=SearchVector("name", config="dutch")).filter(
        alliances=OuterRef("alliance_id"), v=q
    )
    return (
        agendas.annotate(v=own, rank=SearchRank(own, q))
        .filter(Q(v=q) | Exists(priorities) | Exists(organisations))
        .order_by("-rank", "title", "pk")
    )


def _fallback(agendas: QuerySet[Agenda], words: list[str]) -> QuerySet[Agenda]:
    for word in words:
        in_priority = Q()
        for name in PRIORITY_FIELDS:
            in_priority |= Q(**{f"{name}__icontains": word})
        priorities = Priority.objects.filter(in_priority, agenda=OuterRef("pk"))
        organisations = Organisation.objects.filter(alliances=OuterRef("alliance_id"), name__icontains=word)
        agendas = agendas.filter(
            Q(title__icontains=word)
            | Q(alliance__region__name__icontains=word)
            | Q(alliance__name__icontains=word)
            | Exists(priorities)
            | Exists(organisations)
        )
    return agendas.order_by("title", "pk")


def search_agendas(user: User, query: str) -> QuerySet[Agenda]:
    """The visible agendas that match ``query`` (none for an empty query or a user who may not search)."""
    words = _words(query)
    if not words or not agenda_policy.can_search(user):
        return Agenda.objects.none()
    agendas = agenda_policy.visible(user).select_related("alliance__region")
    if connection.vendor == "postgresql":
        return _postgres(agendas, " ".join(words))
    return _fallback(agendas, words)
