"""Who must pass the code step at login when settings.REQUIRE_2FA_LOGIN is on."""

from __future__ import annotations

from typing import Any

from agreements.access import user_role
from agreements.models import Membership


def login_needs_second_factor(user: Any) -> bool:
    """Signatories and administrators (staff, superusers): the accounts that sign or manage."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser) or (
        user_role(user) == Membership.Role.SIGNATORY
    )
