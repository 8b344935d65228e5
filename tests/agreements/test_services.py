"""Writes of the agreements app: parties, accounts and the framework import (and load_demo)."""

from __future__ import annotations

import copy
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import QuerySet

from agreements import services
from agreements.models import (
    Agreement,
    Framework,
    FrameworkSignatory,
    Membership,
    Party,
    ProcessStep,
    Target,
    Theme,
)
from core.actors import DEMO_LOADER
from tests.factories import DEFAULT_PASSWORD, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


# --- parties_upsert ------------------------------------------------------------------------

PARTY_ROWS = [
    # The corporation comes first on purpose: the municipality it points to must exist first.
    {"slug": "corp", "name": "Corporatie", "kind": "corporatie", "municipality": "gem"},
    {"slug": "gem", "name": "Gemeente", "kind": "gemeente"},
    {
        "slug": "huurders",
        "name": "Huurders",
        "kind": "huurdersorganisatie",
        "municipality": "gem",
        "source_note": "voorlopige naam",
    },
]


def test_parties_upsert_creates_parties_with_their_municipality():
    services.parties_upsert(actor=DEMO_LOADER, rows=PARTY_ROWS)

    assert Party.objects.count() == 3
    corporation = Party.objects.get(slug="corp")
    assert corporation.kind == Party.Kind.CORPORATION
    assert corporation.municipality.slug == "gem"
    assert Party.objects.get(slug="huurders").source_note == "voorlopige naam"


def test_parties_upsert_twice_changes_nothing():
    services.parties_upsert(actor=DEMO_LOADER, rows=PARTY_ROWS)
    before = list(Party.objects.order_by("slug").values())

    services.parties_upsert(actor=DEMO_LOADER, rows=PARTY_ROWS)

    assert list(Party.objects.order_by("slug").values()) == before


def test_parties_upsert_updates_by_slug():
    services.parties_upsert(actor=DEMO_LOADER, rows=PARTY_ROWS)
    rows = copy.deepcopy(PARTY_ROWS)
    rows[0]["name"] = "Corporatie (nieuwe naam)"

    services.parties_upsert(actor=DEMO_LOADER, rows=rows)

    assert Party.objects.count() == 3
    assert Party.objects.get(slug="corp").name == "Corporatie (nieuwe naam)"


# --- account_ensure ------------------------------------------------------------------------


def test_account_ensure_creates_a_user_with_password_and_membership():
    party = PartyFactory()

    user = services.account_ensure(
        actor=DEMO_LOADER,
        username="nieuw",
        password="eerste-wachtwoord",
        party=party,
        role=Membership.Role.WORKING_GROUP,
        email="nieuw@example.org",
    )

    assert user.check_password("eerste-wachtwoord")
    assert user.membership.party == party
    assert user.membership.role == Membership.Role.WORKING_GROUP


def test_account_ensure_never_overwrites_an_existing_password():
    party = PartyFactory()
    existing = UserFactory(username="bestaand")  # password DEFAULT_PASSWORD

    services.account_ensure(
        actor=DEMO_LOADER, username="bestaand", password="ander-wachtwoord", party=party
    )

    existing.refresh_from_db()
    assert existing.check_password(DEFAULT_PASSWORD)
    assert not existing.check_password("ander-wachtwoord")


def test_account_ensure_twice_keeps_one_user_and_one_membership():
    party = PartyFactory()

    services.account_ensure(
        actor=DEMO_LOADER, username="dubbel", password="x-wachtwoord-1", party=party
    )
    services.account_ensure(
        actor=DEMO_LOADER, username="dubbel", password="x-wachtwoord-1", party=party
    )

    assert User.objects.filter(username="dubbel").count() == 1
    assert Membership.objects.filter(user__username="dubbel").count() == 1


def test_account_ensure_superuser_without_party():
    user = services.account_ensure(
        actor=DEMO_LOADER,
        username="beheer",
        password="beheer-wachtwoord",
        party=None,
        is_superuser=True,
    )

    assert user.is_superuser and user.is_staff
    assert not Membership.objects.filter(user=user).exists()


# --- framework_import ----------------------------------------------------------------------


