"""A framework in concept beside the small Kerkrade-like world of the cycle tests."""

from __future__ import annotations

import pytest

from agreements.models import Framework, Target
from tests.cycle.conftest import build_framework, world  # noqa: F401 (the world fixture)


@pytest.fixture
def concept(world):  # noqa: F811
    """A concept framework of the world's parties (themes, an agreement, five targets)."""
    framework = build_framework(world.parties, slug="kerkrade-2026-2030")
    Framework.objects.filter(pk=framework.pk).update(
        status=Framework.Status.CONCEPT, title="Kerkrade 2026-2030"
    )
    return Framework.objects.get(pk=framework.pk)


def target_of(framework: Framework, code: str = "sloop") -> Target:
    return Target.objects.get(agreement__theme__framework=framework, code=code)
