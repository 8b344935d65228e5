"""The jaarschijf page as the working group uses it: comment threads on first load (with and
without JavaScript), one theme at a time, the filters, the agreement beside its contributions,
and editors and links that say what they are about."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.drafting.models import PieceComment
from cycle.jaarschijf import services as js
from cycle.models import Contribution, PieceType

from .conftest import contribution_of


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _page_url(jaarschijf, query: str = "") -> str:
    url = reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk])
    return f"{url}?{query}" if query else url


def _pieces(body: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<article id="bijdrage-(\d+)"', body)}


def _comment(world, jaarschijf, piece, username="huurders", text="Vraag"):
    return js.comment_add(
        actor=world.users[username],
        jaarschijf=jaarschijf,
        piece_type=PieceType.CONTRIBUTION,
        piece_id=piece.pk,
        text=text,
        notify=False,
    )


# --- item 1: comments work on first load -------------------------------------------------------


def test_first_load_shows_the_comment_and_reply_forms(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    thread = _comment(world, jaarschijf, piece)
    body = _client(world, "werkgroep").get(_page_url(jaarschijf)).content.decode()
    assert f'id="comment-bijdrage-{piece.pk}"' in body  # "Nieuwe reactie"
    assert f'id="reply-{thread.pk}"' in body  # "Antwoord"
    assert reverse("cycle:jaarschijf-resolve", args=[thread.pk]) in body  # "Afhandelen"


def test_comment_without_javascript_returns_to_the_open_thread(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    client = _client(world, "huurders")
    url = reverse("cycle:jaarschijf-comment", args=[jaarschijf.pk, "bijdrage", piece.pk])
    response = client.post(url, {"text": "Waarom zo weinig?"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reacties-bijdrage-{piece.pk}")
    body = client.get(response["Location"]).content.decode()
    thread = body.split(f'id="reacties-bijdrage-{piece.pk}"', 1)[1]
    assert re.match(r"[^>]*>\s*<details open", thread)
    assert "Waarom zo weinig?" in thread.split("</details>", 1)[0]


def test_resolve_without_javascript_returns_to_the_open_thread(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    thread = _comment(world, jaarschijf, piece)
    response = _client(world, "werkgroep").post(
        reverse("cycle:jaarschijf-resolve", args=[thread.pk]), {"resolved": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reacties-bijdrage-{piece.pk}")
    assert "reacties=bijdrage-" in response["Location"]
    assert PieceComment.objects.get(pk=thread.pk).resolved


# --- item 7: a way through the page -------------------------------------------------------------


def test_contents_navigate_one_theme_at_a_time(world, jaarschijf):
    theme_two = world.framework.themes.get(number=2)
    client = _client(world, "werkgroep")
    everything = client.get(_page_url(jaarschijf)).content.decode()
    assert f'href="?thema={theme_two.pk}#thema-{theme_two.number}"' in everything
    assert "Alle thema&#x27;s" in everything or "Alle thema's" in everything
    one = client.get(_page_url(jaarschijf, f"thema={theme_two.pk}")).content.decode()
    assert f'id="thema-{theme_two.number}"' in one
    assert f'id="afspraak-{world.agreement.pk}"' not in one  # agreement 1.2 is in theme 1
    # the chosen theme is marked in the navigation
    assert re.search(rf'href="\?thema={theme_two.pk}#[^"]*"[^>]*aria-current="page"', one)


def test_unknown_theme_is_404(world, jaarschijf):
    response = _client(world, "werkgroep").get(_page_url(jaarschijf, "thema=999999"))
    assert response.status_code == 404


def test_only_my_organisation(world, jaarschijf):
    body = _client(world, "heemwonen").get(_page_url(jaarschijf, "mijn=1")).content.decode()
    shown = _pieces(body)
    heemwonen = set(
        jaarschijf.contributions.filter(party__slug="heemwonen").values_list("pk", flat=True)
    )
    assert shown and shown <= heemwonen
    assert contribution_of(jaarschijf, "gemeente-kerkrade").pk not in shown


def test_only_with_open_comments(world, jaarschijf):
    open_piece = contribution_of(jaarschijf, "heemwonen")
    resolved_piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    _comment(world, jaarschijf, open_piece)
    done = _comment(world, jaarschijf, resolved_piece)
    js.comment_set_resolved(actor=world.users["werkgroep"], comment=done, resolved=True)
    body = _client(world, "werkgroep").get(_page_url(jaarschijf, "open=1")).content.decode()
    assert _pieces(body) == {open_piece.pk}


def test_changed_since_compares_with_the_visit_before_this_one(world, jaarschijf):
    from core.drafting.models import DocumentVisit

    client = _client(world, "werkgroep")
    user = world.users["werkgroep"]
    client.get(_page_url(jaarschijf))  # first visit
    visit = DocumentVisit.objects.get(user=user, **js.ref(jaarschijf.pk).filter())
    # that visit was yesterday; since then HEEMwonen changed one piece
    yesterday = timezone.now() - dt.timedelta(days=1)
    DocumentVisit.objects.filter(pk=visit.pk).update(last_seen_at=yesterday)
    Contribution.objects.filter(jaarschijf=jaarschijf).update(updated_at=yesterday)
    changed = contribution_of(jaarschijf, "heemwonen")
    js.contribution_update(
        actor=world.users["heemwonen"],
        contribution_id=changed.pk,
        expected_version=1,
        data=js.ContributionInput(text="Nieuw plan"),
    )
    # today's visit: the filter compares with yesterday, not with the page load just now
    first = client.get(_page_url(jaarschijf, "gewijzigd=1")).content.decode()
    again = client.get(_page_url(jaarschijf, "gewijzigd=1")).content.decode()
    assert _pieces(first) == _pieces(again) == {changed.pk}


def test_filters_are_a_get_form_that_keeps_the_theme(world, jaarschijf):
    body = (
        _client(world, "werkgroep")
        .get(_page_url(jaarschijf, "thema=" + str(world.agreement.theme_id)))
        .content.decode()
    )
    form = body.split('<form method="get"', 1)[1].split("</form>", 1)[0]
    for label in ["Alleen mijn organisatie", "Alleen met open reacties"]:
        assert label in form
    assert "Alleen gewijzigd sinds mijn laatste bezoek" in form
    assert f'name="thema" value="{world.agreement.theme_id}"' in form


def test_agreement_text_and_targets_beside_the_contributions(world, jaarschijf):
    type(world.agreement).objects.filter(pk=world.agreement.pk).update(
        text="De corporaties slopen en bouwen in balans."
    )
    target = world.agreement.targets.order_by("order", "id").first()
    body = _client(world, "werkgroep").get(_page_url(jaarschijf)).content.decode()
    section = body.split(f'id="afspraak-{world.agreement.pk}"', 1)[1].split("</section>", 1)[0]
    assert "De corporaties slopen en bouwen in balans." in section
    assert target.label in section


def test_edit_links_and_editor_name_agreement_and_party(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    client = _client(world, "werkgroep")
    body = client.get(_page_url(jaarschijf)).content.decode()
    name = f"Bewerken: {world.agreement.code} {piece.party.name}"
    link = re.search(rf'<a [^>]*hx-get="[^"]*/bijdrage/{piece.pk}/bewerken/"[^>]*>', body)
    assert f'aria-label="{name}' in link.group(0)
    names = re.findall(r'aria-label="(Bewerken: [^"]*)"', body)
    assert len(names) > 3 and len(names) == len(set(names)), "each link has its own name"
    editor = client.get(
        reverse("cycle:jaarschijf-piece-edit", args=[jaarschijf.pk, "bijdrage", piece.pk]),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<legend" in editor and name in editor.split("<legend", 1)[1].split("</legend>")[0]
    # focus goes to the first field (the text), not to the save button
    first_field = re.search(r"<(textarea|input)(?![^>]*type=\"hidden\")[^>]*>", editor).group(0)
    assert "data-focus-after-swap" in first_field
