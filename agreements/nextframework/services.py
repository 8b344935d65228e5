"""Writes of drafting a framework in the portal: start one (empty or as a copy of the
previous one), its policy basis, its drafting states. Every write is atomic, checks that the
actor is in the working group of one of the framework's parties and writes the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements.access import framework_standing
from agreements.drafting.states import TRANSITIONS, is_editable
from agreements.models import Framework, Party, PolicyBasis, Target
from agreements.nextframework import selectors
from agreements.nextframework.baselines import Baseline
from agreements.signing.freeze import SIGNING_STATE_OPEN
from core.actors import person
from core.audit import audit_log

# Years a framework may span: a sane window, and at most ten years long.
FIRST_YEAR, LAST_YEAR, LONGEST = 2000, 2100, 10


def _check_period(municipality: Party, period_start: int, period_end: int) -> None:
    if not (FIRST_YEAR <= period_start <= LAST_YEAR and FIRST_YEAR <= period_end <= LAST_YEAR):
        raise ValidationError(
            _("Kies jaren tussen %(first)s en %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if period_end < period_start:
        raise ValidationError(_("Het laatste jaar kan niet vóór het eerste jaar liggen."))
    if period_end - period_start + 1 > LONGEST:
        raise ValidationError(_("Een kader loopt ten hoogste %(years)s jaar.") % {"years": LONGEST})
    overlap = selectors.overlapping_frameworks(municipality, period_start, period_end).first()
    if overlap is not None:
        raise ValidationError(
            _(
                "De periode %(period)s overlapt met “%(title)s” (%(other)s, %(status)s) van "
                "%(municipality)s. Kies een periode die daarna begint."
            )
            % {
                "period": f"{period_start}-{period_end}",
                "title": overlap.title,
                "other": overlap.period_label,
                "status": overlap.get_status_display().lower(),
                "municipality": municipality.name,
            }
        )


# Paths under /kaders/ that are not frameworks (agreements/urls.py).
RESERVED_SLUGS = frozenset({"nieuw", "ondertekening"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "kader"
    slug, number = base, 1
    while slug in RESERVED_SLUGS or Framework._base_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _fields(obj: Model, *, exclude: set[str]) -> dict[str, Any]:
    """The concrete field values of a row, to create its copy with."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in exclude
    }


def _not_passed(year: int | None, framework: Framework, fallback: int) -> int | None:
    """A year that the new period has already left behind becomes ``fallback``; a later one is
    kept: a long-term goal ("gasloos in 2050") keeps its meaning beyond the period."""
    if year is None or year >= framework.period_start:
        return year
    return fallback


def _copy_content(
    source: Framework, framework: Framework, baselines: Mapping[int, Baseline]
) -> dict[str, int]:
    """Copy themes, agreements, targets, process steps, policy basis and parties (not the
    paper signatories) of ``source`` into the new ``framework``."""
    framework.parties.set(source.parties.all())
    counts = {"themes": 0, "agreements": 0, "targets": 0}
    themes = source.themes.prefetch_related(
        "agreements__responsible_parties", "agreements__targets__parties"
    ).order_by("number")
    for theme in themes:
        new_theme = type(theme).objects.create(
            **_fields(theme, exclude={"framework"}), framework=framework
        )
        counts["themes"] += 1
        for agreement in theme.agreements.all():
            new_agreement = type(agreement).objects.create(
                **_fields(agreement, exclude={"theme"}), theme=new_theme
            )
            new_agreement.responsible_parties.set(agreement.responsible_parties.all())
            counts["agreements"] += 1
            for target in agreement.targets.all():
                values = _fields(target, exclude={"agreement", "copied_from"})
                values["target_year"] = _not_passed(
                    target.target_year, framework, framework.period_end
                )
                values["period_start"] = _not_passed(
                    target.period_start, framework, framework.period_start
                )
                baseline = baselines.get(target.pk)
                if baseline is not None:
                    values["baseline_value"] = baseline.value
                    values["baseline_date"] = baseline.date
                new_target = Target.objects.create(
                    **values, agreement=new_agreement, copied_from=target
                )
                new_target.parties.set(target.parties.all())
                counts["targets"] += 1
    for step in source.process_steps.order_by("order"):
        type(step).objects.create(**_fields(step, exclude={"framework"}), framework=framework)
    for entry in source.policy_basis.order_by("order", "id"):
        PolicyBasis.objects.create(**_fields(entry, exclude={"framework"}), framework=framework)
    return counts


def framework_start(
    *,
    actor: Any,
    municipality: Party,
    title: str,
    period_start: int,
    period_end: int,
    copy_of: Framework | None = None,
    baselines: Mapping[int, Baseline] | None = None,
    is_demo: bool = False,
) -> Framework:
    """Start a concept framework for ``municipality``: empty (its parties are the municipality
    and the parties that belong to it) or as a copy of its latest framework, whose end values
    (``baselines``, per target id of ``copy_of``) become the new targets' baselines.

    Submitting the same start twice gives the framework the first one made."""
    try:
        with transaction.atomic():
            return _framework_start(
                actor=actor,
                municipality=municipality,
                title=title,
                period_start=period_start,
                period_end=period_end,
                copy_of=copy_of,
                baselines=baselines or {},
                is_demo=is_demo,
            )
    except IntegrityError:
        # A second submit that raced the first past the checks: the slug is taken.
        existing = _same_start(actor, municipality, title, period_start, period_end)
        if existing is None:
            raise
        return existing


def _same_start(
    actor: Any, municipality: Party, title: str, period_start: int, period_end: int
) -> Framework | None:
    return Framework.objects.filter(
        municipality=municipality,
        title=title,
        period_start=period_start,
        period_end=period_end,
        started_by=person(actor),
        status=Framework.Status.CONCEPT,
    ).first()


