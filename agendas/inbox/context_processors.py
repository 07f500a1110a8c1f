"""The agenda entries of the navigation: the counts of "Mijn taken" and whether "Zoeken" is offered.

Both are computed lazily (only a page that shows them pays). Pages load the count after they are shown
(``agendas.inbox.views.inbox_count``); only the inbox page itself shows ``nav_inbox`` from what it lists."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def inbox_navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def counts():
        from agendas.inbox.selectors import inbox_counts

        return inbox_counts(user)

    def may_search():
        from agendas.permissions import agenda_policy

        return agenda_policy.can_search(user)

    return {"nav_inbox": SimpleLazyObject(counts), "nav_search": SimpleLazyObject(may_search)}
