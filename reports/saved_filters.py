"""Saved filters per user for the portfolio dashboard and its agenda list: only valid filters are stored
(re-read through the dashboard's filter form), one name per user; a person sees and deletes only their own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.audit import delete_with_history
from accounts.models import User
from reports.models import SavedFilter
from reports.permissions import dashboard_policy
from reports.selectors import reference_lists

MAX_SAVED_FILTERS = 50


def saved_filters_for(user: User):
    return SavedFilter.objects.filter(user=user) if user.is_authenticated else SavedFilter.objects.none()


@transaction.atomic
def saved_filter_save(*, user: User, name: str, query: str) -> SavedFilter:
    from reports.forms import DashboardFilterForm

    region_ids = dashboard_policy.check(user)  # PermissionDenied for who may not see the dashboard
    filters = DashboardFilterForm(QueryDict(query or ""), reference_lists(region_ids)).filters()
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Geef het filter een naam.")
    elif len(name) > 100:
        errors["name"] = _("De naam is hoogstens 100 tekens.")
    if not filters.active:
        errors["query"] = _("Kies eerst ten minste één filter en pas het toe; een leeg filter bewaren heeft geen zin.")
    if saved_filters_for(user).count() >= MAX_SAVED_FILTERS:
        errors["name"] = _("U heeft al %(n)s filters bewaard; verwijder er eerst een.") % {"n": MAX_SAVED_FILTERS}
    if errors:
        raise ValidationError(errors)
    saved, _created = SavedFilter.objects.update_or_create(user=user, name=name, defaults={"query": filters.query()})
    return saved


@transaction.atomic
def saved_filter_delete(*, user: User, pk: int) -> None:
    deleted = delete_with_history(saved_filters_for(user).filter(pk=pk), actor=user)
    if not deleted:
        raise SavedFilter.DoesNotExist
