"""What every browser test shares: Debian's Chromium with its flags, and axe-core.

One place, so that the browser journeys (tests/e2e) and the bid's browser test
(tests/cycle/test_browser.py) launch the same browser and judge accessibility the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# What Chromium says when a navigation replaces the document while axe is reading it.
_NAVIGATED_AWAY = ("documentElement", "Execution context was destroyed", "navigation")


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def axe_violations(page, attempts: int = 3) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page once it has loaded.

    Playwright's click does not wait for the navigation it starts, so axe can begin on the old
    document and lose it half-way; then it runs again on the page that took its place.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            return Axe().run(page, options=options).response["violations"]
        except Error as exc:
            if attempt == attempts - 1 or not any(s in str(exc) for s in _NAVIGATED_AWAY):
                raise
    raise AssertionError("unreachable")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation.get("nodes", [])[:5]:
            lines.append(f"    {', '.join(map(str, node.get('target', [])))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)
