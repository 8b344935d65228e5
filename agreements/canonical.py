"""Canonical content of signable documents: a deterministic serialisation that gets a SHA-256.

JSON with sorted keys, no insignificant whitespace, UTF-8, decimals as fixed-point strings and
dates in ISO 8601. The same content always gives the same bytes, on SQLite and PostgreSQL alike.
Lifecycle fields (status, updated_at, signing state) are not content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from agreements.models import (
    Addendum,
    Agreement,
    Framework,
    FrameworkSignatory,
    Party,
    PolicyBasis,
    ProcessStep,
    Target,
    Theme,
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_bytes(data: Any) -> bytes:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    ).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


TARGET_FIELDS = (
    "code",
    "label",
    "kind",
    "direction",
    "value",
    "value_max",
    "unit",
    "scope",
    "per_year",
    "baseline_value",
    "baseline_date",
    "period_start",
    "target_year",
    "note",
    "order",
)


PROCESS_STEP_FIELDS = (
    "order",
    "period_label",
    "description",
    "deliverable",
    "owner_kind",
    "deadline_month",
    "deadline_day",
    "applies_to_next_year",
    "is_statutory",
)


POLICY_BASIS_FIELDS = ("order", "kind", "title", "date", "source")


def party_names(parties: list[Party]) -> dict[str, str]:
    """{slug: name} of the parties a document names: names are not frozen, so a signed
    document keeps the names it was signed with (agreements.signing.snapshot)."""
    return {party.slug: party.name for party in parties}


def framework_content(framework: Framework) -> dict[str, Any]:
    """The framework as data, read fresh from the database (nine queries): its texts, themes,
    agreements and targets, its annual calendar (process steps), its printed signatories, its
    policy basis and the names of its parties, everything its page and PDF show."""
    fw = Framework.objects.select_related("municipality").get(pk=framework.pk)
    themes = list(Theme.objects.filter(framework=fw).order_by("number"))
    agreements = list(
        Agreement.objects.filter(theme__framework=fw)
        .prefetch_related("responsible_parties")
        .order_by("theme__number", "number")
    )
    targets = list(
        Target.objects.filter(agreement__theme__framework=fw)
        .select_related("indicator")
        .prefetch_related("parties")
        .order_by("agreement_id", "order", "code")
    )
    targets_by_agreement: dict[int, list[dict[str, Any]]] = {}
    for target in targets:
        row = {name: _plain(getattr(target, name)) for name in TARGET_FIELDS}
        row["parties"] = sorted(p.slug for p in target.parties.all())
        if target.indicator_id:
            # Part of the target's definition (what the evaluation judges it on). Only when set,
            # so that the content, and the hash, of a framework signed before the catalogue
            # existed stays the same.
            row["indicator"] = target.indicator.code
        targets_by_agreement.setdefault(target.agreement_id, []).append(row)
    agreements_by_theme: dict[int, list[dict[str, Any]]] = {}
    for agreement in agreements:
        agreements_by_theme.setdefault(agreement.theme_id, []).append(
            {
                "number": agreement.number,
                "title": agreement.title,
                "text": agreement.text,
                "responsible": sorted(p.slug for p in agreement.responsible_parties.all()),
                "targets": targets_by_agreement.get(agreement.pk, []),
            }
        )
    steps = ProcessStep.objects.filter(framework=fw).order_by("order", "id")
    signatories = FrameworkSignatory.objects.filter(framework=fw).select_related("party")
    policy_basis = list(PolicyBasis.objects.filter(framework=fw).order_by("order", "id"))
    named = {fw.municipality, *fw.parties.all()}
    named |= {p for a in agreements for p in a.responsible_parties.all()}
    named |= {p for t in targets for p in t.parties.all()}
    content = {
        "document": "framework",
        "party_names": party_names(sorted(named, key=lambda p: p.slug)),
        "process_steps": [
            {name: getattr(step, name) for name in PROCESS_STEP_FIELDS} for step in steps
        ],
        "signatories": [
            {
                "order": s.order,
                "name": s.name,
                "job_title": s.job_title,
                "party": s.party.slug if s.party_id else None,
            }
            for s in sorted(signatories, key=lambda s: (s.order, s.pk))
        ],
        "framework": {
            "slug": fw.slug,
            "title": fw.title,
            "municipality": fw.municipality.slug,
            "period_start": fw.period_start,
            "period_end": fw.period_end,
            "version": fw.version,
            "parties": sorted(fw.parties.values_list("slug", flat=True)),
            "introduction": fw.introduction,
            "highlights": fw.highlights,
            "appendix": fw.appendix,
            "agreed_on": _plain(fw.agreed_on),
            "agreed_place": fw.agreed_place,
        },
        "themes": [
            {
                "number": theme.number,
                "title": theme.title,
                "slug": theme.slug,
                "introduction": theme.introduction,
                "agreements": agreements_by_theme.get(theme.pk, []),
            }
            for theme in themes
        ],
    }
    if policy_basis:
        # Only when it has any, so that the content, and the hash, of a framework signed before
        # the policy basis existed stays the same.
        content["policy_basis"] = [
            {name: _plain(getattr(entry, name)) for name in POLICY_BASIS_FIELDS}
            for entry in policy_basis
        ]
    return content


def addendum_content(addendum: Addendum) -> dict[str, Any]:
    """The addendum as data: its reason and every change (old and new value), and the names of
    the framework and of its parties as its page and PDF show them."""
    changes = addendum.changes.select_related("agreement__theme", "target").order_by("order", "id")
    framework = addendum.framework
    # A wijziging's content is as it was before verlengingen existed (its hash stays the same).
    extension = (
        {"kind": addendum.kind, "new_period_end": addendum.new_period_end}
        if addendum.is_extension
        else {}
    )
    return {
        **extension,
        "document": "addendum",
        "framework": framework.slug,
        "framework_title": framework.title,
        "party_names": party_names(
            sorted({framework.municipality, *framework.parties.all()}, key=lambda p: p.slug)
        ),
        "number": addendum.number,
        "title": addendum.title,
        "reason": addendum.reason,
        "base_version": addendum.base_version,
        "changes": [
            {
                "agreement": change.agreement.code,
                "agreement_title": change.agreement.title,
                "target": change.target.code if change.target_id else None,
                "target_label": change.target.label if change.target_id else None,
                "field": change.field,
                "old": change.old_value,
                "new": change.new_value,
            }
            for change in changes
        ],
    }
