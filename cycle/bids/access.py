"""Who may see and change what in the cycle. Every cycle view goes through these helpers.

They return the object or raise Http404, the same for "missing" and "forbidden".

Rules:
- A cycle year is visible to the parties of its framework (and to a superuser).
- A draft bid is visible to, and editable by, the people of its own corporation only.
- A submitted (or superseded) bid is visible to its corporation, to the municipality and the
  tenant organisations of the framework, and to working-group members of any party of the
  framework. Other corporations' staff who are not in the working group do not see it.
- Milestones are moved and added by working-group members of a party of the framework.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from agreements.access import AnyUser, framework_party_ids, user_party, visible_frameworks
from agreements.models import Party
from cycle.access import is_working_group, visible_cycle_years
from cycle.models import Bid, BidUpload, CycleYear

PUBLISHED = [Bid.Status.SUBMITTED, Bid.Status.SUPERSEDED]


def bid_corporation(user: AnyUser, cycle_year: CycleYear) -> Party:
    """The corporation on whose behalf the user works on bids for this cycle year, or 404."""
    party = user_party(user)
    if (
        party is None
        or party.kind != Party.Kind.CORPORATION
        or party.pk not in framework_party_ids(cycle_year.framework)
    ):
        raise Http404("Geen corporatie")
    return party


def visible_bids(user: AnyUser) -> QuerySet[Bid]:
    qs = Bid.objects.select_related("corporation", "cycle_year", "cycle_year__framework")
    if not user.is_authenticated:
        return qs.none()
    published = Q(status__in=PUBLISHED)
    if user.is_superuser and user_party(user) is None:
        return qs.filter(published)
    party = user_party(user)
    if party is None:
        return qs.none()
    in_frameworks = Q(cycle_year__framework__in=visible_frameworks(user).values("pk"))
    own = Q(corporation=party)
    if party.kind != Party.Kind.CORPORATION or is_working_group(user):
        return qs.filter(in_frameworks & (own | published))
    return qs.filter(in_frameworks & own)


def get_bid_for_user(user: AnyUser, pk: int) -> Bid:
    try:
        return visible_bids(user).get(pk=pk)
    except Bid.DoesNotExist:
        raise Http404("Bod niet gevonden") from None


def get_draft_bid_for_editor(user: AnyUser, pk: int) -> Bid:
    """A draft of the user's own corporation; anything else (even its submitted bid) is 404."""
    party = user_party(user)
    if party is None or party.kind != Party.Kind.CORPORATION:
        raise Http404("Bod niet gevonden")
    try:
        return visible_bids(user).get(pk=pk, corporation=party, status=Bid.Status.DRAFT)
    except Bid.DoesNotExist:
        raise Http404("Bod niet gevonden") from None


def get_own_bid_for_editor(user: AnyUser, pk: int) -> Bid:
    """A bid of the user's own corporation, in any status (a submit of one that is already
    submitted is answered as such by the service), else 404."""
    party = user_party(user)
    if party is None or party.kind != Party.Kind.CORPORATION:
        raise Http404("Bod niet gevonden")
    try:
        return visible_bids(user).get(pk=pk, corporation=party)
    except Bid.DoesNotExist:
        raise Http404("Bod niet gevonden") from None


def get_upload_for_user(user: AnyUser, pk: int) -> BidUpload:
    """An upload of the user's own corporation (it may hold a draft), else 404."""
    party = user_party(user)
    if party is None or party.kind != Party.Kind.CORPORATION:
        raise Http404("Upload niet gevonden")
    try:
        return BidUpload.objects.select_related("cycle_year", "bid").get(
            pk=pk, corporation=party, cycle_year__in=visible_cycle_years(user).values("pk")
        )
    except BidUpload.DoesNotExist:
        raise Http404("Upload niet gevonden") from None
