"""The editors of a framework's pieces. They read what was typed (Dutch numbers through
core.forms.DutchDecimalField, bounded by core.bounds); the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.drafting.pieces import AGREEMENT, TARGET, TEXTS, THEME
from agreements.models import Indicator, Party, Target
from core.bounds import Quantity
from core.drafting.forms import PieceForm
from core.forms import DutchDecimalField


def _area(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TextsForm(PieceForm):
    introduction = forms.CharField(label=_("Inleiding"), required=False, widget=_area(8))
    highlights = forms.CharField(
        label=_("Kernpunten"),
        required=False,
        widget=_area(6),
        help_text=_("Eén punt per regel."),
    )
    appendix = forms.CharField(label=_("Bijlage"), required=False, widget=_area(6))


class ThemeForm(PieceForm):
    number = forms.IntegerField(label=_("Nummer"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Titel"), max_length=200)
    introduction = forms.CharField(label=_("Inleiding"), required=False, widget=_area(5))


class _PartiesMixin:
    def party_choices(self, parties: list[Party]) -> list[tuple[int, str]]:
        return [(party.pk, party.name) for party in parties]


class AgreementForm(_PartiesMixin, PieceForm):
    number = forms.IntegerField(label=_("Nummer"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Titel"), max_length=200)
    text = forms.CharField(
        label=_("Tekst"),
        required=False,
        widget=_area(8),
        help_text=_("Een lege regel begint een nieuwe alinea; een regel met ‘- ’ een opsomming."),
    )
    responsible_party_ids = forms.TypedMultipleChoiceField(
        label=_("Verantwoordelijke partijen"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, parties: list[Party], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_party_ids"].choices = self.party_choices(parties)


class TargetForm(_PartiesMixin, PieceForm):
    label = forms.CharField(label=_("Omschrijving"), max_length=300)
    kind = forms.ChoiceField(label=_("Soort doel"), choices=Target.Kind.choices)
    direction = forms.ChoiceField(label=_("Richting"), choices=Target.Direction.choices)
    value = DutchDecimalField(label=_("Doelwaarde"), required=False, quantity=Quantity.TARGET)
    value_max = DutchDecimalField(
        label=_("Bovengrens"),
        required=False,
        quantity=Quantity.TARGET,
        help_text=_("Alleen bij een bandbreedte."),
    )
    unit = forms.CharField(label=_("Eenheid"), max_length=120, required=False)
    baseline_value = DutchDecimalField(
        label=_("Nulmeting"), required=False, quantity=Quantity.TARGET
    )
    baseline_date = forms.DateField(
        label=_("Peildatum nulmeting"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_("Bijvoorbeeld 1-1-2026."),
    )
    period_start = forms.IntegerField(
        label=_("Vanaf jaar"), required=False, min_value=1900, max_value=2100
    )
    target_year = forms.IntegerField(
        label=_("Doeljaar"), required=False, min_value=1900, max_value=2100
    )
    per_year = forms.BooleanField(label=_("Per jaar"), required=False)
    indicator_id = forms.TypedChoiceField(
        label=_("Indicator"), coerce=int, required=False, empty_value=None
    )
    party_ids = forms.TypedMultipleChoiceField(
        label=_("Partijen"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=_area(4))

    def __init__(self, *args, parties: list[Party], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_ids"].choices = self.party_choices(parties)
        indicators = Indicator.objects.order_by("name").values_list("pk", "name")
        self.fields["indicator_id"].choices = [("", _("(geen indicator)")), *indicators]


FORMS = {TEXTS: TextsForm, THEME: ThemeForm, AGREEMENT: AgreementForm, TARGET: TargetForm}


def piece_form(
    kind: str, *, prefix: str, parties: list[Party], data=None, initial=None, adding=False
) -> PieceForm:
    """The editor of a kind of piece; ``adding``: without a version (a new piece has none)."""
    form_class = FORMS[kind]
    extra = {"parties": parties} if kind in {AGREEMENT, TARGET} else {}
    form = form_class(data, prefix=prefix, initial=initial, **extra)
    if adding:
        del form.fields["version"]
        if "number" in form.fields:
            form.fields["number"].required = False  # the next free number
            form.fields["number"].help_text = _("Leeg: het volgende vrije nummer.")
    return form


def form_data(form: PieceForm) -> dict:
    """What the form read, keyed like a piece's snapshot (the services take that)."""
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def initial_from(kind: str, snapshot: dict, version: int) -> dict:
    """A stored (or a refused) snapshot as the editor's initial values."""
    initial = dict(snapshot, version=version)
    if kind == TARGET:
        for name in ("value", "value_max", "baseline_value"):
            if initial.get(name) is not None:
                initial[name] = str(initial[name]).replace(".", ",")
        if initial.get("baseline_date"):
            year, month, day = str(initial["baseline_date"]).split("-")
            initial["baseline_date"] = f"{int(day)}-{int(month)}-{year}"
    return initial
