"""Forms of the evaluation: they validate input; the rules live in cycle.evaluation.services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import Quantity, bound_validator
from core.forms import DutchDecimalField
from cycle.evaluation.services import FiguresInput, RealisationInput
from cycle.models import ContributionRealisation

# Counts of dwellings and lettings: never more than the country has (core.bounds); the
# database column (a 4-byte integer on PostgreSQL) could not hold much more anyway.
_DWELLINGS = bound_validator(Quantity.DWELLINGS)


class RealisationForm(forms.Form):
    """One contribution's realisation; prefixed with the contribution's id on the page."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    status = forms.ChoiceField(
        label=_("Realisatie"),
        required=False,
        choices=[("", _("nog niet ingevuld"))] + ContributionRealisation.Status.choices,
    )
    realised_quantity = DutchDecimalField(
        label=_("Gerealiseerd aantal"), required=False, quantity=Quantity.NUMBER
    )
    explanation = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, contribution, **kwargs):
        self.contribution = contribution
        realisation = getattr(contribution, "realisation", None)
        kwargs.setdefault(
            "initial",
            {
                "version": realisation.version if realisation else 0,
                "status": realisation.status if realisation else "",
                "realised_quantity": realisation.realised_quantity if realisation else "",
                "explanation": realisation.explanation if realisation else "",
            },
        )
        super().__init__(*args, prefix=f"c{contribution.pk}", **kwargs)
        if realisation and realisation.realised_quantity is not None:
            self.initial["realised_quantity"] = format(
                realisation.realised_quantity.normalize(), "f"
            ).replace(".", ",")

    def has_input(self) -> bool:
        return bool(self.cleaned_data.get("status"))

    def to_input(self) -> RealisationInput:
        return RealisationInput(
            status=self.cleaned_data["status"],
            realised_quantity=self.cleaned_data["realised_quantity"],
            explanation=self.cleaned_data["explanation"],
        )


class YearFiguresForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    lettings = forms.IntegerField(
        label=_("Verhuringen"), required=False, min_value=0, validators=[_DWELLINGS]
    )
    relets = forms.IntegerField(
        label=_("Opnieuw te verhuren woningen (mutaties)"),
        required=False,
        min_value=0,
        validators=[_DWELLINGS],
    )
    vacancy_pct = DutchDecimalField(
        label=_("Leegstand (%)"), required=False, quantity=Quantity.SHARE
    )
    passend_pct = DutchDecimalField(
        label=_("Passend toegewezen (%)"), required=False, quantity=Quantity.SHARE
    )
    daeb_pct = DutchDecimalField(
        label=_("DAEB toegewezen binnen de inkomensgrens (%)"),
        required=False,
        quantity=Quantity.SHARE,
    )
    permit_holder_lettings = forms.IntegerField(
        label=_("Verhuringen aan vergunninghouders"),
        required=False,
        min_value=0,
        validators=[_DWELLINGS],
    )
    evictions = forms.IntegerField(
        label=_("Ontruimingen wegens huurachterstand"),
        required=False,
        min_value=0,
        validators=[_DWELLINGS],
    )
    condition_score = DutchDecimalField(
        label=_("Gemiddelde conditiescore (NEN 2767)"), required=False
    )
    source = forms.CharField(label=_("Bron"), required=False, max_length=200)

    def __init__(self, *args, figures=None, **kwargs):
        initial = {"version": figures.version if figures else 0, "source": "Thuis in Limburg"}
        if figures is not None:
            for name in FiguresInput.__dataclass_fields__:
                value = getattr(figures, name)
                if isinstance(value, Decimal):
                    value = format(value.normalize(), "f").replace(".", ",")
                initial[name] = "" if value is None else value
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def to_input(self) -> FiguresInput:
        return FiguresInput(
            **{name: self.cleaned_data[name] for name in FiguresInput.__dataclass_fields__}
        )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusies van de werkgroep"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    permit_holder_task = forms.IntegerField(
        label=_("Taakstelling vergunninghouders (woningen)"),
        required=False,
        min_value=0,
        validators=[_DWELLINGS],
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Uw reactie"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