@pytest.fixture
def parties():
    services.parties_upsert(actor=DEMO_LOADER, rows=PARTY_ROWS)
    return {party.slug: party for party in Party.objects.all()}


def document() -> dict:
    """A small framework document in the shape of fixtures/*/framework_*.toml."""
    return {
        "framework": {
            "slug": "testkader",
            "title": "Testkader 2021-2025",
            "municipality": "gem",
            "period_start": 2021,
            "period_end": 2025,
            "status": "vastgesteld",
            "agreed_on": "2021-12-15",
            "agreed_place": "Teststad",
            "parties": ["gem", "corp", "huurders"],
            "introduction": "\nInleiding.\n",
        },
        "themes": [
            {
                "number": 1,
                "slug": "beschikbaarheid",
                "title": "Beschikbaarheid",
                "agreements": [
                    {
                        "number": 1,
                        "title": "Sloop",
                        "responsible": ["corp"],
                        "text": "We slopen 478 woningen.",
                        "targets": [
                            {
                                "code": "sloop",
                                "label": "Sloop",
                                "kind": "period_count",
                                "value": 478,
                                "unit": "woningen",
                                "period_start": 2021,
                                "target_year": 2025,
                                "parties": ["corp"],
                            },
                            {
                                "code": "nieuwbouw",
                                "label": "Nieuwbouw",
                                "kind": "period_count",
                                "value": 515,
                                "unit": "woningen",
                            },
                        ],
                    },
                    {"number": 2, "title": "Verkoop", "text": "We verkopen woningen."},
                ],
            },
            {
                "number": 2,
                "slug": "betaalbaarheid",
                "title": "Betaalbaarheid",
                "agreements": [
                    {
                        "number": 1,
                        "title": "Passend toewijzen",
                        "text": "Passend.",
                        "targets": [
                            {
                                "code": "passend-toewijzen",
                                "label": "Passend",
                                "kind": "min_share",
                                "direction": "at_least",
                                "value": 95,
                                "unit": "%",
                                "per_year": True,
                            }
                        ],
                    },
                ],
            },
        ],
        "process_steps": [
            {
                "period_label": "Januari - maart",
                "description": "Evaluatie.",
                "deadline_month": 4,
                "deadline_day": 1,
            },
            {
                "period_label": "Vóór 1 juli",
                "description": "Bod.",
                "owner_kind": "corporatie",
                "deadline_month": 7,
                "deadline_day": 1,
                "is_statutory": True,
            },
        ],
        "signatories": [
            {"name": "A. Wethouder", "job_title": "wethouder", "party": "gem"},
            {"name": "B. Bestuurder", "job_title": "bestuurder"},
        ],
    }


def snapshot() -> dict:
    """Every row the import writes, with primary keys, to compare before and after."""
    return {
        "frameworks": list(Framework.objects.order_by("pk").values()),
        "themes": list(Theme.objects.order_by("pk").values()),
        "agreements": list(Agreement.objects.order_by("pk").values()),
        "targets": list(Target.objects.order_by("pk").values()),
        "steps": list(ProcessStep.objects.order_by("pk").values()),
        "signatories": list(FrameworkSignatory.objects.order_by("pk").values()),
        "responsible": list(Agreement.responsible_parties.through.objects.order_by("pk").values()),
        "target_parties": list(Target.parties.through.objects.order_by("pk").values()),
        "framework_parties": list(Framework.parties.through.objects.order_by("pk").values()),
    }


def test_framework_import_creates_the_whole_framework(parties):
    framework = services.framework_import(actor=DEMO_LOADER, data=document())

    assert framework.title == "Testkader 2021-2025"
    assert framework.introduction == "Inleiding."
    assert set(framework.parties.values_list("slug", flat=True)) == {"gem", "corp", "huurders"}
    assert framework.themes.count() == 2
    assert Agreement.objects.filter(theme__framework=framework).count() == 3
    sloop = Target.objects.get(code="sloop")
    assert sloop.value == 478 and sloop.agreement.title == "Sloop"
    assert list(sloop.parties.values_list("slug", flat=True)) == ["corp"]
    assert list(Agreement.objects.get(title="Sloop").responsible_parties.all()) == [parties["corp"]]
    assert framework.process_steps.count() == 2
    assert framework.signatories.get(order=2).party is None


