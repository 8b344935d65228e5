"""Who may read which framework (agreements.access)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from agreements.access import get_framework_for_user, user_party, user_role, visible_frameworks
from agreements.models import Membership
from tests.factories import FrameworkFactory, MembershipFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    municipality = PartyFactory(name="Gemeente Toegang", kind="gemeente")
    corporation = PartyFactory(name="Corporatie Toegang")
    return FrameworkFactory(municipality=municipality, parties=[municipality, corporation])


def member_of(party, role=Membership.Role.MEMBER):
    return MembershipFactory(party=party, role=role).user


def test_user_party_and_role_of_a_member():
    membership = MembershipFactory(role=Membership.Role.SIGNATORY)

    assert user_party(membership.user) == membership.party
    assert user_role(membership.user) == Membership.Role.SIGNATORY


def test_user_party_and_role_of_a_user_without_membership():
    user = UserFactory()

    assert user_party(user) is None
    assert user_role(user) is None


def test_user_party_and_role_of_an_anonymous_visitor():
    assert user_party(AnonymousUser()) is None
    assert user_role(AnonymousUser()) is None


@pytest.mark.parametrize("role", list(Membership.Role))
def test_every_role_of_a_party_sees_the_framework(framework, role):
    corporation = framework.parties.get(kind="corporatie")

    assert list(visible_frameworks(member_of(corporation, role))) == [framework]


def test_member_of_a_party_outside_the_framework_sees_nothing(framework):
    outsider = member_of(PartyFactory(name="Andere corporatie"))

    assert not visible_frameworks(outsider).exists()


def test_municipality_of_another_framework_does_not_see_this_one(framework):
    other = FrameworkFactory()

    assert list(visible_frameworks(member_of(other.municipality))) == [other]


def test_user_without_membership_sees_nothing(framework):
    assert not visible_frameworks(UserFactory()).exists()


def test_anonymous_visitor_sees_nothing(framework):
    assert not visible_frameworks(AnonymousUser()).exists()


def test_superuser_sees_every_framework(framework):
    other = FrameworkFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert set(visible_frameworks(admin)) == {framework, other}


def test_staff_without_superuser_rights_is_no_exception(framework):
    staff = UserFactory(is_staff=True)

    assert not visible_frameworks(staff).exists()


def test_get_framework_for_user_returns_a_visible_framework(framework):
    user = member_of(framework.municipality)

    assert get_framework_for_user(user, framework.slug) == framework


@pytest.mark.parametrize("slug_kind", ["forbidden", "missing"])
def test_get_framework_for_user_raises_the_same_404_for_forbidden_and_missing(framework, slug_kind):
    outsider = member_of(PartyFactory(name="Buiten"))
    slug = framework.slug if slug_kind == "forbidden" else "bestaat-niet"

    with pytest.raises(Http404) as raised:
        get_framework_for_user(outsider, slug)

    assert str(raised.value) == "Kader niet gevonden"


def test_get_framework_for_anonymous_raises_404(framework):
    with pytest.raises(Http404):
        get_framework_for_user(AnonymousUser(), framework.slug)


def test_removing_a_party_from_the_framework_takes_away_access(framework):
    corporation = framework.parties.get(kind="corporatie")
    user = member_of(corporation)

    framework.parties.remove(corporation)

    with pytest.raises(Http404):
        get_framework_for_user(user, framework.slug)
