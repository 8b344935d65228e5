"""The end-evaluation page through the views: who sees and edits it, a stale edit, the freeze."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import Framework
from agreements.signing.services import signing_put_up
from cycle.endevaluation.signing import EndEvaluationSignable
from cycle.models import EndEvaluation, EndEvaluationConclusion
from tests.cycle.conftest import build_framework

pytestmark = pytest.mark.django_db


def url(world) -> str:
    return reverse("cycle:end-evaluation", args=[world.framework.slug])


def conclusion_url(world, theme) -> str:
    return reverse("cycle:end-evaluation-conclusion", args=[world.framework.slug, theme.pk])


def post_conclusion(client, world, theme, text: str, version: int = 0):
    return client.post(
        conclusion_url(world, theme),
        {
            f"t{theme.pk}-theme": theme.pk,
            f"t{theme.pk}-version": version,
            f"t{theme.pk}-text": text,
        },
        follow=True,
    )


def first_theme(world):
    return world.framework.themes.order_by("number").first()


def test_framework_page_links_to_its_end_evaluation(client, world):
    client.force_login(world.users["huurders"])
    page = client.get(reverse("agreements:framework-detail", args=[world.framework.slug]))
    assert f'href="{url(world)}"' in page.content.decode()
    assert "Eindevaluatie 2021-2025" in page.content.decode()


def test_the_menu_places_it_under_the_framework_not_the_cycle(client, world):
    # It belongs to the framework (its breadcrumb says so), though its URL is under /cyclus/.
    client.force_login(world.users["huurders"])
    text = client.get(url(world)).content.decode()
    framework_link = f'href="{reverse("agreements:framework-list")}" aria-current="true"'
    assert framework_link in text
    assert f'href="{reverse("cycle:year-list")}" aria-current' not in text


def test_a_running_framework_shows_the_empty_state(client, world):
    running = build_framework(world.parties, slug="lopend-kader")
    Framework.objects.filter(pk=running.pk).update(period_start=2026, period_end=2030)
    client.force_login(world.users["werkgroep"])
    page = client.get(reverse("cycle:end-evaluation", args=[running.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "De eindevaluatie kan pas na afloop van het kader, na 2030, worden opgesteld." in text
    assert "Eindevaluatie opstellen" not in text


def test_starting_a_running_framework_is_refused_in_dutch(client, world):
    running = build_framework(world.parties, slug="lopend-kader")
    Framework.objects.filter(pk=running.pk).update(period_start=2026, period_end=2030)
    client.force_login(world.users["werkgroep"])
    page = client.post(reverse("cycle:end-evaluation-start", args=[running.slug]), follow=True)
    assert "na afloop van het kader, na 2030" in page.content.decode()
    assert not EndEvaluation.objects.exists()


def test_page_shows_the_plan_against_the_realisation_over_the_years(client, world, realised):
    client.force_login(world.users["huurders"])
    text = client.get(url(world)).content.decode()
    row = text[text.index('id="doel-sloop"') :]
    row = row[: row.index("</tr>")]
    assert "478 woningen" in row  # planned
    assert "70" in row  # realised: 40 + 30
    assert "Rood" in row  # 70 of 478 by the end of the period


def test_outsiders_do_not_see_it(client, world, end_evaluation):
    client.force_login(world.users["nobody"])
    assert client.get(url(world)).status_code == 404


def test_the_working_group_starts_it_and_writes_a_conclusion(client, world, realised):
    client.force_login(world.users["werkgroep"])
    client.post(reverse("cycle:end-evaluation-start", args=[world.framework.slug]))
    theme = first_theme(world)
    page = post_conclusion(client, world, theme, "De sloop bleef achter.")
    assert "De conclusie is opgeslagen." in page.content.decode()
    assert "De sloop bleef achter." in client.get(url(world)).content.decode()


def test_a_member_outside_the_working_group_cannot_write(client, world, end_evaluation):
    client.force_login(world.users["heemwonen"])
    page = client.get(url(world)).content.decode()
    assert "Conclusie opslaan" not in page
    response = post_conclusion(client, world, first_theme(world), "Mijn conclusie")
    assert response.status_code == 404
    assert not EndEvaluationConclusion.objects.exists()


def test_a_stale_edit_is_caught_and_nothing_written(client, world, end_evaluation):
    client.force_login(world.users["werkgroep"])
    theme = first_theme(world)
    post_conclusion(client, world, theme, "Eerste tekst", version=0)
    page = post_conclusion(client, world, theme, "Tweede tekst, op een oude versie", version=0)
    assert "Iemand anders heeft deze conclusie intussen gewijzigd" in page.content.decode()
    assert EndEvaluationConclusion.objects.get().text == "Eerste tekst"


def test_put_up_for_signing_it_cannot_change_and_shows_what_was_put_up(
    client, world, end_evaluation
):
    client.force_login(world.users["werkgroep"])
    theme = first_theme(world)
    post_conclusion(client, world, theme, "Vastgelegd")
    signing_put_up(signable=EndEvaluationSignable(end_evaluation), user=world.users["werkgroep"])
    page = client.get(url(world)).content.decode()
    assert "Ter ondertekening" in page
    assert "Conclusie opslaan" not in page
    assert "Vastgelegd" in page
    response = post_conclusion(client, world, theme, "Toch anders", version=1)
    assert "kan niet worden gewijzigd" in response.content.decode()
    assert EndEvaluationConclusion.objects.get().text == "Vastgelegd"


def test_the_page_keeps_its_query_count_when_the_data_grows(
    client, world, end_evaluation, django_assert_max_num_queries
):
    client.force_login(world.users["werkgroep"])
    with django_assert_max_num_queries(60) as captured:
        assert client.get(url(world)).status_code == 200
    few = len(captured.captured_queries)
    for theme in world.framework.themes.all():
        post_conclusion(client, world, theme, f"Conclusie over {theme.title}")
    from cycle.models import YearFigures

    for year in range(2021, 2025):
        for slug in ["heemwonen", "wonen-zuid", "wonen-limburg"]:
            YearFigures.objects.create(
                municipality=world.parties["gemeente-kerkrade"],
                corporation=world.parties[slug],
                year=year,
                lettings=10,
            )
    with django_assert_max_num_queries(few):
        assert client.get(url(world)).status_code == 200
