"""Form rendering with NL Design System (Utrecht) markup, from templates/forms/.

The renderer is the project's FORM_RENDERER, so every form gets the same markup: a
`utrecht-form-field` per field (or a fieldset for radio and checkbox groups), a
`utrecht-form-label`, the description and the error message with the ids that Django's
`aria-describedby` points at, and `aria-invalid` on a field with errors. The bound field below
only adds the Utrecht class of each widget, so that widget templates need no overrides.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from core.bounds import Quantity, check_bound
from core.numbers import NUMBER_HINT, parse_dutch_decimal, parse_dutch_percentage

# Utrecht classes per kind of widget; the "--html-*" modifier styles the native element.
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    # Radio and checkbox groups: Django puts the widget's class on the wrapping <div> as well as
    # on every input, so they get none here; templates/forms/field.html wraps them in
    # .pa-choices, which portal.css styles.
    (forms.CheckboxSelectMultiple, ""),
    (forms.RadioSelect, ""),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.FileInput, "pa-file-input"),
    (widgets.Input, _TEXTBOX),
]


def widget_css_class(widget: forms.Widget) -> str:
    for widget_class, css_class in _WIDGET_CLASSES:
        if isinstance(widget, widget_class):
            return css_class
    return ""


class PortalBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        # No autofocus (Django's login form asks for it): it drops screen-reader and keyboard
        # users in the middle of the page, past the heading and the skip link.
        attrs["autofocus"] = False
        classes = [widget.attrs.get("class", ""), attrs.get("class", ""), widget_css_class(widget)]
        if self.errors:
            classes.append(_invalid_modifier(widget))
        css_class = " ".join(dict.fromkeys(" ".join(classes).split()))
        if css_class:
            attrs["class"] = css_class
        return attrs


def _invalid_modifier(widget: forms.Widget) -> str:
    base = widget_css_class(widget).split(" ")[0]
    return f"{base}--invalid" if base.startswith("utrecht-") else ""


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = PortalBoundField


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: at its field where it names one the form
    has, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


MAX_TYPED_LENGTH = 40


class DutchDecimalField(forms.Field):
    """A number typed the Dutch way, read by core.numbers (the one parser) and nothing else.

    Django's DecimalField (even with ``localize``) reads "75.000" as 75 with three decimals
    and refuses it; this field reads it as 75000, accepts "2,9", "75000" and "€ 1.250,50", and
    refuses what is no number or can be read two ways with a message that says what to type,
    and a number outside the bounds of what the field measures (``quantity``, core.bounds).
    What was typed is shown back as typed when the form is invalid.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("‘%(value)s’ is geen getal dat we kunnen lezen. %(hint)s"),
        "max_decimal_places": _(
            "Gebruik hoogstens %(places)s cijfers achter de komma (u typte ‘%(value)s’)."
        ),
    }

    def __init__(
        self,
        *,
        decimal_places: int = 2,
        percentage: bool = False,
        quantity: Quantity = Quantity.NUMBER,
        **kwargs,
    ):
        self.decimal_places = decimal_places
        self.percentage = percentage
        self.quantity = quantity
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parse = parse_dutch_percentage if self.percentage else parse_dutch_decimal
        try:
            if len(str(value)) > MAX_TYPED_LENGTH:
                raise InvalidOperation("too long to be a figure")
            number = parse(value)
        except InvalidOperation:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"value": value, "hint": NUMBER_HINT},
            ) from None
        if number is None:
            return None
        # normalize() drops trailing zeros: "2,900" has two decimals that matter, not three.
        if -number.normalize().as_tuple().exponent > self.decimal_places:
            raise ValidationError(
                self.error_messages["max_decimal_places"],
                code="max_decimal_places",
                params={"places": self.decimal_places, "value": value},
            )
        # What the field measures bounds what it takes (core.bounds), for every form alike.
        check_bound(number, self.quantity)
        return number

    def prepare_value(self, value):
        # A stored number is shown with a decimal comma (2,9); typed text as it was typed.
        if isinstance(value, Decimal):
            return _nl(value)
        return value


def _nl(number: Decimal) -> str:
    """2,9 for 2.9 and 75000 for 75000.00: no thousands dots (the field reads them back the
    same, but a figure the user sees without them is also what they would type)."""
    text = format(number.normalize() if number == number.to_integral() else number, "f")
    return text.replace(".", ",")
