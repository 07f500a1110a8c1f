"""Forms of the drafting pages. They parse and label input only: every rule lives in agendas/drafting/services.py,
so a form never validates the model itself (``_post_clean`` is a no-op) and the browser and the API agree."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Alliance
from agendas.drafting.comments import COMMENT_SECTIONS
from agendas.drafting.services import AGENDA_FIELDS, MILESTONE_FIELDS, PARTNER_FIELDS, PRIORITY_FIELDS
from agendas.models import (
    Agenda,
    AgendaPartner,
    BroadWelfareDimension,
    Milestone,
    NationalProgramme,
    Priority,
    Theme,
)
from kansenagenda import money
from kansenagenda.locking import LockVersionFormField


class QuantityField(forms.CharField):
    """A milestone value as a person types it in the interface language (``kansenagenda.money.parse_number``)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        return money.parse_number(super().to_python(value))

    def prepare_value(self, value):
        return money.format_number_input(value) if isinstance(value, Decimal) else value


class ServiceErrorsMixin:
    """A form whose writes go through a service: the service's ValidationError lands on the fields it names."""

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (unknown fields become form errors)."""
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields and field != "lock_version" else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class ServiceValidatedForm(ServiceErrorsMixin, forms.ModelForm):
    """A ModelForm that leaves model validation to the service (same rules for forms and API)."""

    def _post_clean(self):
        pass


class LockVersionMixin(forms.Form):
    """Required hidden ``lock_version`` of an edit; a form that creates (no instance yet) has none."""

    lock_version = LockVersionFormField(label=gettext_lazy("Versie"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and not instance.pk:
            self.fields.pop("lock_version", None)


class AgendaForm(LockVersionMixin, ServiceValidatedForm):
    class Meta:
        model = Agenda
        fields = list(AGENDA_FIELDS)
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 6}),
            "analysis": forms.Textarea(attrs={"rows": 6}),
            "baseline_notes": forms.Textarea(attrs={"rows": 4}),
            "low_cofinancing_justification": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "start_year": gettext_lazy("Bijvoorbeeld 2027."),
            "end_year": gettext_lazy("Een looptijd van tien jaar of langer is gebruikelijk; maximaal 30 jaar."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service reports period errors with actionable messages; the form only parses numbers.
        for name in ("start_year", "end_year"):
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("max", None)
            self.fields[name].widget.attrs.pop("min", None)
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class AgendaCreateForm(AgendaForm):
    alliance = forms.ModelChoiceField(
        label=gettext_lazy("Alliantie"), queryset=Alliance.objects.none(), empty_label=None
    )

    class Meta(AgendaForm.Meta):
        fields = ["alliance", *AGENDA_FIELDS]

    def __init__(self, *args, alliances=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances if alliances is not None else Alliance.objects.none()
        self.fields.pop("lock_version", None)
        self.order_fields(["alliance", *AGENDA_FIELDS])


class PriorityForm(LockVersionMixin, ServiceValidatedForm):
    dimensions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Brede-welvaartsdimensies waarop de prioriteit zich richt"),
        queryset=BroadWelfareDimension.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    programmes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Lopende nationale programma's"),
        queryset=NationalProgramme.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Priority
        fields = [f for f in PRIORITY_FIELDS if f != "order"] + ["dimensions", "programmes", "order"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "theory_cause": forms.Textarea(attrs={"rows": 3}),
            "theory_action": forms.Textarea(attrs={"rows": 3}),
            "theory_conditions": forms.Textarea(attrs={"rows": 3}),
            "theory_expected_change": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "theory_cause": gettext_lazy("Veranderingstheorie, stap 1: welk probleem of welke oorzaak pakt u aan?"),
            "theory_action": gettext_lazy("Stap 2: wat gaat u doen?"),
            "theory_conditions": gettext_lazy("Stap 3: wat moet er geregeld zijn om het te laten werken?"),
            "theory_expected_change": gettext_lazy("Stap 4: welke verandering in brede welvaart verwacht u?"),
            "order": gettext_lazy("Leeg laten om de prioriteit achteraan te zetten."),
        }

    def __init__(self, *args, agenda: Agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(active=True)
        self.fields["theme"].empty_label = _("Kies een thema")
        self.fields["lead_partner"].queryset = agenda.alliance.organisations.all()
        self.fields["lead_partner"].empty_label = _("Nog geen trekker")
        self.fields["order"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class MilestoneForm(LockVersionMixin, ServiceValidatedForm):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)
        widgets = {"measurement": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": gettext_lazy("Bijvoorbeeld: 150 extra zorgmedewerkers opgeleid."),
            "unit": gettext_lazy("Bijvoorbeeld: personen, woningen, procent."),
            "target_year": gettext_lazy("Binnen de looptijd van de agenda."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("baseline_year", "target_year"):
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("max", None)
            self.fields[name].widget.attrs.pop("min", None)
        for name in ("baseline_value", "target_value"):
            old = self.fields[name]
            self.fields[name] = QuantityField(label=old.label, help_text=old.help_text, required=True)
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class PartnerForm(LockVersionMixin, ServiceValidatedForm):
    class Meta:
        model = AgendaPartner
        fields = list(PARTNER_FIELDS)
        widgets = {"commitment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "commitment_amount": gettext_lazy("Verplicht bij inzet in geld; in euro's, bijvoorbeeld 250000,00."),
        }

    def __init__(self, *args, agenda: Agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = agenda.alliance.organisations.all()
        self.fields["organisation"].empty_label = _("Kies een organisatie van de alliantie")
        old = self.fields["commitment_amount"]
        self.fields["commitment_amount"] = money.MoneyField(
            label=old.label, help_text=old.help_text, required=False, allow_negative=True
        )
        if self.instance.pk and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


class CommentForm(forms.Form):
    section = forms.ChoiceField(
        label=gettext_lazy("Onderdeel"), choices=list(COMMENT_SECTIONS.items()), widget=forms.HiddenInput
    )
    priority = forms.IntegerField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(label=gettext_lazy("Uw reactie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand"),
        help_text=gettext_lazy("PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS); maximaal 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods"}),
    )
    description = forms.CharField(label=gettext_lazy("Omschrijving"), max_length=300, required=False)


class ConfirmDeleteForm(LockVersionMixin, forms.Form):
    pass
