"""load_demo: idempotent, the fixtures are the source of the framework, and the demo accounts of
DESIGN.md exist with the right party and role and can log in with the documented password."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement, Framework, Membership, Party, Target

pytestmark = pytest.mark.django_db

FRAMEWORK_SLUG = "kerkrade-2021-2025"
DEMO_PASSWORD = "kerkrade-demo"

# DESIGN.md, "Demo accounts": username -> (party slug or, where DESIGN.md names only the kind of
# party, that kind; role).
DEMO_ACCOUNTS = {
    "werkgroep": ("gemeente-kerkrade", Membership.Role.WORKING_GROUP),
    "wethouder": ("gemeente-kerkrade", Membership.Role.SIGNATORY),
    "heemwonen": ("heemwonen", Membership.Role.MEMBER),
    "wonenzuid": ("wonen-zuid", Membership.Role.MEMBER),
    "wonenlimburg": ("wonen-limburg", Membership.Role.MEMBER),
    "heemwonen-bestuur": ("heemwonen", Membership.Role.SIGNATORY),
    "wonenzuid-bestuur": ("wonen-zuid", Membership.Role.SIGNATORY),
    "wonenlimburg-bestuur": ("wonen-limburg", Membership.Role.SIGNATORY),
    "huurders": (Party.Kind.TENANT_ORGANISATION, Membership.Role.MEMBER),
    "huurders-voorzitter": (Party.Kind.TENANT_ORGANISATION, Membership.Role.SIGNATORY),
}
ALL_DEMO_USERNAMES = [*DEMO_ACCOUNTS, "admin"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """load_demo once for the read-only tests of this module; rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


# ------------------------------------------------------------------------------ idempotency


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _agreements_rows() -> dict[str, list[dict]]:
    """Every row of the agreements app, without the timestamps that each save refreshes."""
    snapshot = {}
    for model in apps.get_app_config("agreements").get_models(include_auto_created=True):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not (isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add))
        ]
        snapshot[model._meta.label] = list(model._default_manager.order_by("pk").values(*fields))
    return snapshot


def _password_hashes() -> dict[str, str]:
    users = get_user_model().objects.filter(username__in=ALL_DEMO_USERNAMES)
    return dict(users.values_list("username", "password"))


def test_load_demo_reports_what_it_loaded():
    output = load_demo()
    assert "kader Lokaal meerjarig kader prestatieafspraken Kerkrade 2021-2025" in output
    assert "Demo-gegevens geladen." in output


def test_load_demo_twice_changes_no_row_count():
    load_demo()
    before = _row_counts()
    load_demo()
    assert _row_counts() == before


def test_load_demo_twice_changes_no_framework_row():
    load_demo()
    before = _agreements_rows()
    load_demo()
    assert _agreements_rows() == before


def test_load_demo_twice_keeps_the_demo_password_hashes():
    load_demo()
    before = _password_hashes()
    assert set(before) == set(ALL_DEMO_USERNAMES)
    load_demo()
    assert _password_hashes() == before


def test_load_demo_never_resets_a_password_the_user_changed():
    load_demo()
    user = get_user_model().objects.get(username="werkgroep")
    user.set_password("een-eigen-wachtwoord")
    user.save()
    load_demo()
    user.refresh_from_db()
    assert user.check_password("een-eigen-wachtwoord")
    assert not user.check_password(DEMO_PASSWORD)


def _target(code: str) -> Target:
    return Target.objects.get(agreement__theme__framework__slug=FRAMEWORK_SLUG, code=code)


def test_second_load_restores_a_target_edited_by_hand():
    """The fixture is the source of the framework: a hand edit is undone by the next load."""
    load_demo()
    Target.objects.filter(pk=_target("sloop").pk).update(
        value=1, label="met de hand gewijzigd", kind=Target.Kind.VALUE, period_start=None
    )
    load_demo()
    sloop = _target("sloop")
    assert (sloop.value, sloop.label, sloop.kind) == (478, "Sloop van woningen", "period_count")
    assert (sloop.period_start, sloop.target_year) == (2021, 2025)


