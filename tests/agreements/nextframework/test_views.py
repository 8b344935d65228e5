"""The pages of drafting: start, the concept's page, the policy basis forms, the states."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Framework, PolicyBasis, Target
from cycle.endevaluation import baselines as cycle_baselines
from cycle.endevaluation.selectors import EndValue


def text(response) -> str:
    """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


NEW = reverse("agreements:framework-new")


def form_data(world, **extra):
    return {
        "municipality": world.municipality.pk,
        "title": "Kader Voorbeeld 2026-2030",
        "period_start": 2026,
        "period_end": 2030,
        "start_from": "kopie",
        **extra,
    }


def test_the_list_offers_the_working_group_a_new_framework(world, client_for):
    response = client_for(world.working_group).get(reverse("agreements:framework-list"))
    assert NEW in response.content.decode()
    response = client_for(world.member).get(reverse("agreements:framework-list"))
    assert NEW not in response.content.decode()


def test_the_start_page_offers_a_copy_of_the_latest_framework(world, client_for):
    response = client_for(world.working_group).get(NEW + "?gemeente=gemeente-voorbeeld")
    assert response.status_code == 200
    assert "Kopie van “Kader Voorbeeld 2021-2025”" in text(response)
    assert response.context["form"].initial["municipality"] == world.municipality


def test_a_member_outside_the_working_group_is_refused_the_start_page(world, client_for):
    assert client_for(world.member).get(NEW).status_code == 403
    assert client_for(world.member).post(NEW, form_data(world)).status_code == 403
    assert Framework.objects.count() == 1


def test_starting_a_copy_takes_the_end_values_from_the_end_evaluation(
    world, client_for, monkeypatch
):
    end = EndValue(world.late_target, Decimal("401"), dt.date(2025, 12, 31))
    monkeypatch.setattr(cycle_baselines, "framework_end_values", lambda framework: [end])

    response = client_for(world.working_group).post(NEW, form_data(world))

    framework = Framework.objects.get(title="Kader Voorbeeld 2026-2030")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:framework-detail", args=[framework.slug])
    sloop = Target.objects.get(agreement__theme__framework=framework, code="sloop")
    assert (sloop.baseline_value, sloop.baseline_date) == (Decimal("401"), dt.date(2025, 12, 31))


def test_a_double_submit_lands_on_the_same_concept(world, client_for):
    client = client_for(world.working_group)
    first = client.post(NEW, form_data(world))
    second = client.post(NEW, form_data(world))
    assert first["Location"] == second["Location"]
    assert Framework.objects.filter(status="concept").count() == 1


def test_an_overlapping_period_shows_a_dutch_error(world, client_for):
    response = client_for(world.working_group).post(
        NEW, form_data(world, period_start=2025, period_end=2029)
    )
    assert response.status_code == 200
    assert "overlapt met “Kader Voorbeeld 2021-2025”" in text(response)


def test_the_concept_page_says_it_is_a_concept_by_whom_and_what_was_adjusted(world, client_for):
    client = client_for(world.working_group)
    location = client.post(NEW, form_data(world))["Location"]
    page = text(client.get(location))
    assert "Dit kader is nog niet vastgesteld: Concept." in page
    assert "Gestart door Wil Werkgroep" in page
    assert "Aangepast bij het kopiëren" in page
    assert "1.2 Sloop: doeljaar 2025 → 2030" in page
    assert "Maak definitief concept" in page


def test_the_list_shows_the_concept_apart(world, client_for):
    client = client_for(world.working_group)
    client.post(NEW, form_data(world))
    page = text(client.get(reverse("agreements:framework-list")))
    drafting = page.split("In voorbereiding")[1].split("Vastgestelde kaders")[0]
    assert "Kader Voorbeeld 2026-2030" in drafting and "Concept" in drafting
    assert "Kader Voorbeeld 2021-2025" not in drafting


def test_a_member_reads_the_concept_without_the_drafting_buttons(world, client_for):
    client_for(world.working_group).post(NEW, form_data(world))
    framework = Framework.objects.get(status="concept")
    page = text(
        client_for(world.member).get(reverse("agreements:framework-detail", args=[framework.slug]))
    )
    assert "Dit kader is nog niet vastgesteld" in page
    assert "Maak definitief concept" not in page and "Beleidsstuk toevoegen" not in page


@pytest.fixture
def concept(world, client_for):
    client_for(world.working_group).post(NEW, form_data(world))
    return Framework.objects.get(status="concept")


def test_adding_a_policy_basis_entry_shows_it_on_the_page(world, concept, client_for):
    client = client_for(world.working_group)
    url = reverse("agreements:policy-basis-new", args=[concept.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "regionale_afspraak",
            "title": "Regionale woonagenda",
            "date": "2025-03-14",
            "source": "https://example.org/rwa",
        },
    )
    assert response.status_code == 302
    page = text(client.get(reverse("agreements:framework-detail", args=[concept.slug])))
    assert "Regionale afspraak : Regionale woonagenda (14 maart 2025)" in page


def test_a_stale_policy_basis_edit_is_refused_and_keeps_what_was_typed(world, concept, client_for):
    entry = concept.policy_basis.get()
    url = reverse("agreements:policy-basis-edit", args=[concept.slug, entry.pk])
    fields = {"kind": entry.kind, "date": "", "source": ""}
    first, second = client_for(world.working_group), client_for(world.working_group)
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert first.post(url, {**fields, "title": "Woonvisie 2026", "version": 1}).status_code == 302
    # The second editor opened the form at version 1 too.
    response = second.post(url, {**fields, "title": "Woonvisie 2025-2030", "version": 1})
    page = text(response)
    assert response.status_code == 200
    assert "Iemand anders heeft dit beleidsstuk intussen gewijzigd (nu: “Woonvisie 2026”)" in page
    assert 'value="Woonvisie 2025-2030"' in response.content.decode()
    entry.refresh_from_db()
    assert (entry.title, entry.version) == ("Woonvisie 2026", 2)
    # Saving again, now based on version 2, keeps the second editor's text.
    assert 'name="version" value="2"' in response.content.decode()
    again = second.post(url, {**fields, "title": "Woonvisie 2025-2030", "version": 2})
    assert again.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.version) == ("Woonvisie 2025-2030", 3)


def test_removing_an_entry_asks_first(world, concept, client_for):
    client = client_for(world.working_group)
    entry = concept.policy_basis.get()
    url = reverse("agreements:policy-basis-remove", args=[concept.slug, entry.pk])
    assert "Weet u zeker" in text(client.get(url))
    assert PolicyBasis.objects.filter(pk=entry.pk).exists()
    client.post(url)
    assert not PolicyBasis.objects.filter(pk=entry.pk).exists()


def test_a_member_cannot_open_the_policy_basis_forms(world, concept, client_for):
    url = reverse("agreements:policy-basis-new", args=[concept.slug])
    assert client_for(world.member).get(url).status_code == 403
    entry = concept.policy_basis.get()
    url = reverse("agreements:policy-basis-remove", args=[concept.slug, entry.pk])
    assert client_for(world.member).post(url).status_code == 403
    assert PolicyBasis.objects.filter(pk=entry.pk).exists()


def test_the_state_button_makes_it_a_definitief_concept(world, concept, client_for):
    client = client_for(world.working_group)
    url = reverse("agreements:framework-status", args=[concept.slug])
    response = client.post(url, {"status": "definitief_concept"}, follow=True)
    assert "Het kader is nu “Definitief concept”." in text(response)
    assert "Terug naar concept" in text(response)
    concept.refresh_from_db()
    assert concept.status == "definitief_concept"
