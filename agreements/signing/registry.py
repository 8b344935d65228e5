"""What can be signed: a small registry of signable document types.

A document type registers an adapter: a subclass of ``Signable`` that wraps one object and says
what its canonical content is, which parties must sign, how it is printed, and what happens to
the object when it is put up for signing, signed by all or declined. The signing services
(agreements.signing.services) and views only ever talk to adapters, so the jaarschijf and the
evaluation plug in with a few lines in their own app, e.g. in cycle/jaarschijf/signing.py::

    from agreements.signing.registry import Signable, register

    @register
    class JaarschijfSignable(Signable):
        key = "jaarschijf"                       # URL segment and SigningRequest.document_type
        model = Jaarschijf
        label = _("jaarschijf")

        def title(self): return str(self.obj)
        def canonical_data(self): return jaarschijf_content(self.obj)
        def parties(self): return list(self.obj.cycle_year.framework.parties.all())
        def pdf_template(self): return "cycle/print/jaarschijf.html"
        def pdf_context(self): return {...}
        def can_put_up(self): return self.obj.state == Jaarschijf.State.FINAL_DRAFT
        def is_frozen(self): return self.obj.state in {...TER_ONDERTEKENING, ONDERTEKEND}
        def on_put_up(self, *, round): ...set state "ter ondertekening", signing_round = round
        def on_all_signed(self, *, signing_request): ...set state "ondertekend"
        def on_declined(self, *, signing_request): ...back to "concept"
        def get_absolute_url(self): return reverse(...)

and import that module in CycleConfig.ready(). Access (who may read, who may put up) defaults
to "a member of one of the document's parties" and "a working-group member of one of them";
override ``readable_by``/``can_be_put_up_by`` when a type needs otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.http import Http404
from django.template.loader import render_to_string

from agreements.access import AnyUser, user_standing
from agreements.canonical import canonical_bytes
from agreements.models import Party
from agreements.signing.changes import Change, party_name_changes

_REGISTRY: dict[str, type[Signable]] = {}


class Signable:
    """Adapter around one signable object. Subclass, fill in, and ``@register`` it."""

    key: ClassVar[str]
    model: ClassVar[type[models.Model]]
    label: ClassVar[Any]

    def __init__(self, obj: models.Model):
        self.obj = obj

    @property
    def pk(self) -> int:
        return self.obj.pk

    # --- content --------------------------------------------------------------------------
    def title(self) -> str:
        return str(self.obj)

    def canonical_data(self) -> dict[str, Any]:
        """Everything the document's page and PDF show, as JSON-able data (agreements.canonical):
        at put-up it is hashed and stored (agreements.signing.snapshot). Include
        ``party_names`` ({slug: name}) for the parties the document names."""
        raise NotImplementedError

    def canonical_content(self) -> bytes:
        return canonical_bytes(self.canonical_data())

    # The document part of the document's page, rendered without a request at put-up and shown
    # instead of live data while the round is open or signed; None: the page has none (it shows
    # only frozen tables).
    page_template: ClassVar[str | None] = None

    def page_context(self) -> dict[str, Any]:
        return {}

    def render_page(self) -> str:
        if self.page_template is None:
            return ""
        return render_to_string(self.page_template, self.page_context())

    def snapshot_changes(self, signed: dict[str, Any], live: dict[str, Any]) -> list[Change]:
        """What changed in the live data since the snapshot, worth a note on the page."""
        return party_name_changes(signed, live)

    def snapshot_shown(self, signed: dict[str, Any], live: dict[str, Any]) -> bool:
        """Whether the page shows the stored page part (else the live document)."""
        return True

    def parties(self) -> list[Party]:
        """Every party that must sign; each signs through one of its signatories."""
        raise NotImplementedError

    def pdf_template(self) -> str:
        raise NotImplementedError

    def pdf_context(self) -> dict[str, Any]:
        raise NotImplementedError

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    @classmethod
    def deadlines(cls, object_ids: Collection[int]) -> dict[int, dt.date]:
        """Per document (by primary key) the date before which its parties sign ("vóór", an
        exclusive date), for every document given in one query; documents without a deadline
        are left out. By default a type has none."""
        return {}

    # --- state ----------------------------------------------------------------------------
    def can_put_up(self) -> bool:
        """Whether the document is in a state that may be put up for signing."""
        return not self.is_frozen()

    def is_frozen(self) -> bool:
        raise NotImplementedError

    def put_up_warnings(self) -> list[str]:
        """What the working group should know before putting it up (Dutch sentences); with
        any, signing_put_up starts the round only when the put-up is confirmed."""
        return []

    def on_put_up(self, *, round: int) -> None:
        raise NotImplementedError

    def on_all_signed(self, *, signing_request: Any) -> None:
        raise NotImplementedError

    def on_declined(self, *, signing_request: Any) -> None:
        raise NotImplementedError

    # --- access ---------------------------------------------------------------------------
    def party_ids(self) -> set[int]:
        """The primary keys of ``parties()``, asked once per adapter."""
        if not hasattr(self, "_party_ids"):
            self._party_ids = {party.pk for party in self.parties()}
        return self._party_ids

    def readable_by(self, user: AnyUser) -> bool:
        """A member of one of the document's parties (and a superuser)."""
        standing = user_standing(user)
        if standing.is_superuser or standing.is_system:
            return True
        return standing.party_id is not None and standing.party_id in self.party_ids()

    def can_be_put_up_by(self, user: AnyUser) -> bool:
        """A working-group member of one of the document's parties."""
        standing = user_standing(user)
        if not standing.is_working_group:
            return False
        return standing.is_system or standing.party_id in self.party_ids()


def register(cls: type[Signable]) -> type[Signable]:
    _REGISTRY[cls.key] = cls
    return cls


def signable_types() -> dict[str, type[Signable]]:
    return dict(_REGISTRY)


def adapter_for(obj: models.Model) -> Signable:
    for cls in _REGISTRY.values():
        if isinstance(obj, cls.model):
            return cls(obj)
    raise LookupError(f"{type(obj).__name__} is not signable")


def load_signable(document_type: str, pk: int) -> Signable:
    """The adapter of a document by type key and primary key, or Http404."""
    cls = _REGISTRY.get(document_type)
    if cls is None:
        raise Http404("Onbekend soort document")
    try:
        return cls(cls.model._default_manager.get(pk=pk))
    except cls.model.DoesNotExist:
        raise Http404("Document niet gevonden") from None


def get_signable_for_user(
    user: AbstractBaseUser | AnonymousUser, document_type: str, pk: int
) -> Signable:
    signable = load_signable(document_type, pk)
    if not signable.readable_by(user):
        raise Http404("Document niet gevonden")
    return signable
