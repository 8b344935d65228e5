"""A working-group member reads the framework in a real browser, by keyboard and by mouse,
and every page they pass meets WCAG 2.1 AA as far as axe-core can tell."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from agreements.models import Framework, Target
from tests.e2e.demo_accounts import DEMO_FRAMEWORK_SLUG

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or, under CI=true, fails them)
    expect = None


# --- PDF metadata, without a PDF library ---------------------------------------------------


def _pdf_string(token: bytes) -> str:
    if token.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
    else:
        body, raw, i = token[1:-1], bytearray(), 0
        escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
        while i < len(body):
            char = body[i : i + 1]
            if char == b"\\":
                following = body[i + 1 : i + 2]
                octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
                if octal:
                    raw.append(int(octal.group(), 8))
                    i += 1 + len(octal.group())
                    continue
                raw += escapes.get(following, following)
                i += 2
                continue
            raw += char
            i += 1
        raw = bytes(raw)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be")
    return raw.decode("latin-1")


def pdf_title(data: bytes) -> str | None:
    """The /Title of the document information dictionary (the one with /Producer; outline
    items have a /Title too), also when it sits in a compressed object stream."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompressobj().decompress(data[match.end() : end]))
        except zlib.error:
            continue
    flat_dict = rb"<<((?:(?!<<|>>).)*?/Producer(?:(?!<<|>>).)*?)>>"
    title = rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)"
    for chunk in chunks:
        for info in re.finditer(flat_dict, chunk, re.DOTALL):
            found = re.search(title, info.group(1))
            if found:
                return _pdf_string(found.group(1))
    return None


# --- The journey ---------------------------------------------------------------------------


def test_working_group_member_reads_the_framework(page, log_in, accessible):
    framework = Framework.objects.get(slug=DEMO_FRAMEWORK_SLUG)
    themes = list(framework.themes.order_by("number"))
    chosen_theme = themes[1]
    # The demo's concept 2026-2030 is a copy with the same codes: the transcribed one's.
    sloop = (
        Target.objects.select_related("agreement__theme")
        .get(code="sloop", agreement__theme__framework=framework)
        .agreement
    )
    all_targets = Target.objects.filter(agreement__theme__framework=framework).count()
    theme_targets = Target.objects.filter(agreement__theme=chosen_theme).count()
    heading = page.get_by_role("heading", level=1)

    # Log in and land on the start page.
    log_in(page, "werkgroep")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(heading).to_contain_text("Welkom")
    expect(page.get_by_text(framework.title).first).to_be_visible()
    accessible(page, "the start page")

    # Open the framework through the main navigation.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Meerjarig kader"
    ).click()
    expect(heading).to_have_text("Meerjarige kaders")
    accessible(page, "the framework list")
    page.get_by_role("link", name=framework.title).first.click()
    expect(heading).to_have_text(framework.title)
    for theme in themes:
        expect(page.get_by_role("heading", name=f"{theme.number}. {theme.title}")).to_be_visible()
    accessible(page, "the framework")

    # Jump to a theme with the table of contents.
    toc = page.get_by_role("navigation", name="Inhoud")
    toc.get_by_role("link", name=f"{chosen_theme.number}. {chosen_theme.title}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"#thema-{chosen_theme.number}$"))
    expect(
        page.get_by_role("heading", name=f"{chosen_theme.number}. {chosen_theme.title}", level=2)
    ).to_be_in_viewport()

    # Open an agreement on its own page.
    agreement_path = f"/kaders/{DEMO_FRAMEWORK_SLUG}/afspraken/{sloop.theme.number}.{sloop.number}/"
    page.locator(f"#thema-{sloop.theme.number} a[href='{agreement_path}']").first.click()
    expect(page).to_have_url(re.compile(re.escape(agreement_path) + "$"))
    expect(heading).to_contain_text(sloop.title)
    expect(page.get_by_text("478 woningen").first).to_be_visible()
    accessible(page, "an agreement")

    # Back to the framework through the breadcrumb, then on to the table of targets.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name=framework.title
    ).click()
    page.get_by_role("link", name="Tabel van alle doelen").click()
    expect(heading).to_have_text("Meetbare doelen")
    rows = page.locator("#target-table tbody tr")
    expect(rows).to_have_count(all_targets)
    accessible(page, "the targets table")

    # Choose a theme: htmx swaps only the table and the live region says what changed.
    theme_select = page.get_by_label("Thema", exact=True)
    theme_select.focus()  # as a keyboard user does, tabbing to the select
    with page.expect_response(
        lambda r: "/doelen/" in r.url and r.request.headers.get("hx-request") == "true"
    ) as swap:
        theme_select.select_option(label=f"{chosen_theme.number}. {chosen_theme.title}")
    assert swap.value.ok
    expect(rows).to_have_count(theme_targets)
    expect(page).to_have_url(re.compile(rf"theme={chosen_theme.pk}"))
    expected_count = f"{theme_targets} doel{'en' if theme_targets != 1 else ''} gevonden"
    expect(page.locator("#target-table")).to_contain_text(expected_count)
    expect(page.locator("[aria-live]")).to_contain_text(expected_count)
    expect(theme_select).to_be_focused()  # choosing by keyboard can go on
    accessible(page, "the targets table after choosing a theme (htmx swap)")

    # Download the framework as PDF.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role(
        "link", name=framework.title
    ).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_title(data) == framework.title

    assert not page.csp_errors, "Content-Security-Policy violations:\n" + "\n".join(page.csp_errors)


