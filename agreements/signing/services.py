"""Writes of the signing round: put up, sign, decline. Atomic, checked, audited.

Who may do what:
- put up for signing: a working-group member of one of the document's parties;
- sign or decline: a signatory (Membership.role == signatory) of a party that must sign, once
  per party per round, with two factors at the moment of signing: their password and a code
  from their authenticator app (agreements.twofactor). Wrong ones are throttled (core.throttle).

Every party of the document must sign. A round cannot start while a party has no signatory
account in the portal (it would never finish); the error names the parties concerned.
"""

from __future__ import annotations

import logging
import math
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.access import user_membership
from agreements.canonical import sha256
from agreements.models import Membership, Party, Signature, SigningRequest
from agreements.signing.registry import Signable, load_signable
from agreements.signing.seal import SealUnavailable, seal_signed_pdf
from agreements.signing.snapshot import (
    live_data_matches,
    signed_document_html,
    signing_context,
    snapshot_take,
)
from agreements.twofactor import services as twofactor
from core.actors import person
from core.already import AlreadyDone
from core.audit import audit_log
from core.pdf import html_to_pdf, render_pdf
from core.throttle import failure_record, locked_until

logger = logging.getLogger(__name__)


class SigningError(Exception):
    """A refused signing action, with a message for the person who tried it (Dutch).

    ``field`` names the form field the message belongs to (e.g. "password"), or None for the
    form as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class PutUpNeedsConfirmation(SigningError):
    """The document has warnings; put it up only after the person confirmed them."""

    def __init__(self, warnings: list[str]):
        super().__init__(
            _("Bevestig dat u het document toch ter ondertekening aanbiedt."), field="confirm"
        )
        self.warnings = warnings


def _lock(signable: Signable) -> None:
    """Serialise signing actions on one document (row lock on PostgreSQL)."""
    type(signable.obj)._base_manager.select_for_update().filter(pk=signable.pk).first()


def _mail(*, subject: str, template: str, context: dict, users: list[Any]) -> None:
    """Send after commit: a rolled-back action tells nobody anything."""
    recipients = sorted({u.email for u in users if u.email})
    if not recipients:
        return
    body = render_to_string(template, {**context, "portal_name": settings.PORTAL_NAME})
    messages = [(subject, body, None, [address]) for address in recipients]

    def send() -> None:
        try:
            send_mass_mail(messages, fail_silently=False)
        except Exception:  # the signing stands; a mail server failure is logged, not fatal
            logger.exception("Signing mail could not be sent")

    transaction.on_commit(send)


def _people(parties: list[Party], roles: set[str]) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.select_related("user").filter(
            party__in=parties, role__in=roles, user__is_active=True
        )
    ]


def signing_request_signable(signing_request: SigningRequest) -> Signable:
    return load_signable(signing_request.document_type, signing_request.object_id)


@transaction.atomic
def signing_put_up(*, signable: Signable, user: Any, confirmed: bool = False) -> SigningRequest:
    """Freeze the document, record its canonical content and hash, open a new round.

    When the document has warnings (Signable.put_up_warnings: e.g. open comments, newer bids)
    the round starts only with ``confirmed``; otherwise PutUpNeedsConfirmation lists them.
    """
    if not signable.can_be_put_up_by(user):
        raise PermissionDenied
    _lock(signable)
    signable.obj.refresh_from_db()
    if not signable.can_put_up():
        raise SigningError(_("Dit document kan nu niet ter ondertekening worden aangeboden."))
    warnings = signable.put_up_warnings()
    if warnings and not confirmed:
        raise PutUpNeedsConfirmation(warnings)
    parties = signable.parties()
    with_signatory = set(
        Membership.objects.filter(
            party__in=parties, role=Membership.Role.SIGNATORY, user__is_active=True
        ).values_list("party_id", flat=True)
    )
    missing = [p.name for p in parties if p.pk not in with_signatory]
    if missing:
        raise SigningError(
            _(
                "Nog geen ondertekenaar in het portaal voor: %(parties)s. Vraag de beheerder een "
                "account met de rol ondertekenaar aan te maken."
            )
            % {"parties": ", ".join(missing)}
        )
    put_up_at = timezone.now()
    # Everything the page and the PDF show, as data and as rendered (agreements.signing.snapshot).
    snapshot = snapshot_take(signable, put_up_at=put_up_at)
    last = SigningRequest.objects.filter(
        document_type=signable.key, object_id=signable.pk
    ).aggregate(last=Max("round"))["last"]
    request = SigningRequest.objects.create(
        document_type=signable.key,
        object_id=signable.pk,
        round=(last or 0) + 1,
        title=signable.title()[:300],
        content=snapshot.content.decode("utf-8"),
        content_hash=sha256(snapshot.content),
        document_html=snapshot.document_html,
        page_html=snapshot.page_html,
        put_up_by=user,
        put_up_at=put_up_at,
    )
    request.parties.set(parties)
    signable.on_put_up(round=request.round)
    audit_log(
        actor=user,
        action="signing_put_up",
        object_type=signable.key,
        object_id=signable.pk,
        round=request.round,
        content_hash=request.content_hash,
    )
    _mail(
        subject=_("Ter ondertekening: %(title)s") % {"title": request.title},
        template="agreements/signing/mail_put_up.txt",
        context={"request": request, "url": signable.get_absolute_url()},
        users=_people(parties, {Membership.Role.SIGNATORY}),
    )
    return request


def _signing_membership(*, signing_request: SigningRequest, user: Any) -> Membership:
    membership = user_membership(user)
    if (
        membership is None
        or membership.role != Membership.Role.SIGNATORY
        or not signing_request.parties.filter(pk=membership.party_id).exists()
    ):
        raise PermissionDenied
    return membership


SIGNING_THROTTLE = "signing"  # audit actions signing_failed / signing_locked (core.throttle)


class SigningLocked(SigningError):
    """Too many wrong passwords or codes: this person cannot sign for a while."""


class _WrongFactor(SigningError):
    """A wrong password or code: rolls the attempt back, then counts it (signature_add)."""

    def __init__(self, message: str, *, field: str, signable: Signable, round: int, reason: str):
        super().__init__(message, field=field)
        self.signable = signable
        self.round = round
        self.reason = reason


def _locked_message(until: Any) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _("Te veel onjuiste pogingen. U kunt over %(minutes)s minuten opnieuw tekenen.") % {
        "minutes": minutes
    }


def signature_add(
    *,
    signing_request: SigningRequest,
    user: Any,
    password: str,
    otp_code: str,
    mandate: str = "",
    mandate_date: date | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """The user's party signs this round with two factors: the password and a code from the
    authenticator app (or a recovery code, used up). The last signature completes the round.

    ``mandate`` (and ``mandate_date``) record the decision the signatory signs under. A wrong
    password or code signs nothing and is written to the audit trail; after
    SECOND_FACTOR_FAILURE_LIMIT of them the person is locked out of signing for
    SECOND_FACTOR_LOCKOUT_MINUTES, even with the right password (SigningLocked).
    """
    try:
        return _signature_add(
            signing_request=signing_request,
            user=user,
            password=password,
            otp_code=otp_code,
            mandate=(mandate or "").strip()[:300],
            mandate_date=mandate_date,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    except _WrongFactor as wrong:
        # The attempt rolled back; its failure is recorded on its own, and may lock signing.
        until = failure_record(
            user=user,
            scope=SIGNING_THROTTLE,
            object_type=wrong.signable.key,
            object_id=wrong.signable.pk,
            round=wrong.round,
            reason=wrong.reason,
            ip_address=ip_address,
        )
        if until is not None:
            raise SigningLocked(_locked_message(until)) from None
        raise SigningError(str(wrong), field=wrong.field) from None


@transaction.atomic
def _signature_add(
    *,
    signing_request: SigningRequest,
    user: Any,
    password: str,
    otp_code: str,
    mandate: str,
    mandate_date: date | None,
    ip_address: str | None,
    user_agent: str,
) -> Signature:
    membership = _signing_membership(signing_request=signing_request, user=user)
    signable = signing_request_signable(signing_request)
    _lock(signable)
    signing_request = SigningRequest.objects.select_for_update().get(pk=signing_request.pk)
    # Read under the lock and before the two factors: a double click or a colleague of the same
    # party signing at the same moment is told the party signed, and the second use of the same
    # code is not counted as a wrong code (which could lock the person out).
    if _has_signed(signing_request, membership.party):
        raise _already_signed(membership.party)
    if signing_request.status != SigningRequest.Status.OPEN:
        raise SigningError(
            _("Deze ondertekenronde is afgesloten; er kan niet meer worden getekend.")
        )
    until = locked_until(user=user, scope=SIGNING_THROTTLE)
    if until is not None:
        raise SigningLocked(_locked_message(until))
    if not password or not user.check_password(password):
        raise _WrongFactor(
            _("Het wachtwoord klopt niet. Er is niets ondertekend."),
            field="password",
            signable=signable,
            round=signing_request.round,
            reason="password",
        )
    if not twofactor.has_device(user):
        raise SigningError(
            _("Stel eerst tweestapsverificatie in; daarna kunt u tekenen."), field="otp_code"
        )
    second_factor = twofactor.code_check(user=user, code=otp_code)
    if second_factor is None:
        raise _WrongFactor(
            _("%(why)s Er is niets ondertekend.")
            % {"why": twofactor.wrong_code_message(user=user, code=otp_code)},
            field="otp_code",
            signable=signable,
            round=signing_request.round,
            reason="code",
        )
    # The document is frozen; this is the last line of defence against a changed document.
    if not live_data_matches(signable, signing_request):
        raise SigningError(
            _(
                "Wat dit document toont (bijvoorbeeld voorraadcijfers of de naam van een partij) "
                "is gewijzigd sinds het ter ondertekening werd aangeboden. Er is niets "
                "ondertekend. Teken niet, of vraag de werkgroep het opnieuw aan te bieden."
            )
        )
    method = (
        Signature.Method.PASSWORD_TOTP
        if second_factor == twofactor.Method.TOTP
        else Signature.Method.PASSWORD_RECOVERY
    )
    try:  # the unique constraint signature_once_per_party is the last guard (savepoint)
        with transaction.atomic():
            signature = Signature.objects.create(
                request=signing_request,
                party=membership.party,
                signer=user,
                signer_name=user.get_full_name() or user.get_username(),
                job_title=membership.job_title,
                role=membership.role,
                signed_at=timezone.now(),
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:500],
                method=method,
                mandate=mandate,
                mandate_date=mandate_date,
                content_hash=signing_request.content_hash,
                round=signing_request.round,
            )
    except IntegrityError:
        if _has_signed(signing_request, membership.party):  # committed by the other request
            raise _already_signed(membership.party) from None
        raise
    audit_log(
        actor=user,
        action="signature_add",
        object_type=signable.key,
        object_id=signable.pk,
        round=signing_request.round,
        party=membership.party.slug,
        content_hash=signing_request.content_hash,
        method=method,
        mandate=mandate,
        mandate_date=mandate_date.isoformat() if mandate_date else None,
    )
    signed = set(signing_request.signatures.values_list("party_id", flat=True))
    if signed >= set(signing_request.parties.values_list("pk", flat=True)):
        _complete(signing_request=signing_request, signable=signable, user=user)
    return signature


def _has_signed(signing_request: SigningRequest, party: Party) -> bool:
    return signing_request.signatures.filter(party_id=party.pk).exists()


def _already_signed(party: Party) -> AlreadyDone:
    return AlreadyDone(_("%(party)s heeft deze versie al ondertekend.") % {"party": party.name})


def _complete(*, signing_request: SigningRequest, signable: Signable, user: Any) -> None:
    """All parties signed: the document is signed, and its signed PDF rendered and stored once."""
    signing_request.status = SigningRequest.Status.SIGNED
    signing_request.completed_at = timezone.now()
    signable.on_all_signed(signing_request=signing_request)
    pdf = render_signed_pdf(signing_request=signing_request, signable=signable)
    try:  # sealed once, before the bytes and their SHA-256 are stored (agreements.signing.seal)
        place = signing_context(signing_request, signable)["place"]  # as at put-up
        pdf = seal_signed_pdf(pdf, signing_request=signing_request, place=place)
    except SealUnavailable as error:  # never an unsealed signed PDF: the signature is refused
        raise SigningError(error.user_message) from error
    signing_request.signed_pdf = pdf
    signing_request.signed_pdf_sha256 = sha256(pdf)
    signing_request.save()
    audit_log(
        actor=user,
        action="signing_completed",
        object_type=signable.key,
        object_id=signable.pk,
        round=signing_request.round,
        content_hash=signing_request.content_hash,
        pdf_sha256=signing_request.signed_pdf_sha256,
    )
    parties = list(signing_request.parties.all())
    _mail(
        subject=_("Ondertekend door alle partijen: %(title)s") % {"title": signing_request.title},
        template="agreements/signing/mail_signed.txt",
        context={"request": signing_request, "url": signable.get_absolute_url()},
        users=_people(parties, {Membership.Role.SIGNATORY, Membership.Role.WORKING_GROUP})
        + [signing_request.put_up_by],
    )


def render_signed_pdf(*, signing_request: SigningRequest, signable: Signable) -> bytes:
    """The document as it was put up for signing (the stored print HTML of the round), followed
    by the signature page and audit section. Never from live data: a party renamed or a stock
    figure imported after put-up does not reach the signed PDF."""
    signing = signing_context(signing_request, signable)
    if signing_request.document_html:
        return html_to_pdf(signed_document_html(signing_request, signing=signing))
    # A round put up before snapshots were stored: its document as it renders now.
    context = {
        **signable.pdf_context(),
        "document_template": signable.pdf_template(),
        "signing": signing,
    }
    return render_pdf("agreements/print/signed.html", context, use_cache=False)


@transaction.atomic
def signing_decline(*, signing_request: SigningRequest, user: Any, reason: str) -> SigningRequest:
    """A signatory declines with a reason: the round ends, the document returns to concept."""
    membership = _signing_membership(signing_request=signing_request, user=user)
    reason = (reason or "").strip()
    if not reason:
        raise SigningError(_("Geef een reden op waarom u niet tekent."))
    signable = signing_request_signable(signing_request)
    _lock(signable)
    signing_request = SigningRequest.objects.select_for_update().get(pk=signing_request.pk)
    if signing_request.status != SigningRequest.Status.OPEN:
        raise SigningError(_("Deze ondertekenronde is afgesloten."))
    _close_declined(signing_request, by=user, party=membership.party, reason=reason)
    signable.on_declined(signing_request=signing_request)
    audit_log(
        actor=user,
        action="signing_decline",
        object_type=signable.key,
        object_id=signable.pk,
        round=signing_request.round,
        party=membership.party.slug,
        reason=reason,
    )
    parties = list(signing_request.parties.all())
    _mail(
        subject=_("Niet getekend: %(title)s") % {"title": signing_request.title},
        template="agreements/signing/mail_declined.txt",
        context={"request": signing_request, "url": signable.get_absolute_url()},
        users=_people(parties, {Membership.Role.SIGNATORY, Membership.Role.WORKING_GROUP})
        + [signing_request.put_up_by],
    )
    return signing_request


@transaction.atomic
def signing_withdraw(*, signable: Signable, actor: Any, reason: str) -> int:
    """Close the document's open signing round because the document was taken back (the
    working group reopened it). The round is recorded as declined, by ``actor``, with the
    reason; its signatures stay on record but never count again. Returns the rounds closed.

    The caller has checked that ``actor`` may take the document back (it is the document's own
    rule); the document's state change happens in the caller's transaction.
    """
    if not signable.can_be_put_up_by(actor):
        raise PermissionDenied(_("U kunt deze ondertekenronde niet intrekken."))
    _lock(signable)
    closed = 0
    for signing_request in SigningRequest.objects.select_for_update().filter(
        document_type=signable.key, object_id=signable.pk, status=SigningRequest.Status.OPEN
    ):
        _close_declined(signing_request, by=person(actor), party=None, reason=reason)
        audit_log(
            actor=actor,
            action="signing_withdraw",
            object_type=signable.key,
            object_id=signable.pk,
            round=signing_request.round,
            reason=reason,
        )
        closed += 1
    return closed


def _close_declined(
    signing_request: SigningRequest, *, by: Any, party: Party | None, reason: str
) -> None:
    """End an open round as declined: by a party's signatory, or (party None) taken back."""
    signing_request.status = SigningRequest.Status.DECLINED
    signing_request.completed_at = timezone.now()
    signing_request.declined_by = by
    signing_request.declined_party = party
    signing_request.decline_reason = reason
    signing_request.save()
