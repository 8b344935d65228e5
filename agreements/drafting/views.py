"""Views of a framework in concept (thin): access and reads through
agreements.drafting.selectors (404 for "missing" and "forbidden" alike), writes through
agreements.drafting.services. The comment threads, presence line and histories are the shared
templates of core.drafting, given their URLs by ``_urls``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.access import get_framework_for_user
from agreements.drafting import selectors, services
from agreements.drafting.forms import form_data, initial_from, piece_form
from agreements.drafting.pieces import AGREEMENT, DOCUMENT, KINDS, TARGET, THEME, compared_fields
from agreements.models import Framework
from core.conflicts import EditConflict
from core.diffing import diff_html
from core.drafting import selectors as drafting
from core.drafting import services as drafting_services
from core.drafting import views as drafting_views
from core.drafting.models import PieceComment
from core.drafting.registry import DraftingUrls
from core.forms import add_service_errors

PAGE = "agreements/drafting/concept.html"
NOT_FOUND = "Onderdeel niet gevonden"


def _urls(framework: Framework) -> DraftingUrls:
    return DraftingUrls(
        key=framework.slug,
        comment="agreements:concept-comment",
        resolve="agreements:concept-resolve",
        presence="agreements:concept-presence",
        piece_history="agreements:concept-piece-history",
        document_change_template="agreements/drafting/_state_change.html",
    )


def _framework(request: HttpRequest, slug: str) -> Framework:
    """The framework, for the members of its parties only (others: 404)."""
    framework = get_framework_for_user(request.user, slug)
    if not services.can_comment(request.user, framework):
        raise Http404("Kader niet gevonden")
    return framework


def _editable(request: HttpRequest, framework: Framework) -> None:
    if not services.can_edit(request.user, framework):
        raise Http404(NOT_FOUND)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404("Onbekend onderdeel")
    return kind


def _context(request: HttpRequest, framework: Framework, **extra) -> dict:
    return {
        "framework": framework,
        "drafting": _urls(framework),
        "can_comment": services.can_comment(request.user, framework),
        **extra,
    }


def _page_url(framework: Framework, kind: str, piece, *, comments: bool = False) -> str:
    url = reverse("agreements:concept", args=[framework.slug])
    theme = selectors.theme_of(kind, piece) if piece is not None else None
    query = f"?thema={theme}" if theme else ""
    anchor = f"reacties-{kind}-{piece.pk}" if comments else f"{kind}-{piece.pk}"
    return f"{url}{query}#{anchor}" if piece is not None else url


def _parties(framework: Framework) -> list:
    return selectors.framework_parties(framework)


# --- the page ----------------------------------------------------------------------------------


@login_required
@require_GET
def concept(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    try:
        theme_id = int(request.GET["thema"]) if request.GET.get("thema") else None
    except ValueError:
        raise Http404("Thema niet gevonden") from None
    drafting_services.visit_record(user=request.user, ref=services.ref(framework.pk))
    page = selectors.concept_page(framework, request.user, theme_id)
    return render(request, PAGE, _context(request, framework, page=page))


@login_required
@require_GET
def piece(request: HttpRequest, slug: str, kind: str, piece_id: int) -> HttpResponse:
    framework = _framework(request, slug)
    item = selectors.concept_piece(framework, _kind(kind), piece_id, request.user)
    return redirect(_page_url(framework, kind, item))


# --- editing -----------------------------------------------------------------------------------


@login_required
def piece_edit(request: HttpRequest, slug: str, kind: str, piece_id: int) -> HttpResponse:
    framework = _framework(request, slug)
    _editable(request, framework)
    item = selectors.concept_piece(framework, _kind(kind), piece_id, request.user)
    prefix = f"{kind}-{item.pk}"
    parties = _parties(framework)
    conflict = None
    status = 200
    if request.method == "POST":
        form = piece_form(kind, prefix=prefix, parties=parties, data=request.POST)
        if form.is_valid():
            try:
                services.framework_piece_update(
                    actor=request.user,
                    framework=framework,
                    kind=kind,
                    piece_id=item.pk,
                    expected_version=form.cleaned_data["version"],
                    data=form_data(form),
                )
            except EditConflict as error:
                conflict = error
                conflict.fields = compared_fields(KINDS[kind], error.current, error.yours)
                # What the editor typed stays, now based on the current version: saving it
                # again is "keep mine" (or what they merged by hand).
                initial = initial_from(kind, error.yours, error.current_version)
                form = piece_form(kind, prefix=prefix, parties=parties, initial=initial)
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
                status = 422
            except PermissionDenied:
                raise Http404(NOT_FOUND) from None
            else:
                drafting_services.presence_leave(
                    user=request.user,
                    ref=services.ref(framework.pk),
                    piece_type=kind,
                    piece_id=item.pk,
                )
                messages.success(request, _("Opgeslagen."))
                return redirect(_page_url(framework, kind, item))
        else:
            status = 422
    else:
        snapshot = KINDS[kind].snapshot(item)
        initial = initial_from(kind, snapshot, item.draft_version)
        form = piece_form(kind, prefix=prefix, parties=parties, initial=initial)
    present = drafting_services.presence_beat(
        user=request.user, ref=services.ref(framework.pk), piece_type=kind, piece_id=item.pk
    )
    context = _context(
        request,
        framework,
        piece=item,
        piece_type=kind,
        form=form,
        conflict=conflict,
        present=present,
        back=_page_url(framework, kind, item),
    )
    return render(request, "agreements/drafting/edit.html", context, status=status)


@login_required
@require_POST
def presence(request: HttpRequest, slug: str, kind: str, piece_id: int) -> HttpResponse:
    """The editor's heartbeat (htmx, every 20 s): I still have it open; who else has?"""
    framework = _framework(request, slug)
    item = selectors.concept_piece(framework, _kind(kind), piece_id, request.user)
    present = drafting_services.presence_beat(
        user=request.user, ref=services.ref(framework.pk), piece_type=kind, piece_id=item.pk
    )
    context = _context(request, framework, piece=item, piece_type=kind, present=present)
    return render(request, "core/drafting/_presence.html", context)


