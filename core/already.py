"""The answer to a write that found its work already done (a double click, two tabs, nine
people confirming at once): not an error, but the state the request found.

Services raise AlreadyDone after taking their row lock, so of N simultaneous requests exactly
one does the work and the others are told, in Dutch, what is the case now. Views answer it with
a redirect to the object's page and ``messages.info`` (the page then shows the current state).
It is a ValidationError, so a caller that does not know it still shows the message instead of a
500.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class AlreadyDone(ValidationError):
    """The action was already carried out (by this person or another); nothing was written."""
