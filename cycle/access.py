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

from django.db.models import QuerySet
from django.http import Http404

from agreements.access import AnyUser, framework_standing, user_standing, visible_frameworks
from agreements.models import Framework
from cycle.models import CycleYear, Milestone


def visible_cycle_years(user: AnyUser) -> QuerySet[CycleYear]:
    frameworks = visible_frameworks(user)
    return CycleYear.objects.select_related("framework", "municipality").filter(
        framework__in=frameworks.values("pk")
    )


def get_cycle_year_for_user(user: AnyUser, pk: int) -> CycleYear:
    try:
        return visible_cycle_years(user).get(pk=pk)
    except CycleYear.DoesNotExist:
        raise Http404("Cyclusjaar niet gevonden") from None


def is_working_group(user: AnyUser) -> bool:
    """In the working group of their own party (whichever framework)."""
    return user_standing(user).is_working_group


def can_manage_cycle(user: AnyUser, framework: Framework) -> bool:
    """Working-group members of a party of the framework."""
    return framework_standing(user, framework).is_working_group


def can_manage_milestones(user: AnyUser, cycle_year: CycleYear) -> bool:
    """Working-group members of a party of the framework (the cycle year is already visible)."""
    return can_manage_cycle(user, cycle_year.framework)


def managed_frameworks(user: AnyUser) -> list[Framework]:
    """The frameworks in which the user may create cycle years."""
    return [f for f in visible_frameworks(user) if can_manage_cycle(user, f)]


def get_cycle_year_for_manager(user: AnyUser, pk: int) -> CycleYear:
    cycle_year = get_cycle_year_for_user(user, pk)
    if not can_manage_milestones(user, cycle_year):
        raise Http404("Cyclusjaar niet gevonden")
    return cycle_year


def get_milestone_for_manager(user: AnyUser, pk: int) -> Milestone:
    try:
        milestone = Milestone.objects.select_related(
            "cycle_year", "cycle_year__framework", "owner_party"
        ).get(pk=pk, cycle_year__in=visible_cycle_years(user).values("pk"))
    except Milestone.DoesNotExist:
        raise Http404("Mijlpaal niet gevonden") from None
    if not can_manage_milestones(user, milestone.cycle_year):
        raise Http404("Mijlpaal niet gevonden")
    return milestone
