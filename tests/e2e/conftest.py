"""Browser journeys: Debian's Chromium driven by Playwright against Django's live server.

- Every test in this folder is marked ``e2e`` (run or leave them out with ``-m e2e`` or
  ``-m "not e2e"``).
- Without /usr/bin/chromium (or Playwright) the folder is skipped, saying why; under CI=true a
  missing browser is an error instead, so CI can never pass by skipping its browser tests.
- ``demo_server``: the live server with the demo data (load_demo) in its database.
- ``page``: a fresh browser context per test, with a base URL, Dutch locale and a list of the
  console's CSP errors; ``login(page, username)`` fills the login form as a person would.
- ``assert_accessible(page, label)``: axe-core, WCAG 2.1 A/AA, zero violations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, axe_violations, format_violations, launch
from tests.e2e.demo_accounts import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's live server and the ORM
# calls in fixtures are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing_browser()
    for item in items:
        if HERE not in Path(str(item.fspath)).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if reason and not _in_ci():
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser()
    if reason:
        # Only reached under CI=true (elsewhere the tests are skipped at collection).
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def demo_server(live_server):
    """The live server, with the demo data loaded into the database it serves.

    live_server implies transactional_db: the tables are emptied after each test, so each test
    loads the demo data again (a second or so) and starts from the same state.
    """
    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    return live_server


@pytest.fixture
def page(browser, demo_server) -> Iterator:
    context = browser.new_context(
        base_url=demo_server.url,
        locale="nl-NL",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: (
            page.csp_errors.append(message.text)  # type: ignore[attr-defined]
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form, the way a person does: labels, typing, the button."""
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam", exact=True).fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("domcontentloaded")


def assert_accessible(page, label: str) -> None:
    """Zero axe-core violations of WCAG 2.1 A/AA on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} WCAG violation(s) on {label} ({page.url}):\n"
        + format_violations(violations)
    )


@pytest.fixture
def accessible():
    return assert_accessible


@pytest.fixture
def log_in():
    return login
