"""Forms of drafting a framework; they only read the input, the services decide."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.models import Party, PolicyBasis
from agreements.nextframework import selectors

EMPTY, COPY = "leeg", "kopie"


class FrameworkStartForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Party.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Lokaal meerjarig kader prestatieafspraken 2026-2030."),
    )
    period_start = forms.IntegerField(label=_("Eerste jaar"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Laatste jaar"), min_value=2000, max_value=2100)
    start_from = forms.ChoiceField(
        label=_("Beginnen met"), widget=forms.RadioSelect, choices=[(EMPTY, _("Leeg beginnen"))]
    )

    def __init__(self, *args, municipalities: QuerySet[Party], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.previous = {m.pk: selectors.previous_framework(m) for m in municipalities}
        shown = [fw for fw in self.previous.values() if fw is not None]
        if shown:
            if len(self.previous) == 1:
                label = _("Kopie van “%(title)s”") % {"title": shown[0].title}
            else:
                label = _("Kopie van het laatste kader van de gemeente")
                self.fields["start_from"].help_text = "; ".join(
                    f"{fw.municipality.name}: {fw.title}" for fw in shown
                )
            self.fields["start_from"].choices = [(COPY, label), (EMPTY, _("Leeg beginnen"))]
            self.fields["start_from"].initial = COPY
        else:
            self.fields["start_from"].initial = EMPTY

    def clean(self):
        data = super().clean()
        if data.get("start_from") == COPY:
            data["copy_of"] = self.previous.get(getattr(data.get("municipality"), "pk", None))
            if data["copy_of"] is None and data.get("municipality") is not None:
                self.add_error(
                    "start_from", _("Deze gemeente heeft nog geen kader om te kopiëren.")
                )
        else:
            data["copy_of"] = None
        return data


class PolicyBasisForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=PolicyBasis.Kind.choices)
    title = forms.CharField(label=_("Titel"), max_length=300)
    date = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De datum van vaststelling of ondertekening."),
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=500,
        required=False,
        help_text=_("Een verwijzing (raadsbesluit, kenmerk) of een webadres."),
    )
    # The version the editor started from (empty for a new entry).
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
