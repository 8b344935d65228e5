"""Form rendering with NL Design System (Utrecht) markup, from templates/forms/.

The renderer is the project's FORM_RENDERER, so every form gets the same markup: a
`utrecht-form-field` per field (or a fieldset for radio and checkbox groups), a
`utrecht-form-label`, the description and the error message with the ids that Django's
`aria-describedby` points at, and `aria-invalid` on a field with errors. The bound field below
only adds the Utrecht class of each widget, so that widget templates need no overrides.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

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
