from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from agreements import services as agreement_services
from agreements.models import Membership, Party
from core.actors import DEMO_LOADER
from housing_stock import demo

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "kerkrade"


@pytest.fixture
def parties(db) -> dict[str, Party]:
    with (FIXTURES / "parties.toml").open("rb") as handle:
        rows = tomllib.load(handle)["parties"]
    agreement_services.parties_upsert(actor=DEMO_LOADER, rows=rows)
    return {party.slug: party for party in Party.objects.all()}


@pytest.fixture
def municipality(parties) -> Party:
    return parties["gemeente-kerkrade"]


@pytest.fixture
def stock_demo(parties) -> list[str]:
    return demo.load(FIXTURES, generated=False)


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_user(django_user_model, username: str, party: Party | None, role: str = "member"):
    user = django_user_model.objects.create_user(username=username, password="x")
    if party is not None:
        Membership.objects.create(user=user, party=party, role=role)
    return user


@pytest.fixture
def heem_user(django_user_model, parties):
    return make_user(django_user_model, "heemwonen", parties["heemwonen"])


@pytest.fixture
def zuid_user(django_user_model, parties):
    return make_user(django_user_model, "wonenzuid", parties["wonen-zuid"])


@pytest.fixture
def working_group_user(django_user_model, parties):
    return make_user(
        django_user_model, "werkgroep", parties["gemeente-kerkrade"], Membership.Role.WORKING_GROUP
    )


@pytest.fixture
def tenant_user(django_user_model, parties):
    return make_user(django_user_model, "huurders", parties["huurdersorganisatie-heemwonen"])


@pytest.fixture
def stranger(django_user_model, db):
    Party.objects.create(name="Gemeente Elders", slug="gemeente-elders", kind="gemeente")
    return make_user(
        django_user_model, "elders", Party.objects.get(slug="gemeente-elders"), "working_group"
    )
