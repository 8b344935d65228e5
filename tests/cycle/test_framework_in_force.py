"""The framework in force for a cycle year's jaarschijf year: picking it, moving a cycle year to
another framework, the notice on every page of a cycle year without one, the put-up warning.

The world's framework runs 2021-2025 and its cycle year 2025 drafts the jaarschijf 2026: no
framework is in force for that year until one covers it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from agreements.models import Framework, Party
from core.models import AuditEvent
from cycle import services
from cycle.jaarschijf.signing import put_up_warnings
from cycle.models import CycleYear, Jaarschijf, Milestone
from tests.cycle.conftest import build_framework
from tests.cycle.jaarschijf import conftest as jaarschijf_fixtures

# The jaarschijf of tests/cycle/jaarschijf, with HEEMwonen's bid linked to agreement 1.2.
linked_bid = jaarschijf_fixtures.linked_bid
jaarschijf = jaarschijf_fixtures.jaarschijf

NOTICE = "Er is geen vastgesteld kader voor 2026: stel een nieuw kader op of verleng het huidige"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def extend_to(framework: Framework, year: int) -> None:
    """What an accepted verlenging leaves behind (tested in tests/agreements/addenda)."""
    Framework.objects.filter(pk=framework.pk).update(period_end=year)


@pytest.fixture
def successor(world) -> Framework:
    """A concept 2026-2030 of the same municipality and parties, with its own calendar."""
    framework = build_framework(world.parties, slug="kerkrade-2026-2030")
    Framework.objects.filter(pk=framework.pk).update(
        title="Kader Kerkrade 2026-2030",
        period_start=2026,
        period_end=2030,
        status=Framework.Status.CONCEPT,
    )
    framework.refresh_from_db()
    return framework


# --- cycle_year_create picks the framework ------------------------------------------------


def test_create_without_a_framework_picks_the_one_in_force_for_the_jaarschijf(world):
    cycle_year = services.cycle_year_create(
        actor=world.users["werkgroep"], municipality=world.parties["gemeente-kerkrade"], year=2023
    )
    assert cycle_year.framework == world.framework and cycle_year.plan_year == 2024
    assert cycle_year.milestones.exists()


def test_create_without_a_framework_in_force_is_refused(world):
    with pytest.raises(ValidationError, match="geen vastgesteld kader voor 2027"):
        services.cycle_year_create(
            actor=world.users["werkgroep"],
            municipality=world.parties["gemeente-kerkrade"],
            year=2026,
        )
    assert not CycleYear.objects.filter(year=2026).exists()


# --- cycle_year_attach --------------------------------------------------------------------


def test_attach_moves_the_cycle_year_and_replaces_the_open_generated_milestones(world, successor):
    milestones = world.cycle_year.milestones
    done = milestones.get(title="Evaluatie (concept)")
    services.milestone_set_done(actor=world.users["werkgroep"], milestone=done, done=True)
    own = services.milestone_add(
        actor=world.users["werkgroep"],
        cycle_year=world.cycle_year,
        title="Extra overleg",
        deadline=dt.date(2025, 9, 1),
    )
    services.cycle_year_attach(
        actor=world.users["werkgroep"], cycle_year=world.cycle_year, framework=successor
    )
    cycle_year = CycleYear.objects.get(pk=world.cycle_year.pk)
    assert cycle_year.framework == successor
    # The done milestone and the hand-made one stay; every other one now comes from the new
    # framework's calendar, and the done one is not generated a second time.
    assert milestones.filter(pk__in=[done.pk, own.pk]).count() == 2
    generated = milestones.exclude(pk__in=[done.pk, own.pk])
    assert set(generated.values_list("source_step__framework", flat=True)) == {successor.pk}
    assert not generated.filter(title="Evaluatie (concept)").exists()
    assert generated.filter(kind=Milestone.Kind.BID).count() == 3  # one per corporation
    entry = AuditEvent.objects.get(action="cycle_year_attach")
    assert entry.details["to_framework"] == "kerkrade-2026-2030"


@pytest.mark.parametrize("username", ["heemwonen", "wethouder", "huurders", "nobody"])
def test_only_the_working_group_attaches(world, successor, username):
    with pytest.raises(PermissionDenied):
        services.cycle_year_attach(
            actor=world.users[username], cycle_year=world.cycle_year, framework=successor
        )
    assert CycleYear.objects.get(pk=world.cycle_year.pk).framework == world.framework


def test_attach_to_another_municipality_s_framework_is_refused(world, successor):
    other = Party.objects.create(
        name="Gemeente Elders", slug="elders", kind=Party.Kind.MUNICIPALITY
    )
    Framework.objects.filter(pk=successor.pk).update(municipality=other)
    successor.refresh_from_db()
    with pytest.raises(ValidationError, match="andere gemeente"):
        services.cycle_year_attach(
            actor=world.users["werkgroep"], cycle_year=world.cycle_year, framework=successor
        )


def test_attach_is_refused_when_the_jaarschijf_has_contributions_of_the_old_agreements(
    world, successor, jaarschijf
):
    with pytest.raises(ValidationError, match="bijdragen bij afspraken van"):
        services.cycle_year_attach(
            actor=world.users["werkgroep"], cycle_year=world.cycle_year, framework=successor
        )
    assert CycleYear.objects.get(pk=world.cycle_year.pk).framework == world.framework


@pytest.mark.parametrize("state", [Jaarschijf.State.FOR_SIGNING, Jaarschijf.State.SIGNED])
def test_attach_is_refused_when_the_jaarschijf_is_up_for_signing_or_signed(world, successor, state):
    Jaarschijf.objects.create(cycle_year=world.cycle_year, plan_year=2026, state=state)
    with pytest.raises(ValidationError, match="ter ondertekening of is ondertekend"):
        services.cycle_year_attach(
            actor=world.users["werkgroep"], cycle_year=world.cycle_year, framework=successor
        )


# --- the notice ---------------------------------------------------------------------------


@pytest.fixture
def cycle_pages(world, jaarschijf):
    """One page of each kind of the cycle year: cycle year, bid, jaarschijf, evaluation."""
    bid = world.cycle_year.bids.order_by("id").first()
    return [
        reverse("cycle:year-detail", args=[world.cycle_year.pk]),
        reverse("cycle:bid-detail", args=[bid.pk]),
        reverse("cycle:jaarschijf-detail", args=[jaarschijf.pk]),
        reverse("cycle:jaarschijf-history", args=[jaarschijf.pk]),
        reverse("cycle:evaluation-year", args=[world.cycle_year.pk]),
    ]


def test_every_page_of_the_cycle_year_says_there_is_no_framework_in_force(world, cycle_pages):
    client = client_of(world.users["werkgroep"])
    for url in cycle_pages:
        page = client.get(url).content.decode()
        assert NOTICE in page, url
        assert "Nieuw kader opstellen" in page and "Huidig kader verlengen" in page, url
        assert f"{reverse('agreements:framework-new')}?gemeente=gemeente-kerkrade" in page
        propose = reverse("agreements:addendum-propose", args=[world.framework.slug])
        assert f"{propose}?soort=verlenging" in page


def test_others_read_the_notice_without_the_links(world, cycle_pages):
    for username in ["huurders", "heemwonen", "wethouder"]:
        page = client_of(world.users[username]).get(cycle_pages[0]).content.decode()
        assert NOTICE in page
        assert "Nieuw kader opstellen" not in page and "Huidig kader verlengen" not in page


def test_the_start_page_says_so_too(world):
    page = client_of(world.users["werkgroep"]).get(reverse("home")).content.decode()
    assert NOTICE in page and "Huidig kader verlengen" in page


def test_no_notice_when_a_framework_is_in_force(world, cycle_pages):
    extend_to(world.framework, 2026)
    client = client_of(world.users["werkgroep"])
    for url in [*cycle_pages, reverse("home")]:
        assert "vastgesteld kader voor" not in client.get(url).content.decode(), url


def test_a_concept_that_covers_the_year_is_being_drafted(world, successor):
    CycleYear.objects.filter(pk=world.cycle_year.pk).update(framework=successor)
    page = (
        client_of(world.users["huurders"])
        .get(reverse("cycle:year-detail", args=[world.cycle_year.pk]))
        .content.decode()
    )
    assert "het nieuwe kader wordt opgesteld" in page
    assert reverse("agreements:framework-detail", args=[successor.slug]) in page
    assert "Huidig kader verlengen" not in page


def test_a_definitief_concept_is_still_being_drafted(world, successor):
    # Until every party has signed, the notice points at the framework being drafted; it does
    # not send the working group to start yet another one.
    Framework.objects.filter(pk=successor.pk).update(status="definitief_concept")
    CycleYear.objects.filter(pk=world.cycle_year.pk).update(framework=successor)
    page = (
        client_of(world.users["werkgroep"])
        .get(reverse("cycle:year-detail", args=[world.cycle_year.pk]))
        .content.decode()
    )
    assert "het nieuwe kader wordt opgesteld" in page
    assert "Nieuw kader opstellen" not in page


def test_the_notice_costs_no_query_when_the_framework_is_in_force(world, django_assert_num_queries):
    from cycle.selectors import framework_notice

    cycle_year = CycleYear.objects.select_related("framework").get(pk=world.cycle_year.pk)
    extend_to(cycle_year.framework, 2026)
    cycle_year.framework.refresh_from_db()
    with django_assert_num_queries(0):
        assert framework_notice(cycle_year, world.users["werkgroep"]) is None


# --- the put-up warning -------------------------------------------------------------------


def test_putting_up_warns_without_a_framework_in_force(world, jaarschijf):
    warnings = put_up_warnings(jaarschijf)
    assert any("geen vastgesteld kader voor 2026" in w for w in warnings)
    extend_to(world.framework, 2026)
    jaarschijf = Jaarschijf.objects.select_related("cycle_year__framework").get(pk=jaarschijf.pk)
    assert not any("vastgesteld kader" in w for w in put_up_warnings(jaarschijf))


def test_the_warning_does_not_block_putting_up(world, jaarschijf):
    from agreements.signing.services import PutUpNeedsConfirmation, signing_put_up
    from cycle.jaarschijf import services as js
    from cycle.jaarschijf.signing import JaarschijfSignable

    werkgroep = world.users["werkgroep"]
    js.jaarschijf_set_state(
        actor=werkgroep, jaarschijf=jaarschijf, state=Jaarschijf.State.FINAL_DRAFT
    )
    jaarschijf.refresh_from_db()
    # Like every warning it asks for a confirmation first, and then the round opens.
    with pytest.raises(PutUpNeedsConfirmation) as asked:
        signing_put_up(signable=JaarschijfSignable(jaarschijf), user=werkgroep)
    assert any("geen vastgesteld kader voor 2026" in w for w in asked.value.warnings)
    signing_put_up(signable=JaarschijfSignable(jaarschijf), user=werkgroep, confirmed=True)
    assert Jaarschijf.objects.get(pk=jaarschijf.pk).state == Jaarschijf.State.FOR_SIGNING


# --- the attach page ----------------------------------------------------------------------


def test_the_working_group_attaches_on_its_page_after_confirming(world, successor):
    client = client_of(world.users["werkgroep"])
    url = reverse("cycle:year-attach", args=[world.cycle_year.pk])
    year_page = client.get(reverse("cycle:year-detail", args=[world.cycle_year.pk]))
    assert url in year_page.content.decode()
    page = client.get(url).content.decode()
    assert "Kader Kerkrade 2026-2030 (2026-2030, concept)" in page
    unconfirmed = client.post(url, {"framework": successor.pk})
    assert unconfirmed.status_code == 400
    assert CycleYear.objects.get(pk=world.cycle_year.pk).framework == world.framework
    response = client.post(url, {"framework": successor.pk, "confirm": "on"}, follow=True)
    assert "Het cyclusjaar hoort nu bij het gekozen kader." in response.content.decode()
    assert CycleYear.objects.get(pk=world.cycle_year.pk).framework == successor
    assert "het nieuwe kader wordt opgesteld" in response.content.decode()


def test_an_attached_cycle_year_links_to_the_years_of_the_old_framework(world, successor):
    earlier = services.cycle_year_create(
        actor=world.users["werkgroep"], framework=world.framework, year=2024
    )
    services.cycle_year_attach(
        actor=world.users["werkgroep"], cycle_year=world.cycle_year, framework=successor
    )
    client = client_of(world.users["werkgroep"])
    page = client.get(reverse("cycle:year-detail", args=[world.cycle_year.pk])).content.decode()
    assert reverse("cycle:year-detail", args=[earlier.pk]) in page
    back = client.get(reverse("cycle:year-detail", args=[earlier.pk])).content.decode()
    assert reverse("cycle:year-detail", args=[world.cycle_year.pk]) in back


def test_the_attach_page_shows_a_refusal(world, successor, jaarschijf):
    client = client_of(world.users["werkgroep"])
    url = reverse("cycle:year-attach", args=[world.cycle_year.pk])
    response = client.post(url, {"framework": successor.pk, "confirm": "on"})
    assert response.status_code == 400
    assert "bijdragen bij afspraken van" in response.content.decode()


@pytest.mark.parametrize("username", ["heemwonen", "huurders", "wethouder"])
def test_the_attach_page_is_the_working_group_s(world, successor, username):
    url = reverse("cycle:year-attach", args=[world.cycle_year.pk])
    client = client_of(world.users[username])
    assert client.get(url).status_code == 404
    assert client.post(url, {"framework": successor.pk, "confirm": "on"}).status_code == 404
    assert CycleYear.objects.get(pk=world.cycle_year.pk).framework == world.framework
