"""Views of the end-evaluation: thin; access through agreements.access and
cycle.endevaluation.access, reads through its selectors, writes through its services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.access import get_framework_for_user
from agreements.signing.snapshot import current_snapshot
from core.responses import PDF_TYPE, file_response
from cycle.endevaluation import access as rules
from cycle.endevaluation import pdf as pdfs
from cycle.endevaluation import selectors, services
from cycle.endevaluation import signing as end_signing
from cycle.endevaluation.forms import ThemeConclusionForm


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The end-evaluation of a framework ("Eindevaluatie 2021-2025"); an empty state while the
    framework still runs."""
    framework = get_framework_for_user(request.user, slug)
    end_evaluation = selectors.end_evaluation_for(framework)
    can_manage = rules.can_manage(request.user, framework)
    context = {
        "framework": framework,
        "end_evaluation": end_evaluation,
        "ended": selectors.has_ended(framework),
        "can_manage": can_manage,
    }
    if end_evaluation is None:
        if context["ended"]:
            context["end"] = selectors.framework_end_evaluation(framework)
        return render(request, "cycle/endevaluation/detail.html", context)
    signable = end_signing.EndEvaluationSignable(end_evaluation)
    context["snapshot"] = snapshot = current_snapshot(signable)
    context["signing"] = end_signing.signing_status(end_evaluation, request.user)
    frozen = end_evaluation.is_signed or end_signing.signing_state(end_evaluation.pk) is not None
    context["can_edit"] = can_manage and not frozen
    if snapshot is None or not snapshot.shown:
        context.update(end_signing.page_context(end_evaluation))
        if context["can_edit"]:
            for theme in context["end"].themes:
                conclusion = theme.conclusion
                theme.form = ThemeConclusionForm(
                    initial={
                        "theme": theme.theme.pk,
                        "version": conclusion.version if conclusion else 0,
                        "text": conclusion.text if conclusion else "",
                    },
                    prefix=f"t{theme.theme.pk}",
                )
    return render(request, "cycle/endevaluation/detail.html", context)


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    try:
        services.end_evaluation_start(actor=request.user, framework=framework)
    except PermissionDenied:
        raise Http404("Kader niet gevonden") from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De eindevaluatie is aangemaakt, in concept."))
    return redirect("cycle:end-evaluation", slug=framework.slug)


@login_required
@require_POST
def conclusion(request: HttpRequest, slug: str, theme: int) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    end_evaluation = selectors.end_evaluation_for(framework)
    if end_evaluation is None or not rules.can_manage(request.user, framework):
        raise Http404("Eindevaluatie niet gevonden")
    form = ThemeConclusionForm(request.POST, prefix=f"t{theme}")
    if not form.is_valid() or form.cleaned_data["theme"] != theme:
        messages.error(request, _("Niet opgeslagen: de conclusie is te lang of onvolledig."))
        return redirect("cycle:end-evaluation", slug=framework.slug)
    try:
        services.end_evaluation_conclusion_save(
            actor=request.user,
            end_evaluation=end_evaluation,
            theme_id=theme,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
    except PermissionDenied:
        raise Http404("Eindevaluatie niet gevonden") from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De conclusie is opgeslagen."))
    return redirect("cycle:end-evaluation", slug=framework.slug)


def _readable(request: HttpRequest, slug: str):
    """The framework and its end-evaluation for a reader of the framework; 404 otherwise."""
    framework = get_framework_for_user(request.user, slug)
    end_evaluation = selectors.end_evaluation_for(framework)
    if end_evaluation is None:
        raise Http404("Eindevaluatie niet gevonden")
    return framework, end_evaluation


@login_required
@require_GET
def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored PDF when it is current (or the signed one); otherwise a render job and the
    page that follows it. The render never runs in this request, with or without a worker."""
    framework, end_evaluation = _readable(request, slug)
    data = pdfs.lookup(end_evaluation)
    if data is None:
        pdfs.job_start(end_evaluation)
        return redirect("cycle:end-evaluation-pdf-status", slug=framework.slug)
    name = f"eindevaluatie-{framework.period_label}-{end_evaluation.state}.pdf"
    return file_response(data, filename=name, content_type=PDF_TYPE)


@login_required
@require_POST
def pdf_retry(request: HttpRequest, slug: str) -> HttpResponse:
    """'Probeer opnieuw' of a render that failed or took too long: the job starts again (once,
    however often it is clicked), checked like the download itself."""
    framework, end_evaluation = _readable(request, slug)
    if pdfs.lookup(end_evaluation) is None:
        pdfs.job_start(end_evaluation)
    return redirect("cycle:end-evaluation-pdf-status", slug=framework.slug)


@login_required
@require_GET
def pdf_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the PDF render stands; the page polls its own partial until the job is finished."""
    framework, end_evaluation = _readable(request, slug)
    template = "cycle/endevaluation/pdf_progress.html"
    if request.htmx:
        template += "#pdf-status"
    context = {
        "framework": framework,
        "end_evaluation": end_evaluation,
        "status_url": reverse("cycle:end-evaluation-pdf-status", args=[framework.slug]),
        "pdf_url": reverse("cycle:end-evaluation-pdf", args=[framework.slug]),
        "retry_url": reverse("cycle:end-evaluation-pdf-retry", args=[framework.slug]),
        **pdfs.DOCUMENT.status_context(end_evaluation),
    }
    return render(request, template, context)
