"""Forms of signing, verifying and proposing addenda."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agreements.models import Addendum, Agreement, Framework, Target


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik heb het document gelezen en teken namens mijn organisatie."), required=True
    )
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        help_text=_("Bevestig met uw wachtwoord dat u het bent die tekent."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
    otp_code = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        help_text=_(
            "De 6 cijfers die de app nu toont. Telefoon niet bij de hand? Typ een van uw "
            "herstelcodes; die is daarna gebruikt."
        ),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    mandate = forms.CharField(
        label=_("Besluit waaronder u tekent (niet verplicht)"),
        help_text=_(
            "Bijvoorbeeld: Collegebesluit nr. 2026/123, of: Besluit raad van commissarissen. "
            "Het staat bij uw handtekening en in de verantwoording van de PDF."
        ),
        max_length=300,
        required=False,
    )
    mandate_date = forms.DateField(
        label=_("Datum van het besluit (niet verplicht)"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mandate_date") and not cleaned.get("mandate"):
            self.add_error("mandate", _("Noem het besluit bij deze datum."))
        return cleaned


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        help_text=_("Alle partijen krijgen deze reden te lezen."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF-bestand"),
        required=False,
        help_text=_(
            "Het portaal berekent de vingerafdruk en controleert het zegel; het bestand wordt "
            "niet bewaard."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    digest = forms.CharField(
        label=_("Of: SHA-256-vingerafdruk"),
        required=False,
        max_length=80,
        help_text=_("64 tekens (0-9, a-f), van de PDF of van de inhoud."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
            )
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Dit is geen PDF-bestand."))
        return upload

    def clean_digest(self):
        return (self.cleaned_data.get("digest") or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("digest"):
            raise forms.ValidationError(_("Kies een PDF-bestand of plak een vingerafdruk."))
        digest = cleaned.get("digest")
        if digest and (len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest)):
            self.add_error(
                "digest", _("Een SHA-256-vingerafdruk bestaat uit 64 tekens 0-9 en a-f.")
            )
        return cleaned


class AddendumForm(forms.Form):
    """One addendum: a wijziging with up to one change of an agreement's text and one of a
    target, or a verlenging of the framework's period (which may change those as well)."""

    kind = forms.ChoiceField(
        label=_("Soort addendum"),
        choices=Addendum.Kind.choices,
        initial=Addendum.Kind.CHANGE,
        widget=forms.RadioSelect,
        required=False,  # left out: a wijziging, as every addendum was before verlengingen
    )
    new_period_end = forms.IntegerField(
        label=_("Verlengen tot en met"),
        help_text=_("Alleen bij een verlenging: het nieuwe laatste jaar van het kader."),
        required=False,
        min_value=2000,
        max_value=2100,
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    reason = forms.CharField(
        label=_("Motivering"),
        help_text=_("Waarom is deze wijziging nodig?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreement = forms.ModelChoiceField(
        label=_("Afspraak"), queryset=Agreement.objects.none(), required=False
    )
    agreement_text = forms.CharField(
        label=_("Nieuwe tekst van de afspraak"),
        help_text=_("Laat leeg als de tekst niet verandert."),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    target = forms.ModelChoiceField(label=_("Doel"), queryset=Target.objects.none(), required=False)
    target_value = forms.CharField(
        label=_("Nieuwe doelwaarde"),
        help_text=_("Bijvoorbeeld 450 of 12,5. Laat leeg als de waarde niet verandert."),
        required=False,
        max_length=20,
    )

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(
            theme__framework=framework
        ).select_related("theme")
        self.fields["target"].queryset = Target.objects.filter(
            agreement__theme__framework=framework
        ).select_related("agreement__theme")
        self.fields["agreement"].label_from_instance = lambda a: f"{a.code} {a.title}"
        self.fields["target"].label_from_instance = lambda t: f"{t.agreement.code} · {t.label}"

    def clean(self):
        cleaned = super().clean()
        cleaned["kind"] = cleaned.get("kind") or Addendum.Kind.CHANGE
        extension = cleaned["kind"] == Addendum.Kind.EXTENSION
        if extension and not cleaned.get("new_period_end") and "new_period_end" not in self.errors:
            self.add_error("new_period_end", _("Geef het nieuwe laatste jaar van het kader."))
        if cleaned.get("agreement_text") and not cleaned.get("agreement"):
            self.add_error("agreement", _("Kies de afspraak waarvan de tekst verandert."))
        if cleaned.get("target_value") and not cleaned.get("target"):
            self.add_error("target", _("Kies het doel waarvan de waarde verandert."))
        if not extension and not cleaned.get("agreement_text") and not cleaned.get("target_value"):
            raise forms.ValidationError(
                _("Geef een nieuwe tekst van een afspraak of een nieuwe doelwaarde.")
            )
        return cleaned
