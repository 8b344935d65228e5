"""Views of the jaarschijf: thin. Access through cycle.jaarschijf.access (404 for missing and
forbidden alike), reads through cycle.jaarschijf.selectors, writes through
cycle.jaarschijf.services. Each htmx request gets the partial named after the DOM id it
replaces; without JavaScript the same URLs take plain forms and redirect."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.models import Agreement
from agreements.signing.snapshot import current_request, current_snapshot, snapshot_pdf
from core.diffing import diff_html
from core.drafting import selectors as drafting
from core.drafting import views as drafting_views
from core.drafting.models import PieceComment
from core.drafting.registry import DraftingUrls
from core.pdf import render_pdf
from core.responses import PDF_TYPE, XLSX_TYPE, file_response
from cycle import access
from cycle.jaarschijf import access as rules
from cycle.jaarschijf import bid_updates as updates
from cycle.jaarschijf import selectors, services
from cycle.jaarschijf import signing as jaarschijf_signing
from cycle.jaarschijf.filters import ALL, TEXTS, UNLINKED, PageFilter
from cycle.jaarschijf.forms import ContributionAddForm, ContributionForm, TextPieceForm
from cycle.models import Jaarschijf, PieceType

DETAIL = "cycle/jaarschijf/detail.html"
EDIT = "cycle/jaarschijf/edit.html"


def _urls(jaarschijf: Jaarschijf) -> DraftingUrls:
    """The URLs of the shared drafting templates (templates/core/drafting/)."""
    return DraftingUrls(
        key=jaarschijf.pk,
        comment="cycle:jaarschijf-comment",
        resolve="cycle:jaarschijf-resolve",
        presence="cycle:jaarschijf-presence",
        piece_history="cycle:jaarschijf-piece-history",
        document_change_template="cycle/jaarschijf/_state_change.html",
    )


def _piece_type(kind: str) -> str:
    if kind not in {PieceType.CONTRIBUTION, PieceType.TEXT}:
        raise Http404("Onbekend onderdeel")
    return kind


def _piece_url(
    jaarschijf: Jaarschijf, piece_type: str, piece_id: int, *, piece=None, comments=False
) -> str:
    """The page at the piece: its theme alone when the piece is known, and with
    ``comments`` its thread open (for the no-JavaScript comment forms)."""
    url = reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk])
    params = PageFilter(section=_section_of(piece_type, piece)).query()
    if comments:
        params += ("&" if params != "?" else "") + f"reacties={piece_type}-{piece_id}"
        return f"{url}{params}#reacties-{piece_type}-{piece_id}"
    return f"{url}{params if params != '?' else ''}#{piece_type}-{piece_id}"


def _section_of(piece_type: str, piece) -> str:
    if piece is None:
        return ALL
    if piece_type == PieceType.TEXT:
        return TEXTS
    if piece.agreement_id is None:
        return UNLINKED
    return str(piece.agreement.theme_id)


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- the page ---------------------------------------------------------------------------------


@login_required
def for_year(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle year's jaarschijf; when there is none yet, the working group creates it."""
    cycle_year = access.get_cycle_year_for_user(request.user, pk)
    existing = Jaarschijf.objects.filter(cycle_year=cycle_year).first()
    if existing is not None:
        return redirect("cycle:jaarschijf-detail", pk=existing.pk)
    probe = Jaarschijf(cycle_year=cycle_year)
    can_create = rules.is_working_group(request.user, probe)
    if request.method == "POST":
        if not can_create:
            raise Http404("Jaarschijf niet gevonden")
        jaarschijf = services.jaarschijf_create(
            actor=request.user,
            cycle_year=cycle_year,
            copy_previous=request.POST.get("copy_previous") == "1",
        )
        messages.success(request, _("De jaarschijf is aangemaakt, gevuld uit kader en biedingen."))
        return redirect("cycle:jaarschijf-detail", pk=jaarschijf.pk)
    context = {"cycle_year": cycle_year, "can_create": can_create}
    return render(request, "cycle/jaarschijf/start.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    filters = PageFilter.from_query(request.GET)
    previous_visit = services.jaarschijf_visit_record(user=request.user, jaarschijf=jaarschijf)
    filters = replace(
        filters, party_id=rules.own_party_id(request.user, jaarschijf), since=previous_visit
    )
    page = selectors.jaarschijf_page(jaarschijf, request.user, filters)
    context = {
        "page": page,
        "jaarschijf": jaarschijf,
        "cycle_year": jaarschijf.cycle_year,
        "signing": jaarschijf_signing.signing_status(jaarschijf, request.user),
        # Up for signing or signed: which version, and what changed elsewhere since. Its own
        # tables are frozen, so the page itself stays live (comments, filters).
        "snapshot": current_snapshot(jaarschijf_signing.JaarschijfSignable(jaarschijf)),
        "bid_pending": updates.pending_corporations(jaarschijf),
        # the piece partials ask for it, whether the page or an htmx view renders them
        "can_comment": page.can_comment,
        "filters": filters,
        "previous_visit": previous_visit,
        "drafting": _urls(jaarschijf),
    }
    return render(request, DETAIL, context)


def _piece_context(request: HttpRequest, jaarschijf: Jaarschijf, piece) -> dict:
    return {
        "piece": piece,
        "jaarschijf": jaarschijf,
        "can_comment": rules.can_comment(request.user, jaarschijf),
        "drafting": _urls(jaarschijf),
    }


@login_required
@require_GET
def piece(request: HttpRequest, pk: int, kind: str, piece_id: int) -> HttpResponse:
    """One piece as shown on the page (htmx: its partial; otherwise the page at its anchor)."""
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    piece_type = _piece_type(kind)
    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
    if not request.htmx:
        return redirect(_piece_url(jaarschijf, piece_type, piece_id, piece=item))
    services.presence_leave(
        user=request.user, jaarschijf=jaarschijf, piece_type=piece_type, piece_id=piece_id
    )
    return render(request, f"{DETAIL}#{piece_type}", _piece_context(request, jaarschijf, item))


# --- editing ----------------------------------------------------------------------------------


def _form_for(piece_type: str, item, data=None, initial=None):
    prefix = f"{piece_type}-{item.pk}"
    if piece_type == PieceType.TEXT:
        return TextPieceForm(data, prefix=prefix, initial=initial)
    targets = list(item.agreement.targets.all()) if item.agreement_id else []
    return ContributionForm(data, prefix=prefix, initial=initial, targets=targets)


def _initial(piece_type: str, values: dict, version: int) -> dict:
    if piece_type == PieceType.TEXT:
        return {"text": values["text"], "version": version}
    return {
        "text": values["text"],
        "quantity": (values["quantity"] or "").replace(".", ","),
        "unit": values["unit"],
        "planned_quarter": values["planned_quarter"],
        "target": values["target_id"],
        "done": values["done"],
        "version": version,
    }


def _snapshot(piece_type: str, item) -> dict:
    if piece_type == PieceType.TEXT:
        return services.text_snapshot(item)
    return services.contribution_snapshot(item)


def _can_edit(request, jaarschijf, piece_type, item) -> bool:
    if piece_type == PieceType.TEXT:
        return rules.can_edit_texts(request.user, jaarschijf)
    return rules.can_edit_contribution(request.user, item)


@login_required
def piece_edit(request: HttpRequest, pk: int, kind: str, piece_id: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    piece_type = _piece_type(kind)
    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
    if not _can_edit(request, jaarschijf, piece_type, item):
        raise Http404("Onderdeel niet gevonden")
    conflict = None
    status = 200
    if request.method == "POST":
        form = _form_for(piece_type, item, data=request.POST)
        if form.is_valid():
            try:
                if piece_type == PieceType.TEXT:
                    services.jaarschijf_text_update(
                        actor=request.user,
                        text_id=item.pk,
                        expected_version=form.cleaned_data["version"],
                        text=form.cleaned_data["text"],
                    )
                else:
                    services.contribution_update(
                        actor=request.user,
                        contribution_id=item.pk,
                        expected_version=form.cleaned_data["version"],
                        data=form.to_input(),
                    )
            except services.EditConflict as error:
                conflict = error
                # The editor keeps what they typed, now based on the current version: saving
                # this form again is "keep mine" (or the hand-merged text).
                form = _form_for(
                    piece_type,
                    item,
                    initial=_initial(piece_type, error.yours, error.current_version),
                )
                status = 200 if request.htmx else 409
            except ValidationError as error:
                for message in _error_messages(error):
                    form.add_error(None, message)
                status = 422
            except PermissionDenied:
                raise Http404("Onderdeel niet gevonden") from None
            else:
                services.presence_leave(
                    user=request.user,
                    jaarschijf=jaarschijf,
                    piece_type=piece_type,
                    piece_id=item.pk,
                )
                if request.htmx:
                    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
                    context = _piece_context(request, jaarschijf, item)
                    context["saved"] = True
                    return render(request, f"{DETAIL}#{piece_type}", context)
                messages.success(request, _("Opgeslagen."))
                return redirect(_piece_url(jaarschijf, piece_type, piece_id, piece=item))
        else:
            status = 422
    else:
        form = _form_for(
            piece_type,
            item,
            initial=_initial(piece_type, _snapshot(piece_type, item), item.version),
        )
    form.mark_focus()
    present = services.presence_beat(
        user=request.user, jaarschijf=jaarschijf, piece_type=piece_type, piece_id=item.pk
    )
    context = {
        **_piece_context(request, jaarschijf, item),
        "piece_type": piece_type,
        "form": form,
        "conflict": conflict,
        "present": present,
    }
    if conflict is not None:
        context["conflict_diff"] = diff_html(conflict.current["text"], conflict.yours["text"])
        context["keep_mine"] = _initial(piece_type, conflict.yours, conflict.current_version)
        context["current_quantity"] = conflict.current.get("quantity")
    template = f"{EDIT}#editor" if request.htmx else EDIT
    if request.htmx and status == 422:
        status = 200  # htmx swaps only 2xx answers; the form shows its errors
    return render(request, template, context, status=status)


@login_required
@require_POST
def presence(request: HttpRequest, pk: int, kind: str, piece_id: int) -> HttpResponse:
    """The editor's heartbeat (htmx, every 20 s): I still have it open; who else has?"""
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    piece_type = _piece_type(kind)
    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
    present = services.presence_beat(
        user=request.user, jaarschijf=jaarschijf, piece_type=piece_type, piece_id=item.pk
    )
    context = {
        "piece": item,
        "piece_type": piece_type,
        "jaarschijf": jaarschijf,
        "present": present,
        "drafting": _urls(jaarschijf),
    }
    return render(request, f"{EDIT}#aanwezig", context)


@login_required
def contribution_add(request: HttpRequest, pk: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    page_parties = sorted(
        jaarschijf.cycle_year.framework.parties.all(), key=selectors.party_sort_key
    )
    parties = rules.party_choices(request.user, jaarschijf, page_parties)
    if not parties:
        raise Http404("Jaarschijf niet gevonden")
    try:
        agreement = Agreement.objects.select_related("theme").get(
            pk=int(request.GET.get("afspraak") or request.POST.get("afspraak") or 0),
            theme__framework_id=jaarschijf.cycle_year.framework_id,
        )
    except (Agreement.DoesNotExist, ValueError):
        raise Http404("Afspraak niet gevonden") from None
    form = ContributionAddForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        party = next(p for p in parties if p.pk == form.cleaned_data["party"])
        try:
            contribution = services.contribution_add(
                actor=request.user,
                jaarschijf=jaarschijf,
                party=party,
                agreement=agreement,
                data=form.to_input(),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404("Jaarschijf niet gevonden") from None
        else:
            messages.success(request, _("De bijdrage is toegevoegd."))
            return redirect(
                _piece_url(jaarschijf, PieceType.CONTRIBUTION, contribution.pk, piece=contribution)
            )
    context = {"jaarschijf": jaarschijf, "agreement": agreement, "form": form}
    status = 422 if request.method == "POST" else 200
    return render(request, "cycle/jaarschijf/add.html", context, status=status)


# --- comments ---------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int, kind: str, piece_id: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    piece_type = _piece_type(kind)
    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
    error_text = drafting_views.comment_posted(
        request,
        document=services.JaarschijfDrafted(jaarschijf),
        piece_type=piece_type,
        piece_id=item.pk,
    )
    if not request.htmx:
        return redirect(_piece_url(jaarschijf, piece_type, piece_id, piece=item, comments=True))
    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
    context = {**_piece_context(request, jaarschijf, item), "comments_open": True}
    context["comment_error"] = error_text
    return render(request, f"{DETAIL}#reacties", context)


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = PieceComment.objects.get(
            pk=pk,
            document_type=services.DOCUMENT,
            document_id__in=rules.visible_jaarschijven(request.user).values("pk"),
        )
    except PieceComment.DoesNotExist:
        raise Http404("Reactie niet gevonden") from None
    jaarschijf = rules.get_jaarschijf_for_user(request.user, comment.document_id)
    drafting_views.resolve_posted(request, comment)
    item = selectors.get_piece(jaarschijf, comment.piece_type, comment.piece_id, request.user)
    if not request.htmx:
        url = _piece_url(
            jaarschijf, comment.piece_type, comment.piece_id, piece=item, comments=True
        )
        return redirect(url)
    context = {**_piece_context(request, jaarschijf, item), "comments_open": True}
    return render(request, f"{DETAIL}#reacties", context)


# --- history ----------------------------------------------------------------------------------


@login_required
def piece_history(request: HttpRequest, pk: int, kind: str, piece_id: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    piece_type = _piece_type(kind)
    item = selectors.get_piece(jaarschijf, piece_type, piece_id, request.user)
    can_edit = _can_edit(request, jaarschijf, piece_type, item)
    if request.method == "POST":
        if not can_edit:
            raise Http404("Onderdeel niet gevonden")
        drafting_views.restore_posted(
            request,
            document=services.JaarschijfDrafted(jaarschijf),
            piece_type=piece_type,
            piece_id=item.pk,
        )
        return redirect("cycle:jaarschijf-piece-history", pk=pk, kind=kind, piece_id=piece_id)
    changes = selectors.piece_changes(piece_type, item.pk, jaarschijf)
    old, new, old_after, new_after = drafting.piece_comparison(changes, request.GET)
    fields = []
    if piece_type == PieceType.CONTRIBUTION:
        fields = selectors.contribution_history_fields(old_after, new_after)
    context = {
        "jaarschijf": jaarschijf,
        "piece": item,
        "piece_type": piece_type,
        "changes": list(reversed(changes)),
        "old": old,
        "new": new,
        "diff": diff_html(old_after.get("text", ""), new_after.get("text", "")),
        "fields": fields,
        "can_restore": can_edit and not jaarschijf.is_frozen,
        "labels": selectors.piece_labels(jaarschijf, changes[:1]),
        "drafting": _urls(jaarschijf),
    }
    return render(request, "cycle/jaarschijf/piece_history.html", context)


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    paginator = Paginator(selectors.jaarschijf_changes(jaarschijf), 50)
    page = paginator.get_page(request.GET.get("pagina"))
    changes = list(page.object_list)
    labels = selectors.piece_labels(jaarschijf, changes)
    context = {
        "jaarschijf": jaarschijf,
        "changes": drafting.with_diffs(changes, labels, PieceType.JAARSCHIJF),
        "page_obj": page,
        "drafting": _urls(jaarschijf),
        "document_piece": PieceType.JAARSCHIJF,
    }
    return render(request, "cycle/jaarschijf/history.html", context)


# --- bringing it up to date with later bids ----------------------------------------------


def _optional_int(value: str | None) -> int | None:
    try:
        return int(value) if value not in {None, ""} else None
    except ValueError:
        raise Http404("Wijziging niet gevonden") from None


@login_required
def bid_updates(request: HttpRequest, pk: int) -> HttpResponse:
    """Review what later bids change, and apply one change per POST (the working group)."""
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    if not rules.is_working_group(request.user, jaarschijf):
        raise Http404("Jaarschijf niet gevonden")
    if request.method == "POST":
        try:
            result = updates.bid_update_apply(
                actor=request.user,
                jaarschijf=jaarschijf,
                bid_id=_optional_int(request.POST.get("bid")) or 0,
                figure=request.POST.get("figure", ""),
                expected_version=_optional_int(request.POST.get("version")),
                choice=request.POST.get("choice", ""),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        except PermissionDenied:
            raise Http404("Jaarschijf niet gevonden") from None
        else:
            piece = result.contribution
            if not result.changed:
                messages.info(request, _("Deze wijziging was al verwerkt."))
            elif result.added:
                messages.success(
                    request,
                    _("De bijdrage van %(party)s is toegevoegd uit versie %(version)s van het bod.")
                    % {"party": piece.party.name, "version": piece.bid.version},
                )
            else:
                messages.success(
                    request,
                    _("De bijdrage van %(party)s is bijgewerkt uit versie %(version)s van het bod.")
                    % {"party": piece.party.name, "version": piece.bid.version},
                )
        return redirect("cycle:jaarschijf-bid-updates", pk=pk)
    context = {
        "jaarschijf": jaarschijf,
        "updates": updates.bid_updates(jaarschijf),
        "take_bid": updates.TAKE_BID,
        "keep_own": updates.KEEP_OWN,
    }
    return render(request, "cycle/jaarschijf/bid_updates.html", context)


# --- states -----------------------------------------------------------------------------------


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    if not rules.can_manage(request.user, jaarschijf):
        raise Http404("Jaarschijf niet gevonden")
    state = request.POST.get("state", "")
    if state == Jaarschijf.State.FOR_SIGNING:
        # Freezing happens only by putting it up for signing, which opens a signing round.
        messages.error(request, _("Bied de jaarschijf aan via ‘Ter ondertekening aanbieden’."))
        return redirect("cycle:jaarschijf-detail", pk=pk)
    try:
        if state == Jaarschijf.State.CONCEPT and jaarschijf.state == Jaarschijf.State.FOR_SIGNING:
            # Closes the open signing round too: its signatures stay on record but never count.
            jaarschijf_signing.jaarschijf_signing_reopen(
                actor=request.user, jaarschijf=jaarschijf, reason=request.POST.get("reason", "")
            )
        else:
            services.jaarschijf_set_state(actor=request.user, jaarschijf=jaarschijf, state=state)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    except ValueError:
        messages.error(request, _("Onbekende status."))
    else:
        messages.success(request, _("De status van de jaarschijf is gewijzigd."))
    return redirect("cycle:jaarschijf-detail", pk=pk)


# --- exports ----------------------------------------------------------------------------------


def _export_context(request: HttpRequest, pk: int) -> dict:
    jaarschijf = rules.get_jaarschijf_for_user(request.user, pk)
    page = selectors.jaarschijf_page(jaarschijf, request.user)
    contributions = [c for block in page.themes for a in block.agreements for c in a.contributions]
    return {
        "jaarschijf": jaarschijf,
        "page": page,
        "framework": jaarschijf.cycle_year.framework,
        "totals": selectors.target_totals(jaarschijf, contributions + page.unlinked),
    }


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _export_context(request, pk)
    jaarschijf = context["jaarschijf"]
    # Up for signing or signed: the version put up (signed PDF or stored document), not live.
    current = current_request(jaarschijf_signing.JaarschijfSignable(jaarschijf))
    # The print template shows no user-specific data (edit rights, presence): one cache entry.
    data = snapshot_pdf(current) if current else render_pdf("cycle/print/jaarschijf.html", context)
    name = f"jaarschijf-{jaarschijf.plan_year}-{jaarschijf.get_state_display().lower()}.pdf"
    return file_response(data, filename=name.replace(" ", "-"), content_type=PDF_TYPE)


@login_required
@require_GET
def xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from cycle.jaarschijf.xlsx import build_workbook

    context = _export_context(request, pk)
    name = f"jaarschijf-{context['jaarschijf'].plan_year}.xlsx"
    return file_response(build_workbook(**context), filename=name, content_type=XLSX_TYPE)
