"""Views of the cycle: thin; access through cycle.access, reads through selectors, writes
through services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.access import get_framework_for_user, user_party
from agreements.models import Agreement
from core.already import AlreadyDone
from core.conflicts import EditConflict, FieldConflict
from core.forms import add_service_errors
from core.pdf import render_pdf
from core.responses import PDF_TYPE, XLSX_TYPE, file_response
from cycle import access
from cycle.bids import access as bid_access
from cycle.bids import selectors, services
from cycle.bids import xlsx as bid_xlsx
from cycle.bids.charts import sum_chart
from cycle.bids.drafts import quantity_text, stored_values, text_value
from cycle.bids.forms import BidLinesForm, BidUploadForm
from cycle.calendar import with_status
from cycle.models import Bid


@login_required
def my_bid(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = access.get_cycle_year_for_user(request.user, pk)
    corporation = bid_access.bid_corporation(request.user, cycle_year)
    versions = selectors.my_bids(corporation, cycle_year)
    milestone = services.bid_milestone(cycle_year, corporation)
    if milestone is not None:
        with_status([milestone], timezone.localdate())
    context = {
        "cycle_year": cycle_year,
        "corporation": corporation,
        "versions": versions,
        "draft": next((b for b in versions if b.status == Bid.Status.DRAFT), None),
        "milestone": milestone,
        "upload_form": BidUploadForm(),
        "max_upload_mb": settings.MAX_UPLOAD_MB,
    }
    return render(request, "cycle/my_bid.html", context)


@login_required
@require_POST
def bid_start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = access.get_cycle_year_for_user(request.user, pk)
    corporation = bid_access.bid_corporation(request.user, cycle_year)
    bid = services.bid_draft_start(
        actor=request.user, cycle_year=cycle_year, corporation=corporation
    )
    return redirect("cycle:bid-edit", pk=bid.pk)


@login_required
@require_GET
def bid_template(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = access.get_cycle_year_for_user(request.user, pk)
    corporation = bid_access.bid_corporation(request.user, cycle_year)
    versions = selectors.my_bids(corporation, cycle_year)
    draft = next((b for b in versions if b.status == Bid.Status.DRAFT), None)
    lines, notes = {}, {}
    if draft is not None:
        lines = {line.figure: line for line in draft.lines.select_related("agreement__theme")}
        notes = {n.theme.number: n.text for n in draft.theme_notes.select_related("theme")}
    milestone = services.bid_milestone(cycle_year, corporation)
    content = bid_xlsx.build_template(
        cycle_year=cycle_year,
        corporation=corporation,
        plan_year=milestone.deliverable_year if milestone else cycle_year.plan_year,
        lines=lines,
        notes=notes,
    )
    filename = bid_xlsx.template_filename(cycle_year, corporation)
    return file_response(content, filename=filename, content_type=XLSX_TYPE)


@login_required
@require_POST
def bid_upload(request: HttpRequest, pk: int) -> HttpResponse:
    cycle_year = access.get_cycle_year_for_user(request.user, pk)
    corporation = bid_access.bid_corporation(request.user, cycle_year)
    form = BidUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Kies een ingevuld sjabloon (.xlsx) om te uploaden."))
        return redirect("cycle:my-bid", pk=cycle_year.pk)
    record = services.bid_upload(
        actor=request.user,
        cycle_year=cycle_year,
        corporation=corporation,
        upload=form.cleaned_data["file"],
    )
    if record.status == record.Status.PENDING:
        return redirect("cycle:upload-status", pk=record.pk)
    if record.status == record.Status.REJECTED:
        context = {"cycle_year": cycle_year, "corporation": corporation, "record": record}
        return render(request, "cycle/upload_rejected.html", context, status=422)
    messages.success(
        request,
        _(
            "Het bestand is verwerkt in uw concept (versie %(version)s). "
            "Controleer het en dien het in."
        )
        % {"version": record.bid.version},
    )
    return redirect("cycle:bid-detail", pk=record.bid_id)


@login_required
@require_GET
def upload_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a large upload stands; the page polls its own partial until a worker is done."""
    record = bid_access.get_upload_for_user(request.user, pk)
    template = "cycle/upload_status.html"
    if request.htmx:
        template += "#upload-status"
    return render(request, template, {"record": record, "cycle_year": record.cycle_year})


@login_required
@require_POST
def upload_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """'Probeer opnieuw' of an upload whose job failed by itself (time limit, lost worker)."""
    record = bid_access.get_upload_for_user(request.user, pk)
    bid_access.bid_corporation(request.user, record.cycle_year)  # checked like the upload
    try:
        services.bid_upload_retry(actor=request.user, record=record)
    except AlreadyDone as done:
        messages.info(request, " ".join(done.messages))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("cycle:upload-status", pk=record.pk)


