"""Forms of the cycle. They validate input; the rules of the cycle live in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Party, Theme

from .models import Bid, CycleYear, Figure, Milestone
from .services import LineInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    deadline = forms.DateField(
        label=_("Uiterste datum (vóór)"),
        widget=DateInput(),
        help_text=_("De mijlpaal moet gereed zijn vóór deze datum."),
    )
    note = forms.CharField(
        label=_("Notitie"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, milestone: Milestone | None = None, **kwargs):
        if milestone is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": milestone.title,
                "deadline": milestone.deadline,
                "note": milestone.note,
            }
        super().__init__(*args, **kwargs)
        if milestone is not None and milestone.is_statutory:
            self.fields["deadline"].disabled = True
            self.fields["deadline"].help_text = _(
                "Wettelijke termijn: deze datum ligt vast in de Woningwet."
            )


class CycleYearForm(forms.Form):
    framework = forms.ChoiceField(label=_("Meerjarig kader"))
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)

    def __init__(self, *args, frameworks: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks = {str(f.pk): f for f in frameworks}
        self.fields["framework"].choices = [
            (str(f.pk), f"{f.title} ({f.period_label})") for f in frameworks
        ]

    def clean(self):
        data = super().clean()
        framework = self.frameworks.get(data.get("framework") or "")
        year = data.get("year")
        outside = (
            framework is not None
            and year is not None
            and not framework.period_start <= year <= framework.period_end + 1
        )
        if outside:
            self.add_error(
                "year",
                _("Kies een jaar van %(start)s tot en met %(end)s.")
                % {"start": framework.period_start, "end": framework.period_end + 1},
            )
        data["framework_obj"] = framework
        return data


EACH_CORPORATION = "each-corporation"


class MilestoneAddForm(MilestoneForm):
    owner = forms.ChoiceField(label=_("Eigenaar"), required=False)
    field_order = ["title", "deadline", "owner", "note"]

    def __init__(self, *args, cycle_year: CycleYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = {str(p.pk): p for p in cycle_year.framework.parties.order_by("kind", "name")}
        self.fields["owner"].choices = [
            ("", _("De werkgroep (alle partijen)")),
            (EACH_CORPORATION, _("Elke corporatie (één mijlpaal per corporatie)")),
            *((pk, party.name) for pk, party in self.parties.items()),
        ]

    @property
    def each_corporation(self) -> bool:
        return self.cleaned_data.get("owner") == EACH_CORPORATION

    @property
    def owner_party(self) -> Party | None:
        return self.parties.get(self.cleaned_data.get("owner") or "")


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
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.bid = bid
        self.agreements = {str(a.pk): a for a in agreements}
        choices = [("", _("— geen —"))] + [(str(a.pk), f"{a.code} {a.title}") for a in agreements]
        self.initial.setdefault("summary", bid.summary)
        self.rows = []
        for figure in Figure:
            line = lines.get(figure.value)
            minimum = None if figure == Figure.RENT_INCREASE else Decimal(0)
            quantity = forms.DecimalField(
                label=figure.label,
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=minimum,
                localize=True,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "utrecht-textbox pa-number"}
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


class PreferenceForm(forms.Form):
    reminders_enabled = forms.BooleanField(
        label=_("Stuur mij herinneringen per e-mail over mijlpalen van mijn organisatie"),
        required=False,
    )
