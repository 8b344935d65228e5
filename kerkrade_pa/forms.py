"""Form rendering with NL Design System (Utrecht) markup, from templates/forms/."""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
