"""Who may see what. Every view that shows party data goes through these helpers.

They return the object or raise Http404, the same for "missing" and "forbidden", so that a
stranger cannot even learn that an object exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from agreements.models import Framework, Membership, Party
from core.actors import SystemActor, is_system

# Whoever a read or a write is for: a user (perhaps anonymous) or the portal's own job.
AnyUser = AbstractBaseUser | AnonymousUser | SystemActor

_MEMBERSHIP_CACHE = "_pa_membership"


def user_membership(user: AnyUser) -> Membership | None:
    """The user's membership with its party, fetched once per request (one query)."""
    if not user.is_authenticated or is_system(user):
        return None
    if not hasattr(user, _MEMBERSHIP_CACHE):
        membership = Membership.objects.select_related("party").filter(user_id=user.pk).first()
        setattr(user, _MEMBERSHIP_CACHE, membership)
    return getattr(user, _MEMBERSHIP_CACHE)


def user_party(user: AnyUser) -> Party | None:
    """The party the user belongs to, or None (anonymous, or no membership yet)."""
    membership = user_membership(user)
    return membership.party if membership else None


def user_role(user: AnyUser) -> str | None:
    membership = user_membership(user)
    return membership.role if membership else None


@dataclass(frozen=True)
class Standing:
    """Who a user is in one framework (or, from ``user_standing``, in the portal at large).

    ``membership`` is the user's membership when their party is in scope (a party of the
    framework), else None. The portal's own jobs (a ``SystemActor``) have the standing of the
    working group everywhere. A superuser without a membership is no party: the access rules
    that let a superuser in say so themselves, by reading ``is_superuser``.
    """

    membership: Membership | None
    is_superuser: bool = False
    is_system: bool = False

    @property
    def party_id(self) -> int | None:
        return self.membership.party_id if self.membership else None

    @property
    def is_party(self) -> bool:
        """One of the framework's parties (reads it, comments on it)."""
        return self.is_system or self.membership is not None

    @property
    def is_working_group(self) -> bool:
        return self.is_system or (
            self.membership is not None and self.membership.role == Membership.Role.WORKING_GROUP
        )

    def writable_party_ids(self) -> set[int] | None:
        """The parties whose own entries the user writes: None means every party (working
        group); an ordinary member writes for their own party; a signatory for none."""
        if self.is_working_group:
            return None
        if self.membership is not None and self.membership.role == Membership.Role.MEMBER:
            return {self.membership.party_id}
        return set()

    def writes_for(self, party_id: int) -> bool:
        allowed = self.writable_party_ids()
        return allowed is None or party_id in allowed


_PARTY_IDS_CACHE = "_pa_party_ids"


def framework_party_ids(framework: Framework) -> set[int]:
    """The primary keys of the framework's parties, fetched once per framework object."""
    cached = getattr(framework, _PARTY_IDS_CACHE, None)
    if cached is None:
        cached = set(framework.parties.values_list("pk", flat=True))
        setattr(framework, _PARTY_IDS_CACHE, cached)
    return cached


def user_standing(user: AnyUser) -> Standing:
    """The user's standing through their own membership, whatever the framework."""
    return Standing(
        membership=user_membership(user),
        is_superuser=bool(user.is_authenticated and user.is_superuser),
        is_system=is_system(user),
    )


def framework_standing(user: AnyUser, framework: Framework) -> Standing:
    """The one rule for a user's standing in a framework: every app's access module asks it."""
    standing = user_standing(user)
    membership = standing.membership
    if membership is not None and membership.party_id not in framework_party_ids(framework):
        return Standing(membership=None, is_superuser=standing.is_superuser)
    return standing


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
