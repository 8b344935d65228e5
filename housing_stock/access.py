"""Who may see and import stock figures.

Everyone with a party in a municipality reads that municipality's stock. Corporation staff
import for their own corporation only; the working group (role working_group) imports for any
corporation of its municipality and sees every import; others read. Helpers raise Http404 for
missing and forbidden alike.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from agreements.access import AnyUser, user_party, user_standing
from agreements.models import Party
from housing_stock.models import StockImport, StockSnapshot


def _municipality_of(party: Party) -> Party:
    return party if party.kind == Party.Kind.MUNICIPALITY else (party.municipality or party)


def user_municipalities(user: AnyUser) -> QuerySet[Party]:
    qs = Party.objects.filter(kind=Party.Kind.MUNICIPALITY).order_by("name")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    party = user_party(user)
    if party is None:
        return qs.none()
    return qs.filter(pk=_municipality_of(party).pk)


def get_municipality_for_user(user: AnyUser, slug: str | None = None) -> Party:
    qs = user_municipalities(user)
    municipality = qs.filter(slug=slug).first() if slug else qs.first()
    if municipality is None:
        raise Http404("Gemeente niet gevonden")
    return municipality


def is_working_group(user: AnyUser) -> bool:
    """The stock is the municipality's: a superuser counts as its working group here."""
    standing = user_standing(user)
    return standing.is_superuser or standing.is_working_group


def can_import_for(user: AnyUser, party: Party) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    own = user_party(user)
    if own is None:
        return False
    if is_working_group(user):
        return _municipality_of(own).pk == _municipality_of(party).pk
    return own.kind == Party.Kind.CORPORATION and own.pk == party.pk


def importable_parties(user: AnyUser, municipality: Party) -> QuerySet[Party]:
    """Parties the user may import for: their own corporation, or all (working group)."""
    qs = Party.objects.filter(municipality=municipality).exclude(
        kind__in=[Party.Kind.MUNICIPALITY, Party.Kind.TENANT_ORGANISATION]
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser or is_working_group(user):
        return qs.order_by("name") if municipality in user_municipalities(user) else qs.none()
    own = user_party(user)
    if own is None or own.kind != Party.Kind.CORPORATION:
        return qs.none()
    return qs.filter(pk=own.pk)


def may_import(user: AnyUser, municipality: Party) -> bool:
    return importable_parties(user, municipality).exists()


def visible_snapshots(user: AnyUser) -> QuerySet[StockSnapshot]:
    return StockSnapshot.objects.filter(municipality__in=user_municipalities(user))


def get_snapshot_for_user(user: AnyUser, pk: int) -> StockSnapshot:
    try:
        return (
            visible_snapshots(user)
            .select_related("party", "municipality", "superseded_by")
            .get(pk=pk)
        )
    except StockSnapshot.DoesNotExist:
        raise Http404("Momentopname niet gevonden") from None


def visible_imports(user: AnyUser) -> QuerySet[StockImport]:
    """Imports the user may follow: the working group sees all of its municipality."""
    qs = StockImport.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    own = user_party(user)
    if own is None:
        return qs.none()
    if is_working_group(user):
        municipality = _municipality_of(own)
        return qs.filter(party__municipality=municipality)
    if own.kind == Party.Kind.CORPORATION:
        return qs.filter(party=own)
    return qs.none()


def get_import_for_user(user: AnyUser, pk: int) -> StockImport:
    try:
        return visible_imports(user).select_related("party", "created_by", "replaces").get(pk=pk)
    except StockImport.DoesNotExist:
        raise Http404("Import niet gevonden") from None
