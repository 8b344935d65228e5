"""Who may see and change the end-evaluation (each rule asks agreements.access):

- everyone of a party of the framework reads it (agreements.access.get_framework_for_user:
  404 for others, "missing" and "forbidden" alike);
- the working group of a party of the framework starts it and writes the conclusions, while it
  is a concept and not up for signing (the services refuse it too);
- signatories sign it through the signing rounds (agreements.signing).
"""

from __future__ import annotations

from agreements.access import AnyUser, framework_standing
from agreements.models import Framework


def can_manage(user: AnyUser, framework: Framework) -> bool:
    return framework_standing(user, framework).is_working_group
