"""The drafting pages of a framework in concept, as its parties and outsiders see them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.drafting import services
from agreements.models import Target
from core.drafting.models import PieceComment

from .conftest import target_of

pytestmark = pytest.mark.django_db


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _edit_url(framework, target) -> str:
    return reverse("agreements:concept-piece-edit", args=[framework.slug, "doel", target.pk])


def _post_target(client, framework, target, version: int, value: str):
    data = {
        f"doel-{target.pk}-{name}": value
        for name, value in {
            "version": version,
            "label": target.label,
            "kind": target.kind,
            "direction": target.direction,
            "value": value,
            "unit": target.unit,
            "period_start": target.period_start or "",
            "target_year": target.target_year or "",
            "indicator_id": target.indicator_id or "",
        }.items()
    }
    return client.post(_edit_url(framework, target), data)


@pytest.mark.parametrize("username", ["meander", "nobody"])
def test_outsiders_get_404_on_every_drafting_page(world, concept, username):
    client = _client(world, username)
    target = target_of(concept)
    for url in [
        reverse("agreements:concept", args=[concept.slug]),
        reverse("agreements:concept-history", args=[concept.slug]),
        _edit_url(concept, target),
        reverse("agreements:concept-piece-history", args=[concept.slug, "doel", target.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_party_member_reads_and_comments_but_gets_no_editor(world, concept):
    client = _client(world, "huurders")
    page = client.get(reverse("agreements:concept", args=[concept.slug]))
    assert page.status_code == 200
    assert "Sloop van woningen" in page.content.decode()
    assert "Bewerken</a>" not in page.content.decode()
    assert client.get(_edit_url(concept, target_of(concept))).status_code == 404


def test_a_value_typed_the_dutch_way_is_saved(world, concept):
    target = target_of(concept)
    response = _post_target(_client(world, "werkgroep"), concept, target, 1, "4.100")
    assert response.status_code == 302
    assert target_of(concept).value == Decimal("4100")
    page = _client(world, "werkgroep").get(response["Location"])
    assert "4.100" in page.content.decode()


def test_a_stale_save_shows_both_values_and_keeps_mine_in_the_form(world, concept):
    target = target_of(concept)
    _post_target(_client(world, "werkgroep"), concept, target, 1, "500")
    response = _post_target(_client(world, "werkgroep"), concept, target, 1, "4.100")
    assert response.status_code == 409
    html = response.content.decode()
    assert "iemand anders heeft dit onderdeel intussen gewijzigd" in html
    assert "Huidige versie" in html and "Uw versie" in html
    assert ">500<" in html and ">4.100<" in html
    assert f'name="doel-{target.pk}-version" value="2"' in html
    assert target_of(concept).value == Decimal("500")


def test_the_framework_page_links_to_the_concept_for_the_working_group_only(world, concept):
    url = reverse("agreements:framework-detail", args=[concept.slug])
    assert "Concept bewerken" in _client(world, "werkgroep").get(url).content.decode()
    tenant = _client(world, "huurders").get(url).content.decode()
    assert "Concept bewerken" not in tenant and "Concept bekijken en reageren" in tenant
    adopted = reverse("agreements:framework-detail", args=[world.framework.slug])
    assert "Concept bewerken" not in _client(world, "werkgroep").get(adopted).content.decode()


def test_a_comment_by_htmx_returns_the_thread_and_without_js_redirects(world, concept):
    target = target_of(concept)
    url = reverse("agreements:concept-comment", args=[concept.slug, "doel", target.pk])
    client = _client(world, "heemwonen")
    response = client.post(url, {"text": "Haalbaar?"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="reacties-doel-{target.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    plain = client.post(url, {"text": "Nog een vraag"})
    assert plain.status_code == 302 and f"#reacties-doel-{target.pk}" in plain["Location"]
    assert PieceComment.objects.filter(**services.ref(concept.pk).filter()).count() == 2


def test_removing_asks_first_and_then_removes(world, concept):
    target = target_of(concept)
    url = reverse("agreements:concept-remove", args=[concept.slug, "doel", target.pk])
    client = _client(world, "werkgroep")
    confirm = client.get(url)
    assert confirm.status_code == 200 and "verwijderen?" in confirm.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    assert client.post(url).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


def test_the_piece_history_shows_a_word_diff_and_both_values(world, concept):
    target = target_of(concept)
    _post_target(_client(world, "werkgroep"), concept, target, 1, "4.100")
    url = reverse("agreements:concept-piece-history", args=[concept.slug, "doel", target.pk])
    html = _client(world, "huurders").get(url).content.decode()
    assert "478" in html and "4.100" in html
    assert "Versie 1 terugzetten" not in html  # the tenant organisation does not edit


def test_the_concept_page_query_count_does_not_grow_with_the_targets(world, concept):
    url = reverse("agreements:concept", args=[concept.slug])
    client = _client(world, "werkgroep")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    agreement = target_of(concept).agreement
    for n in range(10):
        Target.objects.create(
            agreement=agreement, code=f"extra-{n}", label=f"Extra {n}", kind="value", value=n
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_editor_says_who_else_has_the_piece_open(world, concept):
    from django.contrib.auth import get_user_model

    from agreements.models import Membership

    colleague = get_user_model().objects.create_user("collega", password="x", first_name="Els")
    Membership.objects.create(
        user=colleague, party=world.parties["heemwonen"], role=Membership.Role.WORKING_GROUP
    )
    target = target_of(concept)
    _client(world, "werkgroep").get(_edit_url(concept, target))
    client = Client()
    client.force_login(colleague)
    url = reverse("agreements:concept-presence", args=[concept.slug, "doel", target.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert "Ook open bij:" in response.content.decode()
    assert "werkgroep" in response.content.decode()


def test_the_concept_history_lists_changes_with_their_word_diff(world, concept):
    client = _client(world, "werkgroep")
    url = reverse("agreements:concept-piece-edit", args=[concept.slug, "teksten", concept.pk])
    client.post(
        url,
        {
            f"teksten-{concept.pk}-version": 1,
            f"teksten-{concept.pk}-introduction": "Wij bouwen samen",
        },
    )
    html = (
        _client(world, "huurders")
        .get(reverse("agreements:concept-history", args=[concept.slug]))
        .content.decode()
    )
    assert "Teksten van het kader" in html
    assert "<ins>Wij bouwen samen</ins>" in html


def test_the_concept_history_shows_a_changed_value_as_people_read_it(world, concept):
    target = target_of(concept)
    _post_target(_client(world, "werkgroep"), concept, target, 1, "4.100")
    url = reverse("agreements:concept-history", args=[concept.slug])
    html = _client(world, "huurders").get(url).content.decode()
    assert "Doelwaarde: 478 → 4.100" in html
    # the history's query count does not grow with its entries
    client = _client(world, "huurders")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _post_target(_client(world, "werkgroep"), concept, target, 2, "4.200")
    _post_target(_client(world, "werkgroep"), concept, target, 3, "4.300")
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_a_theme_added_without_a_number_gets_the_next_one(world, concept):
    from agreements.models import Theme

    url = reverse("agreements:concept-add", args=[concept.slug, "thema"])
    client = _client(world, "werkgroep")
    assert client.get(url).status_code == 200
    response = client.post(url, {"nieuw-title": "Leefbaarheid", "nieuw-number": ""})
    assert response.status_code == 302
    theme = Theme.objects.get(framework=concept, title="Leefbaarheid")
    assert theme.number == 3 and f"?thema={theme.pk}" in response["Location"]
    assert _client(world, "huurders").get(url).status_code == 404
