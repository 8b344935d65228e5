"""Shared fixtures: the demo data (load_demo) and logged-in clients for each kind of user.

- ``demo``: the demo data of ``load_demo`` (loaded once per module) and the Kerkrade framework.
- ``user_for(role, party_slug)``: a fresh user with that role in that party.
- ``client_for(user)``: a test client logged in as that user.
- ``werkgroep_client``, ``corporation_client``, ``tenant_client``: the demo accounts
  ``werkgroep``, ``heemwonen`` and ``huurders``.
- ``outsider_client``: a member of a party that is not a party to the framework (Meander);
  ``no_party_client``: a user without any membership.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from agreements.models import Framework, Membership, Party
from tests.factories import MembershipFactory, UserFactory

DEMO_SLUG = "kerkrade-2021-2025"
DEMO_PASSWORD = "kerkrade-demo"
# A party that load_demo creates but that is not a party to the Kerkrade framework.
OUTSIDER_PARTY_SLUG = "meander"


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty local-memory cache: counters kept there (the
    password-reset rate limit) must not carry from one test to the next. A Redis cache is
    shared with other processes and left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()
    yield


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker) -> Iterator[Framework]:
    """load_demo once per test module, inside a transaction rolled back at the module's end.

    load_demo fills every app (framework, stock, cycle) and takes a second or more; once per
    module keeps the suite fast. Each test still runs in its own savepoint (``db``), so what a
    test changes is undone before the next one. Not for transactional tests (live_server):
    tests/e2e loads the demo data into the live server's database itself.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield Framework.objects.get(slug=DEMO_SLUG)
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_module, db) -> Framework:
    """The Kerkrade demo data, loaded the way a newcomer loads it (``load_demo``)."""
    return Framework.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def user_for(db) -> Callable[..., object]:
    """user_for(role, party_slug) -> a new user with that role in that (existing) party."""

    def make(role: str = Membership.Role.MEMBER, party_slug: str | None = None, **kwargs):
        if party_slug is None:
            return UserFactory(**kwargs)
        party = Party.objects.get(slug=party_slug)
        return MembershipFactory(role=role, party=party, user=UserFactory(**kwargs)).user

    return make


@pytest.fixture
def client_for(db) -> Callable[[object], Client]:
    """client_for(user) -> a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def _demo_user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def werkgroep_user(demo):
    return _demo_user("werkgroep")


@pytest.fixture
def werkgroep_client(werkgroep_user, client_for) -> Client:
    return client_for(werkgroep_user)


@pytest.fixture
def corporation_client(demo, client_for) -> Client:
    return client_for(_demo_user("heemwonen"))


@pytest.fixture
def tenant_client(demo, client_for) -> Client:
    return client_for(_demo_user("huurders"))


@pytest.fixture
def outsider_client(demo, user_for, client_for) -> Client:
    """A working-group member of a party that exists but is no party to the framework."""
    return client_for(user_for(Membership.Role.WORKING_GROUP, OUTSIDER_PARTY_SLUG))


@pytest.fixture
def no_party_client(demo, user_for, client_for) -> Client:
    """A logged-in user who belongs to no party yet."""
    return client_for(user_for())
