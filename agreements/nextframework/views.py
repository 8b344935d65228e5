"""Pages of drafting a framework: start one, its policy basis, its drafting states."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.access import framework_standing, get_framework_for_user
from agreements.models import Framework, PolicyBasis
from agreements.nextframework import baselines, selectors, services
from agreements.nextframework.forms import FrameworkStartForm, PolicyBasisForm


@login_required
def framework_new(request: HttpRequest) -> HttpResponse:
    municipalities = selectors.startable_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied(_("Alleen de werkgroep kan een nieuw kader starten."))
    initial = {}
    chosen = municipalities.filter(slug=request.GET.get("gemeente", "")).first()
    if chosen is not None:
        initial["municipality"] = chosen
    form = FrameworkStartForm(request.POST or None, municipalities=municipalities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy_of = data["copy_of"]
        try:
            framework = services.framework_start(
                actor=request.user,
                municipality=data["municipality"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                copy_of=copy_of,
                baselines=baselines.end_values(copy_of) if copy_of else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Het concept “%(title)s” is gestart.") % {"title": framework.title}
            )
            return redirect("agreements:framework-detail", framework.slug)
    return render(request, "agreements/nextframework/framework_new.html", {"form": form})


def _drafted_framework(request: HttpRequest, slug: str) -> Framework:
    """The framework, for a working-group member of one of its parties (else 404 / 403)."""
    framework = get_framework_for_user(request.user, slug)
    if not framework_standing(request.user, framework).is_working_group:
        raise PermissionDenied(_("Alleen de werkgroep van de partijen werkt het kader bij."))
    return framework


def _basis_url(framework: Framework) -> str:
    return reverse("agreements:framework-detail", args=[framework.slug]) + "#beleidsbasis-bewerken"


def _entry(framework: Framework, pk: int) -> PolicyBasis:
    try:
        return framework.policy_basis.select_related("framework").get(pk=pk)
    except PolicyBasis.DoesNotExist:
        raise Http404("Beleidsstuk niet gevonden") from None


@login_required
@require_POST
def framework_status(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _drafted_framework(request, slug)
    try:
        framework = services.framework_status_set(
            actor=request.user, framework=framework, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Het kader is nu “%(status)s”.") % {"status": framework.get_status_display()},
        )
    return redirect("agreements:framework-detail", framework.slug)


def _policy_basis_form(request: HttpRequest, framework: Framework, entry: PolicyBasis | None):
    initial = (
        {
            "kind": entry.kind,
            "title": entry.title,
            "date": entry.date,
            "source": entry.source,
            "version": entry.version,
        }
        if entry
        else {}
    )
    form = PolicyBasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if entry is None:
                services.policy_basis_add(actor=request.user, framework=framework, **data)
            else:
                services.policy_basis_update(
                    actor=request.user, entry=entry, version=version, **data
                )
        except ValidationError as error:
            form.add_error(None, error)
            if entry is not None:
                # Saving again now keeps this editor's version over the current one.
                form.data = form.data.copy()
                form.data["version"] = PolicyBasis.objects.get(pk=entry.pk).version
        else:
            messages.success(request, _("De beleidsbasis is bijgewerkt."))
            return redirect(_basis_url(framework))
    context = {"framework": framework, "form": form, "entry": entry}
    return render(request, "agreements/nextframework/policy_basis_form.html", context)


@login_required
def policy_basis_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _policy_basis_form(request, _drafted_framework(request, slug), None)


@login_required
def policy_basis_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    framework = _drafted_framework(request, slug)
    return _policy_basis_form(request, framework, _entry(framework, pk))


@login_required
def policy_basis_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    framework = _drafted_framework(request, slug)
    entry = _entry(framework, pk)
    if request.method == "POST":
        try:
            services.policy_basis_remove(actor=request.user, entry=entry)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s” is uit de beleidsbasis verwijderd.") % {"title": entry.title},
            )
        return redirect(_basis_url(framework))
    context = {"framework": framework, "entry": entry}
    return render(request, "agreements/nextframework/policy_basis_remove.html", context)
