"""One freeze rule for every signable document: what is up for signing or signed cannot change.

Every signable document type (the framework, an addendum, the jaarschijf, the evaluation) plugs
into the same mechanism, at three levels:

1. the model: ``save()``/``delete()`` of the document and of every row that is part of its
   content (``FrozenModel``);
2. the queryset: ``update()``/``delete()`` in bulk, and so ``bulk_update`` (``FrozenQuerySet``),
   plus many-to-many ``add``/``remove``/``clear`` (``m2m_guard``, connected in
   AgreementsConfig.ready for every relation of a FrozenModel);
3. PostgreSQL triggers for raw SQL, built by agreements.signing.db from the same declarations.

A model plugs in by subclassing ``FrozenModel`` and saying which document it belongs to:

    class Contribution(FrozenModel, models.Model):
        freeze_document = "cycle.Jaarschijf"     # the document's model label
        freeze_path = "jaarschijf_id"            # lookup from a row to the document's pk
        objects = FrozenQuerySet.as_manager()

and the document model (itself a FrozenModel with ``freeze_path = "pk"``) answers which of its
rows are frozen right now, in ``frozen_among(ids)``, and which of its own columns may still move
while it is frozen (``freeze_lifecycle``: its state and bookkeeping, never its content). A
document in a final state (``freeze_final``, e.g. signed) never leaves it.

The one sanctioned change of a frozen document is made by its own signing code: a signed
addendum amending the framework, the last signature adopting the evaluation. That code runs
inside ``lifting(document, authorised_by=signing_request)``. The signing round must be one that
may change this document (``freeze_lift_rounds``: an addendum round of the framework, the
evaluation's own round) and every party of it must have signed. ``lifting`` writes a row of the
append-only ledger ``FreezeLift`` (agreements.signing.lifts; one row per round, ever) and lifts
the freeze for that one document in this thread. On PostgreSQL the triggers lift it only for a
document with a ledger row written in the current transaction, and the ledger's own trigger
accepts a row only for a fully signed round that authorises the document: no setting an SQL
session can make lifts anything (agreements.signing.db says what a database superuser can still
do).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models
from django.utils.translation import gettext_lazy as _

SIGNING_STATE_OPEN = ""
SIGNING_STATE_UP = "ter_ondertekening"
SIGNING_STATE_SIGNED = "ondertekend"

# Ends a lift for the rest of the transaction (a setting can only close a lift, never open one).
CLOSE_LIFT_SQL = (
    "SELECT set_config('pa.lifts_closed', concat_ws(',', "
    "nullif(current_setting('pa.lifts_closed', true), ''), %s), true)"
)

_lifted: ContextVar[frozenset[tuple[str, int]]] = ContextVar("pa_lifted", default=frozenset())


class SignedDocumentError(ValidationError):
    """Raised on any attempt to change a frozen (up for signing) or signed document."""

    def __init__(self, message: Any = None):
        super().__init__(
            message
            or _(
                "Dit document is ter ondertekening aangeboden of ondertekend en kan niet worden "
                "gewijzigd."
            )
        )

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.messages)


def document_key(document: models.Model | type[models.Model] | str) -> str:
    if isinstance(document, str):
        return document
    return document._meta.label


def round_is_complete(signing_request: Any) -> bool:
    """The round is being completed: still open in the database (its completion is saved
    after its document is applied, agreements.signing.services) and every party signed it."""
    rounds = apps.get_model("agreements", "SigningRequest")._base_manager
    if not rounds.filter(pk=signing_request.pk, status="open").exists():
        return False
    parties = set(signing_request.parties.values_list("pk", flat=True))
    signed = set(signing_request.signatures.values_list("party_id", flat=True))
    return bool(parties) and parties <= signed


@contextmanager
def lifting(document: models.Model, *, authorised_by: Any) -> Iterator[None]:
    """Lift the freeze of one document while its own signing code changes it, authorised by a
    fully signed round (module doc). Refused for any other round."""
    model = type(document)
    if (
        document.pk is None
        or not model.freeze_lift_rounds(document.pk).filter(pk=authorised_by.pk).exists()
        or not round_is_complete(authorised_by)
    ):
        raise refusal(model)
    lifts = apps.get_model("agreements", "FreezeLift")
    if lifts.objects.filter(request_id=authorised_by.pk).exists():
        raise refusal(model)  # a round authorises one change, once
    key = (document_key(model), document.pk)
    lift = lifts.objects.create(document=key[0], object_id=key[1], request=authorised_by)
    token = _lifted.set(_lifted.get() | {key})
    try:
        yield
    except BaseException:
        _close_lift(lift.pk, quiet=True)
        raise
    else:
        _close_lift(lift.pk)
    finally:
        _lifted.reset(token)


def _close_lift(pk: int, *, quiet: bool = False) -> None:
    """The rest of this transaction is frozen again (agreements.signing.db). After an error the
    transaction may be failed already; it is rolled back then, ledger row and all."""
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(CLOSE_LIFT_SQL, [str(pk)])
    except DatabaseError:
        if not quiet:
            raise


def refusal(document: str | type[models.Model]) -> SignedDocumentError:
    """The error to raise for a change of this document type, in its own words."""
    return SignedDocumentError(apps.get_model(document_key(document)).freeze_message)


def frozen_document_ids(document: str | type[models.Model], ids: Iterable[Any]) -> set[int]:
    """Those of the documents that are frozen now and not being lifted by their signing code."""
    key = document_key(document)
    lifted = {pk for label, pk in _lifted.get() if label == key}
    wanted = {pk for pk in ids if pk is not None} - lifted
    if not wanted:
        return set()
    return apps.get_model(key).frozen_among(wanted)


def _content_fields(model: type[models.Model], lifecycle: frozenset[str]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in lifecycle and not f.primary_key
    ]


class FrozenModel(models.Model):
    """save()/delete() refuse to change a row of a frozen document (see the module doc)."""

    # The label of the document model ("agreements.Framework") and the lookup from a row of
    # this model to the document's primary key ("pk" on the document itself).
    freeze_document: ClassVar[str]
    freeze_path: ClassVar[str] = "pk"
    # Document models only: columns that may change while frozen, and the final states
    # (column, values) a document never leaves.
    freeze_lifecycle: ClassVar[frozenset[str]] = frozenset()
    freeze_final: ClassVar[tuple[str, frozenset[str]] | None] = None
    # Document models only: what a person is told when a change is refused (Dutch).
    freeze_message: ClassVar[Any] = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._freeze_check_save()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None:
            rows = type(self)._base_manager.filter(pk=self.pk)
            if frozen_document_ids(self.freeze_document, type(self).freeze_document_ids(rows)):
                raise refusal(self.freeze_document)
        return super().delete(*args, **kwargs)

    # --- which documents a row belongs to (override when there is no single lookup) ---------
    @classmethod
    def freeze_document_ids(cls, rows: models.QuerySet) -> Iterable[Any]:
        """The document ids of stored rows."""
        return rows.values_list(cls.freeze_path, flat=True).distinct()

    def freeze_own_document_ids(self) -> Iterable[Any]:
        """The document ids this (possibly unsaved) row would belong to."""
        if self.freeze_path == "pk":
            return [self.pk]
        value: Any = self
        for part in self.freeze_path.split("__"):
            if value is None:
                return []
            value = getattr(value, part)
        return [value]

    @classmethod
    def frozen_among(cls, ids: set[int]) -> set[int]:
        """Document models: which of these documents are frozen right now."""
        raise NotImplementedError

    @classmethod
    def freeze_lift_rounds(cls, pk: int) -> models.QuerySet:
        """Document models: the signing rounds that may authorise a change of this frozen
        document (``lifting``); none unless the document says so. Mirrored in SQL by its
        ``FrozenDocument.lift_sql`` (agreements.signing.db)."""
        return apps.get_model("agreements", "SigningRequest").objects.none()

    # --- the guard -----------------------------------------------------------------------
    def _freeze_check_save(self) -> None:
        model = type(self)
        ids = list(self.freeze_own_document_ids())
        stored = model._base_manager.filter(pk=self.pk) if self.pk is not None else None
        if stored is not None:
            # The row's document as stored (a row cannot be moved out of a frozen document).
            ids += list(model.freeze_document_ids(stored))
        if not frozen_document_ids(self.freeze_document, ids):
            return
        old = stored.first() if stored is not None else None
        if old is None:
            raise refusal(self.freeze_document)
        changed = {
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and getattr(self, f.attname) != getattr(old, f.attname)
        }
        if changed and not self.freeze_allows(old, changed):
            raise refusal(self.freeze_document)

    def freeze_allows(self, old: models.Model, changed: set[str]) -> bool:
        """May this change be saved while the document is frozen? Lifecycle columns only, and
        never out of a final state."""
        if not changed <= self.freeze_lifecycle:
            return False
        if self.freeze_final is not None:
            column, final = self.freeze_final
            if getattr(old, column) in final and getattr(self, column) != getattr(old, column):
                return False
        return True


class SignedInOwnRounds(FrozenModel):
    """A document signed in signing rounds of its own (SigningRequest.document_type is its
    ``signing_key``): frozen while such a round is open and once one is signed, and only such a
    round, signed by every party, may lift the freeze (the evaluations)."""

    signing_key: ClassVar[str]

    class Meta:
        abstract = True

    @classmethod
    def frozen_among(cls, ids: set[int]) -> set[int]:
        requests = apps.get_model("agreements", "SigningRequest")
        return set(
            requests.objects.filter(
                document_type=cls.signing_key,
                object_id__in=ids,
                status__in=[requests.Status.OPEN, requests.Status.SIGNED],
            ).values_list("object_id", flat=True)
        )

    @classmethod
    def freeze_lift_rounds(cls, pk: int) -> models.QuerySet:
        requests = apps.get_model("agreements", "SigningRequest")
        return requests.objects.filter(document_type=cls.signing_key, object_id=pk)

    @classmethod
    def own_round_state(cls, pk: int | None) -> str | None:
        """ "ondertekend" when a round of its own is signed, "open" when one is open, else None
        (not frozen by signing)."""
        if pk is None:
            return None
        requests = apps.get_model("agreements", "SigningRequest")
        statuses = set(
            requests.objects.filter(
                document_type=cls.signing_key,
                object_id=pk,
                status__in=[requests.Status.OPEN, requests.Status.SIGNED],
            ).values_list("status", flat=True)
        )
        for state in (requests.Status.SIGNED, requests.Status.OPEN):
            if state in statuses:
                return state
        return None


class FrozenQuerySet(models.QuerySet):
    """update()/delete() in bulk refuse rows of a frozen document."""

    def _freeze_guard(self, fields: dict[str, Any] | None) -> None:
        model = self.model
        frozen = frozen_document_ids(model.freeze_document, model.freeze_document_ids(self))
        if not frozen:
            return
        if (
            fields is not None
            and model.freeze_path == "pk"
            and set(fields) <= model.freeze_lifecycle
        ):
            # The document's own lifecycle columns; a final state is still never left.
            if model.freeze_final is None or model.freeze_final[0] not in fields:
                return
            column, final = model.freeze_final
            if (
                fields[column] in final
                or not self.filter(pk__in=frozen, **{f"{column}__in": final}).exists()
            ):
                return
        raise refusal(model.freeze_document)

    def update(self, **kwargs: Any) -> int:
        self._freeze_guard(kwargs)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._freeze_guard(None)
        return super().delete()


def is_frozen_row(obj: models.Model | None) -> bool:
    """Whether a stored row belongs to a frozen document (the admin asks this)."""
    if obj is None or obj.pk is None or not isinstance(obj, FrozenModel):
        return False
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    return bool(frozen_document_ids(obj.freeze_document, type(obj).freeze_document_ids(rows)))


def m2m_guard(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Many-to-many add/remove/clear on a relation of a row of a frozen document."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if action != "pre_clear" and not pk_set:
        return
    if not reverse:
        owner_model, owner_pks = type(instance), [instance.pk]
    else:
        owner_model = model
        owner_pks = (
            list(pk_set)
            if pk_set
            else list(
                getattr(instance, _reverse_accessor(sender, model)).values_list("pk", flat=True)
            )
        )
    if not issubclass(owner_model, FrozenModel):
        return
    rows = owner_model._base_manager.filter(pk__in=owner_pks)
    if frozen_document_ids(owner_model.freeze_document, owner_model.freeze_document_ids(rows)):
        raise refusal(owner_model.freeze_document)


def _reverse_accessor(through: type[models.Model], model: type[models.Model]) -> str:
    for field in model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.related_query_name()
    return "pk"  # pragma: no cover - only for relations this module does not know


def frozen_m2m_relations() -> list[type[models.Model]]:
    """The through models of every many-to-many field of a FrozenModel (for m2m_guard)."""
    throughs = []
    for model in apps.get_models():
        if issubclass(model, FrozenModel):
            throughs += [field.remote_field.through for field in model._meta.local_many_to_many]
    return throughs
