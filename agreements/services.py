"""Writes for parties, accounts and frameworks. Every write is atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from agreements.models import (
    Agreement,
    Framework,
    FrameworkSignatory,
    Indicator,
    Membership,
    Party,
    ProcessStep,
    Target,
    Theme,
)
from agreements.signing.freeze import SignedDocumentError
from core.actors import check_loader

User = get_user_model()


class FrameworkHeldByPortal(SignedDocumentError):
    """The framework is signed or amended in the portal: a document import may not rewrite it."""


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _parties(slugs: Iterable[str], by_slug: Mapping[str, Party]) -> list[Party]:
    missing = [slug for slug in slugs if slug not in by_slug]
    if missing:
        raise ValueError(f"Onbekende partij(en): {', '.join(missing)}")
    return [by_slug[slug] for slug in slugs]


@transaction.atomic
def parties_upsert(*, actor: Any, rows: Iterable[Mapping[str, Any]]) -> list[Party]:
    """Create or update parties by slug; municipalities first, so others can point to them."""
    check_loader(actor)
    rows = sorted(rows, key=lambda row: row["kind"] != Party.Kind.MUNICIPALITY)
    result = []
    for row in rows:
        municipality = None
        if row.get("municipality"):
            municipality = Party.objects.get(slug=row["municipality"])
        party, _ = Party.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "municipality": municipality,
                "source_note": row.get("source_note", ""),
            },
        )
        result.append(party)
    return result


@transaction.atomic
def account_ensure(
    *,
    actor: Any,
    username: str,
    password: str,
    party: Party | None,
    role: str = Membership.Role.MEMBER,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    is_superuser: bool = False,
) -> Any:
    """Create the account if it is missing; an existing password is never overwritten."""
    check_loader(actor)
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "is_staff": is_superuser,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    if party is not None:
        Membership.objects.update_or_create(
            user=user, defaults={"party": party, "role": role, "job_title": job_title}
        )
    return user


@transaction.atomic
def framework_import(*, actor: Any, data: Mapping[str, Any]) -> Framework:
    """Create or update a framework with its themes, agreements, targets, process calendar and
    signatories from one structured document (see fixtures/*/framework_*.toml).

    Idempotent: importing the same document twice changes nothing; rows that the document no
    longer has are removed, so the document stays the single source of the framework's content
    until the framework is signed or amended in the portal (then the import leaves it alone).
    """
    check_loader(actor)
    meta = data["framework"]
    existing = Framework.objects.filter(slug=meta["slug"]).first()
    if existing is not None and (existing.signing_state or existing.version > 1):
        # Once it is up for signing, signed, or amended by an addendum in the portal, the portal
        # holds the framework: the document no longer overwrites it.
        raise FrameworkHeldByPortal(
            f"Het kader {existing.title} is in het portaal ter ondertekening aangeboden, "
            "ondertekend of via een addendum gewijzigd; een import overschrijft het niet."
        )
    by_slug = {party.slug: party for party in Party.objects.all()}
    framework, _ = Framework.objects.update_or_create(
        slug=meta["slug"],
        defaults={
            "municipality": _parties([meta["municipality"]], by_slug)[0],
            "title": meta["title"],
            "period_start": meta["period_start"],
            "period_end": meta["period_end"],
            "status": meta.get("status", Framework.Status.CONCEPT),
            "introduction": meta.get("introduction", "").strip(),
            "highlights": meta.get("highlights", "").strip(),
            "appendix": meta.get("appendix", "").strip(),
            "agreed_on": _date(meta.get("agreed_on")),
            "agreed_place": meta.get("agreed_place", ""),
        },
    )
    framework.parties.set(_parties(meta["parties"], by_slug))

    theme_numbers = []
    for theme_row in data.get("themes", []):
        theme, _ = Theme.objects.update_or_create(
            framework=framework,
            number=theme_row["number"],
            defaults={
                "title": theme_row["title"],
                "slug": theme_row["slug"],
                "introduction": theme_row.get("introduction", "").strip(),
            },
        )
        theme_numbers.append(theme.number)
        _import_agreements(theme, theme_row.get("agreements", []), by_slug)
    framework.themes.exclude(number__in=theme_numbers).delete()

    step_orders = []
    for order, step in enumerate(data.get("process_steps", []), start=1):
        ProcessStep.objects.update_or_create(
            framework=framework,
            order=order,
            defaults={
                "period_label": step["period_label"],
                "description": step["description"].strip(),
                "deliverable": step.get("deliverable", ""),
                "owner_kind": step.get("owner_kind", ""),
                "deadline_month": step.get("deadline_month"),
                "deadline_day": step.get("deadline_day"),
                "applies_to_next_year": step.get("applies_to_next_year", False),
                "is_statutory": step.get("is_statutory", False),
            },
        )
        step_orders.append(order)
    framework.process_steps.exclude(order__in=step_orders).delete()

    signatory_orders = []
    for order, row in enumerate(data.get("signatories", []), start=1):
        FrameworkSignatory.objects.update_or_create(
            framework=framework,
            order=order,
            defaults={
                "name": row["name"],
                "job_title": row["job_title"],
                "party": _parties([row["party"]], by_slug)[0] if row.get("party") else None,
            },
        )
        signatory_orders.append(order)
    framework.signatories.exclude(order__in=signatory_orders).delete()
    return framework


def _indicator(code: str | None, by_code: Mapping[str, Indicator]) -> Indicator | None:
    if not code:
        return None
    if code not in by_code:
        raise ValueError(f"Onbekende indicator: {code} (zie de indicatorcatalogus)")
    return by_code[code]


def _import_agreements(
    theme: Theme, rows: Iterable[Mapping[str, Any]], by_slug: Mapping[str, Party]
) -> None:
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    numbers = []
    for row in rows:
        agreement, _ = Agreement.objects.update_or_create(
            theme=theme,
            number=row["number"],
            defaults={"title": row["title"], "text": row["text"].strip()},
        )
        agreement.responsible_parties.set(_parties(row.get("responsible", []), by_slug))
        numbers.append(agreement.number)
        codes = []
        for order, target_row in enumerate(row.get("targets", []), start=1):
            target, _ = Target.objects.update_or_create(
                agreement=agreement,
                code=target_row["code"],
                defaults={
                    "label": target_row["label"],
                    "kind": target_row["kind"],
                    "direction": target_row.get("direction", Target.Direction.EXACTLY),
                    "value": _decimal(target_row.get("value")),
                    "value_max": _decimal(target_row.get("value_max")),
                    "unit": target_row.get("unit", ""),
                    "scope": target_row.get("scope", Target.Scope.LOCAL),
                    "per_year": target_row.get("per_year", False),
                    "baseline_value": _decimal(target_row.get("baseline_value")),
                    "baseline_date": _date(target_row.get("baseline_date")),
                    "period_start": target_row.get("period_start"),
                    "target_year": target_row.get("target_year"),
                    "note": target_row.get("note", "").strip(),
                    "order": order,
                    "indicator": _indicator(target_row.get("indicator"), indicators),
                },
            )
            target.parties.set(_parties(target_row.get("parties", []), by_slug))
            codes.append(target.code)
        agreement.targets.exclude(code__in=codes).delete()
    theme.agreements.exclude(number__in=numbers).delete()