def _bid_context(request: HttpRequest, pk: int) -> dict:
    bid_access.get_bid_for_user(request.user, pk)  # 404 for missing and forbidden alike
    bid = selectors.bid_detail(pk, request.user)
    services.bid_mark_read(actor=request.user, bid=bid)
    versions = selectors.bid_versions(request.user, bid)
    party = user_party(request.user)
    return {
        "bid": bid,
        "versions": versions,
        "is_own": party is not None and party.pk == bid.corporation_id,
        "cycle_year": bid.cycle_year,
    }


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "cycle/bid_detail.html", _bid_context(request, pk))


def _resolved(post: QueryDict) -> QueryDict:
    """A choice in the conflict box: "keep theirs" takes the colleague's value into the form,
    "keep mine" bases the editor's value on it; either way the form is then saved as usual."""
    data = post.copy()
    for choice in ("keep_theirs", "keep_mine"):
        name = post.get(choice, "")
        if f"theirs_{name}" in post:
            theirs = post[f"theirs_{name}"]
            data[f"base_{name}"] = theirs
            if choice == "keep_theirs":
                data[name] = theirs
    return data


def _bases(post: QueryDict) -> dict[str, str]:
    return {k.removeprefix("base_"): v for k, v in post.items() if k.startswith("base_")}


def _shown(form: BidLinesForm, name: str, value: str) -> str:
    """A canonical value as the editor knows it (the agreement's title, not its id)."""
    if name.startswith("agreement_"):
        return dict(form.fields[name].choices).get(value) or _("— geen —")
    return value or _("(leeg)")


def _conflict_rows(form: BidLinesForm, conflicts: dict) -> list[dict]:
    return [
        {
            "name": name,
            "id": form[name].id_for_label,
            "label": form[name].label,
            "yours": _shown(form, name, c.yours),
            "theirs": _shown(form, name, c.theirs),
            "theirs_value": c.theirs,
        }
        for name, c in conflicts.items()
        if name in form.fields
    ]


