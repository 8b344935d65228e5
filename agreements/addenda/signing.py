"""An addendum as a signable document: accepting it is signing it (registered in apps.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import canonical, selectors
from agreements.addenda.services import addendum_apply, addendum_changes_with_diff
from agreements.models import Addendum, Party
from agreements.signing.freeze import SIGNING_STATE_UP
from agreements.signing.registry import Signable, register


@register
class AddendumSignable(Signable):
    """Accepting an addendum is signing it; rejecting is declining (and final)."""

    key = "addendum"
    model = Addendum
    label = _("addendum")

    obj: Addendum

    def title(self) -> str:
        return f"Addendum {self.obj.number} bij {self.obj.framework.title}: {self.obj.title}"

    def canonical_data(self) -> dict[str, Any]:
        return canonical.addendum_content(self.obj)

    def parties(self) -> list[Party]:
        return selectors.framework_parties(self.obj.framework)

    def pdf_template(self) -> str:
        return "agreements/print/addendum.html"

    def pdf_context(self) -> dict[str, Any]:
        return {
            "addendum": self.obj,
            "framework": self.obj.framework,
            "changes": addendum_changes_with_diff(self.obj),
            "parties": self.parties(),
        }

    # Its page's reason and changes, as put up (agreements.signing.snapshot.current_snapshot).
    page_template = "agreements/addenda/_document.html"

    def page_context(self) -> dict[str, Any]:
        return {
            "addendum": self.obj,
            "framework": self.obj.framework,
            "changes": addendum_changes_with_diff(self.obj),
        }

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:addendum-detail", args=[self.obj.framework.slug, self.obj.number]
        )

    def can_put_up(self) -> bool:
        return (
            self.obj.status == Addendum.Status.CONCEPT
            and self.obj.base_version == self.obj.framework.version
            and self.obj.framework.signing_state != SIGNING_STATE_UP
            and (self.obj.is_extension or self.obj.changes.exists())
            and not self.obj.framework.addenda.filter(
                status=Addendum.Status.UP_FOR_SIGNING
            ).exists()
        )

    def is_frozen(self) -> bool:
        return self.obj.status != Addendum.Status.CONCEPT

    def _set_status(self, status: str) -> None:
        self.obj.status = status
        self.obj.save(update_fields=["status", "decided_at"])

    def on_put_up(self, *, round: int) -> None:
        self._set_status(Addendum.Status.UP_FOR_SIGNING)

    def on_all_signed(self, *, signing_request: Any) -> None:
        addendum_apply(addendum=self.obj, signing_request=signing_request)

    def on_declined(self, *, signing_request: Any) -> None:
        self.obj.decided_at = signing_request.completed_at
        self._set_status(Addendum.Status.REJECTED)
