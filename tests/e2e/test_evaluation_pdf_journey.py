"""Everyone downloads the evaluation PDF: a tenant-organisation member and the working group
click from the start page to the evaluation and its PDF link. A PDF that is not stored yet
shows the progress page at once (the render runs after the response, eager tasks in a thread
here just as a worker would), the page follows it and offers the download; the download's text
is the evaluation; a second click serves the stored file at once. axe-core on every state.
"""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

TITLE = "Evaluatie jaarschijf 2024"


def _download(page, name: str, path) -> float:
    """Click the link that downloads a file; the seconds it took."""
    started = time.monotonic()
    with page.expect_download() as info:
        page.get_by_role("link", name=name, exact=True).click()
    info.value.save_as(path)
    return time.monotonic() - started


def _pdf_text(path) -> str:
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    return subprocess.run(  # noqa: S603 (our own pdftotext, our own file)
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("username", ["huurders", "werkgroep"])
def test_the_evaluation_pdf_downloads_after_its_progress_page(
    page, log_in, accessible, tmp_path, username
):
    log_in(page, username)
    accessible(page, "start page")
    page.get_by_role("link", name="Jaarcyclus", exact=True).first.click()
    accessible(page, "current cycle year")

    # The latest evaluation was rendered ahead by load_demo, into a file: served at once.
    page.get_by_role("link", name="Evaluatie 2025", exact=True).first.click()
    accessible(page, "evaluation 2025")
    assert _download(page, "Download als PDF", tmp_path / "2025.pdf") < 5
    assert "Evaluatie jaarschijf 2025" in _pdf_text(tmp_path / "2025.pdf")

    # An older one is not rendered yet.
    page.get_by_role("link", name="Jaarcyclus", exact=True).first.click()
    page.get_by_role("link", name="2025", exact=True).first.click()
    accessible(page, "cycle year 2025")
    page.get_by_role("link", name="Evaluatie 2024", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2024")
    accessible(page, "evaluation 2024")

    started = time.monotonic()
    page.get_by_role("link", name="Download als PDF", exact=True).click()
    expect(page.get_by_role("heading", name="PDF van de evaluatie", level=1)).to_be_visible()
    # The click returns the progress page, not a page frozen while WeasyPrint runs.
    assert time.monotonic() - started < 5
    accessible(page, "PDF progress page")

    download_link = page.get_by_role("link", name="Download de PDF", exact=True)
    expect(download_link).to_be_visible(timeout=120_000)  # the htmx poll swaps it in
    accessible(page, "PDF progress page, done")
    first = tmp_path / "first.pdf"
    _download(page, "Download de PDF", first)
    assert TITLE in _pdf_text(first)

    # A second click serves the stored file at once.
    page.get_by_role("link", name="Terug naar de evaluatie", exact=True).click()
    expect(page.get_by_role("link", name="Download als PDF", exact=True)).to_be_visible()
    accessible(page, "evaluation 2024 again")
    again = tmp_path / "again.pdf"
    assert _download(page, "Download als PDF", again) < 5
    assert again.read_bytes() == first.read_bytes()
