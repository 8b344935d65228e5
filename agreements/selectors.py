"""Reads of the framework, with their related rows fetched up front (fixed query counts)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from agreements.models import (
    Agreement,
    Framework,
    FrameworkSignatory,
    Party,
    ProcessStep,
    Target,
    Theme,
)


def _targets_prefetch() -> Prefetch:
    return Prefetch(
        "targets", queryset=Target.objects.prefetch_related("parties").order_by("order", "id")
    )


def framework_themes(framework: Framework) -> list[Theme]:
    """Themes with their agreements, responsible parties and targets: four queries in all."""
    agreements = Agreement.objects.order_by("number").prefetch_related(
        "responsible_parties", _targets_prefetch()
    )
    return list(
        framework.themes.order_by("number").prefetch_related(
            Prefetch("agreements", queryset=agreements)
        )
    )


PARTY_KIND_ORDER = [
    Party.Kind.MUNICIPALITY,
    Party.Kind.CORPORATION,
    Party.Kind.TENANT_ORGANISATION,
    Party.Kind.OTHER,
]


def framework_parties(framework: Framework) -> list[Party]:
    """Parties in the order of the documents: municipality, corporations, tenant organisations."""
    return sorted(framework.parties.all(), key=lambda p: (PARTY_KIND_ORDER.index(p.kind), p.name))


def framework_signatories(framework: Framework) -> list[FrameworkSignatory]:
    return list(framework.signatories.select_related("party").order_by("order"))


def framework_process_steps(framework: Framework) -> list[ProcessStep]:
    return list(framework.process_steps.order_by("order"))


def framework_agreement(framework: Framework, *, theme_number: int, number: int) -> Agreement:
    """One agreement of the framework, or 404."""
    try:
        return (
            Agreement.objects.select_related("theme", "theme__framework")
            .prefetch_related("responsible_parties", _targets_prefetch())
            .get(theme__framework=framework, theme__number=theme_number, number=number)
        )
    except Agreement.DoesNotExist:
        raise Http404("Afspraak niet gevonden") from None


def agreement_neighbours(agreement: Agreement) -> tuple[Agreement | None, Agreement | None]:
    """The agreements before and after this one in the framework's reading order."""
    siblings = list(
        Agreement.objects.filter(theme__framework_id=agreement.theme.framework_id)
        .select_related("theme")
        .order_by("theme__number", "number")
        .only("id", "number", "title", "theme__number", "theme__title")
    )
    index = next(i for i, a in enumerate(siblings) if a.pk == agreement.pk)
    previous = siblings[index - 1] if index > 0 else None
    following = siblings[index + 1] if index + 1 < len(siblings) else None
    return previous, following


def framework_targets(
    framework: Framework, *, theme: Theme | None = None, party: Party | None = None
) -> QuerySet[Target]:
    qs = (
        Target.objects.filter(agreement__theme__framework=framework)
        .select_related("agreement", "agreement__theme")
        .prefetch_related("parties")
        .order_by("agreement__theme__number", "agreement__number", "order", "id")
    )
    if theme is not None:
        qs = qs.filter(agreement__theme=theme)
    if party is not None:
        # A target concerns a party when it names the party, or when it names no one and the
        # party is responsible for the agreement.
        qs = qs.filter(parties=party) | qs.filter(
            parties__isnull=True, agreement__responsible_parties=party
        )
        qs = qs.distinct()
    return qs


# --- the framework in force ------------------------------------------------------------------


def framework_in_force(municipality: Party | int, year: int) -> Framework | None:
    """The municipality's framework that is vastgesteld or signed and whose period covers the
    year, or None. An accepted verlenging has already moved ``period_end`` (addendum_apply), so
    the extended years count. One query; Framework.is_in_force is the same rule in Python."""
    return (
        Framework.objects.filter(
            Framework.adopted_q(),
            municipality=municipality,
            period_start__lte=year,
            period_end__gte=year,
        )
        .select_related("municipality")
        .order_by("-period_start", "-pk")
        .first()
    )


def framework_to_extend(municipality: Party | int, year: int) -> Framework | None:
    """The municipality's latest adopted framework that ended before the year: the one a
    verlenging would extend to cover it."""
    return (
        Framework.objects.filter(
            Framework.adopted_q(), municipality=municipality, period_end__lt=year
        )
        .order_by("-period_end", "-pk")
        .first()
    )
