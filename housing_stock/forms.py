from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Party
from housing_stock.importing.safety import inspect_upload
from housing_stock.models import StockImport


class StockImportForm(forms.Form):
    party = forms.ModelChoiceField(
        label=_("Corporatie"), queryset=Party.objects.none(), empty_label=None
    )
    peildatum = forms.DateField(
        label=_("Peildatum"),
        help_text=_("De datum waarop de cijfers gelden, bijvoorbeeld 1-1-2025."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label=_("Soort bestand"), choices=StockImport.Kind.choices)
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Excel (.xlsx) of, voor een lijst per woning, CSV (.csv)."),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and cleaned.get("kind"):
            try:
                inspect_upload(upload, kind=cleaned["kind"])
            except forms.ValidationError as error:
                self.add_error("file", error)
        return cleaned


class ComparisonForm(forms.Form):
    partij = forms.ChoiceField(label=_("Corporatie"), required=False)

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partij"].choices = [("", _("Alle corporaties samen"))] + [
            (p.slug, p.name) for p in parties
        ]
