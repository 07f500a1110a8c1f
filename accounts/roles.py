"""The roles of the system. Each role is a Django group with this code as its name (created by a data migration)."""

from django.utils.translation import gettext_lazy as _

COORDINATOR = "coordinator"
PARTNER = "partner"
REVIEWER = "reviewer"
STATE_REPRESENTATIVE = "state_representative"
MINISTRY_OFFICER = "ministry_officer"
MINISTRY_SIGNATORY = "ministry_signatory"
ADMINISTRATOR = "administrator"
SUPPORTER = "supporter"  # supports a region with little capacity (RegionSupport): reads and comments

ROLE_LABELS = {
    COORDINATOR: _("Regiocoördinator"),
    PARTNER: _("Alliantiepartner"),
    REVIEWER: _("Onafhankelijk beoordelaar brede welvaart"),
    STATE_REPRESENTATIVE: _("Rijksvertegenwoordiger"),
    MINISTRY_OFFICER: _("BZK-medewerker"),
    MINISTRY_SIGNATORY: _("BZK-ondertekenaar"),
    ADMINISTRATOR: _("Functioneel beheerder"),
    SUPPORTER: _("Ondersteuner van een regio"),
}
ALL_ROLES = list(ROLE_LABELS)
MINISTRY_ROLES = {MINISTRY_OFFICER, MINISTRY_SIGNATORY}


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


# Granting one of these roles needs a second administrator's confirmation (accounts.services.role_grant_*).
FOUR_EYES_GRANT_ROLES = frozenset({MINISTRY_OFFICER, MINISTRY_SIGNATORY, ADMINISTRATOR})
