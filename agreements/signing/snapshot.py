"""A signed document is its snapshot: what was put up for signing, kept with the round.

At put-up (services.signing_put_up) three things are taken from the live data and stored on the
SigningRequest, once:

- ``content``: the document's canonical data (Signable.canonical_data: texts, targets, figures,
  calendar, parties and their names, printed signatories, traffic lights with their rules, and
  whatever those lights are computed from), plus the SHA-256 of the two renderings below, as
  canonical JSON; ``content_hash`` is its SHA-256. So the hash covers what is shown.
- ``document_html``: the document's print rendering (its pdf_template and pdf_context, through
  core.pdf.render_html) in snapshot mode: lifecycle facts that change when the round completes
  (the cover's "Ondertekening" line) sit between SIGNING_FACT markers.
- ``page_html``: the document part of its page (Signable.page_template), for the types whose
  page shows data from outside their frozen tables (the evaluation's lights, the framework's
  party names); "" for the others.

The signed PDF is the stored document HTML with the signing section added (signed_document_html);
a page of a document whose current round is open or signed shows the stored page part
(current_snapshot). Live data can no longer alter either; where live data has changed since in a
way that matters, the page says so (Signable.snapshot_changes), with a link to the live data.

The last line of defence in signature_add compares the *data* (live_data_matches), not a
re-rendering: the print HTML of a document is not byte-stable across its own put-up (the cover
states where signing stands).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from agreements.canonical import canonical_bytes, sha256
from agreements.models import Party, SigningRequest
from agreements.signing.changes import Change
from core.pdf import html_pdf, render_html

if TYPE_CHECKING:
    from agreements.signing.registry import Signable

# The key of ``content`` that holds the SHA-256 of the renderings (not data of the document).
RENDERING = "rendering"
SIGNING_FACT_START = "<!--signing-fact-->"
SIGNING_FACT_END = "<!--/signing-fact-->"
_SIGNING_FACT = re.compile(
    re.escape(SIGNING_FACT_START) + ".*?" + re.escape(SIGNING_FACT_END), re.S
)
_BODY_END = "</body>"


@dataclass(frozen=True)
class Snapshot:
    content: bytes
    document_html: str
    page_html: str


@dataclass
class SnapshotView:
    """What a page shows of a document's current round: the stored page part, and the notes."""

    request: SigningRequest
    changes: list[Change] = field(default_factory=list)
    # False when the live document legitimately moved on (a framework amended by an addendum):
    # the page then shows the live document, with a note.
    shown: bool = True

    @property
    def is_signed(self) -> bool:
        return self.request.status == SigningRequest.Status.SIGNED

    @property
    def date(self) -> dt.datetime:
        return self.request.completed_at if self.is_signed else self.request.put_up_at

    @property
    def page_html(self) -> str:
        return self.request.page_html


def _digest(text: str) -> str:
    return sha256(text.encode("utf-8"))


def snapshot_take(signable: Signable, *, put_up_at: dt.datetime) -> Snapshot:
    """The document's data and renderings as they are now (in the portal's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        data = signable.canonical_data()
        context = {**signable.pdf_context(), "snapshot": {"put_up_at": put_up_at}}
        document_html = render_html(signable.pdf_template(), context)
        page_html = signable.render_page()
    content = canonical_bytes(
        {
            **data,
            RENDERING: {
                "document_html_sha256": _digest(document_html),
                "page_html_sha256": _digest(page_html) if page_html else "",
            },
        }
    )
    return Snapshot(content=content, document_html=document_html, page_html=page_html)


def signed_data(signing_request: SigningRequest) -> dict[str, Any]:
    """The document's data as put up (``content`` without the SHA-256 of its renderings)."""
    data = json.loads(signing_request.content)
    data.pop(RENDERING, None)
    return data


def live_data(signable: Signable) -> dict[str, Any]:
    """The document's data as it is now, in the same JSON shape as signed_data."""
    with translation.override(settings.LANGUAGE_CODE):
        return json.loads(canonical_bytes(signable.canonical_data()))


def live_data_matches(signable: Signable, signing_request: SigningRequest) -> bool:
    return live_data(signable) == signed_data(signing_request)


def renderings_match(signing_request: SigningRequest) -> bool:
    """Whether the stored renderings are the ones the hash covers (verify page, tests)."""
    rendering = json.loads(signing_request.content).get(RENDERING) or {}
    page = signing_request.page_html
    return rendering.get("document_html_sha256") == _digest(signing_request.document_html) and (
        rendering.get("page_html_sha256") == (_digest(page) if page else "")
    )


def signing_context(signing_request: SigningRequest, signable: Signable) -> dict[str, Any]:
    """The ``signing`` context of the signing section (agreements/print/_signing.html): the
    round's signatures, with the parties named and the place given as the snapshot has them
    (``party_names``), so that a party renamed later is not renamed in the signed PDF."""
    names = signed_data(signing_request).get("party_names") or {}
    signatures = list(
        signing_request.signatures.select_related("party").order_by("signed_at", "id")
    )
    for signature in signatures:  # in memory only: the name as put up, for the print
        signature.party.name = names.get(signature.party.slug, signature.party.name)
    place = ""
    for party in signable.parties():
        if party.kind == Party.Kind.MUNICIPALITY:
            place = names.get(party.slug, party.name).removeprefix("Gemeente ").strip()
            break
    return {
        "request": signing_request,
        "signatures": signatures,
        "place": place,
        "label": signable.label,
    }


def signed_document_html(signing_request: SigningRequest, *, signing: dict[str, Any]) -> str:
    """The stored document HTML with the cover's signing fact and the signing section of the
    completed round (agreements/print/_signing.html) added before the end of its body."""
    html = signing_request.document_html
    with translation.override(settings.LANGUAGE_CODE):
        fact = render_to_string("print/_signing_fact.html", {"signing": signing}).strip()
        section = render_to_string("agreements/print/_signing.html", {"signing": signing})
    html = _SIGNING_FACT.sub(lambda _m: fact, html)
    head, found, tail = html.rpartition(_BODY_END)
    if not found:
        return html + section
    return head + section + found + tail


def snapshot_pdf(signing_request: SigningRequest) -> bytes:
    """The PDF of a round's snapshot: the signed PDF once signed, else the stored document as
    put up (its cover says "ter ondertekening aangeboden op ...")."""
    if signing_request.signed_pdf:
        return bytes(signing_request.signed_pdf)
    return html_pdf(signing_request.document_html)


def current_request(signable: Signable) -> SigningRequest | None:
    """The document's current round (the latest), when it is open or signed and has a snapshot."""
    request = (
        SigningRequest.objects.filter(document_type=signable.key, object_id=signable.pk)
        .order_by("-round")
        .first()
    )
    if request is None or request.status == SigningRequest.Status.DECLINED:
        return None
    if not request.document_html:
        return None  # a round from before snapshots were taken
    return request


def current_snapshot(signable: Signable) -> SnapshotView | None:
    """What the document's page shows of its current round, or None (show the live page).

    Signable.snapshot_shown decides whether the stored page part still is the document (a
    framework changed by an addendum is shown live again, with a note)."""
    request = current_request(signable)
    if request is None:
        return None
    signed, live = signed_data(request), live_data(signable)
    return SnapshotView(
        request=request,
        changes=signable.snapshot_changes(signed, live),
        shown=bool(request.page_html) and signable.snapshot_shown(signed, live),
    )
