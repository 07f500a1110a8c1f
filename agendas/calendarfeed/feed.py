"""The iCalendar (RFC 5545) rendering of a user's deadlines: one all-day event per deadline."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from icalendar import Calendar, Event

from agendas.calendarfeed.selectors import Deadline

PRODID = "-//Ministerie van BZK//Kansenagenda//NL"


def ical_bytes(items: list[Deadline], *, absolute: Callable[[str], str], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + datetime.timedelta(days=1))
        event.add("url", absolute(item.path))
        event.add("description", absolute(item.path))
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
