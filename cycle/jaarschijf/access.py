"""Who may see and change what in a jaarschijf. Services call these rules whoever calls them;
views use the ``get_*`` helpers, which raise Http404 for "missing" and "forbidden" alike.

Rules (each asks agreements.access.framework_standing):
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

from agreements.access import AnyUser, Standing, framework_standing, visible_frameworks
from agreements.models import Party
from cycle.models import Contribution, Jaarschijf


def _standing(user: AnyUser, jaarschijf: Jaarschijf) -> Standing:
    return framework_standing(user, jaarschijf.cycle_year.framework)


def is_working_group(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    return _standing(user, jaarschijf).is_working_group


def can_comment(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    return _standing(user, jaarschijf).is_party


def _state_allows(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    if jaarschijf.state == Jaarschijf.State.CONCEPT:
        return True
    if jaarschijf.state == Jaarschijf.State.FINAL_DRAFT:
        return is_working_group(user, jaarschijf)
    return False


def can_edit_party(user: AnyUser, jaarschijf: Jaarschijf, party_id: int) -> bool:
    """May the user write contributions of this party (edit, add) in this state?"""
    standing = _standing(user, jaarschijf)
    return standing.is_party and _state_allows(user, jaarschijf) and standing.writes_for(party_id)


def can_edit_contribution(user: AnyUser, contribution: Contribution) -> bool:
    return can_edit_party(user, contribution.jaarschijf, contribution.party_id)


def can_edit_texts(user: AnyUser, jaarschijf: Jaarschijf) -> bool:
    return is_working_group(user, jaarschijf) and _state_allows(user, jaarschijf)


def editable_party_ids(user: AnyUser, jaarschijf: Jaarschijf) -> set[int] | None:
    """The parties whose contributions the user may write; None means every party."""
    standing = _standing(user, jaarschijf)
    if not standing.is_party or not _state_allows(user, jaarschijf):
        return set()
    return standing.writable_party_ids()


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


def own_party_id(user: AnyUser, jaarschijf: Jaarschijf) -> int | None:
    """The user's own party in this jaarschijf's framework ("mijn organisatie"), if any."""
    return _standing(user, jaarschijf).party_id
