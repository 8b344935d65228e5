"""The jaarschijf as a signable document (agreements.signing), and its signing services.

- Put up: only a *definitief concept* can be put up for signing, by a working-group member of a
  party of the framework. Concept is refused on purpose: the working group first declares the
  content final (and everyone sees "definitief concept") before the parties are asked to sign.
  Putting it up moves the jaarschijf to *ter ondertekening* (frozen: jaarschijf_services
  refuses every edit, and on PostgreSQL the triggers of migration 0003 refuse raw SQL).
- Every party of the framework signs through one of its signatories; the last signature makes
  it *ondertekend* (jaarschijf_mark_signed) and marks the "Jaarschijf ondertekend" milestone
  done.
- A decline returns it to concept (jaarschijf_reopen, which raises ``signing_round``).
- Reopening by the working group goes through ``jaarschijf_signing_reopen``: the open round is
  closed, so the signatures already given are void and no more can be added.

The canonical content includes the jaarschijf's ``signing_round``: once the jaarschijf is
reopened, the content of an older round no longer matches, so signature_add refuses every late
signature on it even when the round was not closed (the last line of defence).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agreements.canonical import party_names
from agreements.models import Agreement, Party, Signature, SigningRequest
from agreements.selectors import framework_parties
from agreements.signing.registry import Signable, register
from agreements.signing.selectors import (
    DocumentSigningStatus,
    document_signing_status,
)
from agreements.signing.services import signing_withdraw
from core.actors import SIGNING
from core.drafting.models import PieceComment
from cycle.jaarschijf import selectors
from cycle.jaarschijf import services as js
from cycle.jaarschijf.bid_updates import pending_corporations
from cycle.models import Contribution, Jaarschijf, JaarschijfText, Milestone
from cycle.selectors import cycle_year_framework_in_force, step_deadline
from cycle.services import milestone_set_done

KEY = "jaarschijf"
# The process step of the calendar whose milestone is "the jaarschijf is signed" (15 December).
SIGNED_DELIVERABLE = "Jaarschijf ondertekend"


def _quantity(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def jaarschijf_content(jaarschijf: Jaarschijf) -> dict[str, Any]:
    """The jaarschijf as data, read fresh from the database (five queries).

    Its texts and every contribution, in a fixed order that does not depend on the database
    (NULL ordering differs between SQLite and PostgreSQL, so the sort is done here). Lifecycle
    fields (state, versions, timestamps, who edited) are not content; the signing round is.
    """
    obj = Jaarschijf.objects.select_related(
        "cycle_year__framework", "cycle_year__municipality"
    ).get(pk=jaarschijf.pk)
    framework = obj.cycle_year.framework
    texts = JaarschijfText.objects.filter(jaarschijf=obj).order_by("key")
    contributions = sorted(
        Contribution.objects.filter(jaarschijf=obj).select_related(
            "agreement__theme", "party", "target", "bid"
        ),
        key=lambda c: (
            c.agreement_id is None,
            c.agreement.theme.number if c.agreement_id else 0,
            c.agreement.number if c.agreement_id else 0,
            c.order,
            c.pk,
        ),
    )
    agreements = Agreement.objects.filter(theme__framework=framework).select_related("theme")
    named = {obj.cycle_year.municipality, *framework_parties(framework)}
    named |= {c.party for c in contributions}
    return {
        "document": KEY,
        "party_names": party_names(sorted(named, key=lambda p: p.slug)),
        "jaarschijf": {
            "plan_year": obj.plan_year,
            "cycle_year": obj.cycle_year.year,
            "municipality": obj.cycle_year.municipality.slug,
            "framework": framework.slug,
            "framework_title": framework.title,
            "framework_version": framework.version,
            "signing_round": obj.signing_round,
        },
        # The framework's agreements as the page and PDF name them (an addendum may retitle one).
        "agreements": {a.code: a.title for a in agreements},
        "texts": [{"key": piece.key, "text": piece.text} for piece in texts],
        "contributions": [
            {
                "agreement": c.agreement.code if c.agreement_id else None,
                "party": c.party.slug,
                "text": c.text,
                "quantity": _quantity(c.quantity),
                "unit": c.unit,
                "planned_quarter": c.planned_quarter,
                "target": c.target.code if c.target_id else None,
                "done": c.done,
                "source": c.source,
                # The bid version a contribution "uit het bod" cites (a submitted bid is final).
                "bid_version": c.bid.version if c.bid_id else None,
                "order": c.order,
            }
            for c in contributions
        ],
    }


def _content_round(signing_request: SigningRequest) -> int:
    """The jaarschijf's signing round that this signing request froze (from its content)."""
    return int(json.loads(signing_request.content)["jaarschijf"]["signing_round"])


