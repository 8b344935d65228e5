"""The end-evaluation's PDF through its download: rendered in the background, never in the
request; cover, contents with page numbers, the table per theme and the signature page."""

from __future__ import annotations

import io
import os
from unittest import mock

import pytest
from django.urls import reverse

from core import background
from cycle.endevaluation import pdf as end_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_pdf(settings):
    settings.PDF_TAGGED = False


@pytest.fixture
def in_thread_now(monkeypatch):
    """What the eager thread does (core.background), run synchronously when asked to."""
    started = []
    monkeypatch.setattr(background, "start_thread", lambda task, args: started.append((task, args)))

    def run() -> None:
        for task, args in started:
            task.apply(args=args, throw=True)
        started.clear()

    return run


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_download_renders_in_the_background_then_serves_the_pdf(
    client, world, end_evaluation, in_thread_now, django_capture_on_commit_callbacks
):
    client.force_login(world.users["huurders"])
    url = reverse("cycle:end-evaluation-pdf", args=[world.framework.slug])
    with (
        mock.patch.object(end_pdf.pdf_helper, "html_to_pdf") as convert,
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.get(url, follow=True)
        convert.assert_not_called()
    assert "De PDF wordt gemaakt" in page.content.decode()
    in_thread_now()
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "Eindevaluatie 2021-2025" in text
    assert "Inhoud" in text
    assert "478 woningen" in text
    assert "Ondertekening" in text
    if os.environ.get("END_EVALUATION_PDF_OUT"):  # to look at it (pdftoppm -png)
        with open(os.environ["END_EVALUATION_PDF_OUT"], "wb") as handle:
            handle.write(download.content)


def test_outsiders_get_no_pdf(client, world, end_evaluation):
    client.force_login(world.users["nobody"])
    url = reverse("cycle:end-evaluation-pdf", args=[world.framework.slug])
    assert client.get(url).status_code == 404
