from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Framework, Party, Theme


class TargetFilterForm(forms.Form):
    """Filters of the targets table. Invalid choices are ignored rather than refused."""

    theme = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Alle thema's"),
    )
    party = forms.ModelChoiceField(
        label=_("Partij"),
        queryset=Party.objects.none(),
        required=False,
        empty_label=_("Alle partijen"),
    )

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = framework.themes.order_by("number")
        self.fields["party"].queryset = framework.parties.order_by("kind", "name")
        self.fields["theme"].label_from_instance = lambda t: f"{t.number}. {t.title}"
