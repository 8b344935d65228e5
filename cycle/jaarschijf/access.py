"""Who may see and change what in a jaarschijf. Services call these rules whoever calls them;
views use the ``get_*`` helpers, which raise Http404 for "missing" and "forbidden" alike.

Rules (issue 5, "Responsibilities"):
- Everyone of a party of the framework reads the jaarschijf and comments on every piece.
- Working-group members (of any party of the framework) edit everything: every contribution,
  the shared texts, and they move the state.
- Other members (role "member") edit their own party's contributions only: corporation staff
  their corporation's, tenant organisations theirs, the municipality its own.
- Signatories read, comment and sign; they do not edit.
- Concept: the rules above. Definitief concept: the working group only. Ter ondertekening and
  ondertekend: frozen, nobody edits.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from agreements.access import AnyUser, user_membership, visible_frameworks
from agreements.models import Membership, Party
from cycle.models import Contribution, Jaarschijf


def _framework_party_ids(jaarschijf: Jaarschijf) -> set[int]:
    cached = getattr(jaarschijf, "_party_ids", None)
    if cached is None:
        cached = set(jaarschijf.cycle_year.framework.parties.values_list("pk", flat=True))
        jaarschijf._party_ids = cached  # type: ignore[attr-defined]
    return cached


def _member(user: AnyUser, jaarschijf: Jaarschijf) -> Membership | None:
    """The user's membership when their party is a party of the framework, else None."""
    membership = user_membership(user)
    if membership is None or membership.party_id not in _framework_party_ids(jaarschijf):
        return None
    return membership


def is_working_group(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    membership = _member(user, jaarschijf)
    return membership is not None and membership.role == Membership.Role.WORKING_GROUP


def can_comment(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    return _member(user, jaarschijf) is not None


def _state_allows(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    if jaarschijf.state == Jaarschijf.State.CONCEPT:
        return True
    if jaarschijf.state == Jaarschijf.State.FINAL_DRAFT:
        return is_working_group(user, jaarschijf)
    return False


def can_edit_party(user: AnyUser, jaarschijf: Jaarschijf, party_id: int) -> bool:
    """May the user write contributions of this party (edit, add) in this state?"""
    membership = _member(user, jaarschijf)
    if membership is None or not _state_allows(user, jaarschijf):
        return False
    if membership.role == Membership.Role.WORKING_GROUP:
        return True
    return membership.role == Membership.Role.MEMBER and membership.party_id == party_id


def can_edit_contribution(user: AnyUser, contribution: Contribution) -> bool:
    return can_edit_party(user, contribution.jaarschijf, contribution.party_id)


def can_edit_texts(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    return is_working_group(user, jaarschijf) and _state_allows(user, jaarschijf)


def editable_party_ids(user: AnyUser, jaarschijf: Jaarschijf) -> set[int] | None:
    """The parties whose contributions the user may write; None means every party."""
    membership = _member(user, jaarschijf)
    if membership is None or not _state_allows(user, jaarschijf):
        return set()
    if membership.role == Membership.Role.WORKING_GROUP:
        return None
    if membership.role == Membership.Role.MEMBER:
        return {membership.party_id}
    return set()


def can_manage(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    """Moving the state (and creating a jaarschijf) is for the working group."""
    return is_working_group(user, jaarschijf)


def visible_jaarschijven(user: AnyUser) -> QuerySet[Jaarschijf]:
    return Jaarschijf.objects.select_related(
        "cycle_year", "cycle_year__framework", "cycle_year__municipality"
    ).filter(cycle_year__framework__in=visible_frameworks(user).values("pk"))


def get_jaarschijf_for_user(user: AnyUser, pk: int) -> Jaarschijf:
    try:
        return visible_jaarschijven(user).get(pk=pk)
    except Jaarschijf.DoesNotExist:
        raise Http404("Jaarschijf niet gevonden") from None


def party_choices(user: AnyUser, jaarschijf: Jaarschijf, parties: list[Party]) -> list[Party]:
    """The parties the user may add a contribution for."""
    allowed = editable_party_ids(user, jaarschijf)
    if allowed is None:
        return parties
    return [party for party in parties if party.pk in allowed]
