"""The framework PDF (agreements.views.framework_pdf) and the one PDF helper (core.pdf).

A WeasyPrint render of the whole framework takes seconds, so the download made by a demo user
is rendered once per module (``downloaded``) and the tests that only read it share it; the
tests about caching and changes make their own renders.

Reading the PDF: pypdf when installed (test extras), otherwise poppler's pdftotext/pdfinfo;
without either, those tests skip and say why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO, StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, Framework, Membership, Target
from core import pdf
from tests.conftest import DEMO_SLUG, OUTSIDER_PARTY_SLUG
from tests.factories import (
    AgreementFactory,
    FrameworkFactory,
    MembershipFactory,
    MunicipalityFactory,
    PartyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


# --- reading PDFs ------------------------------------------------------------------------


def _pypdf():
    try:
        import pypdf
    except ImportError:
        return None
    return pypdf


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed to single spaces."""
    if pdftotext := shutil.which("pdftotext"):
        out = subprocess.run(  # noqa: S603 - a fixed poppler tool, our own PDF on stdin
            [pdftotext, "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        pages = out.split("\f")
        if pages and not pages[-1].strip():
            pages = pages[:-1]
    elif pypdf := _pypdf():
        pages = [page.extract_text() or "" for page in pypdf.PdfReader(BytesIO(data)).pages]
    else:
        pytest.skip("needs pypdf (test extras) or pdftotext (poppler-utils) to read the PDF")
    return [" ".join(page.split()) for page in pages]


def pdf_info(data: bytes) -> dict[str, str]:
    """Title and page count of the PDF, read from its metadata."""
    if pypdf := _pypdf():
        reader = pypdf.PdfReader(BytesIO(data))
        return {"Title": reader.metadata.title or "", "Pages": str(len(reader.pages))}
    if pdfinfo := shutil.which("pdfinfo"):
        out = subprocess.run(  # noqa: S603 - a fixed poppler tool, our own PDF on stdin
            [pdfinfo, "-enc", "UTF-8", "-"], input=data, capture_output=True, check=True
        ).stdout.decode("utf-8")
        lines = (line.partition(":") for line in out.splitlines())
        return {key.strip(): value.strip() for key, _, value in lines}
    pytest.skip("needs pypdf (test extras) or pdfinfo (poppler-utils) to read the metadata")


def first_words(text: str, count: int = 8) -> str:
    """The first words of the first plain paragraph of a stored text (not a heading or list)."""
    for block in text.split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("## ", "- ")):
            return " ".join(block.split()[:count])
    raise AssertionError("text without a paragraph")


# --- fixtures ------------------------------------------------------------------------------


@dataclass
class Download:
    status: int
    content_type: str
    disposition: str
    body: bytes
    framework_title: str


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def framework_pdf_url(slug: str = DEMO_SLUG) -> str:
    return reverse("agreements:framework-pdf", args=[slug])


def werkgroep_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="werkgroep"))
    return client


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker) -> Iterator[Framework]:
    """load_demo once for this module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the ``db`` fixture), so edits stay local.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield Framework.objects.get(slug=DEMO_SLUG)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def downloaded(demo_module, django_db_blocker) -> Download:
    """The framework PDF as the demo user "werkgroep" downloads it (rendered once)."""
    with django_db_blocker.unblock():
        cache.clear()
        response = werkgroep_client().get(framework_pdf_url())
        cache.clear()
    return Download(
        status=response.status_code,
        content_type=response["Content-Type"],
        disposition=response.get("Content-Disposition", ""),
        body=response.content,
        framework_title=demo_module.title,
    )


@pytest.fixture(scope="module")
def pages_text(downloaded) -> list[str]:
    return pdf_pages_text(downloaded.body)


# --- the download ------------------------------------------------------------------------


def test_framework_pdf_download_is_a_pdf_attachment(downloaded):
    assert downloaded.status == 200
    assert downloaded.content_type == "application/pdf"
    assert downloaded.body.startswith(b"%PDF-")
    assert downloaded.disposition.startswith("attachment;")
    assert ".pdf" in downloaded.disposition


def test_framework_pdf_metadata_title_is_the_framework_title(downloaded):
    assert pdf_info(downloaded.body)["Title"] == downloaded.framework_title


def test_framework_pdf_has_more_than_ten_pages(downloaded):
    assert int(pdf_info(downloaded.body)["Pages"]) > 10


def test_framework_pdf_contains_the_text_of_every_agreement(downloaded, pages_text, demo_module):
    text = " ".join(pages_text)
    agreements = Agreement.objects.filter(theme__framework=demo_module)
    assert agreements.exists()
    for agreement in agreements:
        assert agreement.title in text
        assert first_words(agreement.text) in text, agreement.code


def test_framework_pdf_cover_has_no_running_footer_but_other_pages_do(pages_text):
    assert "Pagina" not in pages_text[0]
    total = len(pages_text)
    for number, page in enumerate(pages_text[1:], start=2):
        assert f"Pagina {number} van {total}" in page


def test_framework_pdf_table_of_contents_gives_each_theme_its_page(pages_text, demo_module):
    """The contents list every theme with a page number, and the theme starts on that page."""
    toc = pages_text[1]
    assert toc.startswith(demo_module.title) or "Inhoud" in toc
    document = " ".join(pages_text[1:4])  # the contents take at most a few pages
    themes = list(demo_module.themes.order_by("number"))
    assert themes
    for theme in themes:
        # "3 Duurzaamheid . . . . . 14": title, leader dots, page number
        match = re.search(re.escape(theme.title) + r"\s*(?:\.\s*){3,}(\d+)", document)
        assert match, f"theme {theme.number} missing from the contents"
        number = int(match.group(1))
        # "THEMA 2 Betaalbaarheid" (the label is set in capitals)
        heading = f"thema {theme.number} {theme.title}".casefold()
        page = pages_text[number - 1].casefold()
        assert heading in page, f"theme {theme.number} is not on page {number}"
        # ...and starts there: the page before belongs to something else
        assert heading not in pages_text[number - 2].casefold()


def test_framework_pdf_ends_with_the_signatures(pages_text, demo_module):
    signing = next(page for page in pages_text if "overeenstemming bereikt" in page)
    assert demo_module.agreed_on.strftime("%d-%m-%Y") in signing
    for signatory in demo_module.signatories.all():
        assert signatory.name in signing


def test_concept_framework_without_signatories_gets_a_signature_line_per_party(client_for):
    """A framework still in concept: no date of agreement, no signatories, no calendar yet."""
    municipality = MunicipalityFactory(name="Gemeente Voorbeeld")
    corporation = PartyFactory(name="Woonstichting Voorbeeld")
    framework = FrameworkFactory(
        municipality=municipality,
        title="Concept kader Voorbeeld",
        status=Framework.Status.CONCEPT,
        agreed_on=None,
        agreed_place="",
        parties=[municipality, corporation],
    )
    agreement = AgreementFactory(theme=ThemeFactory(framework=framework, title="Wonen"))
    member = MembershipFactory(party=corporation).user
    response = client_for(member).get(framework_pdf_url(framework.slug))
    assert response.status_code == 200
    pages = pdf_pages_text(response.content)
    text = " ".join(pages)
    assert agreement.text in text
    signing = next(page for page in pages if "Ondertekening" in page and "Naam" in page)
    assert "Gemeente Voorbeeld" in signing and "Woonstichting Voorbeeld" in signing


# --- the cache ------------------------------------------------------------------------------


def test_repeat_download_is_the_same_bytes_without_rendering_again(demo_module):
    client = werkgroep_client()
    with mock.patch("core.pdf.html_to_pdf", wraps=pdf.html_to_pdf) as spy:
        first = client.get(framework_pdf_url()).content
        assert spy.call_count == 1
        second = client.get(framework_pdf_url()).content
        assert spy.call_count == 1
    assert second == first


def test_changed_target_value_makes_a_different_pdf(downloaded, demo_module):
    target = Target.objects.filter(
        agreement__theme__framework=demo_module, value__isnull=False
    ).first()
    target.value += Decimal("1")
    target.save()
    with mock.patch("core.pdf.html_to_pdf", wraps=pdf.html_to_pdf) as spy:
        changed = werkgroep_client().get(framework_pdf_url()).content
    assert spy.call_count == 1
    assert changed.startswith(b"%PDF-")
    assert changed != downloaded.body


def test_cache_key_covers_the_stylesheet(demo_module, monkeypatch):
    """A change of layout alone must not serve the PDF cached with the old layout."""
    html = pdf.render_html("print/base.html", {})
    monkeypatch.setattr(pdf, "pdf_stylesheet", lambda: "body { color: red; }")
    assert pdf.cache_key(pdf.render_html("print/base.html", {})) != pdf.cache_key(html)


def test_cache_key_covers_the_tagging_setting(settings):
    settings.PDF_TAGGED = True
    tagged = pdf.cache_key("<p>x</p>")
    settings.PDF_TAGGED = False
    assert pdf.cache_key("<p>x</p>") != tagged


def test_framework_pdf_is_tagged_in_dutch(downloaded):
    pypdf = _pypdf() or pytest.skip("needs pypdf (test extras) to read the catalog")
    catalog = pypdf.PdfReader(BytesIO(downloaded.body)).trailer["/Root"]
    assert catalog["/Lang"] == "nl"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog


def test_failed_tagging_falls_back_to_an_untagged_pdf(settings, caplog):
    from weasyprint import HTML

    settings.PDF_TAGGED = True
    original = HTML.write_pdf

    def tagging_crashes(self, *args, **kwargs):
        if kwargs.get("pdf_tags"):
            raise AssertionError("upstream tagging bug")
        return original(self, *args, **kwargs)

    with mock.patch.object(HTML, "write_pdf", tagging_crashes):
        data = pdf.html_to_pdf("<html lang='nl'><body><table><tr><td>x</td></tr></table>")
    assert data.startswith(b"%PDF-")
    assert "Tagged PDF failed" in caplog.text


def test_print_html_uses_no_screen_css_and_no_external_resource(demo_module):
    from agreements import selectors

    context = {
        "framework": demo_module,
        "themes": selectors.framework_themes(demo_module),
        "parties": selectors.framework_parties(demo_module),
        "signatories": selectors.framework_signatories(demo_module),
        "process_steps": selectors.framework_process_steps(demo_module),
    }
    html = pdf.render_html("agreements/print/framework.html", context)
    assert '<html lang="nl">' in html
    assert f"<title>{demo_module.title}</title>" in html
    assert "<link" not in html
    assert "portal.css" not in html and "utrecht/index.css" not in html
    assert not re.search(r"""(src|href|url\()\s*=?\s*["']?(https?:)?//""", html)


# --- access -------------------------------------------------------------------------------


def test_user_of_a_party_outside_the_framework_gets_404(demo_module, user_for, client_for):
    outsider = client_for(user_for(Membership.Role.WORKING_GROUP, OUTSIDER_PARTY_SLUG))
    with mock.patch("core.pdf.html_to_pdf") as spy:
        response = outsider.get(framework_pdf_url())
    assert response.status_code == 404
    spy.assert_not_called()


def test_anonymous_user_is_sent_to_login(demo_module):
    response = Client().get(framework_pdf_url())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- the URL fetcher: nothing from the network ---------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/style.css",
        "https://example.org/font.woff2",
        "ftp://example.org/x.png",
        "//example.org/x.png",
        "file:///etc/passwd",
        "file:///static/../kerkrade_pa/settings.py",
        "/media/upload.png",
    ],
)
def test_url_fetcher_refuses_anything_but_static(url):
    with pytest.raises(ValueError):
        pdf.make_url_fetcher().fetch(url)


def test_url_fetcher_serves_static_files_from_disk():
    response = pdf.make_url_fetcher().fetch("file:///static/css/pdf.css")
    assert response.read().startswith(b"/*")
    assert response.content_type == "text/css"


def test_rendering_never_opens_a_network_connection():
    html = (
        '<html><head><link rel="stylesheet" href="http://192.0.2.1/x.css"></head><body>'
        '<img src="https://192.0.2.1/x.png"><p style="background: url(http://192.0.2.1/b.png)">'
        "tekst</p></body></html>"
    )
    with (
        mock.patch("socket.create_connection", side_effect=AssertionError("network")) as conn,
        mock.patch("urllib.request.OpenerDirector.open", side_effect=AssertionError("open")),
    ):
        data = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    conn.assert_not_called()
