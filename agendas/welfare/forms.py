from django import forms
from django.utils.translation import gettext_lazy as _

from agendas.welfare.services import MAX_FILE_BYTES


class MonitorUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand van de Monitor Brede Welvaart"),
        help_text=_("Kolommen gebied, indicator, thema, jaar, waarde (zie de handleiding). Hoogstens 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv)."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB; splits het per jaar."))
        return upload
