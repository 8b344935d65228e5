"""Who may see what. Every view that shows party data goes through these helpers.

They return the object or raise Http404, the same for "missing" and "forbidden", so that a
stranger cannot even learn that an object exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from agreements.models import Framework, Membership, Party
from core.actors import SystemActor

# Whoever a read or a write is for: a user (perhaps anonymous) or the portal's own job.
AnyUser = AbstractBaseUser | AnonymousUser | SystemActor

_MEMBERSHIP_CACHE = "_pa_membership"


def user_membership(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    """The user's membership with its party, fetched once per request (one query)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, _MEMBERSHIP_CACHE):
        membership = Membership.objects.select_related("party").filter(user_id=user.pk).first()
        setattr(user, _MEMBERSHIP_CACHE, membership)
    return getattr(user, _MEMBERSHIP_CACHE)


def user_party(user: AbstractBaseUser | AnonymousUser) -> Party | None:
    """The party the user belongs to, or None (anonymous, or no membership yet)."""
    membership = user_membership(user)
    return membership.party if membership else None


def user_role(user: AbstractBaseUser | AnonymousUser) -> str | None:
    membership = user_membership(user)
    return membership.role if membership else None


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