def test_framework_import_twice_changes_nothing(parties):
    services.framework_import(actor=DEMO_LOADER, data=document())
    before = snapshot()
    before["frameworks"][0].pop("updated_at")

    services.framework_import(actor=DEMO_LOADER, data=document())

    after = snapshot()
    after["frameworks"][0].pop("updated_at")
    assert after == before


def test_framework_import_updates_changed_rows_in_place(parties):
    services.framework_import(actor=DEMO_LOADER, data=document())
    sloop_pk = Target.objects.get(code="sloop").pk
    changed = document()
    changed["themes"][0]["agreements"][0]["targets"][0]["value"] = 500

    services.framework_import(actor=DEMO_LOADER, data=changed)

    sloop = Target.objects.get(code="sloop")
    assert sloop.pk == sloop_pk
    assert sloop.value == 500


@pytest.mark.parametrize(
    "portal_state",
    [{"signing_state": "ondertekend"}, {"signing_state": "ter_ondertekening"}, {"version": 2}],
    ids=["signed", "up-for-signing", "amended-by-addendum"],
)
def test_framework_import_refuses_a_framework_the_portal_has_taken_over(parties, portal_state):
    framework = services.framework_import(actor=DEMO_LOADER, data=document())
    # Set directly in the database: the model layer itself refuses changes to a frozen framework.
    QuerySet.update(Framework.objects.filter(pk=framework.pk), **portal_state)
    changed = document()
    changed["themes"][0]["agreements"][0]["targets"][0]["value"] = 500

    with pytest.raises(services.FrameworkHeldByPortal):
        services.framework_import(actor=DEMO_LOADER, data=changed)

    assert Target.objects.get(code="sloop").value != 500


def test_load_demo_skips_a_framework_signed_in_the_portal_and_says_so():
    load_demo()
    # The transcribed framework (load_demo also drafts its successor in concept).
    framework = Framework.objects.get(started_by=None, started_at=None)
    QuerySet.update(Framework.objects.filter(pk=framework.pk), signing_state="ondertekend")

    output = load_demo()

    assert "overgeslagen" in output


def test_framework_import_removes_rows_the_document_no_longer_has(parties):
    services.framework_import(actor=DEMO_LOADER, data=document())
    smaller = document()
    del smaller["themes"][1]  # theme 2 with its agreement and target
    del smaller["themes"][0]["agreements"][1]  # agreement 1.2
    del smaller["themes"][0]["agreements"][0]["targets"][1]  # target "nieuwbouw"
    del smaller["process_steps"][1]
    del smaller["signatories"][1]

    framework = services.framework_import(actor=DEMO_LOADER, data=smaller)

    assert list(framework.themes.values_list("number", flat=True)) == [1]
    assert list(Agreement.objects.values_list("title", flat=True)) == ["Sloop"]
    assert list(Target.objects.values_list("code", flat=True)) == ["sloop"]
    assert framework.process_steps.count() == 1
    assert framework.signatories.count() == 1


def test_framework_import_removes_parties_dropped_from_a_target(parties):
    services.framework_import(actor=DEMO_LOADER, data=document())
    changed = document()
    changed["themes"][0]["agreements"][0]["targets"][0]["parties"] = []
    changed["themes"][0]["agreements"][0]["responsible"] = []

    services.framework_import(actor=DEMO_LOADER, data=changed)

    assert not Target.objects.get(code="sloop").parties.exists()
    assert not Agreement.objects.get(title="Sloop").responsible_parties.exists()


def test_framework_import_leaves_other_frameworks_alone(parties):
    services.framework_import(actor=DEMO_LOADER, data=document())
    other = document()
    other["framework"]["slug"] = "ander-kader"
    other["framework"]["title"] = "Ander kader"
    del other["themes"][1]

    services.framework_import(actor=DEMO_LOADER, data=other)

    assert Theme.objects.filter(framework__slug="testkader").count() == 2
    assert Theme.objects.filter(framework__slug="ander-kader").count() == 1


