"""The request handling every drafted document's views share (they stay thin): a posted
comment or reply, a posted restore. Each turns the services' refusals into what a person sees:
a message or an error text, and a 404 for "not allowed" (the same as "missing")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from core.conflicts import EditConflict
from core.drafting import services
from core.drafting.forms import CommentForm
from core.drafting.models import PieceComment
from core.drafting.registry import Drafted


def comment_posted(
    request: HttpRequest, *, document: Drafted, piece_type: str, piece_id: int
) -> str:
    """Place the posted comment (or reply, ``parent``); return the error text ("" when placed).
    Without JavaScript the outcome is also a message for the page redirected to."""
    form = CommentForm(request.POST)
    error_text = ""
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = PieceComment.objects.filter(
                pk=form.cleaned_data["parent"], **document.ref.filter()
            ).first()
        try:
            services.comment_add(
                actor=request.user,
                document=document,
                piece_type=piece_type,
                piece_id=piece_id,
                text=form.cleaned_data["text"],
                parent=parent,
            )
        except ValidationError as error:
            error_text = " ".join(error.messages)
        except PermissionDenied:
            raise Http404("Onderdeel niet gevonden") from None
    else:
        error_text = _("Schrijf eerst een reactie.")
    if not request.htmx:
        if error_text:
            messages.error(request, error_text)
        else:
            messages.success(request, _("Uw reactie is geplaatst."))
    return error_text


def resolve_posted(request: HttpRequest, comment: PieceComment) -> None:
    """Resolve or reopen the thread as posted (``resolved`` = 1 or 0)."""
    resolved = request.POST.get("resolved") == "1"
    try:
        services.comment_set_resolved(actor=request.user, comment=comment, resolved=resolved)
    except (PermissionDenied, ValidationError):
        raise Http404("Reactie niet gevonden") from None
    if not request.htmx:
        if resolved:
            messages.success(request, _("De reactie is afgehandeld."))
        else:
            messages.success(request, _("De reactie is heropend."))


def restore_posted(
    request: HttpRequest, *, document: Drafted, piece_type: str, piece_id: int
) -> None:
    """Restore the posted ``version`` based on the posted ``expected_version``; the outcome as
    a message."""
    try:
        services.piece_restore(
            document=document,
            actor=request.user,
            piece_type=piece_type,
            piece_id=piece_id,
            version=int(request.POST.get("version", 0)),
            expected_version=int(request.POST.get("expected_version", 0)),
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "Iemand anders heeft dit onderdeel intussen gewijzigd; "
                "bekijk de geschiedenis opnieuw."
            ),
        )
    except (ValidationError, ValueError):
        messages.error(request, _("Deze versie kan niet worden teruggezet."))
    except PermissionDenied:
        raise Http404("Onderdeel niet gevonden") from None
    else:
        messages.success(request, _("De eerdere versie is teruggezet als nieuwe versie."))
