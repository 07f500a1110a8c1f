"""The counts of "Mijn taken" in the navigation: computed lazily (only a page that shows them pays) and once
per request (the inbox caches its items on the request's user)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def inbox_navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def counts():
        from agendas.inbox.selectors import inbox_counts

        return inbox_counts(user)

    return {"nav_inbox": SimpleLazyObject(counts)}
