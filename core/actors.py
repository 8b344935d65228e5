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
