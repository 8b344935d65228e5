"""The working group drafts the jaarschijf in the browser, clicking as a person does.

- werkgroep goes from the start page to the jaarschijf, picks a theme in the contents, filters
  on its own organisation, opens the inline editor (focus lands in the first field, which the
  editor names: "Bewerken: 1.1 Gemeente Kerkrade"), saves, and after a normal page load opens a
  comment thread, comments and resolves the comment;
- without JavaScript the comment form is there and posting returns to the open thread;
- two editors of the same piece: the second save shows the conflict view, and a comment by one
  is seen by the other.
axe-core (WCAG 2.1 A/AA) passes on every page state, htmx swaps included."""

from __future__ import annotations

import re

from tests.e2e.conftest import login

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here
    expect = None

THEME = "1. Beschikbaarheid en vastgoedtransitie"
OWN_PIECE = "1.1 Gemeente Kerkrade"
SHARED_PIECE = "1.1 HEEMwonen"


def _context(browser, demo_server, **options):
    context = browser.new_context(
        base_url=demo_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(10_000)
    return context


def _to_the_jaarschijf(page) -> None:
    """From the start page (after logging in) to the jaarschijf, by its visible links."""
    page.get_by_role("link", name="Jaarcyclus 2026", exact=True).first.click()
    page.get_by_role("link", name="Jaarschijf 2027", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jaarschijf 2027")


def _contents(page):
    return page.get_by_role("navigation", name="Inhoud", exact=True)


def _pick_theme(page) -> None:
    _contents(page).get_by_role("link", name=THEME, exact=True).click()
    expect(page).to_have_url(re.compile(r"\?thema=\d+"))
    expect(page.locator("section.pa-theme")).to_have_count(1)
    expect(page.get_by_role("heading", name=re.compile(r"^1\. Beschikbaarheid"))).to_be_visible()


def _piece(page, name: str):
    """The article of a contribution, found through its "Geschiedenis: …" link (everyone
    who reads the jaarschijf has that one; "Bewerken: …" only those who may edit)."""
    link = page.get_by_role("link", name=f"Geschiedenis: {name}", exact=True)
    return page.locator("article.pa-contribution").filter(has=link)


_COVERED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const x = box.left + Math.min(box.width / 2, 20), y = box.top + Math.min(box.height / 2, 10);
  if (y < 0 || y > window.innerHeight) return `off screen: ${el.tagName}.${el.className}`;
  const top = document.elementFromPoint(x, y);
  return top === el || el.contains(top) ? "" : (top && top.outerHTML.slice(0, 120));
}"""


def _assert_not_covered(page) -> None:
    """The focused element is on screen and nothing (a sticky box) lies on top of it. The
    theme scrolls smoothly, so give the scroll to the focused element a moment to end."""
    covered = page.evaluate(_COVERED)
    for _ in range(20):
        if not covered:
            return
        page.wait_for_timeout(100)
        covered = page.evaluate(_COVERED)
    raise AssertionError(f"the focused element is hidden: {covered}")


def test_working_group_drafts_comments_and_resolves(page, log_in, accessible):
    log_in(page, "werkgroep")
    accessible(page, "start page")
    _to_the_jaarschijf(page)
    accessible(page, "jaarschijf, all themes")
    # the contents are navigation, not a sticky box over the text
    position = _contents(page).evaluate("el => getComputedStyle(el).position")
    assert position not in {"sticky", "fixed"}

    _pick_theme(page)
    accessible(page, "jaarschijf, one theme")

    page.get_by_label("Alleen mijn organisatie", exact=True).check()
    page.get_by_role("button", name="Filters toepassen", exact=True).click()
    expect(page).to_have_url(re.compile(r"mijn=1"))
    expect(page.get_by_label("Alleen mijn organisatie", exact=True)).to_be_checked()
    parties = page.locator("article.pa-contribution .pa-contribution__party")
    expect(parties.first).to_be_visible()
    for text in parties.all_inner_texts():
        assert text.startswith("Gemeente Kerkrade"), text
    expect(page.locator("section.pa-theme")).to_have_count(1)  # the theme is kept
    accessible(page, "jaarschijf, filtered")

    # the inline editor: focus in its first field, which is named by the editor's legend
    page.get_by_role("link", name=f"Bewerken: {OWN_PIECE}", exact=True).click()
    editor = page.get_by_role("group", name=f"Bewerken: {OWN_PIECE}", exact=True)
    first_field = editor.get_by_label("Wat doet de partij?", exact=True)
    expect(first_field).to_be_focused()
    _assert_not_covered(page)
    accessible(page, "inline editor (htmx)")
    first_field.fill("De gemeente stelt in 2027 een woonvisie op, met de corporaties.")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    piece = _piece(page, OWN_PIECE)
    expect(piece).to_contain_text("De gemeente stelt in 2027 een woonvisie op")
    expect(piece).to_be_focused()
    accessible(page, "saved contribution (htmx)")

    # a normal page load: the comment thread has its form at once
    _contents(page).get_by_role("link", name=THEME, exact=True).click()
    piece = _piece(page, OWN_PIECE)
    piece.locator("summary").click()
    comment_box = piece.get_by_label("Nieuwe reactie", exact=True)
    expect(comment_box).to_be_visible()
    accessible(page, "comment thread opened on first load")
    comment_box.fill("Kunnen de huurders hierin meelezen?")
    piece.get_by_role("button", name="Reactie plaatsen", exact=True).click()
    thread = piece.locator(".pa-thread").filter(has_text="Kunnen de huurders hierin meelezen?")
    expect(thread).to_be_visible()
    accessible(page, "comment placed (htmx)")
    thread.get_by_role("button", name="Afhandelen", exact=True).click()
    thread = piece.locator(".pa-thread").filter(has_text="Kunnen de huurders hierin meelezen?")
    expect(thread).to_contain_text("afgehandeld")
    expect(thread.get_by_role("button", name="Heropenen", exact=True)).to_be_visible()
    accessible(page, "comment resolved (htmx)")
    assert not page.csp_errors


def _accessible_as_served(browser, demo_server, page, accessible, label: str) -> None:
    """axe needs JavaScript, which this page has not: check the same HTML in a page that has
    it, on the same origin (so the stylesheets load and colour contrast is measured)."""
    html = page.content()
    context = _context(browser, demo_server)
    try:
        probe = context.new_page()
        probe.goto("/accounts/login/")
        probe.set_content(html)
        accessible(probe, label)
    finally:
        context.close()


def test_comments_work_without_javascript(browser, demo_server, accessible):
    context = _context(browser, demo_server, java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, "huurders")
        _to_the_jaarschijf(page)
        _pick_theme(page)
        piece = _piece(page, SHARED_PIECE)
        piece.locator("summary").click()  # <details> opens without JavaScript
        piece.get_by_label("Nieuwe reactie", exact=True).fill("Graag een toelichting.")
        _accessible_as_served(browser, demo_server, page, accessible, "comment form, no JS")
        piece.get_by_role("button", name="Reactie plaatsen", exact=True).click()
        expect(page).to_have_url(re.compile(r"#reacties-bijdrage-\d+$"))
        expect(page.get_by_text("Uw reactie is geplaatst.")).to_be_visible()
        piece = _piece(page, SHARED_PIECE)
        expect(piece.locator("details")).to_have_attribute("open", "")
        expect(piece.locator(".pa-thread").last).to_contain_text("Graag een toelichting.")
        expect(piece.get_by_label("Antwoord", exact=True).last).to_be_visible()
        _accessible_as_served(browser, demo_server, page, accessible, "thread open, no JS")
    finally:
        context.close()


def test_two_editors_conflict_and_see_each_others_comments(browser, demo_server, accessible):
    werkgroep_context = _context(browser, demo_server)
    heemwonen_context = _context(browser, demo_server)
    try:
        werkgroep, heemwonen = werkgroep_context.new_page(), heemwonen_context.new_page()
        for page, username in [(werkgroep, "werkgroep"), (heemwonen, "heemwonen")]:
            login(page, username)
            _to_the_jaarschijf(page)
            _pick_theme(page)
        name = f"Bewerken: {SHARED_PIECE}"
        for page in (werkgroep, heemwonen):
            page.get_by_role("link", name=name, exact=True).click()
            expect(page.get_by_role("group", name=name, exact=True)).to_be_visible()
        accessible(heemwonen, "editor")
        werkgroep.get_by_label("Wat doet de partij?", exact=True).fill("Tekst van de werkgroep")
        werkgroep.get_by_role("button", name="Opslaan", exact=True).click()
        expect(_piece(werkgroep, SHARED_PIECE)).to_contain_text("Tekst van de werkgroep")
        heemwonen.get_by_label("Wat doet de partij?", exact=True).fill("Tekst van HEEMwonen")
        heemwonen.get_by_role("button", name="Opslaan", exact=True).click()
        expect(heemwonen.get_by_text("iemand anders heeft dit onderdeel").first).to_be_visible()
        keep = heemwonen.get_by_role("button", name="Mijn versie bewaren", exact=True)
        expect(keep).to_be_visible()
        expect(heemwonen.locator(".pa-conflict")).to_be_focused()
        _assert_not_covered(heemwonen)  # the conflict warning has focus and is not hidden
        accessible(heemwonen, "conflict view")
        keep.click()
        piece = _piece(heemwonen, SHARED_PIECE)
        expect(piece).to_contain_text("Tekst van HEEMwonen")
        # a comment by HEEMwonen appears for the working group
        piece.locator("summary").click()
        piece.get_by_label("Nieuwe reactie", exact=True).fill("Graag overleg hierover")
        piece.get_by_role("button", name="Reactie plaatsen", exact=True).click()
        expect(piece).to_contain_text("Graag overleg hierover")
        werkgroep.reload()
        piece = _piece(werkgroep, SHARED_PIECE)
        piece.locator("summary").click()
        expect(piece).to_contain_text("Graag overleg hierover")
        accessible(werkgroep, "jaarschijf with comments open")
        piece.get_by_role("link", name=f"Geschiedenis: {SHARED_PIECE}", exact=True).click()
        expect(werkgroep.locator("del, ins").first).to_be_visible()
        accessible(werkgroep, "piece history")
    finally:
        werkgroep_context.close()
        heemwonen_context.close()
