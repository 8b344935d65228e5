"""What can be drafted: a small registry of drafted document types (the adapter style of
agreements.signing.registry).

A document type subclasses ``Drafted`` in its own app, fills in the few questions the generic
services ask (who may comment, does a piece exist, who hears of a comment, how a stored version
is put back), and registers it with ``@register``; its module is imported by the app's
``ready()``. Which pieces exist, who edits them, how a piece is snapshotted and the state lock
stay with the document's own services: they call core.drafting.services to record a change and
to save a version, passing the snapshot function and the piece type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from django.db import models
from django.http import Http404


class DocumentRef(NamedTuple):
    """A drafted document: its type key and id."""

    type: str
    id: int

    def filter(self) -> dict[str, Any]:
        return {"document_type": self.type, "document_id": self.id}


@dataclass(frozen=True)
class DraftingUrls:
    """The URL names the shared templates (templates/core/drafting/) use, and the argument
    that names the document in them (a pk or a slug). Every piece URL takes
    ``(key, piece_type, piece_id)``; ``resolve`` takes the comment's pk alone."""

    key: Any
    comment: str
    resolve: str
    presence: str
    piece_history: str
    # The template that describes a change of the document itself (its state) in the history.
    document_change_template: str = ""


_REGISTRY: dict[str, type[Drafted]] = {}


class Drafted:
    """Adapter around one drafted document. Subclass, fill in, and ``@register`` it."""

    key: ClassVar[str]
    model: ClassVar[type[models.Model]]
    # The piece type of the document itself (its state changes are recorded under it).
    document_piece: ClassVar[str]

    def __init__(self, obj: models.Model):
        self.obj = obj

    @property
    def ref(self) -> DocumentRef:
        return DocumentRef(self.key, self.obj.pk)

    @classmethod
    def load(cls, pk: int) -> Drafted:
        return cls(cls.model._default_manager.get(pk=pk))

    # --- access ---------------------------------------------------------------------------
    def can_comment(self, user: Any) -> bool:
        raise NotImplementedError

    def author_party(self, user: Any) -> Any:
        """The party a comment's author speaks for (stored with the comment)."""
        return None

    # --- pieces ---------------------------------------------------------------------------
    def piece_exists(self, piece_type: str, piece_id: int) -> bool:
        raise NotImplementedError

    def restore(
        self, *, actor: Any, piece_type: str, piece_id: int, values: dict, expected_version: int
    ) -> Any:
        """Save ``values`` (a stored version's content) as the piece's next version."""
        raise NotImplementedError

    # --- comments by e-mail ---------------------------------------------------------------
    def comment_recipients(self, piece_type: str, piece_id: int) -> Any:
        """The users (a queryset) who hear of a comment on this piece."""
        raise NotImplementedError

    def comment_mail(self, *, author: str, text: str) -> tuple[str, str]:
        """Subject and body of the e-mail about a new comment."""
        raise NotImplementedError


def register(cls: type[Drafted]) -> type[Drafted]:
    _REGISTRY[cls.key] = cls
    return cls


def drafted_for(document_type: str, pk: int) -> Drafted:
    """The adapter of a stored document; Http404 when the type or the document is unknown."""
    cls = _REGISTRY.get(document_type)
    if cls is None:
        raise Http404("Onbekend document")
    try:
        return cls.load(pk)
    except cls.model.DoesNotExist:
        raise Http404("Document niet gevonden") from None
