"""The dashboard's filter form: choices come from the reference lists already loaded for the page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agendas.drafting.models import MAX_YEAR, MIN_YEAR
from agendas.models import Agenda
from reports.models import GeneratedDocument
from reports.selectors import DashboardFilters, ReferenceLists

ALL = [("", _("Alle"))]


class DashboardFilterForm(forms.Form):
    region = forms.TypedChoiceField(label=_("Regio"), required=False, coerce=int, empty_value=None)
    province = forms.TypedChoiceField(label=_("Provincie"), required=False, coerce=int, empty_value=None)
    theme = forms.TypedChoiceField(label=_("Thema"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.IntegerField(
        label=_("Jaar"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "min_value": _("Kies een jaar vanaf %(limit_value)s."),
            "max_value": _("Kies een jaar tot en met %(limit_value)s."),
            "invalid": _("Vul het jaar in als vier cijfers, bijvoorbeeld 2028."),
        },
    )
    programme = forms.TypedChoiceField(label=_("Nationaal programma"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, refs: ReferenceLists, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = ALL + [(r.pk, r.name) for r in refs.regions]
        self.fields["province"].choices = ALL + [(p.pk, p.name) for p in refs.provinces]
        self.fields["theme"].choices = ALL + [(t.pk, t.name) for t in refs.themes]
        self.fields["status"].choices = ALL + list(Agenda.Status.choices)
        self.fields["programme"].choices = ALL + [(p.pk, p.name) for p in refs.programmes]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "class": "narrow-input"})

    def filters(self) -> DashboardFilters:
        """Valid filters only: an invalid value is reported next to its field and ignored."""
        if not self.is_bound:
            return DashboardFilters()
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return DashboardFilters(
            **{name: cleaned.get(name) or None for name in DashboardFilters.FIELDS if name not in self.errors}
        )


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort document"), choices=GeneratedDocument.Kind.choices)
    year = forms.IntegerField(label=_("Jaar"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
