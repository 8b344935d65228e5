"""Security of the portal as a whole: login everywhere, brute force, CSRF, CSP, sessions,
logout and password reset."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import DEMO_PASSWORD, DEMO_SLUG

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"

# Pages a visitor must reach without an account. Everything else needs a login.
PUBLIC_URL_NAMES = {
    "login",
    "logout",  # POST-only; logging out is harmless without a session
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}
# Public, but only with an unguessable token in the URL (calendar apps cannot log in).
TOKEN_URL_NAMES = {"cycle:feed"}

_SAMPLE_VALUES = {
    "IntConverter": 1,
    "SlugConverter": "voorbeeld",
    "StringConverter": "voorbeeld",
    "PathConverter": "voorbeeld",
    "UUIDConverter": uuid.UUID(int=1),
}


def _walk(patterns, namespace: str | None = None, converters: dict | None = None):
    """(url name, {argument: sample value}) for every named URL outside the admin."""
    for entry in patterns:
        found = dict(converters or {})
        found.update(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from _walk(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            kwargs = {
                key: _SAMPLE_VALUES.get(type(conv).__name__, "voorbeeld")
                for key, conv in found.items()
            }
            yield name, kwargs


def protected_urls() -> list[str]:
    urls = set()
    for name, kwargs in _walk(get_resolver().url_patterns):
        if name in PUBLIC_URL_NAMES or name in TOKEN_URL_NAMES:
            continue
        urls.add(reverse(name, kwargs=kwargs))
    return sorted(urls)


def test_the_url_walk_finds_the_framework_pages():
    urls = protected_urls()
    assert "/" in urls
    assert "/kaders/" in urls
    assert "/kaders/voorbeeld/doelen/" in urls
    assert "/kaders/voorbeeld/afspraken/1.1/" in urls


@pytest.mark.parametrize("url", protected_urls())
def test_every_page_redirects_an_anonymous_visitor_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302, url
    assert response["Location"].startswith(f"{LOGIN_URL}?next="), response["Location"]


@pytest.mark.parametrize("url", protected_urls())
def test_every_page_refuses_an_anonymous_post(client, url):
    response = client.post(url, {})

    assert response.status_code == 302, url
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


@pytest.mark.parametrize("name", sorted(TOKEN_URL_NAMES))
def test_token_urls_give_nothing_away_for_a_wrong_token(client, demo, name):
    kwargs = {"token": "geraden-token"}

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/admin/", "/admin/agreements/framework/", "/admin/auth/user/"])
def test_admin_redirects_an_anonymous_visitor_to_a_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(("/admin/login/", f"{LOGIN_URL}?next="))


def test_admin_redirects_a_party_member_who_is_not_staff(werkgroep_client):
    response = werkgroep_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_login_page_is_public(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


# --- Brute force (django-axes) -------------------------------------------------------------


def post_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def lock_out(client: Client, username: str = "werkgroep", ip: str = "10.0.0.1"):
    responses = [post_login(client, username, "fout-wachtwoord", ip) for _ in range(5)]
    return responses


def test_login_with_the_right_password_works(demo, client):
    response = post_login(client, "werkgroep", DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert is_logged_in(client)


def test_four_failed_logins_do_not_lock_the_account(demo, client):
    for _ in range(4):
        assert post_login(client, "werkgroep", "fout-wachtwoord").status_code == 200

    assert post_login(client, "werkgroep", DEMO_PASSWORD).status_code == 302


def test_five_failed_logins_lock_the_account_even_for_the_right_password(demo, client):
    lock_out(client)

    response = post_login(client, "werkgroep", DEMO_PASSWORD)

    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert response.status_code in {403, 429}
    assert not is_logged_in(client)


def test_the_lockout_page_is_dutch(demo, client):
    lock_out(client)

    response = post_login(client, "werkgroep", DEMO_PASSWORD)

    content = response.content.decode().lower()
    assert 'lang="nl"' in content
    assert any(word in content for word in ("geblokkeerd", "vergrendeld", "te vaak")), content


def test_the_lock_is_per_username_and_ip_other_ip_may_log_in(demo, client):
    lock_out(client, "werkgroep", ip="10.0.0.1")

    response = post_login(Client(), "werkgroep", DEMO_PASSWORD, ip="10.0.0.2")

    assert response.status_code == 302


def test_the_lock_is_per_username_and_ip_other_user_may_log_in(demo, client):
    lock_out(client, "werkgroep", ip="10.0.0.1")

    response = post_login(Client(), "huurders", DEMO_PASSWORD, ip="10.0.0.1")

    assert response.status_code == 302


# --- CSRF ----------------------------------------------------------------------------------


def test_login_post_without_csrf_token_is_refused(demo):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN_URL, {"username": "werkgroep", "password": DEMO_PASSWORD})

    assert response.status_code == 403
    assert not is_logged_in(client)


def test_login_post_with_csrf_token_is_accepted(demo):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN_URL)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value

    response = client.post(
        LOGIN_URL,
        {"username": "werkgroep", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused(demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.parties.first().memberships.first().user)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert is_logged_in(client)


# --- Content-Security-Policy and other headers ---------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("who", ["anonymous", "werkgroep"])
def test_csp_header_forbids_inline_script_and_eval(request, demo, client, who):
    if who == "werkgroep":
        client = request.getfixturevalue("werkgroep_client")
    response = client.get(LOGIN_URL if who == "anonymous" else reverse("home"))

    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src, "CSP has neither script-src nor default-src"
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "*" not in script_src
    assert "'unsafe-inline'" not in directives.get("style-src", [])
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]


def test_responses_forbid_framing_and_sniffing(client):
    response = client.get(LOGIN_URL)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Cache-Control and Permissions-Policy (core.middleware) --------------------------------


def test_a_logged_in_page_is_not_stored_in_any_cache(werkgroep_client, demo):
    response = werkgroep_client.get(reverse("agreements:framework-detail", args=[DEMO_SLUG]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_htmx_partial_is_not_stored_in_any_cache(werkgroep_client, demo):
    response = werkgroep_client.get(
        reverse("agreements:target-list", args=[DEMO_SLUG]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_pdf_download_is_not_stored_in_any_cache(werkgroep_client, demo):
    response = werkgroep_client.get(reverse("agreements:framework-pdf", args=[DEMO_SLUG]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"


def test_the_login_page_for_a_visitor_keeps_djangos_own_cache_header(client):
    """Not the middleware's concern: Django's LoginView sets its own (never_cache)."""
    response = client.get(LOGIN_URL)

    assert response["Cache-Control"] != "no-store"
    assert "private" in response["Cache-Control"]


def test_a_static_file_keeps_its_cache_even_for_a_logged_in_user(settings, werkgroep_user):
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()  # a new handler: WhiteNoise reads its settings when it starts
    client.force_login(werkgroep_user)

    response = client.get("/static/css/print.css")

    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
    assert response["Permissions-Policy"] == permissions_policy()


def permissions_policy() -> str:
    return (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
        "geolocation=(), gyroscope=(), hid=(), idle-detection=(), interest-cohort=(), "
        "browsing-topics=(), local-fonts=(), "
        "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
        "publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), "
        "xr-spatial-tracking=()"
    )


@pytest.mark.parametrize(
    "who, url",
    [
        ("anonymous", LOGIN_URL),
        ("anonymous", "/kaders/"),  # the redirect to the login page
        ("anonymous", "/bestaat-niet/"),
        ("werkgroep", "/"),
        ("werkgroep", "/kaders/bestaat-niet/"),  # a 404
        ("werkgroep", f"/kaders/{DEMO_SLUG}/pdf/"),
    ],
)
def test_every_response_carries_a_strict_permissions_policy(request, demo, client, who, url):
    if who == "werkgroep":
        client = request.getfixturevalue("werkgroep_client")

    response = client.get(url)

    assert response["Permissions-Policy"] == permissions_policy()
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in response["Permissions-Policy"]


class _InlineFinder(HTMLParser):
    """Collects what a strict CSP (script-src/style-src 'self') would block."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"{name} attribute on <{tag}>")


