"""Forms of the cycle. They validate input; the rules of the cycle live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Framework, Party
from cycle.models import CycleYear, Milestone


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


class PreferenceForm(forms.Form):
    reminders_enabled = forms.BooleanField(
        label=_("Stuur mij herinneringen per e-mail over mijlpalen van mijn organisatie"),
        required=False,
    )


class CycleYearAttachForm(forms.Form):
    """Another framework of the cycle year's municipality for the cycle year to belong to."""

    framework = forms.ModelChoiceField(
        label=_("Kader"), queryset=Framework.objects.none(), empty_label=None
    )
    confirm = forms.BooleanField(
        label=_(
            "Ik begrijp dat de mijlpalen die nog niet gereed zijn worden vervangen door die van "
            "het gekozen kader."
        )
    )

    def __init__(self, *args, cycle_year: CycleYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = Framework.objects.filter(
            municipality_id=cycle_year.municipality_id
        ).exclude(pk=cycle_year.framework_id)
        self.fields["framework"].label_from_instance = lambda f: (
            f"{f.title} ({f.period_label}, {f.get_status_display().lower()})"
        )
