"""Signing pages: a document's rounds, put up, sign, decline, PDFs, and verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import SigningRequest
from agreements.signing import selectors as sel
from agreements.signing import services
from agreements.signing.forms import DeclineForm, SignForm, VerifyForm
from agreements.signing.registry import Signable, get_signable_for_user
from agreements.signing.snapshot import current_request, snapshot_pdf
from agreements.twofactor.services import has_device
from core.already import AlreadyDone
from core.pdf import render_pdf
from core.responses import PDF_TYPE, file_response


def _client_ip(request: HttpRequest) -> str | None:
    try:
        from axes.helpers import get_client_ip_address

        return get_client_ip_address(request)
    except Exception:  # axes missing or misconfigured: the socket address will do
        return request.META.get("REMOTE_ADDR")


def _round(signable: Signable, number: int) -> SigningRequest:
    try:
        return SigningRequest.objects.get(
            document_type=signable.key, object_id=signable.pk, round=number
        )
    except SigningRequest.DoesNotExist:
        raise Http404("Ronde niet gevonden") from None


def _document_context(request: HttpRequest, signable: Signable, **extra) -> dict:
    rounds = sel.document_requests(signable)
    current = rounds[0] if rounds else None
    latest = current.round if current else 0
    history = [
        {
            "request": r,
            "signatures": [
                {"signature": s, "void": sel.signature_is_void(s, latest_round=latest, request=r)}
                for s in r.signatures.all()
            ],
        }
        for r in rounds
    ]
    may_sign = current is not None and sel.user_may_sign(request.user, current)
    is_open = current is not None and current.status == SigningRequest.Status.OPEN
    return {
        "deadline": sel.signing_deadline(signable) if is_open else None,
        "signable": signable,
        "document_url": signable.get_absolute_url(),
        "current": current,
        "statuses": sel.party_statuses(current) if current else [],
        "history": history,
        "may_sign": may_sign,
        # A signatory without an authenticator app sets one up before the sign form shows.
        "needs_two_factor": may_sign and not has_device(request.user),
        "may_put_up": signable.can_be_put_up_by(request.user) and signable.can_put_up(),
        "sign_form": extra.pop("sign_form", None) or (SignForm() if may_sign else None),
        "decline_form": extra.pop("decline_form", None) or (DeclineForm() if may_sign else None),
        **extra,
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    requests = list(sel.requests_for_user(request.user)[:100])
    return render(request, "agreements/signing/overview.html", {"requests": requests})


@login_required
def document(request: HttpRequest, document_type: str, pk: int) -> HttpResponse:
    signable = get_signable_for_user(request.user, document_type, pk)
    return render(request, "agreements/signing/document.html", _document_context(request, signable))


@login_required
@require_POST
def put_up(request: HttpRequest, document_type: str, pk: int) -> HttpResponse:
    signable = get_signable_for_user(request.user, document_type, pk)
    if not signable.can_be_put_up_by(request.user):
        raise Http404("Document niet gevonden")
    try:
        services.signing_put_up(
            signable=signable, user=request.user, confirmed=request.POST.get("confirm") == "1"
        )
    except services.PutUpNeedsConfirmation as error:
        context = {
            "signable": signable,
            "document_url": signable.get_absolute_url(),
            "warnings": error.warnings,
            "asked": request.POST.get("confirming") == "1",
        }
        status = 422 if context["asked"] else 200
        return render(request, "agreements/signing/put_up_confirm.html", context, status=status)
    except services.SigningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het document is ter ondertekening aangeboden."))
    return redirect("agreements:signing-document", document_type, pk)


@login_required
@require_POST
def sign(request: HttpRequest, document_type: str, pk: int, round: int) -> HttpResponse:
    signable = get_signable_for_user(request.user, document_type, pk)
    signing_request = _round(signable, round)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.signature_add(
                signing_request=signing_request,
                user=request.user,
                password=form.cleaned_data["password"],
                otp_code=form.cleaned_data["otp_code"],
                mandate=form.cleaned_data["mandate"],
                mandate_date=form.cleaned_data["mandate_date"],
                ip_address=_client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except PermissionDenied:
            raise Http404("Document niet gevonden") from None
        except AlreadyDone as done:  # a double click, or a colleague of the party was first
            messages.info(request, " ".join(done.messages))
            return redirect("agreements:signing-document", document_type, pk)
        except services.SigningError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("U hebt getekend. Dank u wel."))
            return redirect("agreements:signing-document", document_type, pk)
    context = _document_context(request, signable, sign_form=form)
    return render(request, "agreements/signing/document.html", context, status=400)


@login_required
@require_POST
def decline(request: HttpRequest, document_type: str, pk: int, round: int) -> HttpResponse:
    signable = get_signable_for_user(request.user, document_type, pk)
    signing_request = _round(signable, round)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.signing_decline(
                signing_request=signing_request,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            raise Http404("Document niet gevonden") from None
        except services.SigningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("U hebt niet getekend. Alle partijen krijgen uw reden te lezen.")
            )
            return redirect("agreements:signing-document", document_type, pk)
    context = _document_context(request, signable, decline_form=form)
    return render(request, "agreements/signing/document.html", context, status=400)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    return file_response(pdf, filename=filename, content_type=PDF_TYPE)


@login_required
def document_pdf(request: HttpRequest, document_type: str, pk: int) -> HttpResponse:
    """The document for reading before signing: while a round is open or signed, the version
    put up (its snapshot), else as it is now."""
    signable = get_signable_for_user(request.user, document_type, pk)
    current = current_request(signable)
    if current is not None:
        pdf = snapshot_pdf(current)
    else:
        pdf = render_pdf(signable.pdf_template(), signable.pdf_context())
    return _pdf_response(pdf, f"{slugify(signable.title())}.pdf")


@login_required
def signed_pdf(request: HttpRequest, document_type: str, pk: int, round: int) -> HttpResponse:
    """Exactly the bytes stored when the last party signed."""
    signable = get_signable_for_user(request.user, document_type, pk)
    signing_request = _round(signable, round)
    if signing_request.status != SigningRequest.Status.SIGNED or not signing_request.signed_pdf:
        raise Http404("Nog niet ondertekend")
    name = f"{slugify(signing_request.title)}-ondertekend-ronde-{signing_request.round}.pdf"
    return _pdf_response(bytes(signing_request.signed_pdf), name)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF or paste a hash: is it an exact signed version from the portal, are its
    seals intact, and who signed it (the round's audit trail)?"""
    result = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            if upload is not None:
                # The form refused anything above MAX_UPLOAD_MB, so this fits in memory.
                result = sel.verify_pdf(b"".join(upload.chunks()), user=request.user)
            else:
                result = sel.verify_hash(form.cleaned_data["digest"], user=request.user)
        else:
            status = 400
    else:
        form = VerifyForm()
    return render(
        request, "agreements/signing/verify.html", {"form": form, "result": result}, status=status
    )