def test_pages_have_nothing_the_csp_would_block(werkgroep_client, demo):
    target = demo.themes.order_by("number").first().agreements.order_by("number").first()
    pages = [
        reverse("home"),
        reverse("agreements:framework-list"),
        reverse("agreements:framework-detail", args=[DEMO_SLUG]),
        reverse(
            "agreements:agreement-detail", args=[DEMO_SLUG, target.theme.number, target.number]
        ),
        reverse("agreements:target-list", args=[DEMO_SLUG]),
    ]
    problems = []
    for page in [*pages, LOGIN_URL]:
        client = Client() if page == LOGIN_URL else werkgroep_client
        finder = _InlineFinder()
        finder.feed(client.get(page).content.decode())
        problems += [f"{page}: {problem}" for problem in finder.problems]

    assert not problems, "\n".join(problems)


# --- Sessions ------------------------------------------------------------------------------


def test_session_idle_timeout_is_thirty_minutes_and_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_an_expired_session_redirects_to_login(werkgroep_client):
    assert is_logged_in(werkgroep_client)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    response = werkgroep_client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN_URL}?next=")


def test_every_request_pushes_the_idle_timeout_forward(werkgroep_client):
    assert is_logged_in(werkgroep_client)
    soon = timezone.now() + dt.timedelta(minutes=1)
    Session.objects.update(expire_date=soon)

    werkgroep_client.get(reverse("agreements:framework-list"))

    session = Session.objects.get()
    assert session.expire_date >= timezone.now() + dt.timedelta(minutes=29)


