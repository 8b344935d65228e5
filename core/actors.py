"""Who acts: a person (a user) or the portal itself (a system actor).

Every write service takes a required ``actor`` and checks it. Work that no person does (the demo
loader, the signing registry completing a round, a scheduled job) passes a named
``SystemActor``, never ``None``, so that "no check" is always a visible, deliberate choice and
the audit trail says which job it was. The access rules (agreements.access) give a system actor
the standing of the working group in every framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class SystemActor:
    name: str

    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False
    is_superuser: ClassVar[bool] = False
    is_active: ClassVar[bool] = True
    is_system: ClassVar[bool] = True
    pk: ClassVar[None] = None

    @property
    def username(self) -> str:
        return f"systeem:{self.name}"

    def get_full_name(self) -> str:
        return f"Portaal ({self.name})"

    def __str__(self) -> str:
        return self.username


DEMO_LOADER = SystemActor("load_demo")
SIGNING = SystemActor("ondertekening")
SCHEDULER = SystemActor("planner")


def is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)


def person(actor: object) -> object | None:
    """The user to store in a ``created_by``/``updated_by`` column: None for a system actor."""
    return None if is_system(actor) or getattr(actor, "pk", None) is None else actor


def check_loader(actor: object) -> None:
    """Loading reference data (parties, accounts, frameworks, stock) is for the portal's own
    jobs and for a superuser, never for a party's user."""
    if not (is_system(actor) or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("Alleen het portaal zelf of een beheerder laadt deze gegevens.")
