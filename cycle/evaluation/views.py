"""Views of the evaluation: thin; access through cycle.evaluation.access, reads through
cycle.evaluation.selectors, writes through cycle.evaluation.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.models import Party
from agreements.signing.snapshot import current_snapshot
from core.responses import PDF_TYPE, file_response
from cycle import access as cycle_access
from cycle.evaluation import access as rules
from cycle.evaluation import pdf as pdfs
from cycle.evaluation import selectors, services
from cycle.evaluation import signing as evaluation_signing
from cycle.evaluation.forms import CommentForm, ConclusionForm, RealisationForm, YearFiguresForm
from cycle.evaluation.signing import EvaluationSignable


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _base(request: HttpRequest, evaluation) -> dict:
    cycle_year = evaluation.cycle_year
    user = request.user
    party_ids = rules.editable_party_ids(user, evaluation)
    parties = list(evaluation.framework.parties.all())
    # Up for signing or signed: nothing can be entered (the services refuse it too).
    signing_frozen = evaluation_signing.is_frozen_by_signing(evaluation)
    if signing_frozen or evaluation.is_adopted:
        parties = []
    return {
        "evaluation": evaluation,
        "cycle_year": cycle_year,
        "framework": evaluation.framework,
        "signing_frozen": signing_frozen,
        "can_manage": rules.can_manage(user, cycle_year),
        "can_comment": rules.can_comment(user, evaluation),
        "entry_parties": [p for p in parties if party_ids is None or p.pk in party_ids],
        "figure_parties": [
            p
            for p in parties
            if p.kind == Party.Kind.CORPORATION and (party_ids is None or p.pk in party_ids)
        ],
    }


@login_required
def for_year(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle year's evaluation, or the page to start it (URL name ``evaluation-year``)."""
    cycle_year = cycle_access.get_cycle_year_for_user(request.user, pk)
    evaluation = getattr(cycle_year, "evaluation", None)
    if evaluation is not None:
        return redirect("cycle:evaluation-detail", pk=evaluation.pk)
    context = {
        "cycle_year": cycle_year,
        "jaarschijf": services.evaluated_jaarschijf(cycle_year),
        "can_manage": rules.can_manage(request.user, cycle_year),
    }
    return render(request, "cycle/evaluation/start.html", context)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = cycle_access.get_cycle_year_for_user(request.user, pk)
    try:
        evaluation = services.evaluation_start(actor=request.user, cycle_year=cycle_year)
    except PermissionDenied:
        raise Http404("Cyclusjaar niet gevonden") from None
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("cycle:evaluation-year", pk=cycle_year.pk)
    messages.success(request, _("De evaluatie is gestart."))
    return redirect("cycle:evaluation-detail", pk=evaluation.pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    context = _base(request, evaluation)
    # Up for signing or signed: the lights and figures as put up, never live data.
    context["snapshot"] = snapshot = current_snapshot(EvaluationSignable(evaluation))
    if snapshot is None or not snapshot.shown:
        context["summary"] = selectors.evaluation_summary(evaluation)
    context["comments"] = list(selectors.comments(evaluation))
    context["comment_form"] = CommentForm()
    context["signing"] = evaluation_signing.signing_status(evaluation, request.user)
    context["conclusion_form"] = ConclusionForm(
        initial={
            "conclusion": evaluation.conclusion,
            "permit_holder_task": evaluation.permit_holder_task,
        }
    )
    return render(request, "cycle/evaluation/detail.html", context)


@login_required
def years(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    context = _base(request, evaluation)
    context["summary"] = selectors.evaluation_summary(evaluation)
    return render(request, "cycle/evaluation/years.html", context)


@login_required
def realisations(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    party = rules.get_party_for_entry(request.user, evaluation, request.GET.get("partij"))
    contributions = selectors.party_contributions(evaluation, party)
    data = request.POST if request.method == "POST" else None
    forms = [RealisationForm(data, contribution=c) for c in contributions]
    saved = 0
    if request.method == "POST":
        # Validate every row (not all() on a generator): each form shows its own errors.
        results = [form.is_valid() for form in forms]
        if all(results):
            try:
                with transaction.atomic():
                    for form in forms:
                        if not form.has_input() or not form.has_changed():
                            continue
                        try:
                            services.realisation_save(
                                actor=request.user,
                                evaluation=evaluation,
                                contribution_id=form.contribution.pk,
                                data=form.to_input(),
                                expected_version=form.cleaned_data["version"],
                            )
                        except ValidationError as error:
                            _errors(form, error)
                            raise
                        saved += 1
            except ValidationError:
                pass
            except PermissionDenied:
                raise Http404("Partij niet gevonden") from None
            else:
                messages.success(
                    request,
                    _("%(count)s realisatie(s) opgeslagen.") % {"count": saved},
                )
                url = request.path + f"?partij={party.slug}"
                return redirect(url)
    context = _base(request, evaluation)
    context.update({"party": party, "rows": list(zip(contributions, forms, strict=True))})
    status = 422 if request.method == "POST" else 200
    return render(request, "cycle/evaluation/realisations.html", context, status=status)


@login_required
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    party = rules.get_party_for_entry(request.user, evaluation, request.GET.get("partij"))
    if party.kind != Party.Kind.CORPORATION:
        raise Http404("Corporatie niet gevonden")
    current = selectors.year_figures_for(evaluation, party)
    form = YearFiguresForm(request.POST or None, figures=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_figures_save(
                actor=request.user,
                evaluation=evaluation,
                corporation=party,
                data=form.to_input(),
                expected_version=form.cleaned_data["version"],
            )
        except PermissionDenied:
            raise Http404("Corporatie niet gevonden") from None
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("De jaarcijfers zijn opgeslagen."))
            return redirect("cycle:evaluation-detail", pk=evaluation.pk)
    context = _base(request, evaluation)
    context.update({"party": party, "form": form, "figures": current})
    status = 422 if request.method == "POST" else 200
    return render(request, "cycle/evaluation/figures.html", context, status=status)


@login_required
@require_POST
def conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    if not rules.can_manage(request.user, evaluation.cycle_year):
        raise Http404("Evaluatie niet gevonden")
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_update(
                actor=request.user,
                evaluation=evaluation,
                conclusion=form.cleaned_data["conclusion"],
                permit_holder_task=form.cleaned_data["permit_holder_task"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("De conclusies zijn opgeslagen."))
    else:
        messages.error(request, _("Niet opgeslagen: controleer de taakstelling."))
    return redirect("cycle:evaluation-detail", pk=evaluation.pk)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if not rules.can_comment(request.user, evaluation):
        raise Http404("Evaluatie niet gevonden")
    if form.is_valid():
        services.evaluation_comment_add(
            actor=request.user, evaluation=evaluation, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Uw reactie is geplaatst."))
    else:
        messages.error(request, _("Schrijf een reactie."))
    return redirect("cycle:evaluation-detail", pk=evaluation.pk)


@login_required
@require_POST
def state(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen an adopted evaluation that was not signed (e.g. the demo's).

    Adoption is no longer a button: the evaluation is adopted when every party has signed it
    (cycle.evaluation.signing); a signed evaluation is never reopened (its guard refuses).
    """
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    if not rules.can_manage(request.user, evaluation.cycle_year):
        raise Http404("Evaluatie niet gevonden")
    try:
        if request.POST.get("state") == "vastgesteld":
            messages.error(
                request,
                _(
                    "De evaluatie wordt vastgesteld door haar te ondertekenen: bied haar ter "
                    "ondertekening aan; als alle partijen hebben getekend, is zij vastgesteld."
                ),
            )
        else:
            services.evaluation_reopen(
                actor=request.user, evaluation=evaluation, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("De evaluatie staat weer in concept."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("cycle:evaluation-detail", pk=evaluation.pk)


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored PDF when it is current (or the signed one); otherwise a render job and the
    page that follows it. The render never runs in this request, with or without a worker."""
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    data = pdfs.lookup(evaluation)
    if data is None:
        pdfs.job_start(evaluation)
        return redirect("cycle:evaluation-pdf-status", pk=evaluation.pk)
    name = f"evaluatie-{evaluation.jaarschijf.plan_year}-{evaluation.state}.pdf"
    return file_response(data, filename=name, content_type=PDF_TYPE)


@login_required
@require_POST
def pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """'Probeer opnieuw' of a render that failed or took too long: the job starts again (once,
    however often it is clicked), checked like the download itself."""
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    if pdfs.lookup(evaluation) is None:
        pdfs.job_start(evaluation)
    return redirect("cycle:evaluation-pdf-status", pk=evaluation.pk)


@login_required
@require_GET
def pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the PDF render stands; the page polls its own partial until the job is finished."""
    evaluation = rules.get_evaluation_for_user(request.user, pk)
    template = "cycle/evaluation/pdf_progress.html"
    if request.htmx:
        template += "#pdf-status"
    context = {
        "evaluation": evaluation,
        "cycle_year": evaluation.cycle_year,
        "status_url": reverse("cycle:evaluation-pdf-status", args=[evaluation.pk]),
        "pdf_url": reverse("cycle:evaluation-pdf", args=[evaluation.pk]),
        "retry_url": reverse("cycle:evaluation-pdf-retry", args=[evaluation.pk]),
        **pdfs.DOCUMENT.status_context(evaluation),
    }
    return render(request, template, context)