@login_required
def bid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The web form. Autosave (htmx) saves the draft; "Bod indienen" saves and submits what
    is in the form in one go, so nothing typed since the last autosave is lost. A form with
    errors comes back with every value as typed (422; htmx swaps it too, see portal.js).

    The form carries the value its screen was given per field (``base_<field>``): a colleague's
    save in between is kept, and a field both changed is shown with both values and a choice
    (services.bid_draft_save); nothing is overwritten unseen."""
    submitting = request.method == "POST" and "submit_bid" in request.POST
    if request.method == "POST":
        own = bid_access.get_own_bid_for_editor(request.user, pk)
        if own.status != Bid.Status.DRAFT:
            if submitting:  # a second click
                return _already_submitted(request, pk, services.ALREADY_SUBMITTED)
            return _submitted_meanwhile(request, own)
    bid = bid_access.get_draft_bid_for_editor(request.user, pk)
    data = _resolved(request.POST) if request.method == "POST" else None
    form = _bid_form(bid, data, submitting)
    based_on = _bases(data) if data is not None else {}
    saved, conflicts, saved_at = False, [], None
    if request.method == "POST" and form.is_valid():
        inputs = {
            "actor": request.user,
            "bid": bid,
            "lines": form.line_inputs(),
            "summary": form.cleaned_data["summary"],
            "theme_notes": form.theme_note_inputs(),
        }
        try:
            if based_on:
                result = services.bid_draft_save(**inputs, based_on=based_on, submit=submitting)
                based_on, conflicts = result.bases, _conflict_rows(form, result.conflicts)
            elif submitting:  # a form without bases (sent by a script): every value as given
                services.bid_save_and_submit(**inputs)
            else:
                services.bid_lines_save(**inputs)
        except AlreadyDone as done:  # submitted by a click or a colleague at the same moment
            if submitting:
                return _already_submitted(request, bid.pk, *done.messages)
            return _submitted_meanwhile(request, bid, form)
        except EditConflict as conflict:  # "Bod indienen" on a stale base: nothing saved
            conflicts = _conflict_rows(
                form,
                {
                    name: FieldConflict(name=name, yours=mine, theirs=conflict.current[name])
                    for name, mine in conflict.yours.items()
                },
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved, saved_at = not conflicts, timezone.localtime()
            if submitting:
                messages.success(request, _("Het bod is ingediend."))
                return redirect("cycle:bid-detail", pk=bid.pk)
            if saved and not request.htmx:
                messages.success(request, _("Het concept is opgeslagen."))
                if "view" in request.POST:
                    return redirect("cycle:bid-detail", pk=bid.pk)
                return redirect("cycle:bid-edit", pk=bid.pk)
    form.mark_conflicts(conflicts)
    if not based_on:
        based_on = stored_values(bid)
    template = "cycle/bid_edit.html"
    if request.htmx:
        template += "#bid-save-status"
    context = {
        "bid": bid,
        "form": form,
        "saved": saved,
        "saved_at": saved_at,
        "conflicts": conflicts,
        "bases": based_on,
        "cycle_year": bid.cycle_year,
    }
    status = 200
    if conflicts:
        status = 200 if request.htmx else 409
    elif request.method == "POST" and not saved:
        status = 422
    return render(request, template, context, status=status)


def _bid_form(bid: Bid, data: QueryDict | None, submitting: bool = False) -> BidLinesForm:
    agreements = list(
        Agreement.objects.filter(theme__framework=bid.cycle_year.framework_id)
        .select_related("theme")
        .order_by("theme__number", "number")
    )
    lines = {line.figure: line for line in bid.lines.all()}
    notes = {note.theme.number: note.text for note in bid.theme_notes.select_related("theme")}
    themes = list(bid.cycle_year.framework.themes.order_by("number"))
    return BidLinesForm(
        data,
        bid=bid,
        lines=lines,
        agreements=agreements,
        themes=themes,
        notes=notes,
        stock=selectors.corporation_stock(bid.corporation),
        submitting=submitting,
    )


def _submitted_meanwhile(
    request: HttpRequest, bid: Bid, form: BidLinesForm | None = None
) -> HttpResponse:
    """An autosave or "Concept opslaan" for a draft a colleague has just submitted: nothing is
    saved, and the editor is told so with what they typed (to take into a new draft)."""
    bid = Bid.objects.select_related("cycle_year__framework", "corporation").get(pk=bid.pk)
    form = form or _bid_form(bid, request.POST)
    form.is_valid()
    stored = stored_values(bid)
    unsaved = [
        {"label": form[name].label, "yours": _shown(form, name, value)}
        for name, value in request.POST.items()
        if name in form.fields
        and text_value(value) != stored.get(name, "")
        and not (name.startswith("quantity_") and _same_number(form, name, stored))
    ]
    context = {
        "bid": bid,
        "form": form,
        "submitted_meanwhile": True,
        "unsaved": unsaved,
        "bases": {},
        "cycle_year": bid.cycle_year,
    }
    template = "cycle/bid_edit.html"
    if request.htmx:
        template += "#bid-save-status"
    return render(request, template, context, status=200 if request.htmx else 409)


def _same_number(form: BidLinesForm, name: str, stored: dict[str, str]) -> bool:
    value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
    return value is not None and quantity_text(value) == stored.get(name, "")


def _already_submitted(request: HttpRequest, pk: int, *message: str) -> HttpResponse:
    """Not an error: the bid is submitted; its page shows it as it is now."""
    messages.info(request, " ".join(str(m) for m in message))
    return redirect("cycle:bid-detail", pk=pk)


@login_required
@require_POST
def bid_submit(request: HttpRequest, pk: int) -> HttpResponse:
    bid = bid_access.get_own_bid_for_editor(request.user, pk)
    try:
        services.bid_submit(actor=request.user, bid=bid)
    except AlreadyDone as done:
        return _already_submitted(request, bid.pk, *done.messages)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("cycle:bid-edit", pk=bid.pk)
    except PermissionDenied:
        raise Http404("Bod niet gevonden") from None
    messages.success(request, _("Het bod is ingediend."))
    return redirect("cycle:bid-detail", pk=bid.pk)


@login_required
@require_GET
def bid_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _bid_context(request, pk)
    context.pop("is_own")
    pdf = render_pdf("cycle/print/bid.html", context)
    bid = context["bid"]
    filename = f"bod-{bid.corporation.slug}-{bid.plan_year}-v{bid.version}.pdf"
    return file_response(pdf, filename=filename, content_type=PDF_TYPE)


@login_required
@require_GET
def bid_compare(request: HttpRequest, pk: int) -> HttpResponse:
    new = bid_access.get_bid_for_user(request.user, pk)
    try:
        other_pk = int(request.GET.get("met", ""))
    except ValueError:
        raise Http404("Versie niet gevonden") from None
    other = bid_access.get_bid_for_user(request.user, other_pk)
    if (other.corporation_id, other.cycle_year_id) != (new.corporation_id, new.cycle_year_id):
        raise Http404("Versie niet gevonden")
    old, new = sorted([other, new], key=lambda b: b.version)
    old, new = selectors.bids_for_compare(request.user, old.pk, new.pk)
    context = {
        "old": old,
        "new": new,
        "rows": selectors.bid_compare(old, new),
        "note_rows": selectors.theme_notes_compare(old, new),
        "cycle_year": new.cycle_year,
        "versions": selectors.bid_versions(request.user, new),
    }
    return render(request, "cycle/bid_compare.html", context)


@login_required
def sums(request: HttpRequest, slug: str) -> HttpResponse:
    framework = get_framework_for_user(request.user, slug)
    rows, corporations, years = selectors.multi_year_sums(framework)
    charts = [(row, sum_chart(row, total_label=_("Totaal"))) for row in rows]
    context = {
        "framework": framework,
        "charts": charts,
        "corporations": corporations,
        "years": years,
    }
    return render(request, "cycle/sums.html", context)
