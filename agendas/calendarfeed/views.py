"""The account page for the calendar feed (create, replace, revoke) and the feed itself (no login: the
secret URL is the key). Thin: services and selectors do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agendas.calendarfeed import services
from agendas.calendarfeed.feed import ical_bytes
from agendas.calendarfeed.models import CalendarFeed
from agendas.calendarfeed.selectors import deadlines


@never_cache
@login_required
def calendar_feed_page(request):
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Uw agenda-abonnement is ingetrokken; de oude link werkt niet meer."))
            return redirect("calendar-feed-page")
        token = services.calendar_feed_create(user=request.user)
        new_url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
        messages.success(request, _("Nieuwe link gemaakt. Kopieer hem nu: hij wordt niet nog eens getoond."))
    existing = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "agendas/calendarfeed/page.html",
        {"new_url": new_url, "existing": existing if not new_url else None, "items": deadlines(request.user)},
    )


@never_cache
@require_GET
def calendar_feed(request, token: str):
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    body = ical_bytes(deadlines(user), absolute=request.build_absolute_uri, name=_("Kansenagenda – mijn termijnen"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kansenagenda.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    path("", calendar_feed_page, name="calendar-feed-page"),
    path("<str:token>.ics", calendar_feed, name="calendar-feed"),
]
