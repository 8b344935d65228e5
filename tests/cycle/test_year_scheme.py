"""Each cycle year says in one sentence what it holds and under which framework (issue 10,
item 10): "Jaarcyclus 2025 → Jaarschijf 2026 → Evaluatie 2024" explained."""

from __future__ import annotations

from django.urls import reverse

# The framework named is the one the jaarschijf is drafted under; the evaluated jaarschijf may
# belong to the previous framework (the first year of a new one), so it comes after.
SENTENCE = (
    "In de jaarcyclus 2025 dienen de corporaties hun bod voor 2026 in en stellen de partijen "
    "samen de jaarschijf 2026 op, onder het meerjarig kader Lokaal meerjarig kader Kerkrade "
    "2021-2025 (2021-2025); ook evalueren zij de jaarschijf 2024."
)


def _text(response) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(response.content.decode()).split())


def test_the_cycle_year_page_explains_the_year_scheme(client, world):
    client.force_login(world.users["huurders"])
    response = client.get(reverse("cycle:year-detail", args=[world.cycle_year.pk]))
    assert SENTENCE in _text(response)


def test_the_cycle_year_list_explains_each_year(client, world):
    client.force_login(world.users["heemwonen"])
    response = client.get(reverse("cycle:year-list") + "?alle=1")
    assert SENTENCE in _text(response)