@login_required
def piece_add(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """A new theme, agreement (in a theme: ``?in=``) or target (in an agreement)."""
    framework = _framework(request, slug)
    _editable(request, framework)
    if kind not in {THEME, AGREEMENT, TARGET}:
        raise Http404(NOT_FOUND)
    parent = None
    if kind != THEME:
        try:
            parent_id = int(request.GET.get("in") or request.POST.get("in") or 0)
        except ValueError:
            raise Http404(NOT_FOUND) from None
        parent_kind = KINDS[kind].parent
        parent = selectors.concept_piece(framework, parent_kind, parent_id, request.user)
    form = piece_form(
        kind, prefix="nieuw", parties=_parties(framework), data=request.POST or None, adding=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.framework_piece_add(
                actor=request.user,
                framework=framework,
                kind=kind,
                parent_id=parent.pk if parent else None,
                data=form_data(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied:
            raise Http404(NOT_FOUND) from None
        else:
            messages.success(request, _("Toegevoegd."))
            item = selectors.concept_piece(framework, kind, item.pk, request.user)
            return redirect(_page_url(framework, kind, item))
    context = _context(request, framework, form=form, kind=KINDS[kind], parent=parent)
    status = 422 if request.method == "POST" else 200
    return render(request, "agreements/drafting/add.html", context, status=status)


@login_required
def piece_remove(request: HttpRequest, slug: str, kind: str, piece_id: int) -> HttpResponse:
    """Asks first (GET), removes on the confirmation (POST)."""
    framework = _framework(request, slug)
    _editable(request, framework)
    if kind not in {THEME, AGREEMENT, TARGET}:
        raise Http404(NOT_FOUND)
    item = selectors.concept_piece(framework, kind, piece_id, request.user)
    if request.method == "POST":
        back = _page_url(framework, kind, item).split("#")[0]
        if kind == THEME:
            back = reverse("agreements:concept", args=[framework.slug])
        try:
            services.framework_piece_remove(
                actor=request.user, framework=framework, kind=kind, piece_id=item.pk
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(_page_url(framework, kind, item))
        except PermissionDenied:
            raise Http404(NOT_FOUND) from None
        messages.success(request, _("Verwijderd: %(name)s") % {"name": item.label})
        return redirect(back)
    context = _context(request, framework, piece=item, kind=KINDS[kind])
    context["back"] = _page_url(framework, kind, item)
    return render(request, "agreements/drafting/remove.html", context)


# --- comments ----------------------------------------------------------------------------------


@login_required
@require_POST
def comment_add(request: HttpRequest, slug: str, kind: str, piece_id: int) -> HttpResponse:
    framework = _framework(request, slug)
    item = selectors.concept_piece(framework, _kind(kind), piece_id, request.user)
    error_text = drafting_views.comment_posted(
        request, document=services.FrameworkDrafted(framework), piece_type=kind, piece_id=item.pk
    )
    if not request.htmx:
        return redirect(_page_url(framework, kind, item, comments=True))
    item = selectors.concept_piece(framework, kind, piece_id, request.user)
    context = _context(request, framework, piece=item, comments_open=True, comment_error=error_text)
    return render(request, f"{PAGE}#reacties", context)


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = PieceComment.objects.filter(pk=pk, document_type=DOCUMENT).first()
    if comment is None:
        raise Http404("Reactie niet gevonden")
    framework = Framework.objects.filter(pk=comment.document_id).first()
    if framework is None:
        raise Http404("Reactie niet gevonden")
    framework = _framework(request, framework.slug)
    drafting_views.resolve_posted(request, comment)
    item = selectors.concept_piece(framework, comment.piece_type, comment.piece_id, request.user)
    if not request.htmx:
        return redirect(_page_url(framework, comment.piece_type, item, comments=True))
    context = _context(request, framework, piece=item, comments_open=True)
    return render(request, f"{PAGE}#reacties", context)


# --- history -----------------------------------------------------------------------------------


@login_required
def piece_history(request: HttpRequest, slug: str, kind: str, piece_id: int) -> HttpResponse:
    framework = _framework(request, slug)
    item = selectors.concept_piece(framework, _kind(kind), piece_id, request.user)
    can_edit = services.can_edit(request.user, framework)
    if request.method == "POST":
        if not can_edit:
            raise Http404(NOT_FOUND)
        drafting_views.restore_posted(
            request,
            document=services.FrameworkDrafted(framework),
            piece_type=kind,
            piece_id=item.pk,
        )
        return redirect("agreements:concept-piece-history", slug=slug, kind=kind, piece_id=piece_id)
    changes = drafting.piece_changes(services.ref(framework.pk), kind, item.pk)
    old, new, old_after, new_after = drafting.piece_comparison(changes, request.GET)
    piece_kind = KINDS[kind]
    context = _context(
        request,
        framework,
        piece=item,
        piece_type=kind,
        changes=list(reversed(changes)),
        old=old,
        new=new,
        diff=diff_html(piece_kind.text_of(old_after), piece_kind.text_of(new_after)),
        fields=compared_fields(piece_kind, old_after, new_after),
        can_restore=can_edit,
        back=_page_url(framework, kind, item),
    )
    return render(request, "agreements/drafting/piece_history.html", context)


@login_required
@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    framework = _framework(request, slug)
    paginator = Paginator(drafting.document_changes(services.ref(framework.pk)), 50)
    page = paginator.get_page(request.GET.get("pagina"))
    changes = list(page.object_list)
    labels = selectors.piece_labels(changes)
    context = _context(
        request,
        framework,
        changes=selectors.with_changed_fields(
            drafting.with_diffs(changes, labels, DOCUMENT, selectors.snapshot_text)
        ),
        page_obj=page,
        document_piece=DOCUMENT,
    )
    return render(request, "agreements/drafting/history.html", context)
