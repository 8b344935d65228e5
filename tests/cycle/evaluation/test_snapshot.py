"""A signed evaluation is its snapshot: the auditor's case.

After every party signed (and so adopted) the evaluation, new stock figures were imported and
the page flipped HEEMwonen's vergunninghouders light. Here, after signing, every kind of data the
evaluation shows that the freeze does not protect is changed (stock figures by a new snapshot as
an import writes it and by a direct ORM write, party names, year figures of another year, users'
names); the page's document part, the signed PDF and the hash stay byte-for-byte the same, the
lights do not flip, and the page says the stock figures were updated since, with a link.
Runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from agreements.models import Party, SigningRequest
from agreements.signing.snapshot import (
    live_data,
    renderings_match,
    signed_data,
    signed_document_html,
    signing_context,
)
from cycle.evaluation.signing import EvaluationSignable
from cycle.models import Evaluation, YearFigures
from housing_stock.models import StockCount, StockSnapshot

from .test_signing import _fast_pdf, filled, put_up, sign_all  # noqa: F401 - fixtures

SNAPSHOT_PART = re.compile(
    r'<div class="pa-snapshot">.*?</div>\s*'
    r'<section class="pa-card" aria-labelledby="comments-heading">',
    re.S,
)


@pytest.fixture
def signed(world, filled, django_capture_on_commit_callbacks) -> SigningRequest:  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        return sign_all(world, put_up(world, filled))


def _task_light(data: dict, slug: str) -> str:
    row = next(r for r in data["permit_holders"] if r["corporation"] == slug)
    return row["task_outcome"]["light"]


def _new_stock_import(world, *, heemwonen: int) -> None:
    """What a confirmed stock import writes: a newer snapshot that supersedes the old one."""
    municipality = world.parties["gemeente-kerkrade"]
    old = StockSnapshot.objects.get(party=world.parties["heemwonen"], superseded_at__isnull=True)
    StockSnapshot.objects.filter(pk=old.pk).update(superseded_at=timezone.now())
    snapshot = StockSnapshot.objects.create(
        municipality=municipality,
        party=world.parties["heemwonen"],
        peildatum=dt.date(2025, 1, 1),
        title="Voorraad heemwonen 2025",
        source="nieuwe import",
        key="test-heemwonen-2025",
    )
    StockCount.objects.create(
        snapshot=snapshot, table="type_rent", row_key="totaal", col_key="totaal", value=heemwonen
    )


def _change_everything_unfrozen(world) -> None:
    _new_stock_import(world, heemwonen=100_000)
    # ... and a direct write to another corporation's counts.
    StockCount.objects.filter(snapshot__party=world.parties["wonen-zuid"]).update(value=9_000)
    Party.objects.filter(pk=world.parties["heemwonen"].pk).update(name="HEEMwonen Hernoemd")
    YearFigures.objects.create(
        municipality=world.parties["gemeente-kerkrade"],
        corporation=world.parties["heemwonen"],
        year=2024,
        lettings=10,
        relets=12,
        permit_holder_lettings=5,
        passend_pct=Decimal("50"),
    )
    get_user_model().objects.update(first_name="Anders", last_name="Genoemd")


def test_put_up_captures_the_stock_and_the_lights(world, filled):  # noqa: F811
    request = put_up(world, filled)
    data = signed_data(request)
    assert data["stock"]["per_corporation"] == {
        "heemwonen": "4000.00",
        "wonen-limburg": "1000.00",
        "wonen-zuid": "2500.00",
    }
    assert data["stock"]["nultreden_count"] == "3700.00"
    assert data["party_names"]["heemwonen"] == "HEEMwonen"
    assert _task_light(data, "heemwonen") == "groen"  # 20 of the 16 due
    rules = [t["rule"] for theme in data["lights"]["themes"] for t in theme["targets"]]
    assert rules and all(rules)
    assert renderings_match(request)
    assert 'class="pa-snapshot"' not in request.page_html  # the part, not the page around it


def test_signed_evaluation_does_not_change_with_live_data(world, client_for, signed):
    evaluation = Evaluation.objects.get(pk=signed.object_id)
    assert evaluation.is_adopted
    client = client_for(world.users["werkgroep"])
    url = reverse("cycle:evaluation-detail", args=[evaluation.pk])
    before = client.get(url).text
    before_html = signed_document_html(
        signed, signing=signing_context(signed, EvaluationSignable(evaluation))
    )
    before_pdf = client.get(reverse("cycle:evaluation-pdf", args=[evaluation.pk])).content
    assert "De voorraadcijfers zijn sindsdien bijgewerkt" not in before

    _change_everything_unfrozen(world)

    # Live, the light would flip now (the task's share for HEEMwonen grows with its stock) ...
    live = live_data(EvaluationSignable(evaluation))
    assert _task_light(live, "heemwonen") != "groen"
    # ... but the signed evaluation keeps the light it was signed with.
    after = SigningRequest.objects.get(pk=signed.pk)
    assert _task_light(signed_data(after), "heemwonen") == "groen"
    page = client.get(url).text
    assert after.page_html == signed.page_html
    assert signed.page_html in page
    assert SNAPSHOT_PART.search(page).group() == SNAPSHOT_PART.search(before).group()
    assert "HEEMwonen Hernoemd" not in SNAPSHOT_PART.search(page).group()
    # The note, with its link to the stock figures of now.
    assert "Ondertekende versie van" in page
    assert "De voorraadcijfers zijn sindsdien bijgewerkt" in page
    assert reverse("housing_stock:overview") in page
    assert "De jaarcijfers of realisaties van de jaren van het kader zijn sindsdien" in page
    assert "Met de gegevens van nu zou de toetsing anders uitvallen" in page
    assert "HEEMwonen → HEEMwonen Hernoemd" in page
    # The signed PDF: stored bytes, download and the HTML it is rendered from.
    assert bytes(after.signed_pdf) == bytes(signed.signed_pdf)
    assert hashlib.sha256(bytes(after.signed_pdf)).hexdigest() == signed.signed_pdf_sha256
    assert client.get(reverse("cycle:evaluation-pdf", args=[evaluation.pk])).content == before_pdf
    assert before_pdf == bytes(signed.signed_pdf)
    assert (
        signed_document_html(after, signing=signing_context(after, EvaluationSignable(evaluation)))
        == before_html
    )
    assert "HEEMwonen Hernoemd" not in before_html
    # The hash.
    assert (after.content, after.content_hash) == (signed.content, signed.content_hash)
    assert renderings_match(after)


def test_live_page_before_put_up_shows_live_stock(world, client_for, filled):  # noqa: F811
    client = client_for(world.users["werkgroep"])
    url = reverse("cycle:evaluation-detail", args=[filled.pk])
    assert "pa-snapshot" not in client.get(url).text
    _new_stock_import(world, heemwonen=100_000)
    live = live_data(EvaluationSignable(filled))
    assert _task_light(live, "heemwonen") != "groen"  # a concept follows the live figures


def test_an_open_round_shows_the_version_being_signed(world, client_for, filled):  # noqa: F811
    request = put_up(world, filled)
    _new_stock_import(world, heemwonen=100_000)
    page = client_for(world.users["werkgroep"]).get(
        reverse("cycle:evaluation-detail", args=[filled.pk])
    )
    assert "die ter ondertekening ligt" in page.text
    assert request.page_html in page.text
    assert "De voorraadcijfers zijn sindsdien bijgewerkt" in page.text


def test_signing_is_refused_when_the_stock_changed_after_put_up(world, filled):  # noqa: F811
    from agreements.signing.services import SigningError

    from .test_signing import sign

    request = put_up(world, filled)
    _new_stock_import(world, heemwonen=100_000)
    with pytest.raises(SigningError, match="gewijzigd sinds"):
        sign(world, request, "heemwonen")
