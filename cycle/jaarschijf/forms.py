"""Forms of the jaarschijf: they validate input; the rules live in cycle.jaarschijf.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.drafting.forms import PieceForm
from cycle.jaarschijf.services import ContributionInput
from cycle.models import Contribution


class TextPieceForm(PieceForm):
    text = forms.CharField(
        label=_("Tekst"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ContributionForm(PieceForm):
    text = forms.CharField(
        label=_("Wat doet de partij?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    quantity = forms.CharField(
        label=_("Aantal"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    unit = forms.CharField(label=_("Eenheid"), required=False, max_length=120)
    planned_quarter = forms.ChoiceField(
        label=_("Gepland"), required=False, choices=Contribution.Quarter.choices
    )
    target = forms.TypedChoiceField(
        label=_("Draagt bij aan doel"), required=False, coerce=int, empty_value=None
    )
    done = forms.BooleanField(label=_("Afgerond"), required=False)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("geen"))] + [
            (target.pk, target.label) for target in targets
        ]

    def to_input(self) -> ContributionInput:
        data = self.cleaned_data
        return ContributionInput(
            text=data["text"],
            quantity=data["quantity"],
            unit=data["unit"],
            planned_quarter=data["planned_quarter"] or "",
            target_id=data["target"],
            done=data["done"],
        )


class ContributionAddForm(forms.Form):
    party = forms.TypedChoiceField(label=_("Partij"), coerce=int)
    text = forms.CharField(label=_("Wat doet de partij?"), widget=forms.Textarea(attrs={"rows": 4}))
    quantity = forms.CharField(label=_("Aantal"), required=False, max_length=20)
    unit = forms.CharField(label=_("Eenheid"), required=False, max_length=120)
    planned_quarter = forms.ChoiceField(
        label=_("Gepland"), required=False, choices=Contribution.Quarter.choices
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(party.pk, party.name) for party in parties]

    def to_input(self) -> ContributionInput:
        data = self.cleaned_data
        return ContributionInput(
            text=data["text"],
            quantity=data["quantity"],
            unit=data["unit"],
            planned_quarter=data["planned_quarter"] or "",
        )