def _framework_start(
    *,
    actor: Any,
    municipality: Party,
    title: str,
    period_start: int,
    period_end: int,
    copy_of: Framework | None,
    baselines: Mapping[int, Baseline],
    is_demo: bool,
) -> Framework:
    if not selectors.startable_municipalities(actor).filter(pk=municipality.pk).exists():
        raise PermissionDenied(
            _("Alleen de werkgroep van %(municipality)s kan een nieuw kader starten.")
            % {"municipality": municipality.name}
        )
    # One start per municipality at a time: the checks below see each other's framework.
    Party.objects.select_for_update().filter(pk=municipality.pk).first()
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Geef het kader een titel."))
    existing = _same_start(actor, municipality, title, period_start, period_end)
    if existing is not None:
        return existing
    _check_period(municipality, period_start, period_end)
    if copy_of is not None and copy_of != selectors.previous_framework(municipality):
        raise ValidationError(
            _("Een nieuw kader kan alleen een kopie zijn van het laatste kader van de gemeente.")
        )
    framework = Framework.objects.create(
        municipality=municipality,
        title=title,
        slug=_unique_slug(title),
        period_start=period_start,
        period_end=period_end,
        status=Framework.Status.CONCEPT,
        started_by=person(actor),
        started_at=timezone.now(),
        started_from=copy_of,
        is_demo=is_demo,
    )
    if copy_of is None:
        framework.parties.set([municipality, *municipality.local_parties.all()])
        counts: dict[str, int] = {}
    else:
        for name in ("introduction", "highlights", "appendix"):
            setattr(framework, name, getattr(copy_of, name))
        framework.save(update_fields=["introduction", "highlights", "appendix"])
        counts = _copy_content(copy_of, framework, baselines)
    audit_log(
        actor=actor,
        action="framework_start",
        obj=framework,
        period=framework.period_label,
        copy_of=copy_of.slug if copy_of else "",
        baselines=len(baselines),
        **counts,
    )
    return framework


# --- the policy basis --------------------------------------------------------------------


def _check_drafter(actor: Any, framework: Framework) -> None:
    if not framework_standing(actor, framework).is_working_group:
        raise PermissionDenied(_("Alleen de werkgroep van de partijen werkt het kader bij."))
    # Its state as stored now (locked): a page opened before it became definitief is stale.
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if not is_editable(framework):
        raise ValidationError(
            _("Het kader is geen concept meer en kan niet worden gewijzigd. Zet het eerst terug.")
        )


def _clean_entry(kind: str, title: str, source: str) -> tuple[str, str]:
    if kind not in PolicyBasis.Kind.values:
        raise ValidationError(_("Kies een soort beleidsstuk."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Geef de titel van het beleidsstuk."))
    return title, (source or "").strip()


@transaction.atomic
def policy_basis_add(
    *,
    actor: Any,
    framework: Framework,
    kind: str,
    title: str,
    date: dt.date | None = None,
    source: str = "",
) -> PolicyBasis:
    _check_drafter(actor, framework)
    title, source = _clean_entry(kind, title, source)
    last = framework.policy_basis.order_by("-order").values_list("order", flat=True).first()
    entry = PolicyBasis.objects.create(
        framework=framework,
        kind=kind,
        title=title,
        date=date,
        source=source,
        order=(last or 0) + 1,
    )
    audit_log(actor=actor, action="policy_basis_add", obj=framework, title=title, kind=kind)
    return entry


@transaction.atomic
def policy_basis_update(
    *,
    actor: Any,
    entry: PolicyBasis,
    kind: str,
    title: str,
    date: dt.date | None = None,
    source: str = "",
    version: int | None = None,
) -> PolicyBasis:
    """Save an entry edited from ``version``; refused, changing nothing, when someone saved it
    in between (the form keeps what this editor typed)."""
    _check_drafter(actor, entry.framework)
    title, source = _clean_entry(kind, title, source)
    current = PolicyBasis.objects.select_for_update().get(pk=entry.pk)
    if version is not None and current.version != version:
        raise ValidationError(
            _(
                "Iemand anders heeft dit beleidsstuk intussen gewijzigd (nu: “%(title)s”). Uw "
                "invoer staat hieronder nog: sla opnieuw op om haar te bewaren."
            )
            % {"title": current.title}
        )
    entry.title, entry.source, entry.kind, entry.date = title, source, kind, date
    entry.version = current.version + 1
    entry.save()
    audit_log(actor=actor, action="policy_basis_update", obj=entry.framework, title=entry.title)
    return entry


@transaction.atomic
def policy_basis_remove(*, actor: Any, entry: PolicyBasis) -> None:
    _check_drafter(actor, entry.framework)
    audit_log(actor=actor, action="policy_basis_remove", obj=entry.framework, title=entry.title)
    entry.delete()


# --- the drafting states -----------------------------------------------------------------


@transaction.atomic
def framework_status_set(*, actor: Any, framework: Framework, status: str) -> Framework:
    """concept <-> definitief concept, by the working group. Putting it up for signing goes
    through agreements.signing (from definitief concept)."""
    if not framework_standing(actor, framework).is_working_group:
        raise PermissionDenied(_("Alleen de werkgroep van de partijen wijzigt de status."))
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.signing_state != SIGNING_STATE_OPEN or status not in TRANSITIONS.get(
        framework.status, set()
    ):
        raise ValidationError(
            _("Een kader met status “%(status)s” kan niet naar “%(new)s”.")
            % {
                "status": framework.get_status_display(),
                "new": Framework.Status(status).label if status in Framework.Status else status,
            }
        )
    old = framework.status
    framework.status = status
    framework.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="framework_status", obj=framework, old=old, new=status)
    return framework