def test_second_load_restores_target_parties_edited_by_hand():
    load_demo()
    _target("onderzoek-eygelshoven").parties.set(Party.objects.filter(slug="heemwonen"))
    load_demo()
    parties = _target("onderzoek-eygelshoven").parties.values_list("slug", flat=True)
    assert list(parties) == ["wonen-limburg"]


def test_second_load_recreates_a_deleted_target_and_removes_a_stray_one():
    load_demo()
    # A target no (signed) jaarschijf links to: those links keep their targets in place.
    gesprekken = _target("adviesgesprekken")
    agreement = gesprekken.agreement
    gesprekken.delete()
    Target.objects.create(
        agreement=agreement, code="met-de-hand", label="Niet in de bron", kind="value", value=1
    )
    load_demo()
    codes = set(agreement.targets.values_list("code", flat=True))
    assert "adviesgesprekken" in codes
    assert "met-de-hand" not in codes
    assert _target("adviesgesprekken").value == 100


def _agreement(theme_number: int, number: int) -> Agreement:
    return Agreement.objects.get(
        theme__framework__slug=FRAMEWORK_SLUG, theme__number=theme_number, number=number
    )


def test_second_load_restores_an_agreement_text_and_its_responsible_parties():
    load_demo()
    item = _agreement(1, 2)
    original_text = item.text
    item.text = "Met de hand herschreven."
    item.save()
    item.responsible_parties.set(Party.objects.filter(slug="meander"))
    load_demo()
    item = _agreement(1, 2)
    assert item.text == original_text
    assert set(item.responsible_parties.values_list("slug", flat=True)) == {
        "gemeente-kerkrade",
        "heemwonen",
        "wonen-zuid",
        "wonen-limburg",
    }


def test_second_load_restores_the_framework_fields():
    load_demo()
    Framework.objects.filter(slug=FRAMEWORK_SLUG).update(
        title="Anders", status=Framework.Status.CONCEPT, agreed_on=None
    )
    load_demo()
    framework = Framework.objects.get(slug=FRAMEWORK_SLUG)
    assert framework.title == "Lokaal meerjarig kader prestatieafspraken Kerkrade 2021-2025"
    assert framework.status == Framework.Status.ADOPTED
    assert framework.agreed_on.isoformat() == "2021-12-15"


# ---------------------------------------------------------------------------- demo accounts


@pytest.mark.parametrize("username", list(DEMO_ACCOUNTS))
def test_demo_account_has_its_party_and_role(loaded, username):
    expected_party, expected_role = DEMO_ACCOUNTS[username]
    membership = Membership.objects.select_related("party").get(user__username=username)
    assert membership.role == expected_role
    if expected_party in Party.Kind.values:
        assert membership.party.kind == expected_party
    else:
        assert membership.party.slug == expected_party


@pytest.mark.parametrize("username", ALL_DEMO_USERNAMES)
def test_demo_account_logs_in_with_the_demo_password(loaded, username):
    # django-axes needs the request to authenticate; Client.login does not pass one itself.
    assert Client().login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)


@pytest.mark.parametrize("username", ALL_DEMO_USERNAMES)
def test_demo_account_does_not_log_in_with_a_wrong_password(loaded, username):
    assert not Client().login(request=HttpRequest(), username=username, password="fout")


def test_demo_account_logs_in_through_the_login_page(loaded):
    client = Client()
    response = client.post(reverse("login"), {"username": "werkgroep", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="werkgroep")
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_admin_is_a_superuser_and_staff(loaded):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.is_active


def test_demo_signatories_sign_for_a_party_of_the_framework(loaded):
    framework = Framework.objects.get(slug=FRAMEWORK_SLUG)
    framework_parties = set(framework.parties.values_list("pk", flat=True))
    signatories = Membership.objects.filter(
        user__username__in=DEMO_ACCOUNTS, role=Membership.Role.SIGNATORY
    )
    assert signatories.count() == 5
    assert set(signatories.values_list("party_id", flat=True)) <= framework_parties
