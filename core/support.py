"""Support access in the admin: rows a party has not handed in (a corporation's draft bid, a
rejected upload) are not listed in the admin. An operator opens one only explicitly, giving a
reason, for support; that is written to the audit trail, and the row is then shown read-only,
in that operator's session, for a limited time.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log

# How long an opened row stays visible to the operator who opened it.
SUPPORT_SECONDS = 60 * 60


class SupportOpenForm(forms.Form):
    row = forms.ModelChoiceField(label=_("Welke"), queryset=None)
    reason = forms.CharField(
        label=_("Reden (komt in het logboek)"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: de corporatie vraagt hulp bij het invullen (ticket 123)."),
    )

    def __init__(self, *args: Any, rows: models.QuerySet, label: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["row"].queryset = rows
        self.fields["row"].label_from_instance = label


class SupportAccessAdmin(admin.ModelAdmin):
    """A read-only admin whose ``support_hidden`` rows are listed only after an explicit,
    audited opening (module doc). Subclasses set ``support_hidden`` (a Q) and may override
    ``support_label``."""

    support_hidden: Q
    change_list_template = "admin/core/support_change_list.html"

    # --- read-only for everyone ---------------------------------------------------------
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- which rows are listed ----------------------------------------------------------
    def _session_key(self) -> str:
        return f"support:{self.model._meta.label_lower}"

    def support_granted(self, request: HttpRequest) -> list[int]:
        now = time.time()
        grants = request.session.get(self._session_key(), {})
        return [int(pk) for pk, until in grants.items() if until > now]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        qs = super().get_queryset(request)
        return qs.filter(~self.support_hidden | Q(pk__in=self.support_granted(request)))

    def support_label(self, obj: Any) -> str:
        return str(obj)

    # --- opening one for support --------------------------------------------------------
    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "support/",
                self.admin_site.admin_view(self.support_view),
                name="{}_{}_support".format(*info),
            ),
            *super().get_urls(),
        ]

    def support_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.model._default_manager.filter(self.support_hidden)
        form = SupportOpenForm(request.POST or None, rows=rows, label=self.support_label)
        if request.method == "POST" and form.is_valid():
            obj = form.cleaned_data["row"]
            with transaction.atomic():
                audit_log(
                    actor=request.user,
                    action="support_open",
                    obj=obj,
                    reason=form.cleaned_data["reason"],
                )
            grants = request.session.get(self._session_key(), {})
            grants[str(obj.pk)] = time.time() + SUPPORT_SECONDS
            request.session[self._session_key()] = grants
            messages.info(
                request,
                _(
                    "Geopend voor ondersteuning, alleen lezen, een uur lang; dit staat in het "
                    "logboek."
                ),
            )
            info = self.model._meta.app_label, self.model._meta.model_name
            return redirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Openen voor ondersteuning: %(name)s")
            % {"name": self.model._meta.verbose_name},
            "form": form,
            "hidden_count": rows.count(),
        }
        return TemplateResponse(request, "admin/core/support_open.html", context)
