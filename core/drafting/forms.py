"""The forms every drafted document's editor shares: a piece's version, a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PieceForm(forms.Form):
    """The fields every piece editor carries: the version the edit is based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def mark_focus(self) -> None:
        """Where focus goes when the editor is swapped in (static/js/portal.js): the first
        field with an error, else the first field, so that typing can start at once."""
        names = [field.name for field in self.visible_fields()]
        name = next((n for n in names if n in self.errors), names[0])
        self.fields[name].widget.attrs["data-focus-after-swap"] = ""


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Reactie"), widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
