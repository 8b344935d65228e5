"""The meerjarig kader as a signable document (registered in AgreementsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import canonical, selectors
from agreements.drafting.states import DRAFTING_STATUSES
from agreements.models import Addendum, Framework, Party
from agreements.nextframework import selectors as nextframework_selectors
from agreements.signing.changes import Change
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

    def canonical_data(self) -> dict[str, Any]:
        return canonical.framework_content(self.obj)

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
            "policy_basis": nextframework_selectors.framework_policy_basis(self.obj),
        }

    def get_absolute_url(self) -> str:
        return reverse("agreements:framework-detail", args=[self.obj.slug])

    # Its page's document part, as put up (agreements.signing.snapshot.current_snapshot).
    page_template = "agreements/_framework_document.html"

    def page_context(self) -> dict[str, Any]:
        return self.pdf_context()

    def snapshot_shown(self, signed: dict[str, Any], live: dict[str, Any]) -> bool:
        # An accepted addendum is the one sanctioned change of a signed framework: from then on
        # the page shows the framework as amended (its tables are frozen) with a note.
        return signed["framework"]["version"] == live["framework"]["version"]

    def snapshot_changes(self, signed: dict[str, Any], live: dict[str, Any]) -> list[Change]:
        changes = super().snapshot_changes(signed, live)
        if not self.snapshot_shown(signed, live):
            changes.append(
                Change(
                    _(
                        "Het kader is na de ondertekening van versie %(signed)s gewijzigd bij "
                        "addendum; hieronder staat de geldende versie %(live)s."
                    )
                    % {
                        "signed": signed["framework"]["version"],
                        "live": live["framework"]["version"],
                    },
                    reverse("agreements:addendum-list", args=[self.obj.slug]),
                    _("Naar de addenda"),
                )
            )
        return changes

    def can_put_up(self) -> bool:
        # Not a concept still being written (the working group makes it a definitief concept
        # first, agreements.nextframework), and not while an addendum that would change it awaits
        # the parties' consent.
        return (
            self.obj.signing_state == SIGNING_STATE_OPEN
            and self.obj.status != Framework.Status.CONCEPT
            and not self.obj.addenda.filter(status=Addendum.Status.UP_FOR_SIGNING).exists()
        )

    def is_frozen(self) -> bool:
        return self.obj.signing_state != SIGNING_STATE_OPEN

    def _set_state(self, state: str, status: str | None = None) -> None:
        status = status or self.obj.status
        Framework.objects.filter(pk=self.obj.pk).update(signing_state=state, status=status)
        self.obj.signing_state, self.obj.status = state, status

    def on_put_up(self, *, round: int) -> None:
        self._set_state(SIGNING_STATE_UP)

    def on_all_signed(self, *, signing_request: Any) -> None:
        # A framework drafted in the portal is vastgesteld once every party has signed it.
        drafted = self.obj.status in DRAFTING_STATUSES
        self._set_state(SIGNING_STATE_SIGNED, Framework.Status.ADOPTED if drafted else None)

    def on_declined(self, *, signing_request: Any) -> None:
        # A declined definitief concept goes back to concept, as the jaarschijf does.
        drafted = self.obj.status == Framework.Status.DEFINITIVE_CONCEPT
        self._set_state(SIGNING_STATE_OPEN, Framework.Status.CONCEPT if drafted else None)
