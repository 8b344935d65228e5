"""Writes of the end-evaluation: keyword-only, atomic, permission-checked
(cycle.endevaluation.access), the audit trail in the same transaction. A signed or up-for-signing
end-evaluation is frozen by the one freeze rule (agreements.signing.freeze): its save refuses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import Framework, Theme
from core.actors import person
from core.audit import audit_log
from cycle.endevaluation import access as rules
from cycle.endevaluation.selectors import has_ended
from cycle.models import EndEvaluation, EndEvaluationConclusion


def _lock(end_evaluation: EndEvaluation) -> EndEvaluation:
    return (
        EndEvaluation.objects.select_for_update(of=("self",))
        .select_related("framework")
        .get(pk=end_evaluation.pk)
    )


def _require_editable(end_evaluation: EndEvaluation) -> None:
    from cycle.endevaluation.signing import signing_state

    if end_evaluation.is_signed or signing_state(end_evaluation.pk) is not None:
        raise ValidationError(EndEvaluation.freeze_message)


@transaction.atomic
def end_evaluation_start(
    *, actor: Any, framework: Framework, is_demo: bool = False
) -> EndEvaluation:
    """Start the end-evaluation of a framework whose period has ended; again returns it."""
    if not rules.can_manage(actor, framework):
        raise PermissionDenied(_("Alleen de werkgroep stelt de eindevaluatie op."))
    list(Framework.objects.select_for_update().filter(pk=framework.pk).values_list("pk"))
    existing = EndEvaluation.objects.filter(framework=framework).first()
    if existing is not None:
        return existing
    if not has_ended(framework):
        raise ValidationError(
            _("De eindevaluatie kan pas na afloop van het kader, na %(end)s, worden opgesteld.")
            % {"end": framework.period_end}
        )
    end_evaluation = EndEvaluation.objects.create(
        framework=framework, created_by=person(actor), is_demo=is_demo
    )
    audit_log(actor=actor, action="end_evaluation_start", obj=end_evaluation)
    return end_evaluation


@transaction.atomic
def end_evaluation_conclusion_save(
    *,
    actor: Any,
    end_evaluation: EndEvaluation,
    theme_id: int,
    text: str,
    expected_version: int | None = None,
) -> EndEvaluationConclusion:
    """Write the working group's conclusion on one theme. ``expected_version`` is the version
    the form was based on (0 for none yet): a stale form is refused, nothing is written."""
    end_evaluation = _lock(end_evaluation)
    if not rules.can_manage(actor, end_evaluation.framework):
        raise PermissionDenied(_("Alleen de werkgroep schrijft de conclusies."))
    _require_editable(end_evaluation)
    try:
        theme = Theme.objects.get(pk=theme_id, framework_id=end_evaluation.framework_id)
    except Theme.DoesNotExist:
        raise ValidationError(_("Dit thema hoort niet bij het kader.")) from None
    conclusion = (
        EndEvaluationConclusion.objects.select_for_update()
        .filter(end_evaluation=end_evaluation, theme=theme)
        .first()
    )
    current = conclusion.version if conclusion else 0
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _(
                "Iemand anders heeft deze conclusie intussen gewijzigd; uw tekst is niet "
                "opgeslagen. Laad de pagina opnieuw."
            )
        )
    if conclusion is None:
        conclusion = EndEvaluationConclusion(end_evaluation=end_evaluation, theme=theme)
    else:
        conclusion.version += 1
    conclusion.text = text.strip()
    conclusion.updated_by = person(actor)
    conclusion.save()
    end_evaluation.version += 1
    end_evaluation.save(update_fields=["version"])
    audit_log(
        actor=actor,
        action="end_evaluation_conclusion_save",
        obj=end_evaluation,
        theme=theme.number,
        version=conclusion.version,
    )
    return conclusion