def signed_milestone(jaarschijf: Jaarschijf) -> Milestone | None:
    return Milestone.objects.filter(
        cycle_year_id=jaarschijf.cycle_year_id, source_step__deliverable=SIGNED_DELIVERABLE
    ).first()


@register
class JaarschijfSignable(Signable):
    key = KEY
    model = Jaarschijf
    label = gettext_lazy("jaarschijf")

    obj: Jaarschijf

    def title(self) -> str:
        return str(self.obj)

    @classmethod
    def deadlines(cls, object_ids: Collection[int]) -> dict[int, dt.date]:
        """The deadline of the "Jaarschijf ondertekend" milestone of each one's cycle year."""
        rows = (
            Jaarschijf.objects.filter(pk__in=object_ids)
            .annotate(deadline=step_deadline(SIGNED_DELIVERABLE))
            .values_list("pk", "deadline")
        )
        return {pk: deadline for pk, deadline in rows if deadline is not None}

    def canonical_data(self) -> dict[str, Any]:
        return jaarschijf_content(self.obj)

    def parties(self) -> list[Party]:
        return framework_parties(self.obj.cycle_year.framework)

    def pdf_template(self) -> str:
        return "cycle/print/jaarschijf.html"

    def pdf_context(self) -> dict[str, Any]:
        # The print template shows nothing user-specific: an anonymous reader gives the page.
        jaarschijf = Jaarschijf.objects.select_related(
            "cycle_year__framework__municipality", "cycle_year__municipality"
        ).get(pk=self.obj.pk)
        page = selectors.jaarschijf_page(jaarschijf, AnonymousUser())
        contributions = [c for b in page.themes for a in b.agreements for c in a.contributions]
        return {
            "jaarschijf": jaarschijf,
            "page": page,
            "framework": jaarschijf.cycle_year.framework,
            "totals": selectors.target_totals(jaarschijf, contributions + page.unlinked),
        }

    def get_absolute_url(self) -> str:
        return reverse("cycle:jaarschijf-detail", args=[self.obj.pk])

    def can_put_up(self) -> bool:
        return _can_put_up(self.obj)

    def is_frozen(self) -> bool:
        return self.obj.state in {Jaarschijf.State.FOR_SIGNING, Jaarschijf.State.SIGNED}

    def put_up_warnings(self) -> list[str]:
        return put_up_warnings(self.obj)

    def _request(self, round: int) -> SigningRequest:
        return SigningRequest.objects.select_related("put_up_by").get(
            document_type=KEY, object_id=self.obj.pk, round=round
        )

    def on_put_up(self, *, round: int) -> None:
        actor = self._request(round).put_up_by
        self.obj = js.jaarschijf_set_state(
            actor=actor, jaarschijf=self.obj, state=Jaarschijf.State.FOR_SIGNING
        )

    def on_all_signed(self, *, signing_request: Any) -> None:
        self.obj = js.jaarschijf_mark_signed(
            actor=SIGNING, jaarschijf=self.obj, signing_round=_content_round(signing_request)
        )
        milestone = signed_milestone(self.obj)
        if milestone is not None:
            milestone_set_done(actor=SIGNING, milestone=milestone, done=True)

    def on_declined(self, *, signing_request: Any) -> None:
        # The decliner is a signatory, not the working group: the system takes it back.
        reason = _("Niet getekend door %(party)s: %(reason)s") % {
            "party": signing_request.declined_party.name if signing_request.declined_party else "–",
            "reason": signing_request.decline_reason,
        }
        self.obj = js.jaarschijf_reopen(actor=SIGNING, jaarschijf=self.obj, reason=reason)


# --- reads and writes of the jaarschijf's signing ------------------------------------------


