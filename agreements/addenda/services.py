"""Addenda (tussentijdse wijzigingen): propose, show as a word diff, apply when all agreed.

Flow: a working-group member proposes an addendum (``addendum_propose``); the working group
puts it up for signing like any signable document (agreements.signing.services); each party's
signatory accepts by signing (password again) or rejects by declining with a reason. When every
party has signed, ``addendum_apply`` snapshots the current framework as a FrameworkVersion,
applies the changes and raises Framework.version. A rejection is final: the addendum stays on
record as "verworpen" with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.access import framework_standing
from agreements.canonical import canonical_bytes, framework_content, sha256
from agreements.models import (
    Addendum,
    AddendumChange,
    Agreement,
    Framework,
    FrameworkVersion,
    SigningRequest,
    Target,
)
from agreements.signing.freeze import lifting
from core.actors import SIGNING
from core.audit import audit_log
from core.bounds import Quantity, check_bound
from core.diffing import diff_html
from core.numbers import parse_dutch_decimal

DECIMAL_FIELDS = {"value", "value_max"}
INTEGER_FIELDS = {"target_year"}
# A target year: the agreements run from 2000 on; a year beyond 2100 is a typing error (and
# 99999 would not fit the column).
MIN_YEAR, MAX_YEAR = 2000, 2100
# A verlenging bridges the time to a new framework; a longer run is a new framework.
MAX_EXTENSION_YEARS = 5


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _parse(field: str, text: str) -> Any:
    text = text.strip() if field in DECIMAL_FIELDS | INTEGER_FIELDS else text
    if field in DECIMAL_FIELDS:
        if not text:
            return None
        try:
            number = parse_dutch_decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Geen geldig getal: %(value)s") % {"value": text}) from None
        return check_bound(number, Quantity.TARGET)
    if field in INTEGER_FIELDS:
        if not text:
            return None
        if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
            raise ValidationError(_("Geen geldig jaar: %(value)s") % {"value": text})
        return int(text)
    return text


@dataclass(frozen=True)
class ChangeSpec:
    """One proposed change: the agreement, optionally one of its targets, a field, a value."""

    agreement: Agreement
    field: str
    new_value: str
    target: Target | None = None


def _can_propose(user: Any, framework: Framework) -> bool:
    return framework_standing(user, framework).is_working_group


@transaction.atomic
def addendum_propose(
    *,
    framework: Framework,
    user: Any,
    title: str,
    reason: str,
    changes: Iterable[ChangeSpec | Mapping[str, Any]] = (),
    kind: str = Addendum.Kind.CHANGE,
    new_period_end: int | None = None,
) -> Addendum:
    """A working-group member proposes a change of the framework (status "voorstel").

    A ``wijziging`` changes agreements or targets; a ``verlenging`` moves the framework's last
    year to ``new_period_end`` (and may change agreements or targets as well)."""
    if not _can_propose(user, framework):
        raise PermissionDenied
    title, reason = title.strip(), reason.strip()
    if not title or not reason:
        raise ValidationError(_("Geef een titel en een motivering."))
    specs = [c if isinstance(c, ChangeSpec) else ChangeSpec(**c) for c in changes]
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if kind == Addendum.Kind.EXTENSION:
        _check_extension(framework, new_period_end)
    elif kind == Addendum.Kind.CHANGE:
        new_period_end = None
        if not specs:
            raise ValidationError(_("Een addendum wijzigt ten minste één afspraak of doel."))
    else:
        raise ValidationError(_("Onbekende soort addendum."))
    number = (framework.addenda.aggregate(last=Max("number"))["last"] or 0) + 1
    addendum = Addendum.objects.create(
        framework=framework,
        number=number,
        title=title,
        reason=reason,
        kind=kind,
        new_period_end=new_period_end,
        base_version=framework.version,
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    for order, spec in enumerate(specs, start=1):
        if spec.agreement.theme.framework_id != framework.pk:
            raise ValidationError(_("De afspraak hoort niet bij dit kader."))
        if spec.target is not None:
            if spec.target.agreement_id != spec.agreement.pk:
                raise ValidationError(_("Het doel hoort niet bij deze afspraak."))
            allowed, obj = AddendumChange.TARGET_FIELDS, spec.target
        else:
            allowed, obj = AddendumChange.AGREEMENT_FIELDS, spec.agreement
        if spec.field not in allowed:
            raise ValidationError(_("Dit veld kan niet bij addendum worden gewijzigd."))
        parsed = _parse(spec.field, spec.new_value)
        old = _as_text(getattr(obj, spec.field))
        new = _as_text(parsed)
        if old == new:
            raise ValidationError(_("De nieuwe waarde is gelijk aan de huidige."))
        AddendumChange.objects.create(
            addendum=addendum,
            agreement=spec.agreement,
            target=spec.target,
            field=spec.field,
            old_value=old,
            new_value=new,
            order=order,
        )
    audit_log(
        actor=user,
        action="addendum_propose",
        obj=addendum,
        number=number,
        kind=kind,
        **({"new_period_end": new_period_end} if new_period_end else {}),
    )
    return addendum


def _check_extension(framework: Framework, new_period_end: int | None) -> None:
    if new_period_end is None:
        raise ValidationError(_("Geef het nieuwe laatste jaar van het kader."))
    if new_period_end <= framework.period_end:
        raise ValidationError(
            _("Het nieuwe laatste jaar moet na %(year)s liggen, het huidige laatste jaar.")
            % {"year": framework.period_end}
        )
    if new_period_end > framework.period_end + MAX_EXTENSION_YEARS:
        raise ValidationError(
            _(
                "Een verlenging duurt ten hoogste %(years)s jaar (tot en met %(last)s); stel voor "
                "een langere periode een nieuw kader op."
            )
            % {"years": MAX_EXTENSION_YEARS, "last": framework.period_end + MAX_EXTENSION_YEARS}
        )


def addendum_apply(*, addendum: Addendum, signing_request: SigningRequest) -> Framework:
    """Every party signed: keep the old version readable, apply the changes, bump the version.

    Called by AddendumSignable.on_all_signed inside the signing transaction; the only code that
    changes a signed framework (under ``lifting``, see agreements.signing.freeze).
    """
    framework = Framework.objects.select_for_update().get(pk=addendum.framework_id)
    if addendum.base_version != framework.version:
        from agreements.signing.services import SigningError

        raise SigningError(
            _(
                "Het kader is sinds dit voorstel gewijzigd (versie %(version)s); dit addendum kan "
                "niet meer worden toegepast."
            )
            % {"version": framework.version}
        )
    content = canonical_bytes(framework_content(framework))
    FrameworkVersion.objects.create(
        framework=framework,
        version=framework.version,
        content=content.decode("utf-8"),
        content_hash=sha256(content),
        created_at=timezone.now(),
        replaced_by=addendum,
    )
    with lifting(framework, authorised_by=signing_request):
        for change in addendum.changes.select_related("agreement", "target"):
            obj = change.target if change.target_id else change.agreement
            setattr(obj, change.field, _parse(change.field, change.new_value))
            obj.save(update_fields=[change.field])
        moved: dict[str, Any] = {}
        if addendum.is_extension:
            # The one sanctioned change of a signed framework's period; an ended framework that
            # is extended is in force again.
            moved["period_end"] = addendum.new_period_end
            if framework.status == Framework.Status.EXPIRED:
                moved["status"] = Framework.Status.ADOPTED
        Framework.objects.filter(pk=framework.pk).update(version=framework.version + 1, **moved)
    framework.refresh_from_db()
    addendum.status = Addendum.Status.ACCEPTED
    addendum.decided_at = signing_request.completed_at or timezone.now()
    addendum.save(update_fields=["status", "decided_at"])
    audit_log(
        actor=SIGNING,
        action="addendum_apply",
        obj=addendum,
        from_version=framework.version - 1,
        to_version=framework.version,
        **({"period_end": framework.period_end} if addendum.is_extension else {}),
    )
    return framework


FIELD_LABELS = {
    "title": gettext_lazy("titel"),
    "text": gettext_lazy("tekst"),
    "label": gettext_lazy("omschrijving van het doel"),
    "value": gettext_lazy("doelwaarde"),
    "value_max": gettext_lazy("bovengrens"),
    "target_year": gettext_lazy("doeljaar"),
    "note": gettext_lazy("toelichting bij het doel"),
}


def addendum_changes_with_diff(addendum: Addendum) -> list[dict[str, Any]]:
    rows = []
    for change in addendum.changes.select_related("agreement__theme", "target").order_by(
        "order", "id"
    ):
        rows.append(
            {
                "change": change,
                "field_label": FIELD_LABELS.get(change.field, change.field),
                "diff": diff_html(change.old_value, change.new_value),
            }
        )
    return rows
