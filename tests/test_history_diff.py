"""The one history diff (kansenagenda/history_diff.py) and its three readers: the 409's ``changes``, an agenda's
history and the administrator's audit log, which must say the same thing about the same edit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.audit import audit_entries
from agendas.drafting.selectors import agenda_history
from agendas.models import AgendaPartner, BudgetLine, Priority
from kansenagenda import history_diff
from tests.factories import AgendaPartnerFactory, BudgetLineFactory, OrganisationFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def _lead_partner_edit():
    priority = PriorityFactory()
    old_lead, new_lead = OrganisationFactory(name="Gemeente Oud"), OrganisationFactory(name="Provincie Nieuw")
    priority.lead_partner = old_lead
    priority.save()
    priority.lead_partner = new_lead
    priority.title = "Zorg dichtbij"
    priority.save()
    return priority


def test_field_changes_speak_the_readers_words_and_skip_bookkeeping():
    priority = _lead_partner_edit()
    before, after = priority.history.order_by("history_date", "history_id")[1:3]
    changes = dict((f.name, c) for f, c in history_diff.field_changes(Priority, before, after))
    assert set(changes) == {"lead_partner", "title"}  # not lock_version, not updated_at
    assert changes["lead_partner"].old == "Gemeente Oud" and changes["lead_partner"].new == "Provincie Nieuw"
    assert changes["lead_partner"].label == str(Priority._meta.get_field("lead_partner").verbose_name)
    # the 409 shape is built from the same diff
    shape = history_diff.record_changes(Priority, before, after)
    assert shape["lead_partner"] == {
        "label": changes["lead_partner"].label,
        "old": "Gemeente Oud",
        "new": "Provincie Nieuw",
    }


def test_the_agenda_history_and_the_audit_log_report_the_same_edit_alike():
    priority = _lead_partner_edit()
    [entry] = [e for e in agenda_history(priority.agenda) if e.action == "gewijzigd" and "Zorg dichtbij" in e.subject]
    page = sorted(entry.changes)
    audit = [
        e
        for e in audit_entries(model_label="agendas.priority")
        if e.action == "gewijzigd" and "Zorg dichtbij" in e.object_repr
    ]
    assert sorted(audit[0].changes) == page
    assert ("leidende partner" in " ".join(c.label for c in page)) or any(c.new == "Provincie Nieuw" for c in page)


def test_audit_log_queries_do_not_grow_with_edits_of_related_fields():
    def edits(n):
        for i in range(n):
            partner = AgendaPartnerFactory()
            partner.organisation = OrganisationFactory(name=f"Nieuwe partner {i}")
            partner.save()

    edits(2)
    with CaptureQueriesContext(connection) as few:
        small = audit_entries(model_label="agendas.agendapartner")
    edits(8)
    with CaptureQueriesContext(connection) as many:
        large = audit_entries(model_label="agendas.agendapartner")
    assert len([e for e in large if e.action == "gewijzigd"]) == 10 > len([e for e in small if e.action == "gewijzigd"])
    assert len(many) == len(few)
    changed = [c for e in large for c in e.changes if c.new.startswith("Nieuwe partner")]
    assert len(changed) == 10  # names, not ids


def test_states_since_sees_rows_added_changed_and_removed_after_a_moment():
    priority = PriorityFactory()
    kept = BudgetLineFactory(priority=priority, year=2027, amount=Decimal("100.00"))
    removed = BudgetLineFactory(priority=priority, year=2028, amount=Decimal("200.00"))
    untouched = BudgetLineFactory(priority=priority, year=2029, amount=Decimal("300.00"))
    moment = timezone.now() + timedelta(microseconds=1)
    for row in BudgetLine.history.all():  # make the set-up strictly older than the moment
        row.history_date = moment - timedelta(seconds=1)
        row.save()
    kept.amount = Decimal("150.00")
    kept.save()
    removed_id = removed.pk
    removed.delete()
    added = BudgetLineFactory(priority=priority, year=2030, amount=Decimal("400.00"))
    with CaptureQueriesContext(connection) as queries:
        states = history_diff.states_since(BudgetLine.history.filter(priority_id=priority.pk), moment)
    assert len(queries) == 1
    by_id = {(now or before).id: (before, now) for before, now in states}
    assert untouched.pk not in by_id
    assert by_id[kept.pk][0].amount == Decimal("100.00") and by_id[kept.pk][1].amount == Decimal("150.00")
    assert by_id[removed_id][0].amount == Decimal("200.00") and by_id[removed_id][1] is None
    assert by_id[added.pk][0] is None and by_id[added.pk][1].amount == Decimal("400.00")


def test_no_other_module_diffs_history_by_hand():
    """One place: nobody else calls simple-history's diff_against or walks concrete fields to compare states."""
    import re
    from pathlib import Path

    by_hand = re.compile(r"diff_against\(|getattr\(\s*(old|prev|before|base)\w*\s*,\s*\w+\.attname")
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in [*root.glob("accounts/**/*.py"), *root.glob("agendas/**/*.py"), *root.glob("reports/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if by_hand.search(text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_partner_history_names_the_organisation():
    partner = AgendaPartnerFactory()
    partner.organisation = OrganisationFactory(name="Hogeschool Zuid")
    partner.save()
    [entry] = [e for e in agenda_history(partner.agenda) if e.action == "gewijzigd"]
    assert any(c.new == "Hogeschool Zuid" for c in entry.changes)
    assert AgendaPartner.history.count() == 2
