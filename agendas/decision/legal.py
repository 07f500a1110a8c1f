"""THE legal form of a decision letter: the date of dispatch and the objection clause (bezwaarclausule) that
Awb 3:45 requires of every decision open to objection — within six weeks of dispatch (Awb 6:7, 6:8), to whom
and how (in writing, signed, with name, address, date, the decision objected to and the grounds: Awb 6:5).
The address is a setting (``KA_OBJECTION_ADDRESS``); documents are always in Dutch."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from agendas import clocks

OBJECTION_ADDRESSEE = "de minister van Binnenlandse Zaken en Koninkrijksrelaties"
OBJECTION_ADDRESS_DEFAULT = (
    "Ministerie van BZK, t.a.v. Directie Wetgeving en Juridische Zaken, Postbus 20011, 2500 EA Den Haag"
)
OBJECTION_CONTENTS = (
    "uw naam en adres",
    "de datum",
    "het kenmerk van dit besluit",
    "de redenen waarom u het niet eens bent met het besluit",
    "uw handtekening",
)


def dispatch_date(decision) -> datetime.date | None:
    """The date the letter was sent: set when it is signed (older decisions: the day of signing)."""
    if decision.dispatch_date:
        return decision.dispatch_date
    return timezone.localdate(decision.signed_at) if decision.signed_at else None


def objection_clause(decision) -> dict | None:
    """What the letter says about objecting (``None`` before it is dispatched)."""
    sent = dispatch_date(decision)
    if sent is None:
        return None
    return {
        "dispatch_date": sent.isoformat(),
        "deadline": clocks.objection_deadline(sent).isoformat(),
        "weeks": clocks.OBJECTION_WEEKS,
        "addressee": OBJECTION_ADDRESSEE,
        "address": getattr(settings, "KA_OBJECTION_ADDRESS", "") or OBJECTION_ADDRESS_DEFAULT,
        "contents": list(OBJECTION_CONTENTS),
    }