# --- Logout --------------------------------------------------------------------------------


def test_logout_by_get_is_not_allowed_and_keeps_the_session(werkgroep_client):
    response = werkgroep_client.get(reverse("logout"))

    assert response.status_code == 405
    assert is_logged_in(werkgroep_client)


def test_logout_by_post_ends_the_session(werkgroep_client):
    response = werkgroep_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert not is_logged_in(werkgroep_client)


# --- Password reset ------------------------------------------------------------------------


def request_reset(client: Client, email: str = "werkgroep@example.org"):
    return client.post(reverse("password_reset"), {"email": email})


def reset_link() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_password_reset_sends_a_dutch_email(demo, client):
    response = request_reset(client)

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["werkgroep@example.org"]
    assert "wachtwoord" in (message.subject + message.body).lower()
    assert "You're receiving this email" not in message.body
    assert "werkgroep" in message.body  # the username, for who forgot it


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(demo, client):
    response = request_reset(client, "onbekend@example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_leads_to_the_set_password_form(demo, client):
    request_reset(client)

    response = client.get(reset_link(), follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="new_password1"' in content
    assert 'name="new_password2"' in content


def test_password_reset_sets_a_new_password_that_works(demo, client):
    request_reset(client)
    form = client.get(reset_link(), follow=True)
    set_password_url = form.redirect_chain[-1][0]

    response = client.post(
        set_password_url,
        {"new_password1": "Nieuw-Wachtwoord-2025!", "new_password2": "Nieuw-Wachtwoord-2025!"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert post_login(Client(), "werkgroep", "Nieuw-Wachtwoord-2025!").status_code == 302
    assert post_login(Client(), "werkgroep", DEMO_PASSWORD, ip="10.0.0.9").status_code == 200


def test_a_used_password_reset_link_does_not_work_twice(demo, client):
    request_reset(client)
    link = reset_link()
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Nieuw-Wachtwoord-2025!", "new_password2": "Nieuw-Wachtwoord-2025!"},
    )

    response = Client().get(link, follow=True)

    assert 'name="new_password1"' not in response.content.decode()


def test_twelve_reset_requests_for_one_address_send_at_most_the_limit(demo, client):
    responses = [request_reset(client) for _ in range(12)]

    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_ADDRESS == 3
    # The same neutral answer every time: nothing tells that the limit was reached.
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("password_reset_done"))
    }
    assert "Als er een account bij dit e-mailadres hoort" in (
        client.get(reverse("password_reset_done")).content.decode()
    )


def test_the_address_limit_ignores_case_and_spaces(demo, client):
    for email in ["werkgroep@example.org", "WERKGROEP@example.org", " Werkgroep@Example.org "]:
        request_reset(client, email)
    request_reset(client, "Werkgroep@EXAMPLE.org")

    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_limited_too(demo, client, settings):
    settings.PASSWORD_RESET_MAILS_PER_CLIENT = 2
    for email in ["werkgroep@example.org", "heemwonen@example.org", "wethouder@example.org"]:
        request_reset(client, email)

    assert len(mail.outbox) == 2
    other_client = Client(REMOTE_ADDR="10.0.0.77")
    other_client.post(reverse("password_reset"), {"email": "wethouder@example.org"})
    assert len(mail.outbox) == 3


def test_the_address_limit_ends_with_its_window(demo, client):
    from django.core.cache import cache

    for _ in range(4):
        request_reset(client)
    assert len(mail.outbox) == 3
    cache.clear()  # as when the window has passed

    request_reset(client)

    assert len(mail.outbox) == 4


def test_missing_page_is_a_dutch_404_page(client_for):
    from tests.factories import MembershipFactory

    user = MembershipFactory().user
    response = client_for(user).get("/kaders/bestaat-niet/")

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
