"""Forms of the end-evaluation: they validate input; the rules live in its services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ThemeConclusionForm(forms.Form):
    """The working group's conclusion on one theme; ``version`` is what the text was based on."""

    theme = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label=_("Conclusie van de werkgroep"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
