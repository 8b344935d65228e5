"""Forms of two-step verification: the code (setup, login step) and the reset."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"),
        help_text=_("De 6 cijfers die de app nu toont."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class LoginCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app of herstelcode"),
        help_text=_("De 6 cijfers die uw authenticator-app nu toont, of een van uw herstelcodes."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class ResetForm(forms.Form):
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        help_text=_("Bevestig met uw wachtwoord dat u het bent."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
