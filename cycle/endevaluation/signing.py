"""The end-evaluation as a signable document (agreements.signing), like the yearly evaluation
(cycle.evaluation.signing): the working group puts a concept up for signing, every party of the
framework signs through one of its signatories, the last signature marks it signed. While a
round is open or signed it is frozen (the one freeze rule, agreements.signing.freeze); the page
and the PDF then come from the round's snapshot. A decline makes it an editable concept again.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.canonical import party_names
from agreements.models import Party, SigningRequest
from agreements.selectors import framework_parties
from agreements.signing.freeze import lifting
from agreements.signing.registry import Signable, register
from agreements.signing.selectors import DocumentSigningStatus, document_signing_status
from core.actors import SIGNING
from core.audit import audit_log
from cycle.endevaluation import selectors
from cycle.models import EndEvaluation

# The print template of the end-evaluation, for its rounds and its download (cycle.endevaluation
# .pdf imports it from here, so that the two modules do not import each other).
PRINT_TEMPLATE = "cycle/print/end_evaluation.html"

KEY = EndEvaluation.signing_key


def _quantity(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def end_evaluation_content(end_evaluation: EndEvaluation) -> dict[str, Any]:
    """What the page and PDF show, as data: every target's plan, realisation and light, and the
    working group's conclusion per theme. Lifecycle fields (state, version) are not content."""
    obj = EndEvaluation.objects.select_related("framework__municipality").get(pk=end_evaluation.pk)
    framework = obj.framework
    end = selectors.framework_end_evaluation(framework)
    texts = {c.theme_id: c.text for c in obj.conclusions.all()}
    named = sorted({framework.municipality, *framework_parties(framework)}, key=lambda p: p.slug)
    return {
        "document": KEY,
        "party_names": party_names(named),
        "framework": framework.slug,
        "framework_version": framework.version,
        "period": [framework.period_start, framework.period_end],
        "last_evaluated_year": end.last_year,
        "is_demo": obj.is_demo,
        "themes": [
            {
                "number": theme.theme.number,
                "title": theme.theme.title,
                "conclusion": texts.get(theme.theme.pk, ""),
                "light": str(theme.light),
                "targets": [
                    {
                        "code": row.target.code,
                        "label": row.target.label,
                        "planned": row.planned,
                        "baseline": row.baseline,
                        "period": row.period,
                        "realised": row.realised_text,
                        "per_year": {str(y): _quantity(v) for y, v in sorted(row.per_year.items())},
                        "light": str(row.light),
                        "rule": str(row.rule),
                    }
                    for row in theme.rows
                ],
            }
            for theme in end.themes
        ],
    }


def page_context(end_evaluation: EndEvaluation) -> dict[str, Any]:
    obj = EndEvaluation.objects.select_related("framework__municipality").get(pk=end_evaluation.pk)
    end = selectors.framework_end_evaluation(obj.framework)
    texts = {c.theme_id: c for c in obj.conclusions.all()}
    for theme in end.themes:
        theme.conclusion = texts.get(theme.theme.pk)
    return {
        "end_evaluation": obj,
        "end": end,
        "framework": obj.framework,
        "parties": sorted(framework_parties(obj.framework), key=lambda p: p.name),
    }


@register
class EndEvaluationSignable(Signable):
    key = KEY
    model = EndEvaluation
    label = gettext_lazy("eindevaluatie")

    obj: EndEvaluation

    def canonical_data(self) -> dict[str, Any]:
        return end_evaluation_content(self.obj)

    def parties(self) -> list[Party]:
        return framework_parties(self.obj.framework)

    def pdf_template(self) -> str:
        return PRINT_TEMPLATE

    def pdf_context(self) -> dict[str, Any]:
        return {**page_context(self.obj), "signing_state": signing_state(self.obj.pk) or ""}

    def get_absolute_url(self) -> str:
        return reverse("cycle:end-evaluation", args=[self.obj.framework.slug])

    # The tables and conclusions as put up (snapshot.current_snapshot).
    page_template = "cycle/endevaluation/_document.html"

    def page_context(self) -> dict[str, Any]:
        return page_context(self.obj)

    def can_put_up(self) -> bool:
        return not self.obj.is_signed and signing_state(self.obj.pk) is None

    def is_frozen(self) -> bool:
        return self.obj.is_signed or signing_state(self.obj.pk) is not None

    def on_put_up(self, *, round: int) -> None:
        audit_log(actor=SIGNING, action="end_evaluation_put_up", obj=self.obj, round=round)

    def on_all_signed(self, *, signing_request: Any) -> None:
        with lifting(self.obj, authorised_by=signing_request):
            obj = EndEvaluation.objects.get(pk=self.obj.pk)
            obj.state = EndEvaluation.State.SIGNED
            obj.signed_at = timezone.now()
            obj.save(update_fields=["state", "signed_at"])
            self.obj = obj
        audit_log(actor=SIGNING, action="end_evaluation_signed", obj=self.obj)

    def on_declined(self, *, signing_request: Any) -> None:
        reason = _("Niet getekend door %(party)s: %(reason)s") % {
            "party": signing_request.declined_party.name if signing_request.declined_party else "–",
            "reason": signing_request.decline_reason,
        }
        audit_log(
            actor=SIGNING,
            action="end_evaluation_declined",
            obj=self.obj,
            round=signing_request.round,
            reason=reason,
        )


def signing_state(end_evaluation_id: int | None) -> str | None:
    """ "ondertekend" when a round is signed, "open" when one is open, else None."""
    return EndEvaluation.own_round_state(end_evaluation_id)


def signing_status(end_evaluation: EndEvaluation, user: Any) -> DocumentSigningStatus:
    return document_signing_status(
        signable=EndEvaluationSignable(end_evaluation),
        framework=end_evaluation.framework,
        user=user,
        can_put_up=lambda request: (
            (request is None or request.status == SigningRequest.Status.DECLINED)
            and not end_evaluation.is_signed
        ),
    )
