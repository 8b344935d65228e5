"""A framework that is up for signing or signed cannot change: the model-layer guard.

The rule has three layers, each tested on its own (tests/agreements/signing/test_immutability.py):

1. ``save()``/``delete()`` of Framework, Theme, Agreement and Target (FrozenGuardMixin);
2. the QuerySets' ``update()``/``delete()`` (and so ``bulk_update``), FrozenQuerySet, plus the
   many-to-many ``add``/``remove``/``clear`` (m2m_guard, connected in AgreementsConfig.ready);
3. PostgreSQL triggers (agreements.signing.db, installed by migration 0003) for raw SQL.

"Frozen" means ``Framework.signing_state`` is not empty. Lifecycle columns (``status``,
``updated_at``, ``signing_state``) are not content: they may change, except that a signed
framework can never leave "ondertekend". A save that changes nothing is allowed, so that
idempotent imports (load_demo) keep working on a signed framework.

The one sanctioned change of a signed framework is an addendum that every party has signed:
``addendum_apply`` runs inside ``amending(framework_id)``, which lifts the guard for that one
framework in this thread and, on PostgreSQL, for the current transaction only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.apps import apps
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

SIGNING_STATE_OPEN = ""
SIGNING_STATE_UP = "ter_ondertekening"
SIGNING_STATE_SIGNED = "ondertekend"
FRAMEWORK_LIFECYCLE_FIELDS = frozenset({"status", "updated_at", "signing_state"})

_amending: ContextVar[frozenset[int]] = ContextVar("pa_amending", default=frozenset())


class SignedDocumentError(Exception):
    """Raised on any attempt to change a frozen (up for signing) or signed document."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or str(
                _(
                    "Dit document is ter ondertekening aangeboden of ondertekend en kan niet "
                    "worden gewijzigd."
                )
            )
        )


@contextmanager
def amending(framework_id: int) -> Iterator[None]:
    """Lift the guard for one framework while a signed addendum is applied (see module doc)."""
    token = _amending.set(_amending.get() | {framework_id})
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pa.amending_framework', %s, true)", [str(framework_id)]
            )
    try:
        yield
    finally:
        _amending.reset(token)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pa.amending_framework', '', true)")


def _framework_model():
    return apps.get_model("agreements", "Framework")


def frozen_framework_ids(framework_ids: Iterable[int | None]) -> set[int]:
    """Those of the frameworks that are frozen and not being amended right now."""
    ids = {pk for pk in framework_ids if pk is not None} - _amending.get()
    if not ids:
        return set()
    return set(
        _framework_model()
        ._base_manager.filter(pk__in=ids)
        .exclude(signing_state=SIGNING_STATE_OPEN)
        .values_list("pk", flat=True)
    )


def _content_fields(model: type[models.Model], lifecycle: frozenset[str]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in lifecycle and not f.primary_key
    ]


class FrozenGuardMixin:
    """save()/delete() refuse to change a row of a frozen framework."""

    # Lookup from this model to its framework's id ("pk" for Framework itself).
    framework_path: ClassVar[str] = "pk"
    lifecycle_fields: ClassVar[frozenset[str]] = frozenset()

    def _guard_new_framework_id(self) -> int | None:
        """The framework this (possibly unsaved) row would belong to."""
        raise NotImplementedError

    def _guard_check_save(self) -> None:
        model = type(self)
        ids = [self._guard_new_framework_id()]
        if self.pk is not None:
            # The row's framework as stored (a row cannot be moved out of a frozen framework).
            ids.append(
                model._base_manager.filter(pk=self.pk)
                .values_list(self.framework_path, flat=True)
                .first()
            )
        if not frozen_framework_ids(ids):
            return
        old = model._base_manager.filter(pk=self.pk).first() if self.pk is not None else None
        if old is None:
            raise SignedDocumentError()
        for attname in _content_fields(model, self.lifecycle_fields):
            if getattr(self, attname) != getattr(old, attname):
                raise SignedDocumentError()
        if (
            getattr(old, "signing_state", None) == SIGNING_STATE_SIGNED
            and self.signing_state != SIGNING_STATE_SIGNED
        ):
            raise SignedDocumentError()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._guard_check_save()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None:
            fw = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list(self.framework_path, flat=True)
            )
            if frozen_framework_ids(fw):
                raise SignedDocumentError()
        return super().delete(*args, **kwargs)


class FrozenQuerySet(models.QuerySet):
    """update()/delete() in bulk refuse rows of a frozen framework."""

    def _guard(self, fields: dict[str, Any] | None) -> None:
        path = self.model.framework_path
        lifecycle = self.model.lifecycle_fields
        if fields is not None and set(fields) <= lifecycle:
            # Lifecycle columns only; a signed framework still never leaves "ondertekend".
            if "signing_state" in fields and fields["signing_state"] != SIGNING_STATE_SIGNED:
                signed = (
                    set(
                        self.filter(signing_state=SIGNING_STATE_SIGNED).values_list("pk", flat=True)
                    )
                    - _amending.get()
                )
                if signed:
                    raise SignedDocumentError()
            return
        if frozen_framework_ids(self.values_list(path, flat=True).distinct()):
            raise SignedDocumentError()

    def update(self, **kwargs: Any) -> int:
        self._guard(kwargs)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._guard(None)
        return super().delete()


# Many-to-many: which relation belongs to which model, and that model's path to the framework.
def m2m_guard(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
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
    path = getattr(owner_model, "framework_path", None)
    if path is None:
        return
    fw = owner_model._base_manager.filter(pk__in=owner_pks).values_list(path, flat=True)
    if frozen_framework_ids(fw):
        raise SignedDocumentError()


def _reverse_accessor(through: type[models.Model], model: type[models.Model]) -> str:
    for field in model._meta.many_to_many:
        if field.remote_field.through is through:
            return field.related_query_name()
    return "pk"  # pragma: no cover - only for relations this module does not know
