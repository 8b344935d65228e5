"""Forms of the cycle. They validate input; the rules of the cycle live in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Theme
from core.forms import DutchDecimalField
from cycle.bids.plausibility import quantity_problem
from cycle.bids.types import LineInput
from cycle.models import Bid, Figure

_HELP = {
    Figure.LIVEABILITY: _("In euro's, bijvoorbeeld 75.000 of € 1.250,50."),
    Figure.RENT_INCREASE: _("In procenten, bijvoorbeeld 2,9 voor 2,9 %."),
}


class BidLinesForm(forms.Form):
    """One quantity, agreement and explanation per core figure; fields named <part>_<figure>."""

    summary = forms.CharField(
        label=_("Samenvatting van het bod"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(
        self,
        *args,
        bid: Bid,
        lines: dict,
        agreements: list[Agreement],
        themes: list[Theme] | None = None,
        notes: dict[int, str] | None = None,
        stock: Decimal | None = None,
        submitting: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.bid = bid
        self.stock = stock
        self.agreements = {str(a.pk): a for a in agreements}
        choices = [("", _("— geen —"))] + [(str(a.pk), f"{a.code} {a.title}") for a in agreements]
        self.initial.setdefault("summary", bid.summary)
        self.rows = []
        for figure in Figure:
            line = lines.get(figure.value)
            percentage = figure == Figure.RENT_INCREASE
            quantity = DutchDecimalField(
                label=figure.label,
                required=submitting,
                decimal_places=2,
                percentage=percentage,
                help_text=_HELP.get(figure),
                error_messages={
                    "required": _("Vul een aantal in (0 mag) om het bod in te dienen.")
                },
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "class": "utrecht-textbox pa-number",
                    }
                ),
            )
            agreement = forms.ChoiceField(
                label=_("Afspraak bij %(figure)s") % {"figure": figure.label},
                choices=choices,
                required=False,
            )
            explanation = forms.CharField(
                label=_("Toelichting bij %(figure)s") % {"figure": figure.label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"quantity_{figure.value}"] = quantity
            self.fields[f"agreement_{figure.value}"] = agreement
            self.fields[f"explanation_{figure.value}"] = explanation
            if line is not None:
                self.initial.setdefault(f"quantity_{figure.value}", line.quantity)
                self.initial.setdefault(f"agreement_{figure.value}", str(line.agreement_id or ""))
                self.initial.setdefault(f"explanation_{figure.value}", line.explanation)
            self.rows.append(
                (
                    figure,
                    self[f"quantity_{figure.value}"],
                    self[f"agreement_{figure.value}"],
                    self[f"explanation_{figure.value}"],
                )
            )
        self.theme_rows = []
        for theme in themes or []:
            name = f"theme_{theme.number}"
            self.fields[name] = forms.CharField(
                label=f"{theme.number}. {theme.title}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(name, (notes or {}).get(theme.number, ""))
            self.theme_rows.append(self[name])

    def clean(self):
        data = super().clean()
        for figure in Figure:
            name = f"quantity_{figure.value}"
            problem = quantity_problem(figure.value, data.get(name), stock=self.stock)
            if problem:
                self.add_error(name, problem)
        return data

    def autosave_fields(self) -> list:
        """The fields an autosave sends back out of band, with their error state: the
        numbers (the fields that are refused) and any other field with an error. Texts are
        left in place: the keyup trigger that saves them while typing is bound to the
        elements themselves, and a swapped-in textarea would no longer save as it is typed."""
        return [
            self[name]
            for name in self.fields
            if name.startswith("quantity_")
            or name in self.errors
            or (
                getattr(self[name], "conflict", None)
                and not isinstance(self.fields[name].widget, forms.Textarea)
            )
        ]

    def mark_conflicts(self, rows: list[dict]) -> None:
        """Show each conflict at its field too (``field.conflict`` in _bid_field.html)."""
        for row in rows:
            self[row["name"]].conflict = row

    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def theme_note_inputs(self) -> dict[int, str]:
        return {
            int(name.removeprefix("theme_")): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("theme_")
        }

    def line_inputs(self) -> dict[str, LineInput]:
        data = self.cleaned_data
        return {
            figure.value: LineInput(
                quantity=data.get(f"quantity_{figure.value}"),
                explanation=data.get(f"explanation_{figure.value}") or "",
                agreement=self.agreements.get(data.get(f"agreement_{figure.value}") or ""),
            )
            for figure in Figure
        }


class BidUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ingevuld sjabloon (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
