"""The count of "Mijn taken" in the navigation, loaded after the page (htmx): a page pays nothing for the
inbox, and the count costs the inbox's fixed number of queries once, in this small request."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from agendas.inbox.selectors import inbox_counts


@never_cache
def inbox_count(request):
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            # Loaded into the navigation after the page: a login page must never be swapped into the link.
            return HttpResponse(status=204)
        return redirect_to_login(request.get_full_path())
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "_nav_inbox_count.html", {"nav_inbox": inbox_counts(request.user)})
