"""The framework pages as each kind of user meets them (test client, demo data)."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, Framework, Target, Theme
from tests.conftest import DEMO_SLUG
from tests.factories import (
    AgreementFactory,
    FrameworkFactory,
    MembershipFactory,
    PartyFactory,
    ProcessStepFactory,
    TargetFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def sloop_agreement() -> Agreement:
    """The agreement that holds the demolition target (478 woningen in 2021-2025)."""
    # Of the transcribed framework (the demo's concept 2026-2030 copies its codes).
    return (
        Target.objects.select_related("agreement__theme")
        .get(code="sloop", agreement__theme__framework__slug=DEMO_SLUG)
        .agreement
    )


def agreement_url(agreement: Agreement) -> str:
    return reverse(
        "agreements:agreement-detail",
        args=[agreement.theme.framework.slug, agreement.theme.number, agreement.number],
    )


def page_urls() -> dict[str, str]:
    """Every page of the foundation, for the demo framework."""
    return {
        "home": reverse("home"),
        "framework-list": reverse("agreements:framework-list"),
        "framework-detail": reverse("agreements:framework-detail", args=[DEMO_SLUG]),
        "agreement-detail": agreement_url(sloop_agreement()),
        "target-list": reverse("agreements:target-list", args=[DEMO_SLUG]),
        "framework-pdf": reverse("agreements:framework-pdf", args=[DEMO_SLUG]),
    }


PAGES = [
    "home",
    "framework-list",
    "framework-detail",
    "agreement-detail",
    "target-list",
    "framework-pdf",
]
FRAMEWORK_PAGES = ["framework-detail", "agreement-detail", "target-list", "framework-pdf"]


def text(response) -> str:
    return response.content.decode()


# --- Anonymous visitors -------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_login_with_next(client: Client, demo, page):
    url = page_urls()[page]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


# --- Party members ------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["werkgroep_client", "corporation_client", "tenant_client"])
def test_party_member_can_open_every_page(request, demo, page, who):
    client = request.getfixturevalue(who)

    response = client.get(page_urls()[page])

    assert response.status_code == 200


def test_framework_list_shows_the_framework(tenant_client, demo):
    response = tenant_client.get(reverse("agreements:framework-list"))

    assert demo.title in text(response)
    assert reverse("agreements:framework-detail", args=[DEMO_SLUG]) in text(response)


def test_framework_detail_shows_every_theme_title(corporation_client, demo):
    response = corporation_client.get(reverse("agreements:framework-detail", args=[DEMO_SLUG]))

    titles = list(demo.themes.order_by("number").values_list("title", flat=True))
    assert titles, "the demo framework has no themes"
    for title in titles:
        assert title in text(response)


def test_framework_detail_shows_agreement_text_and_targets(werkgroep_client, demo):
    response = werkgroep_client.get(reverse("agreements:framework-detail", args=[DEMO_SLUG]))

    content = text(response)
    assert "verwachten we 478 woningen te slopen" in content
    assert "478 woningen" in content
    assert "2021-2025" in content


def test_framework_detail_lists_parties_and_signatories(werkgroep_client, demo):
    response = werkgroep_client.get(reverse("agreements:framework-detail", args=[DEMO_SLUG]))

    content = text(response)
    for party in demo.parties.all():
        assert party.name in content
    for signatory in demo.signatories.all():
        assert signatory.name in content


def test_agreement_detail_shows_text_target_and_responsible_parties(tenant_client, demo):
    agreement = sloop_agreement()

    response = tenant_client.get(agreement_url(agreement))

    content = text(response)
    assert agreement.title in content
    assert "verwachten we 478 woningen te slopen" in content
    assert "478 woningen" in content
    for party in agreement.responsible_parties.all():
        assert party.name in content


def test_target_list_shows_every_target_of_the_framework(corporation_client, demo):
    response = corporation_client.get(reverse("agreements:target-list", args=[DEMO_SLUG]))

    content = text(response)
    assert "478 woningen" in content
    labels = Target.objects.filter(agreement__theme__framework=demo).values_list("label", flat=True)
    for label in labels:
        assert label in content


def test_pdf_is_a_pdf_download(werkgroep_client, demo):
    response = werkgroep_client.get(reverse("agreements:framework-pdf", args=[DEMO_SLUG]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


# --- Outsiders: 404, the same as a missing slug -------------------------------------------


@pytest.mark.parametrize("page", FRAMEWORK_PAGES)
@pytest.mark.parametrize("who", ["outsider_client", "no_party_client"])
def test_outsider_gets_404_on_framework_pages(request, demo, page, who):
    client = request.getfixturevalue(who)

    response = client.get(page_urls()[page])

    assert response.status_code == 404


@pytest.mark.parametrize("page", FRAMEWORK_PAGES)
def test_missing_framework_slug_gets_the_same_404(werkgroep_client, demo, page):
    url = page_urls()[page].replace(DEMO_SLUG, "bestaat-niet")

    response = werkgroep_client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["outsider_client", "no_party_client"])
def test_outsider_sees_no_framework_in_the_list(request, demo, who):
    client = request.getfixturevalue(who)

    response = client.get(reverse("agreements:framework-list"))

    assert response.status_code == 200
    assert demo.title not in text(response)
    assert DEMO_SLUG not in text(response)


@pytest.mark.parametrize("who", ["outsider_client", "no_party_client"])
def test_outsider_home_page_says_there_is_no_framework_yet(request, demo, who):
    client = request.getfixturevalue(who)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert demo.title not in text(response)
    assert "Nog geen kader" in text(response)


def test_member_of_another_framework_cannot_see_this_one(demo, client_for):
    other = FrameworkFactory()
    stranger = MembershipFactory(party=other.municipality).user

    response = client_for(stranger).get(reverse("agreements:framework-detail", args=[DEMO_SLUG]))

    assert response.status_code == 404


@pytest.mark.parametrize("theme_and_number", [(99, 1), (1, 99)])
def test_unknown_agreement_number_gets_404(werkgroep_client, demo, theme_and_number):
    url = reverse("agreements:agreement-detail", args=[DEMO_SLUG, *theme_and_number])

    response = werkgroep_client.get(url)

    assert response.status_code == 404


def test_agreement_of_another_framework_is_not_reachable_through_this_slug(werkgroep_client, demo):
    # The other framework's agreement 7.7 exists, but not in the demo framework.
    other = FrameworkFactory(parties=list(demo.parties.all()))
    AgreementFactory(theme=ThemeFactory(framework=other, number=7), number=7)

    url = reverse("agreements:agreement-detail", args=[DEMO_SLUG, 7, 7])
    response = werkgroep_client.get(url)

    assert response.status_code == 404


# --- Target list: filters and both htmx response shapes -----------------------------------


@pytest.fixture
def two_theme_framework(db, client_for):
    """A framework with two themes and targets aimed at different parties, and a client."""
    municipality = PartyFactory(name="Gemeente Filterstad", kind="gemeente")
    corporation_a = PartyFactory(name="Corporatie Alfa")
    corporation_b = PartyFactory(name="Corporatie Beta")
    framework = FrameworkFactory(
        municipality=municipality, parties=[municipality, corporation_a, corporation_b]
    )
    theme_1 = ThemeFactory(framework=framework, number=1, title="Beschikbaarheid")
    theme_2 = ThemeFactory(framework=framework, number=2, title="Betaalbaarheid")
    agreement_1 = AgreementFactory(theme=theme_1, number=1, responsible=[corporation_a])
    agreement_2 = AgreementFactory(theme=theme_2, number=1, responsible=[corporation_b])
    TargetFactory(agreement=agreement_1, label="Doel-alfa-genoemd", parties=[corporation_a])
    TargetFactory(agreement=agreement_1, label="Doel-alfa-verantwoordelijk")  # names no one
    TargetFactory(agreement=agreement_2, label="Doel-beta-genoemd", parties=[corporation_b])
    TargetFactory(agreement=agreement_2, label="Doel-gemeente", parties=[municipality])
    user = MembershipFactory(party=municipality).user
    return {
        "framework": framework,
        "themes": (theme_1, theme_2),
        "parties": (municipality, corporation_a, corporation_b),
        "client": client_for(user),
        "url": reverse("agreements:target-list", args=[framework.slug]),
    }


ALL_LABELS = {
    "Doel-alfa-genoemd",
    "Doel-alfa-verantwoordelijk",
    "Doel-beta-genoemd",
    "Doel-gemeente",
}


def shown_labels(response) -> set[str]:
    return {label for label in ALL_LABELS if label in text(response)}


def test_target_list_without_filter_shows_all_targets(two_theme_framework):
    response = two_theme_framework["client"].get(two_theme_framework["url"])

    assert shown_labels(response) == ALL_LABELS


def test_target_list_filtered_by_theme_shows_only_that_themes_targets(two_theme_framework):
    theme_2 = two_theme_framework["themes"][1]

    response = two_theme_framework["client"].get(two_theme_framework["url"], {"theme": theme_2.pk})

    assert shown_labels(response) == {"Doel-beta-genoemd", "Doel-gemeente"}


def test_target_list_filtered_by_party_shows_named_and_responsible_targets(two_theme_framework):
    corporation_a = two_theme_framework["parties"][1]

    response = two_theme_framework["client"].get(
        two_theme_framework["url"], {"party": corporation_a.pk}
    )

    assert shown_labels(response) == {"Doel-alfa-genoemd", "Doel-alfa-verantwoordelijk"}


def test_target_list_filtered_by_theme_and_party_combines_both(two_theme_framework):
    theme_2 = two_theme_framework["themes"][1]
    municipality = two_theme_framework["parties"][0]

    response = two_theme_framework["client"].get(
        two_theme_framework["url"], {"theme": theme_2.pk, "party": municipality.pk}
    )

    assert shown_labels(response) == {"Doel-gemeente"}


def test_target_list_says_how_many_targets_it_found(two_theme_framework):
    theme_2 = two_theme_framework["themes"][1]

    response = two_theme_framework["client"].get(two_theme_framework["url"], {"theme": theme_2.pk})

    assert "2 doelen gevonden" in text(response)


@pytest.mark.parametrize(
    "params",
    [
        {"theme": "abc"},
        {"theme": "999999"},
        {"party": "-1"},
        {"party": "x'; DROP TABLE agreements_target;--"},
        {"theme": ""},
    ],
    ids=["theme-text", "theme-unknown", "party-negative", "party-injection", "theme-empty"],
)
def test_target_list_ignores_an_invalid_filter(two_theme_framework, params):
    response = two_theme_framework["client"].get(two_theme_framework["url"], params)

    assert response.status_code == 200
    assert shown_labels(response) == ALL_LABELS


def test_target_list_ignores_a_theme_of_another_framework(two_theme_framework):
    foreign_theme = ThemeFactory()  # another framework's theme: not a valid choice here
    TargetFactory(agreement=AgreementFactory(theme=foreign_theme), label="Vreemd doel")

    response = two_theme_framework["client"].get(
        two_theme_framework["url"], {"theme": foreign_theme.pk}
    )

    assert response.status_code == 200
    assert shown_labels(response) == ALL_LABELS
    assert "Vreemd doel" not in text(response)


def test_target_list_without_htmx_is_the_full_page(two_theme_framework):
    response = two_theme_framework["client"].get(two_theme_framework["url"])

    content = text(response)
    assert "<html" in content
    assert "<form" in content and 'name="theme"' in content and 'name="party"' in content
    assert 'id="target-table"' in content


def test_target_list_with_htmx_is_only_the_table_fragment(two_theme_framework):
    theme_1 = two_theme_framework["themes"][0]

    response = two_theme_framework["client"].get(
        two_theme_framework["url"], {"theme": theme_1.pk}, headers={"HX-Request": "true"}
    )

    content = text(response).strip()
    assert response.status_code == 200
    assert "<html" not in content
    assert "<form" not in content
    assert content.startswith('<div id="target-table"')
    assert shown_labels(response) == {"Doel-alfa-genoemd", "Doel-alfa-verantwoordelijk"}


def test_target_list_tells_caches_that_it_varies_on_htmx(two_theme_framework):
    """Otherwise a browser may show the bare fragment when the user comes back to the URL."""
    response = two_theme_framework["client"].get(two_theme_framework["url"])

    assert "HX-Request" in response["Vary"]


def test_back_button_history_restore_gets_the_whole_page(two_theme_framework):
    response = two_theme_framework["client"].get(
        two_theme_framework["url"],
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in text(response)


def test_target_fragment_is_guarded_like_the_page(two_theme_framework, client_for):
    """A partial can be requested on its own: the access check must not live in the page."""
    outsider = MembershipFactory(party=PartyFactory(name="Buitenstaander")).user

    response = client_for(outsider).get(two_theme_framework["url"], headers={"HX-Request": "true"})

    assert response.status_code == 404


def test_target_fragment_for_anonymous_redirects_to_login(client, two_theme_framework):
    response = client.get(two_theme_framework["url"], headers={"HX-Request": "true"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# --- Home page: where the cycle stands -----------------------------------------------------


@pytest.fixture
def calendar_framework(db, client_for):
    municipality = PartyFactory(name="Gemeente Kalender", kind="gemeente")
    framework = FrameworkFactory(municipality=municipality)
    ProcessStepFactory(
        framework=framework,
        order=1,
        period_label="Januari - maart",
        deliverable="Evaluatie (concept)",
        deadline_month=4,
        deadline_day=1,
    )
    ProcessStepFactory(
        framework=framework,
        order=2,
        period_label="Vóór 1 juli",
        deliverable="Bod per corporatie",
        deadline_month=7,
        deadline_day=1,
        is_statutory=True,
    )
    ProcessStepFactory(
        framework=framework,
        order=3,
        period_label="Vóór 15 december",
        deliverable="Jaarschijf ondertekend",
        deadline_month=12,
        deadline_day=15,
    )
    client = client_for(MembershipFactory(party=municipality).user)
    return framework, client


def freeze_today(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr("kerkrade_pa.views.timezone.localdate", lambda *args, **kwargs: day)


def test_home_says_which_step_the_cycle_is_in(calendar_framework, monkeypatch):
    framework, client = calendar_framework
    freeze_today(monkeypatch, dt.date(2024, 5, 10))

    response = client.get(reverse("home"))

    content = text(response)
    assert "10 mei 2024" in content
    assert response.context["current_step"].deliverable == "Bod per corporatie"
    assert "Bod per corporatie" in content
    assert 'aria-current="step"' in content


def test_home_after_the_last_deadline_says_the_steps_are_over(calendar_framework, monkeypatch):
    framework, client = calendar_framework
    freeze_today(monkeypatch, dt.date(2024, 12, 20))

    response = client.get(reverse("home"))

    assert response.context["current_step"] is None
    assert "De stappen van dit jaar zijn voorbij" in text(response)


def test_home_links_to_the_framework_targets_and_pdf(werkgroep_client, demo):
    response = werkgroep_client.get(reverse("home"))

    content = text(response)
    assert demo.title in content
    assert reverse("agreements:framework-detail", args=[DEMO_SLUG]) in content
    assert reverse("agreements:target-list", args=[DEMO_SLUG]) in content
    assert reverse("agreements:framework-pdf", args=[DEMO_SLUG]) in content


# --- No dead links -------------------------------------------------------------------------


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])


def parse(response) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(text(response))
    return parser


def crawl_start_pages() -> list[str]:
    urls = page_urls()
    return [
        urls["home"],
        urls["framework-list"],
        urls["framework-detail"],
        urls["agreement-detail"],
        urls["target-list"],
    ]


def test_no_dead_links_on_the_framework_pages(werkgroep_client, demo):
    """Every <a href> on the pages a working-group member reads leads somewhere real."""
    checked: dict[str, int] = {}
    ids_of: dict[str, set[str]] = {}
    dead: list[str] = []

    def fetch(path: str):
        # A redirect is fine when it ends on a page (e.g. /cyclus/ -> the current year), but
        # not when it ends on the login page: then the link leads to a page the user may not see.
        response = werkgroep_client.get(path, follow=True)
        ends_at_login = any(
            url.startswith("/accounts/login/") for url, _ in response.redirect_chain
        )
        checked[path] = 403 if ends_at_login else response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            ids_of[path] = parse(response).ids
        return response

    for page in crawl_start_pages():
        response = fetch(page)
        assert response.status_code == 200, page
        for href in parse(response).hrefs:
            absolute = urljoin(page, href)
            parts = urlsplit(absolute)
            if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
                continue  # an external link: not ours to check here
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in checked:
                fetch(path)
            if checked[path] != 200:
                dead.append(f"{page}: {href} -> {checked[path]}")
            elif parts.fragment and parts.fragment not in ids_of.get(path, set()):
                dead.append(f"{page}: {href} -> no element with id {parts.fragment!r}")

    assert not dead, "dead links:\n" + "\n".join(dead)
    assert len(checked) > len(crawl_start_pages())  # the crawl really followed links


def test_every_stylesheet_and_script_of_the_pages_exists(werkgroep_client, demo):
    missing = []
    for page in crawl_start_pages():
        for asset in parse(werkgroep_client.get(page)).assets:
            path = urlsplit(asset).path
            assert path.startswith("/static/"), f"{page} loads {asset} from outside /static/"
            if finders.find(path.removeprefix("/static/")) is None:
                missing.append(f"{page}: {asset}")
    assert not missing, "missing static files:\n" + "\n".join(sorted(set(missing)))


def test_demo_framework_has_the_six_themes_of_the_seed(demo):
    """The seed's framework has six chapters of agreements (five themes plus cooperation)."""
    assert Theme.objects.filter(framework=demo).count() == 6


def test_superuser_sees_every_framework(demo, client_for):
    from django.contrib.auth import get_user_model

    other = FrameworkFactory(title="Kader van een andere gemeente")
    admin = get_user_model().objects.get(username="admin")

    response = client_for(admin).get(reverse("agreements:framework-list"))

    assert demo.title in text(response)
    assert other.title in text(response)
    # The demo's transcribed framework, its concept successor (load_demo) and the other one.
    assert Framework.objects.count() == 3
