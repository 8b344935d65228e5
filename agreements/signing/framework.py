"""The meerjarig kader as a signable document (registered in AgreementsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import canonical, selectors
from agreements.models import Addendum, Framework, Party
from agreements.signing.freeze import SIGNING_STATE_OPEN, SIGNING_STATE_SIGNED, SIGNING_STATE_UP
from agreements.signing.registry import Signable, register


@register
class FrameworkSignable(Signable):
    key = "kader"
    model = Framework
    label = _("meerjarig kader")

    obj: Framework

    def title(self) -> str:
        return f"{self.obj.title} (versie {self.obj.version})"

    def canonical_content(self) -> bytes:
        return canonical.canonical_bytes(canonical.framework_content(self.obj))

    def parties(self) -> list[Party]:
        return selectors.framework_parties(self.obj)

    def pdf_template(self) -> str:
        return "agreements/print/framework.html"

    def pdf_context(self) -> dict[str, Any]:
        return {
            "framework": self.obj,
            "themes": selectors.framework_themes(self.obj),
            "parties": selectors.framework_parties(self.obj),
            "signatories": selectors.framework_signatories(self.obj),
            "process_steps": selectors.framework_process_steps(self.obj),
        }

    def get_absolute_url(self) -> str:
        return reverse("agreements:framework-detail", args=[self.obj.slug])

    def can_put_up(self) -> bool:
        # Not while an addendum that would change it awaits the parties' consent.
        return (
            self.obj.signing_state == SIGNING_STATE_OPEN
            and not self.obj.addenda.filter(status=Addendum.Status.UP_FOR_SIGNING).exists()
        )

    def is_frozen(self) -> bool:
        return self.obj.signing_state != SIGNING_STATE_OPEN

    def _set_state(self, state: str) -> None:
        Framework.objects.filter(pk=self.obj.pk).update(signing_state=state)
        self.obj.signing_state = state

    def on_put_up(self, *, round: int) -> None:
        self._set_state(SIGNING_STATE_UP)

    def on_all_signed(self, *, signing_request: Any) -> None:
        self._set_state(SIGNING_STATE_SIGNED)

    def on_declined(self, *, signing_request: Any) -> None:
        self._set_state(SIGNING_STATE_OPEN)
