"""Pages of two-step verification, and REQUIRE_2FA_LOGIN's code step after the password."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from agreements.models import Membership
from agreements.twofactor import services
from agreements.twofactor.models import AuthenticatorDevice
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory, otp_code


def secret_on(page_text: str) -> bytes:
    """The secret as the page shows it for typing into an app (base32 in groups of four)."""
    import base64

    shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page_text).group(1)
    return base64.b32decode(shown.replace(" ", ""))


@pytest.fixture
def signatory(db):
    return MembershipFactory(role=Membership.Role.SIGNATORY, user=UserFactory(username="sig")).user


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def test_setup_page_shows_a_qr_code_and_the_secret_and_confirms_with_a_code(signatory, client_for):
    client = client_for(signatory)
    page = client.get(reverse("twofactor:setup"), {"next": "/kaders/"})
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    seed = secret_on(page.text)
    assert seed == AuthenticatorDevice.objects.get(user=signatory).seed
    done = client.post(
        reverse("twofactor:setup"), {"code": f"{TOTP(seed).token():06d}", "next": "/kaders/"}
    )
    assert done.status_code == 200
    assert "Uw herstelcodes" in done.text
    assert len(done.context["codes"]) == 10
    assert all(code in done.text for code in done.context["codes"])
    assert 'href="/kaders/"' in done.text
    assert services.has_device(signatory)


def test_a_wrong_code_at_setup_shows_a_dutch_error(signatory, client_for):
    client = client_for(signatory)
    client.get(reverse("twofactor:setup"))
    response = client.post(reverse("twofactor:setup"), {"code": "000000"})
    assert response.status_code == 400
    assert "De code klopt niet" in response.text
    assert not services.has_device(signatory)


def test_the_recovery_codes_are_shown_once(signatory, client_for):
    client = client_for(signatory)
    page = client.get(reverse("twofactor:setup"))
    done = client.post(
        reverse("twofactor:setup"), {"code": f"{TOTP(secret_on(page.text)).token():06d}"}
    )
    codes = done.context["codes"]
    again = client.get(reverse("twofactor:setup"), follow=True)
    assert not any(code in again.text for code in codes)
    manage = client.get(reverse("twofactor:manage"))
    assert "10 ongebruikte herstelcodes" in manage.text
    assert not any(code in manage.text for code in codes)


def test_setup_ignores_a_next_address_elsewhere(signatory, client_for):
    client = client_for(signatory)
    page = client.get(reverse("twofactor:setup"), {"next": "https://evil.example/"})
    assert '<input type="hidden" name="next" value="/">' in page.text


def test_the_user_menu_links_to_the_two_factor_page(signatory, client_for):
    page = client_for(signatory).get(reverse("home"))
    assert f'href="{reverse("twofactor:manage")}"' in page.text


def test_reset_needs_the_password(signatory, client_for):
    otp_code(signatory)
    client = client_for(signatory)
    wrong = client.post(reverse("twofactor:manage"), {"password": "fout"})
    assert wrong.status_code == 400
    assert "Het wachtwoord klopt niet." in wrong.text
    assert services.has_device(signatory)
    done = client.post(reverse("twofactor:manage"), {"password": DEFAULT_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("twofactor:setup")
    assert not services.has_device(signatory)


# --- REQUIRE_2FA_LOGIN ------------------------------------------------------------------------


def login(client: Client, user) -> None:
    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def test_without_the_setting_a_signatory_logs_in_with_the_password_only(
    signatory, client, settings
):
    settings.REQUIRE_2FA_LOGIN = False
    otp_code(signatory)
    login(client, signatory)
    assert client.get(reverse("home")).status_code == 200


def test_with_the_setting_a_signatory_passes_the_code_step_first(signatory, client, settings):
    settings.REQUIRE_2FA_LOGIN = True
    code = otp_code(signatory)
    login(client, signatory)
    home = client.get(reverse("agreements:framework-list"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("twofactor:login-verify"))
    wrong = client.post(reverse("twofactor:login-verify"), {"code": "000000"})
    assert wrong.status_code == 400 and "De code klopt niet" in wrong.text
    assert client.get(reverse("agreements:framework-list")).status_code == 302
    ok = client.post(reverse("twofactor:login-verify"), {"code": code, "next": "/kaders/"})
    assert ok.status_code == 302 and ok.url == "/kaders/"
    assert client.get(reverse("agreements:framework-list")).status_code == 200


def test_with_the_setting_someone_without_an_app_sets_it_up_at_login(signatory, client, settings):
    settings.REQUIRE_2FA_LOGIN = True
    login(client, signatory)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("twofactor:setup"))
    page = client.get(response.url)
    client.post(reverse("twofactor:setup"), {"code": f"{TOTP(secret_on(page.text)).token():06d}"})
    assert client.get(reverse("home")).status_code == 200


def test_with_the_setting_the_admin_needs_the_code_step_too(client, settings, db):
    settings.REQUIRE_2FA_LOGIN = True
    admin = UserFactory(username="beheer", is_staff=True, is_superuser=True)
    code = otp_code(admin)
    login(client, admin)
    refused = client.get("/admin/")
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("twofactor:login-verify"))
    assert client.get("/admin/auth/user/").status_code == 302
    client.post(reverse("twofactor:login-verify"), {"code": code})
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_an_ordinary_member_is_not_asked(client, settings, db):
    settings.REQUIRE_2FA_LOGIN = True
    member = MembershipFactory(role=Membership.Role.MEMBER).user
    login(client, member)
    assert client.get(reverse("home")).status_code == 200


def test_htmx_requests_are_sent_to_the_code_step_with_hx_redirect(signatory, client, settings):
    settings.REQUIRE_2FA_LOGIN = True
    otp_code(signatory)
    login(client, signatory)
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("twofactor:login-verify"))


def test_logging_out_stays_possible_before_the_code_step(signatory, client, settings):
    settings.REQUIRE_2FA_LOGIN = True
    otp_code(signatory)
    login(client, signatory)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")


def test_the_code_step_shows_no_menu_until_verified(signatory, client, settings):
    settings.REQUIRE_2FA_LOGIN = True
    code = otp_code(signatory)
    login(client, signatory)
    step = client.get(reverse("twofactor:login-verify"))
    assert 'aria-label="Hoofdmenu"' not in step.text
    client.post(reverse("twofactor:login-verify"), {"code": code})
    assert 'aria-label="Hoofdmenu"' in client.get(reverse("home")).text
