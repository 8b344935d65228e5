"""The drafting states of a framework: concept -> definitief concept -> ter ondertekening ->
ondertekend (vastgesteld).

``is_editable`` is the one rule for whether a framework's pieces (texts, themes, agreements,
targets, policy basis) may be changed in the browser; every editing service asks it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agreements.models import Framework
from agreements.signing.freeze import SIGNING_STATE_OPEN, SIGNING_STATE_SIGNED, SIGNING_STATE_UP

# The statuses of a framework that is still being drafted (not yet signed).
DRAFTING_STATUSES = frozenset({Framework.Status.CONCEPT, Framework.Status.DEFINITIVE_CONCEPT})

# The moves the working group makes with the buttons on the framework's page; putting it up
# for signing and the signatures go through agreements.signing.
TRANSITIONS = {
    Framework.Status.CONCEPT: {Framework.Status.DEFINITIVE_CONCEPT},
    Framework.Status.DEFINITIVE_CONCEPT: {Framework.Status.CONCEPT},
}


def is_editable(framework: Framework) -> bool:
    """Concept or definitief concept, not up for signing (nor signed): as the jaarschijf, whose
    definitief concept is also still edited until it is put up."""
    return framework.status in DRAFTING_STATUSES and framework.signing_state == SIGNING_STATE_OPEN


def is_drafting(framework: Framework) -> bool:
    """Drafted in the portal and not yet signed: "In voorbereiding"."""
    return framework.status in DRAFTING_STATUSES and framework.signing_state != (
        SIGNING_STATE_SIGNED
    )


def drafting_state_label(framework: Framework) -> str:
    """The state as the lists and the page say it."""
    if framework.signing_state == SIGNING_STATE_UP:
        return str(_("Ter ondertekening"))
    if framework.signing_state == SIGNING_STATE_SIGNED:
        return str(_("Ondertekend"))
    return str(framework.get_status_display())
