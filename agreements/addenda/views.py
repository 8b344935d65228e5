"""Addenda of a framework: list, detail with word diff and decisions, propose; old versions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agreements.access import get_framework_for_user
from agreements.addenda import services
from agreements.addenda.services import ChangeSpec, _can_propose
from agreements.addenda.signing import AddendumSignable
from agreements.models import Addendum, FrameworkVersion
from agreements.signing import selectors as signing_selectors
from agreements.signing.forms import AddendumForm
from agreements.signing.snapshot import current_snapshot


def _addendum(framework, number: int) -> Addendum:
    try:
        return framework.addenda.select_related("proposed_by").get(number=number)
    except Addendum.DoesNotExist:
        raise Http404("Addendum niet gevonden") from None


@login_required
def addendum_list(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    addenda = list(framework.addenda.select_related("proposed_by").order_by("-number"))
    versions = list(framework.versions.order_by("-version").only("version", "created_at"))
    context = {
        "framework": framework,
        "addenda": addenda,
        "versions": versions,
        "may_propose": _can_propose(request.user, framework),
    }
    return render(request, "agreements/addenda/list.html", context)


@login_required
def addendum_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    addendum = _addendum(framework, number)
    signable = AddendumSignable(addendum)
    rounds = signing_selectors.document_requests(signable)
    current = rounds[0] if rounds else None
    snapshot = current_snapshot(signable)
    context = {
        "framework": framework,
        "addendum": addendum,
        "snapshot": snapshot,
        "changes": []
        if snapshot and snapshot.shown
        else services.addendum_changes_with_diff(addendum),
        "current": current,
        "statuses": signing_selectors.party_statuses(current) if current else [],
    }
    return render(request, "agreements/addenda/detail.html", context)


@login_required
def addendum_propose(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    if not _can_propose(request.user, framework):
        raise Http404("Kader niet gevonden")
    # "?soort=verlenging" (the notice of a cycle year without a framework in force) preselects it.
    initial = (
        {"kind": request.GET.get("soort")} if request.GET.get("soort") in Addendum.Kind else {}
    )
    if initial.get("kind") == Addendum.Kind.EXTENSION:
        initial["title"] = _("Verlenging van %(framework)s") % {"framework": framework.title}
    form = AddendumForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = []
        if data["agreement_text"]:
            changes.append(ChangeSpec(data["agreement"], "text", data["agreement_text"]))
        if data["target_value"]:
            target = data["target"]
            changes.append(ChangeSpec(target.agreement, "value", data["target_value"], target))
        try:
            addendum = services.addendum_propose(
                framework=framework,
                user=request.user,
                title=data["title"],
                reason=data["reason"],
                changes=changes,
                kind=data["kind"],
                new_period_end=data["new_period_end"],
            )
        except PermissionDenied:
            raise Http404("Kader niet gevonden") from None
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Het addendum is voorgesteld."))
            return redirect("agreements:addendum-detail", framework.slug, addendum.number)
    status = 400 if form.errors else 200
    return render(
        request,
        "agreements/addenda/propose.html",
        {"framework": framework, "form": form},
        status=status,
    )


@login_required
def framework_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """A former version of the framework, read-only, from its stored canonical content."""
    framework = get_framework_for_user(request.user, slug)
    try:
        snapshot = framework.versions.select_related("replaced_by").get(version=version)
    except FrameworkVersion.DoesNotExist:
        raise Http404("Versie niet gevonden") from None
    content = json.loads(snapshot.content)
    context = {"framework": framework, "snapshot": snapshot, "content": content}
    return render(request, "agreements/addenda/version.html", context)