def signing_status(jaarschijf: Jaarschijf, user: Any) -> DocumentSigningStatus:
    """The signing status of the jaarschijf for this user.

    Render it with ``templates/cycle/jaarschijf/_signing.html`` as the context variable
    ``signing``.
    """
    return document_signing_status(
        signable=JaarschijfSignable(jaarschijf),
        framework=jaarschijf.cycle_year.framework,
        user=user,
        can_put_up=lambda _request: _can_put_up(jaarschijf),
    )


def put_up_warnings(jaarschijf: Jaarschijf) -> list[str]:
    """Why the working group might wait: no framework in force for its year, bids newer than
    the jaarschijf, open comments."""
    warnings = []
    if cycle_year_framework_in_force(jaarschijf.cycle_year) is None:
        warnings.append(
            _(
                "Er is geen vastgesteld kader voor %(year)s: de jaarschijf werkt een kader uit "
                "dat voor dat jaar niet geldt. Stel een nieuw kader op of verleng het huidige."
            )
            % {"year": jaarschijf.plan_year}
        )
    pending = pending_corporations(jaarschijf)
    if pending:
        warnings.append(
            _(
                "Er is een nieuwer bod dan in de jaarschijf staat, van: %(parties)s. Werk de "
                "jaarschijf eerst bij uit het bod, of teken met de cijfers van nu."
            )
            % {
                "parties": ", ".join(
                    _("%(party)s (versie %(version)s)")
                    % {"party": update.corporation.name, "version": update.bid.version}
                    for update in pending
                )
            }
        )
    open_comments = PieceComment.objects.filter(
        **js.ref(jaarschijf.pk).filter(), parent=None, resolved=False
    ).count()
    if open_comments:
        warnings.append(
            ngettext(
                "Er staat nog %(count)d reactie open.",
                "Er staan nog %(count)d reacties open.",
                open_comments,
            )
            % {"count": open_comments}
        )
    return warnings


def _stale_open_round(jaarschijf: Jaarschijf) -> bool:
    """An open round of an earlier signing round of the jaarschijf (it was reopened without
    closing the round, i.e. not through jaarschijf_signing_reopen)."""
    return SigningRequest.objects.filter(
        document_type=KEY, object_id=jaarschijf.pk, status=SigningRequest.Status.OPEN
    ).exists()


def _can_put_up(jaarschijf: Jaarschijf) -> bool:
    # A definitief concept cannot have an open round of its own; one that is still open belongs
    # to an earlier round and would make a new one fail. The working group reopens through
    # jaarschijf_signing_reopen, which closes it.
    return jaarschijf.state == Jaarschijf.State.FINAL_DRAFT and not _stale_open_round(jaarschijf)


def unsigned_parties(jaarschijf: Jaarschijf) -> list[Party] | None:
    """The parties that have not yet signed the open round, or None when no round is open for
    the jaarschijf's current signing round (not put up, signed, or reopened)."""
    if jaarschijf.state != Jaarschijf.State.FOR_SIGNING:
        return None
    request = (
        SigningRequest.objects.filter(
            document_type=KEY, object_id=jaarschijf.pk, status=SigningRequest.Status.OPEN
        )
        .prefetch_related("parties")
        .first()
    )
    if request is None or _content_round(request) != jaarschijf.signing_round:
        return None
    signed = set(Signature.objects.filter(request=request).values_list("party_id", flat=True))
    return [party for party in request.parties.all() if party.pk not in signed]


@transaction.atomic
def jaarschijf_signing_reopen(
    *, actor: Any, jaarschijf: Jaarschijf, reason: str = ""
) -> Jaarschijf:
    """The working group takes a jaarschijf ter ondertekening back to concept.

    jaarschijf_reopen raises the signing round; the open signing round is closed in the same
    transaction (status "geweigerd", by the working-group member, with the reason), so the
    signatures already given are void: they stay on record but never count, and no one can
    sign that round any more.
    """
    jaarschijf = js.jaarschijf_reopen(actor=actor, jaarschijf=jaarschijf, reason=reason)
    reason = (reason or "").strip()
    note = _("Teruggezet naar concept door de werkgroep")
    signing_withdraw(
        signable=JaarschijfSignable(jaarschijf),
        actor=actor,
        reason=f"{note}: {reason}" if reason else note,
    )
    return jaarschijf
