"""Views of the cycle: thin; access through cycle.access, reads through selectors, writes
through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.access import user_party
from core.forms import add_service_errors
from core.responses import file_response
from cycle import access, ics, selectors, services
from cycle.bids import selectors as bids_selectors
from cycle.forms import (
    CycleYearAttachForm,
    CycleYearForm,
    MilestoneAddForm,
    MilestoneForm,
    PreferenceForm,
)
from cycle.models import CyclePreference, Milestone, hash_feed_token

# --- cycle years and milestones -----------------------------------------------------------


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cycle_year = selectors.current_cycle_year(request.user, today)
    years = list(access.visible_cycle_years(request.user).order_by("-year"))
    if cycle_year is not None and "alle" not in request.GET:
        return redirect("cycle:year-detail", pk=cycle_year.pk)
    frameworks = access.managed_frameworks(request.user)
    form = (
        CycleYearForm(frameworks=frameworks, initial={"year": today.year + 1})
        if frameworks
        else None
    )
    return render(request, "cycle/year_list.html", {"years": years, "form": form})


@login_required
@require_POST
def year_create(request: HttpRequest) -> HttpResponse:
    frameworks = access.managed_frameworks(request.user)
    if not frameworks:
        raise Http404("Geen kader")
    form = CycleYearForm(request.POST, frameworks=frameworks)
    if not form.is_valid():
        years = list(access.visible_cycle_years(request.user).order_by("-year"))
        return render(request, "cycle/year_list.html", {"years": years, "form": form}, status=422)
    cycle_year = services.cycle_year_create(
        framework=form.cleaned_data["framework_obj"],
        year=form.cleaned_data["year"],
        actor=request.user,
    )
    messages.success(request, _("Het cyclusjaar staat klaar, met de mijlpalen van het kader."))
    return redirect("cycle:year-detail", pk=cycle_year.pk)


@login_required
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = access.get_cycle_year_for_user(request.user, pk)
    today = timezone.localdate()
    party = user_party(request.user)
    milestones = selectors.cycle_year_milestones(cycle_year, today)
    statuses = bids_selectors.bid_statuses(cycle_year, request.user, today, milestones=milestones)
    is_corporation = party is not None and party.kind == "corporatie"
    if is_corporation and not access.is_working_group(request.user):
        # Corporation staff outside the working group read only their own bid.
        statuses = [s for s in statuses if s.corporation.pk == party.pk]
    context = {
        "cycle_year": cycle_year,
        "today": today,
        "milestones": milestones,
        "bid_statuses": statuses,
        "can_manage": access.can_manage_milestones(request.user, cycle_year),
        "is_corporation": is_corporation,
        # The municipality's years, also across frameworks (the year after a period belongs to
        # the next one): the cycle runs on from year to year.
        "years": access.visible_cycle_years(request.user)
        .filter(municipality=cycle_year.municipality_id)
        .order_by("year", "framework__slug"),
    }
    return render(request, "cycle/year_detail.html", context)


@login_required
def year_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """The working group moves the cycle year to another framework of its municipality."""
    cycle_year = access.get_cycle_year_for_manager(request.user, pk)
    form = CycleYearAttachForm(request.POST or None, cycle_year=cycle_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_year_attach(
                actor=request.user, cycle_year=cycle_year, framework=form.cleaned_data["framework"]
            )
        except PermissionDenied:
            raise Http404("Cyclusjaar niet gevonden") from None
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het cyclusjaar hoort nu bij het gekozen kader."))
            return redirect("cycle:year-detail", pk=cycle_year.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "cycle_year": cycle_year}
    return render(request, "cycle/year_attach.html", context, status=status)


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = access.get_milestone_for_manager(request.user, pk)
    form = MilestoneForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(
                actor=request.user,
                milestone=milestone,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De mijlpaal is bijgewerkt."))
            return redirect("cycle:year-detail", pk=milestone.cycle_year_id)
    context = {"form": form, "milestone": milestone, "cycle_year": milestone.cycle_year}
    return render(request, "cycle/milestone_form.html", context)


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = access.get_cycle_year_for_manager(request.user, pk)
    form = MilestoneAddForm(request.POST or None, cycle_year=cycle_year)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(
                actor=request.user,
                cycle_year=cycle_year,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                owner_party=form.owner_party,
                each_corporation=form.each_corporation,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De mijlpaal is toegevoegd."))
            return redirect("cycle:year-detail", pk=cycle_year.pk)
    return render(
        request,
        "cycle/milestone_form.html",
        {"form": form, "cycle_year": cycle_year, "milestone": None},
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = access.get_milestone_for_manager(request.user, pk)
    done = request.POST.get("done") == "1"
    services.milestone_set_done(actor=request.user, milestone=milestone, done=done)
    messages.success(
        request, _("De mijlpaal staat op gereed.") if done else _("De mijlpaal staat weer open.")
    )
    return redirect("cycle:year-detail", pk=milestone.cycle_year_id)


# --- bids ---------------------------------------------------------------------------------


# --- multi-year sums ----------------------------------------------------------------------


# --- preferences and calendar feed --------------------------------------------------------


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = services.preference_get(request.user)
    form = PreferenceForm(
        request.POST or None, initial={"reminders_enabled": preference.reminders_enabled}
    )
    feed_url = None
    if request.method == "POST":
        if "regenerate" in request.POST:
            # Shown once, in this response only: the portal stores just the token's hash.
            token = services.feed_token_regenerate(user=request.user)
            feed_url = request.build_absolute_uri(reverse("cycle:feed", kwargs={"token": token}))
        elif form.is_valid():
            services.preference_update(
                user=request.user, reminders_enabled=form.cleaned_data["reminders_enabled"]
            )
            messages.success(request, _("Uw instellingen zijn opgeslagen."))
            return redirect("cycle:preferences")
    context = {
        "form": form,
        "feed_url": feed_url,
        "has_feed": bool(feed_url or preference.feed_token_hash),
    }
    # Shown once: core.middleware sends it with Cache-Control: no-store (as every logged-in page).
    return render(request, "cycle/preferences.html", context)


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's milestones as iCalendar; the secret token in the URL is the only key (looked
    up by its hash, the only form in which it is stored)."""
    try:
        preference = CyclePreference.objects.select_related("user").get(
            feed_token_hash=hash_feed_token(token), user__is_active=True
        )
    except CyclePreference.DoesNotExist:
        raise Http404("Onbekende agenda") from None
    milestones: list[Milestone] = selectors.feed_milestones(preference.user)
    body = ics.calendar(
        milestones,
        domain=ics.UID_DOMAIN,
        name=_("Jaarcyclus prestatieafspraken"),
    )
    response = file_response(
        body, filename="jaarcyclus.ics", content_type="text/calendar; charset=utf-8", inline=True
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
