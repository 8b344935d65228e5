"""Pinned query counts of the framework pages (CONVENTIONS 11).

Each page is measured on a framework of 6 themes x 5 agreements x 2 targets, and again with ten
times the agreements and targets (6 x 50 x 2): the count must be the same number both times.
If a count changes, find out why before changing the pin: a count that grows with the data is
an N+1 query (fix it with select_related/prefetch_related in the selector).

Every request of a logged-in user costs 6 queries before the view does anything:
  session, user, membership with its party in one query (the context processor names the party),
  and the session save of SESSION_SAVE_EVERY_REQUEST (SAVEPOINT, UPDATE, RELEASE).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, framework_with_content

pytestmark = pytest.mark.django_db

PER_REQUEST = 6

EXPECTED = {
    # + visible frameworks, process steps of the first one, the current cycle year (dashboard;
    #   with no cycle year there are no milestones or bids to fetch)
    "home": PER_REQUEST + 3,
    # + visible frameworks
    "framework-list": PER_REQUEST + 1,
    # + framework; themes, agreements, responsible parties, targets, target parties;
    #   framework parties, signatories, process steps, policy basis; the current signing
    #   round, for the status link and for the snapshot of a signed version
    #   (agreements.signing.snapshot)
    "framework-detail": PER_REQUEST + 12,
    # + framework, agreement, responsible parties, targets, target parties, neighbours;
    #   the addenda that changed the agreement
    "agreement-detail": PER_REQUEST + 7,
    # + framework, theme choices, party choices (filter form), targets, target parties
    "target-list": PER_REQUEST + 5,
    # + the same, and the filter form validates its two choices
    "target-list-filtered": PER_REQUEST + 7,
    # + framework, targets, target parties (no form in the fragment)
    "target-table-htmx": PER_REQUEST + 3,
    # + the same, and the filter form validates its two choices
    "target-table-htmx-filtered": PER_REQUEST + 5,
}


@pytest.fixture(params=[1, 10], ids=["1x", "10x"])
def content(request, client_for):
    """A filled framework (1x: 60 targets, 10x: 600) and a logged-in party member."""
    framework = framework_with_content(
        themes=6, agreements_per_theme=5 * request.param, targets_per_agreement=2
    )
    user = MembershipFactory(party=framework.municipality).user
    client = client_for(user)
    theme = framework.themes.get(number=2)
    party = framework.parties.exclude(pk=framework.municipality_id).first()
    return {
        "framework": framework,
        "client": client,
        "filter": {"theme": theme.pk, "party": party.pk},
        "scale": request.param,
    }


def get(content, url, *, params=None, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    response = content["client"].get(url, params or {}, headers=headers)
    assert response.status_code == 200
    return response


def test_the_data_really_grows_tenfold(content):
    from agreements.models import Target

    targets = Target.objects.filter(agreement__theme__framework=content["framework"]).count()
    assert targets == 60 * content["scale"]


def test_home_query_count(content, django_assert_num_queries):
    with django_assert_num_queries(EXPECTED["home"]):
        get(content, reverse("home"))


def test_framework_list_query_count(content, django_assert_num_queries):
    with django_assert_num_queries(EXPECTED["framework-list"]):
        get(content, reverse("agreements:framework-list"))


def test_framework_detail_query_count(content, django_assert_num_queries):
    url = reverse("agreements:framework-detail", args=[content["framework"].slug])

    with django_assert_num_queries(EXPECTED["framework-detail"]):
        response = get(content, url)

    assert response.content.decode().count('class="pa-agreement"') == 30 * content["scale"]


def test_agreement_detail_query_count(content, django_assert_num_queries):
    url = reverse("agreements:agreement-detail", args=[content["framework"].slug, 2, 3])

    with django_assert_num_queries(EXPECTED["agreement-detail"]):
        get(content, url)


def test_target_list_query_count(content, django_assert_num_queries):
    url = reverse("agreements:target-list", args=[content["framework"].slug])

    with django_assert_num_queries(EXPECTED["target-list"]):
        response = get(content, url)

    assert len(response.context["targets"]) == 60 * content["scale"]


def test_target_list_filtered_query_count(content, django_assert_num_queries):
    url = reverse("agreements:target-list", args=[content["framework"].slug])

    with django_assert_num_queries(EXPECTED["target-list-filtered"]):
        get(content, url, params=content["filter"])


def test_target_table_htmx_query_count(content, django_assert_num_queries):
    url = reverse("agreements:target-list", args=[content["framework"].slug])

    with django_assert_num_queries(EXPECTED["target-table-htmx"]):
        get(content, url, htmx=True)


def test_target_table_htmx_filtered_query_count(content, django_assert_num_queries):
    url = reverse("agreements:target-list", args=[content["framework"].slug])

    with django_assert_num_queries(EXPECTED["target-table-htmx-filtered"]):
        get(content, url, params=content["filter"], htmx=True)
