"""The count of "Mijn taken" in the navigation, loaded after the page (htmx): a page pays nothing for the
inbox, and the count costs the inbox's fixed number of queries once, in this small request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agendas.inbox.selectors import inbox_counts


@never_cache
@login_required
@require_GET
def inbox_count(request):
    return render(request, "_nav_inbox_count.html", {"nav_inbox": inbox_counts(request.user)})
