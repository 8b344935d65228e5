"""The working group reads, on the evaluation page and in its PDF, which catalogue indicator each
target is judged on and the national norm next to it ("landelijk: 95% passend"). axe-core on the
page. With PA_SCREENSHOTS=<folder>, a screenshot of the page and PNGs of the PDF's pages
(pdftoppm) are written there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} is missing (apt-get install poppler-utils)")
    return path


def test_the_evaluation_names_the_indicator_and_its_national_norm(
    page, log_in, accessible, tmp_path
):
    log_in(page, "werkgroep")
    page.get_by_role("link", name="Jaarcyclus", exact=True).first.click()
    page.get_by_role("link", name="Evaluatie 2025", exact=True).first.click()
    checks = page.get_by_role("region", name="Passend toewijzen", exact=True)
    expect(checks).to_contain_text("Indicator: Passend toewijzen · landelijk: 95% passend")
    daeb = page.get_by_role("region", name="DAEB-toewijzen", exact=True)
    expect(daeb).to_contain_text("Indicator: DAEB-toewijzen · landelijk: 92,5% DAEB-toewijzen")
    accessible(page, "evaluation 2025 with indicators")
    folder = os.environ.get("PA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / "evaluation-indicators.png"), full_page=True)

    pdf = tmp_path / "evaluatie.pdf"
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als PDF", exact=True).click()
    info.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603 (our own pdftotext, our own file)
        [_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "landelijk: 95% passend" in " ".join(text.split())
    if folder:
        subprocess.run(  # noqa: S603 (our own pdftoppm, our own file)
            [_tool("pdftoppm"), "-png", "-r", "60", str(pdf), str(Path(folder) / "evaluation")],
            check=True,
        )