def test_login_page_is_accessible(page, accessible):
    page.goto("/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    accessible(page, "the login page")


def test_wrong_password_shows_a_dutch_error(page, log_in, accessible):
    log_in(page, "werkgroep", "verkeerd-wachtwoord")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(
        # Django's own Dutch message of AuthenticationForm.
        page.get_by_text("Voer een juiste gebruikersnaam en wachtwoord in", exact=False)
    ).to_be_visible()
    accessible(page, "the login page with an error")


def test_anonymous_visitor_is_sent_to_login_and_back(page):
    page.goto(f"/kaders/{DEMO_FRAMEWORK_SLUG}/doelen/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))

    page.get_by_label("Gebruikersnaam", exact=True).fill("huurders")
    page.get_by_label("Wachtwoord", exact=True).fill("kerkrade-demo")
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(re.compile(rf"/kaders/{DEMO_FRAMEWORK_SLUG}/doelen/$"))


# --- Keyboard ------------------------------------------------------------------------------

_FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), name: e.getAttribute("name") || "", type: e.type || "",
    href: e.getAttribute("href") || "", text: (e.innerText || "").trim(), id: e.id || "",
    outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow,
  };
}"""


def _describe(stop: dict) -> str:
    return f"<{stop['tag']} name={stop['name']!r} href={stop['href']!r}> {stop['text'][:30]!r}"


def _visibly_outlined(stop: dict) -> bool:
    outline = stop["outlineStyle"] != "none" and stop["outlineWidth"] not in {"0px", ""}
    return outline or stop["boxShadow"] not in {"none", ""}


def test_keyboard_reaches_skip_link_then_the_login_form_in_order(page):
    page.goto("/accounts/login/")
    stops = []
    for _ in range(10):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(_FOCUSED))
    order = [_describe(stop) for stop in stops]

    first = stops[0]
    assert first["tag"] == "a" and first["href"] == "#main", f"first Tab stop: {order}"
    index = {
        "username": next((i for i, s in enumerate(stops) if s["name"] == "username"), None),
        "password": next((i for i, s in enumerate(stops) if s["name"] == "password"), None),
        "submit": next(
            (
                i
                for i, s in enumerate(stops)
                if s["tag"] == "button" and s["type"] == "submit" and "Inloggen" in s["text"]
            ),
            None,
        ),
    }
    assert None not in index.values(), f"not reached by Tab: {index}; order: {order}"
    assert index["username"] + 1 == index["password"], order
    assert index["password"] + 1 == index["submit"], order

    not_outlined = [
        _describe(stops[i])
        for i in (0, index["username"], index["password"], index["submit"])
        if not _visibly_outlined(stops[i])
    ]
    assert not not_outlined, f"focused but not visibly outlined: {not_outlined}"


def test_skip_link_moves_focus_to_the_main_content(page, log_in):
    log_in(page, "werkgroep")
    page.goto(f"/kaders/{DEMO_FRAMEWORK_SLUG}/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud", exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, past the header
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
