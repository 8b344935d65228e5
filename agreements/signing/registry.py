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
        def canonical_content(self): return canonical_bytes(jaarschijf_content(self.obj))
        def parties(self): return list(self.obj.cycle_year.framework.parties.all())
        def pdf_template(self): return "cycle/print/jaarschijf.html"
        def pdf_context(self): return {...}
        def can_put_up(self): return self.obj.state == Jaarschijf.State.FINAL_DRAFT
        def is_frozen(self): return self.obj.state in {...TER_ONDERTEKENING, ONDERTEKEND}
        def on_put_up(self, *, round): ...set state "ter ondertekening", signing_round = round
        def on_all_signed(self, *, request): ...set state "ondertekend"
        def on_declined(self, *, request): ...back to "concept"
        def get_absolute_url(self): return reverse(...)

and import that module in CycleConfig.ready(). Access (who may read, who may put up) defaults
to "a member of one of the document's parties" and "a working-group member of one of them";
override ``readable_by``/``can_be_put_up_by`` when a type needs otherwise.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import canonical, selectors
from agreements.access import user_membership
from agreements.models import Addendum, Framework, Membership, Party
from agreements.signing.freeze import SIGNING_STATE_OPEN, SIGNING_STATE_SIGNED, SIGNING_STATE_UP

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

    def canonical_content(self) -> bytes:
        raise NotImplementedError

    def parties(self) -> list[Party]:
        """Every party that must sign; each signs through one of its signatories."""
        raise NotImplementedError

    def pdf_template(self) -> str:
        raise NotImplementedError

    def pdf_context(self) -> dict[str, Any]:
        raise NotImplementedError

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    # --- state ----------------------------------------------------------------------------
    def can_put_up(self) -> bool:
        """Whether the document is in a state that may be put up for signing."""
        return not self.is_frozen()

    def is_frozen(self) -> bool:
        raise NotImplementedError

    def on_put_up(self, *, round: int) -> None:
        raise NotImplementedError

    def on_all_signed(self, *, request: Any) -> None:
        raise NotImplementedError

    def on_declined(self, *, request: Any) -> None:
        raise NotImplementedError

    # --- access ---------------------------------------------------------------------------
    def readable_by(self, user: AbstractBaseUser | AnonymousUser) -> bool:
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        membership = user_membership(user)
        return membership is not None and membership.party_id in {p.pk for p in self.parties()}

    def can_be_put_up_by(self, user: AbstractBaseUser | AnonymousUser) -> bool:
        membership = user_membership(user)
        return (
            membership is not None
            and membership.role == Membership.Role.WORKING_GROUP
            and membership.party_id in {p.pk for p in self.parties()}
        )


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


# --- the framework ------------------------------------------------------------------------


@register
class FrameworkSignable(Signable):
    key = "kader"
    model = Framework
    label = _("meerjarig kader")

    obj: Framework

    def title(self) -> str:
        return f"{self.obj.title} (versie {self.obj.version})"

    def canonical_content(self) -> bytes:
        return canonical.canonical_bytes(canonical.framework_content(self.obj))

    def parties(self) -> list[Party]:
        return selectors.framework_parties(self.obj)

    def pdf_template(self) -> str:
        return "agreements/print/framework.html"

    def pdf_context(self) -> dict[str, Any]:
        return {
            "framework": self.obj,
            "themes": selectors.framework_themes(self.obj),
            "parties": selectors.framework_parties(self.obj),
            "signatories": selectors.framework_signatories(self.obj),
            "process_steps": selectors.framework_process_steps(self.obj),
        }

    def get_absolute_url(self) -> str:
        return reverse("agreements:framework-detail", args=[self.obj.slug])

    def can_put_up(self) -> bool:
        # Not while an addendum that would change it awaits the parties' consent.
        return (
            self.obj.signing_state == SIGNING_STATE_OPEN
            and not self.obj.addenda.filter(status=Addendum.Status.UP_FOR_SIGNING).exists()
        )

    def is_frozen(self) -> bool:
        return self.obj.signing_state != SIGNING_STATE_OPEN

    def _set_state(self, state: str) -> None:
        Framework.objects.filter(pk=self.obj.pk).update(signing_state=state)
        self.obj.signing_state = state

    def on_put_up(self, *, round: int) -> None:
        self._set_state(SIGNING_STATE_UP)

    def on_all_signed(self, *, request: Any) -> None:
        self._set_state(SIGNING_STATE_SIGNED)

    def on_declined(self, *, request: Any) -> None:
        self._set_state(SIGNING_STATE_OPEN)


# --- addenda ------------------------------------------------------------------------------


@register
class AddendumSignable(Signable):
    """Accepting an addendum is signing it; rejecting is declining (and final)."""

    key = "addendum"
    model = Addendum
    label = _("addendum")

    obj: Addendum

    def title(self) -> str:
        return f"Addendum {self.obj.number} bij {self.obj.framework.title}: {self.obj.title}"

    def canonical_content(self) -> bytes:
        return canonical.canonical_bytes(canonical.addendum_content(self.obj))

    def parties(self) -> list[Party]:
        return selectors.framework_parties(self.obj.framework)

    def pdf_template(self) -> str:
        return "agreements/print/addendum.html"

    def pdf_context(self) -> dict[str, Any]:
        from agreements.addenda.services import addendum_changes_with_diff

        return {
            "addendum": self.obj,
            "framework": self.obj.framework,
            "changes": addendum_changes_with_diff(self.obj),
            "parties": self.parties(),
        }

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:addendum-detail", args=[self.obj.framework.slug, self.obj.number]
        )

    def can_put_up(self) -> bool:
        return (
            self.obj.status == Addendum.Status.CONCEPT
            and self.obj.base_version == self.obj.framework.version
            and self.obj.framework.signing_state != SIGNING_STATE_UP
            and self.obj.changes.exists()
            and not self.obj.framework.addenda.filter(
                status=Addendum.Status.UP_FOR_SIGNING
            ).exists()
        )

    def is_frozen(self) -> bool:
        return self.obj.status != Addendum.Status.CONCEPT

    def _set_status(self, status: str) -> None:
        self.obj.status = status
        self.obj.save(update_fields=["status", "decided_at"])

    def on_put_up(self, *, round: int) -> None:
        self._set_status(Addendum.Status.UP_FOR_SIGNING)

    def on_all_signed(self, *, request: Any) -> None:
        from agreements.addenda.services import addendum_apply

        addendum_apply(addendum=self.obj, signing_request=request)

    def on_declined(self, *, request: Any) -> None:
        self.obj.decided_at = request.completed_at
        self._set_status(Addendum.Status.REJECTED)
