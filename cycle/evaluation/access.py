"""Who may see and change what in an evaluation. Services call the ``can_*`` rules whoever
calls them; views use the ``get_*`` helpers, which raise Http404 for "missing" and "forbidden"
alike.

Rules (each asks agreements.access.framework_standing):
- Everyone of a party of the framework reads the evaluation and comments on it.
- The working group (of any party of the framework) enters everything: every realisation, every
  corporation's year figures, the conclusions; it starts, adopts and reopens the evaluation.
- Other members (role "member") enter their own party's realisations; corporation staff also
  their corporation's year figures. Tenant organisations read and comment.
- Signatories read, comment and sign; they do not enter figures.
- An adopted evaluation is frozen: nobody enters anything until it is reopened.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from agreements.access import AnyUser, Standing, framework_standing, visible_frameworks
from agreements.models import Party
from cycle.models import CycleYear, Evaluation


def standing(user: AnyUser, cycle_year: CycleYear) -> Standing:
    return framework_standing(user, cycle_year.framework)


def is_working_group(user: AnyUser, cycle_year: CycleYear) -> bool:
    return standing(user, cycle_year).is_working_group


def can_comment(user: AnyUser, evaluation: Evaluation) -> bool:
    return standing(user, evaluation.cycle_year).is_party


def can_manage(user: AnyUser, cycle_year: CycleYear) -> bool:
    """Start, adopt, reopen, conclusions: the working group."""
    return is_working_group(user, cycle_year)


def editable_party_ids(user: AnyUser, evaluation: Evaluation) -> set[int] | None:
    """The parties whose realisations the user may enter; None means every party."""
    if evaluation.is_adopted:
        return set()
    own = standing(user, evaluation.cycle_year)
    if not own.is_party:
        return set()
    return own.writable_party_ids()


def can_enter_for(user: AnyUser, evaluation: Evaluation, party_id: int) -> bool:
    allowed = editable_party_ids(user, evaluation)
    return allowed is None or party_id in allowed


def can_enter_figures(user: AnyUser, evaluation: Evaluation, corporation: Party) -> bool:
    return corporation.kind == Party.Kind.CORPORATION and can_enter_for(
        user, evaluation, corporation.pk
    )


def visible_evaluations(user: AnyUser) -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related(
        "cycle_year",
        "cycle_year__framework",
        "cycle_year__framework__municipality",
        "cycle_year__municipality",
        "jaarschijf__cycle_year__framework",
        "adopted_by",
    ).filter(cycle_year__framework__in=visible_frameworks(user).values("pk"))


def get_evaluation_for_user(user: AnyUser, pk: int) -> Evaluation:
    try:
        return visible_evaluations(user).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404("Evaluatie niet gevonden") from None


def get_party_for_entry(user: AnyUser, evaluation: Evaluation, slug: str | None) -> Party:
    """The party whose realisations or figures the user enters: their own, or (working group)
    any party of the framework chosen by slug. 404 when not allowed."""
    own = standing(user, evaluation.cycle_year)
    membership = own.membership
    if membership is None:
        raise Http404("Partij niet gevonden")
    if not slug or slug == membership.party.slug:
        party = membership.party
    elif own.is_working_group:
        party = evaluation.framework.parties.filter(slug=slug).first()
        if party is None:
            raise Http404("Partij niet gevonden")
    else:
        raise Http404("Partij niet gevonden")
    if editable_party_ids(user, evaluation) is not None and not can_enter_for(
        user, evaluation, party.pk
    ):
        raise Http404("Partij niet gevonden")
    return party
