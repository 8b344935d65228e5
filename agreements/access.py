"""Who may see what. Every view that shows party data goes through these helpers.

They return the object or raise Http404, the same for "missing" and "forbidden", so that a
stranger cannot even learn that an object exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from .models import Framework, Membership, Party


def user_party(user: AbstractBaseUser | AnonymousUser) -> Party | None:
    """The party the user belongs to, or None (anonymous, or no membership yet)."""
    if not user.is_authenticated:
        return None
    try:
        return user.membership.party
    except Membership.DoesNotExist:
        return None


def user_role(user: AbstractBaseUser | AnonymousUser) -> str | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership.role
    except Membership.DoesNotExist:
        return None


def visible_frameworks(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Framework]:
    """Frameworks the user may read: those their party is a party to (all, for a superuser)."""
    qs = Framework.objects.select_related("municipality")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    party = user_party(user)
    if party is None:
        return qs.none()
    return qs.filter(parties=party)


def get_framework_for_user(user: AbstractBaseUser | AnonymousUser, slug: str) -> Framework:
    try:
        return visible_frameworks(user).get(slug=slug)
    except Framework.DoesNotExist:
        raise Http404("Kader niet gevonden") from None