@pytest.mark.parametrize(
    "place",
    ["framework parties", "agreement responsible", "target parties"],
)
def test_framework_import_with_unknown_party_raises_a_clear_error(parties, place):
    data = document()
    if place == "framework parties":
        data["framework"]["parties"].append("onbekende-partij")
    elif place == "agreement responsible":
        data["themes"][1]["agreements"][0]["responsible"] = ["onbekende-partij"]
    else:
        data["themes"][1]["agreements"][0]["targets"][0]["parties"] = ["onbekende-partij"]

    with pytest.raises(ValueError, match="onbekende-partij"):
        services.framework_import(actor=DEMO_LOADER, data=data)


@pytest.mark.parametrize("place", ["municipality", "signatory"])
def test_framework_import_with_unknown_municipality_or_signatory_party_raises_a_clear_error(
    parties, place
):
    data = document()
    if place == "municipality":
        data["framework"]["municipality"] = "onbekende-gemeente"
    else:
        data["signatories"][0]["party"] = "onbekende-gemeente"

    # A bare KeyError('onbekende-gemeente') does not tell the editor of the document what is wrong.
    with pytest.raises(ValueError, match="Onbekende partij.*onbekende-gemeente"):
        services.framework_import(actor=DEMO_LOADER, data=data)


def test_framework_import_with_unknown_party_creates_nothing(parties):
    data = document()
    data["themes"][1]["agreements"][0]["responsible"] = ["onbekende-partij"]

    with pytest.raises(ValueError):
        services.framework_import(actor=DEMO_LOADER, data=data)

    assert not Framework.objects.exists()
    assert not Theme.objects.exists()
    assert not Agreement.objects.exists()
    assert not Target.objects.exists()


def test_framework_import_with_unknown_party_changes_nothing_in_an_existing_framework(parties):
    services.framework_import(actor=DEMO_LOADER, data=document())
    before = snapshot()
    data = document()
    data["framework"]["title"] = "Nieuwe titel"
    del data["themes"][0]["agreements"][1]
    data["themes"][1]["agreements"][0]["targets"][0]["parties"] = ["onbekende-partij"]

    with pytest.raises(ValueError):
        services.framework_import(actor=DEMO_LOADER, data=data)

    assert snapshot() == before


# --- load_demo -----------------------------------------------------------------------------


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_the_demo_accounts_with_the_demo_password():
    load_demo()

    for username in [
        "werkgroep",
        "wethouder",
        "heemwonen",
        "wonenzuid",
        "wonenlimburg",
        "heemwonen-bestuur",
        "wonenzuid-bestuur",
        "wonenlimburg-bestuur",
        "huurders",
        "huurders-voorzitter",
        "admin",
    ]:
        assert User.objects.get(username=username).check_password("kerkrade-demo"), username


def test_load_demo_twice_changes_nothing():
    load_demo()
    before = snapshot()
    before["frameworks"][0].pop("updated_at")
    users_before = list(User.objects.order_by("pk").values("pk", "username", "password"))

    load_demo()

    after = snapshot()
    after["frameworks"][0].pop("updated_at")
    assert after == before
    assert list(User.objects.order_by("pk").values("pk", "username", "password")) == users_before
    assert Party.objects.count() == 7


def test_load_demo_keeps_a_changed_demo_password():
    load_demo()
    user = User.objects.get(username="werkgroep")
    user.set_password("zelf-gekozen-wachtwoord")
    user.save()

    load_demo()

    user.refresh_from_db()
    assert user.check_password("zelf-gekozen-wachtwoord")


def test_load_demo_has_the_targets_the_seed_names():
    load_demo()

    codes = set(Target.objects.values_list("code", flat=True))
    assert {"sloop", "passend-toewijzen", "vroeg-er-op-af-meldingen"} <= codes
    # 478 in the transcribed framework; its demo successor (a copy) proposes a higher one.
    values = dict(
        Target.objects.filter(code="sloop").values_list(
            "agreement__theme__framework__is_demo", "value"
        )
    )
    assert values[False] == 478 and values[True] > 478
