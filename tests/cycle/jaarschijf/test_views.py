from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import SigningRequest
from agreements.signing.services import signing_put_up
from core.drafting.models import PieceComment
from cycle.jaarschijf.signing import JaarschijfSignable
from cycle.models import Contribution
from tests.spreadsheet_checks import DANGEROUS_TEXTS, assert_literal_text

from .conftest import contribution_of, text_of


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _edit_url(jaarschijf, kind, pk, suffix="bewerken"):
    name = {"bewerken": "jaarschijf-piece-edit", "": "jaarschijf-piece"}[suffix]
    return reverse(f"cycle:{name}", args=[jaarschijf.pk, kind, pk])


def _form(prefix, **values):
    return {f"{prefix}-{key}": value for key, value in values.items()}


def test_page_shows_every_theme_and_agreement(world, jaarschijf):
    response = _client(world, "huurders").get(
        reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    for agreement in [world.agreement, *world.framework.themes.get(number=2).agreements.all()]:
        assert f'id="afspraak-{agreement.pk}"' in body


@pytest.mark.parametrize("username", ["meander", "nobody"])
def test_outsiders_get_404(world, jaarschijf, username):
    response = _client(world, username).get(
        reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk])
    )
    assert response.status_code == 404


def test_edit_form_full_page_and_partial(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    client = _client(world, "heemwonen")
    full = client.get(_edit_url(jaarschijf, "bijdrage", piece.pk))
    assert full.status_code == 200 and b"<html" in full.content
    partial = client.get(_edit_url(jaarschijf, "bijdrage", piece.pk), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert f'id="bijdrage-{piece.pk}"'.encode() in partial.content


def test_editing_another_partys_contribution_is_404(world, jaarschijf):
    piece = contribution_of(jaarschijf, "gemeente-kerkrade")
    client = _client(world, "heemwonen")
    assert client.get(_edit_url(jaarschijf, "bijdrage", piece.pk)).status_code == 404
    response = client.post(
        _edit_url(jaarschijf, "bijdrage", piece.pk),
        _form(f"bijdrage-{piece.pk}", version=1, text="x"),
    )
    assert response.status_code == 404


def test_save_without_javascript_redirects_to_the_piece(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    response = _client(world, "heemwonen").post(
        _edit_url(jaarschijf, "bijdrage", piece.pk),
        _form(f"bijdrage-{piece.pk}", version=1, text="Nieuw", quantity="12", unit="woningen"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#bijdrage-{piece.pk}")
    piece.refresh_from_db()
    assert (piece.text, piece.quantity, piece.version) == ("Nieuw", 12, 2)


def test_save_with_htmx_returns_the_display_partial(world, jaarschijf):
    piece = text_of(jaarschijf)
    response = _client(world, "werkgroep").post(
        _edit_url(jaarschijf, "tekst", piece.pk),
        _form(f"tekst-{piece.pk}", version=1, text="Inleiding nieuw"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<html" not in response.content and b"Inleiding nieuw" in response.content
    assert f'id="tekst-{piece.pk}"'.encode() in response.content


def test_stale_save_shows_the_conflict_view_with_both_texts(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    url = _edit_url(jaarschijf, "bijdrage", piece.pk)
    _client(world, "werkgroep").post(url, _form(f"bijdrage-{piece.pk}", version=1, text="Eerst"))
    response = _client(world, "heemwonen").post(
        url, _form(f"bijdrage-{piece.pk}", version=1, text="Later")
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mijn versie bewaren" in body and "De huidige versie nemen" in body
    assert "<del>Eerst</del>" in body and "<ins>Later</ins>" in body
    # "keep mine" re-posts the editor's text based on the current version
    keep = _client(world, "heemwonen").post(
        url, _form(f"bijdrage-{piece.pk}", version=2, text="Later")
    )
    assert keep.status_code == 302
    assert Contribution.objects.get(pk=piece.pk).text == "Later"


def test_conflict_with_htmx_is_swapped_in(world, jaarschijf):
    piece = text_of(jaarschijf)
    url = _edit_url(jaarschijf, "tekst", piece.pk)
    client = _client(world, "werkgroep")
    client.post(url, _form(f"tekst-{piece.pk}", version=1, text="A"))
    response = client.post(
        url, _form(f"tekst-{piece.pk}", version=1, text="B"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Mijn versie bewaren" in response.content and b"<html" not in response.content


def test_presence_heartbeat_names_the_other_editor(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    _client(world, "werkgroep").get(_edit_url(jaarschijf, "bijdrage", piece.pk))
    response = _client(world, "heemwonen").post(
        reverse("cycle:jaarschijf-presence", args=[jaarschijf.pk, "bijdrage", piece.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert b"Ook open bij" in response.content and b"werkgroep" in response.content


def test_comment_and_reply_with_and_without_htmx(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    url = reverse("cycle:jaarschijf-comment", args=[jaarschijf.pk, "bijdrage", piece.pk])
    response = _client(world, "huurders").post(url, {"text": "Te weinig"})
    assert response.status_code == 302
    root = PieceComment.objects.get()
    response = _client(world, "heemwonen").post(
        url, {"text": "Meer kan niet", "parent": root.pk}, HTTP_HX_REQUEST="true"
    )
    assert b"Meer kan niet" in response.content and b"<html" not in response.content
    resolve = reverse("cycle:jaarschijf-resolve", args=[root.pk])
    _client(world, "heemwonen").post(resolve, {"resolved": "1"})
    root.refresh_from_db()
    assert root.resolved


def test_outsider_cannot_comment(world, jaarschijf):
    piece = contribution_of(jaarschijf, "heemwonen")
    url = reverse("cycle:jaarschijf-comment", args=[jaarschijf.pk, "bijdrage", piece.pk])
    assert _client(world, "meander").post(url, {"text": "x"}).status_code == 404


def test_history_diff_and_restore(world, jaarschijf):
    piece = text_of(jaarschijf)
    client = _client(world, "werkgroep")
    client.post(
        _edit_url(jaarschijf, "tekst", piece.pk),
        _form(f"tekst-{piece.pk}", version=1, text="een twee drie"),
    )
    client.post(
        _edit_url(jaarschijf, "tekst", piece.pk),
        _form(f"tekst-{piece.pk}", version=2, text="een vier drie"),
    )
    url = reverse("cycle:jaarschijf-piece-history", args=[jaarschijf.pk, "tekst", piece.pk])
    response = client.get(url, {"van": 2, "tot": 3})
    assert b"<del>twee</del><ins>vier</ins>" in response.content
    response = client.post(url, {"version": 2, "expected_version": 3})
    assert response.status_code == 302
    piece.refresh_from_db()
    assert (piece.text, piece.version) == ("een twee drie", 4)
    whole = client.get(reverse("cycle:jaarschijf-history", args=[jaarschijf.pk]))
    assert whole.status_code == 200 and b"<ins>vier</ins>" in whole.content


def test_add_contribution(world, jaarschijf):
    url = reverse("cycle:jaarschijf-add", args=[jaarschijf.pk]) + f"?afspraak={world.agreement.pk}"
    client = _client(world, "huurders")
    assert client.get(url).status_code == 200
    party = world.parties["huurdersorganisatie-heemwonen"]
    response = client.post(
        url, {"party": party.pk, "text": "Huurdersavond", "planned_quarter": "q2"}
    )
    assert response.status_code == 302
    assert jaarschijf.contributions.filter(text="Huurdersavond", party=party).exists()
    assert _client(world, "wethouder").get(url).status_code == 404


def test_state_transitions_by_the_working_group(world, jaarschijf):
    url = reverse("cycle:jaarschijf-state", args=[jaarschijf.pk])
    assert _client(world, "heemwonen").post(url, {"state": "definitief_concept"}).status_code == 404
    client = _client(world, "werkgroep")
    client.post(url, {"state": "definitief_concept"})
    # Freezing goes only through putting it up for signing (a signing round); not this form.
    client.post(url, {"state": "ter_ondertekening"})
    jaarschijf.refresh_from_db()
    assert jaarschijf.state == "definitief_concept"
    # Confirmed: the world has no framework in force for 2026 (a warning).
    signing_put_up(
        signable=JaarschijfSignable(jaarschijf), user=world.users["werkgroep"], confirmed=True
    )
    jaarschijf.refresh_from_db()
    assert jaarschijf.state == "ter_ondertekening"
    piece = contribution_of(jaarschijf, "heemwonen")
    assert client.get(_edit_url(jaarschijf, "bijdrage", piece.pk)).status_code == 404
    client.post(url, {"state": "concept", "reason": "fout in 1.2"})
    jaarschijf.refresh_from_db()
    assert (jaarschijf.state, jaarschijf.signing_round) == ("concept", 2)
    # The open signing round is closed with it: it can be put up again.
    assert not SigningRequest.objects.filter(status=SigningRequest.Status.OPEN).exists()


def test_year_page_creates_the_jaarschijf(world, linked_bid):
    url = reverse("cycle:jaarschijf-year", args=[world.cycle_year.pk])
    assert _client(world, "heemwonen").post(url).status_code == 404
    response = _client(world, "werkgroep").post(url, {"copy_previous": "1"})
    assert response.status_code == 302
    assert _client(world, "heemwonen").get(url).status_code == 302


def test_exports(world, jaarschijf):
    client = _client(world, "huurders")
    pdf = client.get(reverse("cycle:jaarschijf-pdf", args=[jaarschijf.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("cycle:jaarschijf-xlsx", args=[jaarschijf.pk]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


@pytest.mark.parametrize("text", DANGEROUS_TEXTS)
def test_xlsx_export_writes_a_formula_like_contribution_as_text(world, jaarschijf, text):
    Contribution.objects.filter(pk=contribution_of(jaarschijf, "heemwonen").pk).update(text=text)

    url = reverse("cycle:jaarschijf-xlsx", args=[jaarschijf.pk])
    response = _client(world, "huurders").get(url)

    assert response.status_code == 200
    assert_literal_text(response.content, text)


def test_piece_history_shows_the_labels_people_chose(world, jaarschijf):
    from cycle.jaarschijf import services as js

    piece = contribution_of(jaarschijf, "heemwonen")
    target = world.agreement.targets.first()
    before = (piece.planned_quarter, piece.done)
    js.contribution_update(
        actor=world.users["werkgroep"],
        contribution_id=piece.pk,
        expected_version=piece.version,
        data=js.ContributionInput(
            text=piece.text,
            quantity="1250",
            unit=piece.unit,
            planned_quarter="q2",
            target_id=target.pk,
            done=True,
        ),
    )
    url = reverse("cycle:jaarschijf-piece-history", args=[jaarschijf.pk, "bijdrage", piece.pk])
    html = _client(world, "werkgroep").get(url).content.decode()
    table = html[html.index("Overige velden") : html.index("Alle versies")]
    assert "2e kwartaal" in table and ">q2<" not in table
    assert ">ja<" in table and "True" not in table and "False" not in table
    assert target.label in table and f">{target.pk}<" not in table
    assert "1.250" in table
    assert before != ("q2", True)
