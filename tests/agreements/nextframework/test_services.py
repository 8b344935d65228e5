"""Starting a framework (empty or as a copy), its policy basis and its drafting states."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.drafting.states import is_editable
from agreements.models import Framework, PolicyBasis, Target
from agreements.nextframework import services
from agreements.nextframework.baselines import Baseline
from agreements.nextframework.selectors import copy_adjustments
from agreements.signing.framework import FrameworkSignable
from agreements.signing.services import signing_put_up
from core.models import AuditEvent
from tests.factories import FrameworkFactory, MembershipFactory, MunicipalityFactory

END = dt.date(2025, 12, 31)


def start(world, *, copy=True, period=(2026, 2030), actor=None, baselines=None, title=None):
    return services.framework_start(
        actor=actor or world.working_group,
        municipality=world.municipality,
        title=title or f"Kader Voorbeeld {period[0]}-{period[1]}",
        period_start=period[0],
        period_end=period[1],
        copy_of=world.previous if copy else None,
        baselines=baselines,
    )


def copied(framework, code) -> Target:
    return Target.objects.get(agreement__theme__framework=framework, code=code)


def test_the_copy_carries_themes_agreements_targets_calendar_parties_and_policy_basis(world):
    framework = start(world)

    assert framework.status == Framework.Status.CONCEPT
    assert framework.started_by == world.working_group and framework.started_from == world.previous
    assert set(framework.parties.all()) == set(world.previous.parties.all())
    assert framework.highlights == "Betaalbaar wonen."
    theme = framework.themes.get()
    assert (theme.number, theme.title, theme.slug) == (1, "Wonen", "wonen")
    agreement = theme.agreements.get()
    assert (agreement.number, agreement.title, agreement.text) == (2, "Sloop", "Wij slopen.")
    assert list(agreement.responsible_parties.all()) == [world.corporation]
    passend = copied(framework, "passend")
    assert (passend.kind, passend.value, passend.unit) == (Target.Kind.MIN_SHARE, 95, "%")
    assert set(passend.parties.all()) == {world.corporation, world.tenants}
    sloop = copied(framework, "sloop")
    assert sloop.indicator.code == "sloop" and sloop.note == "Over de hele periode."
    assert [s.period_label for s in framework.process_steps.order_by("order")] == [
        "Januari",
        "Vóór 1 juli",
    ]
    assert framework.process_steps.get(order=1).is_statutory
    assert [(p.kind, p.title, p.source) for p in framework.policy_basis.all()] == [
        (PolicyBasis.Kind.WOONVISIE, "Woonvisie 2020", "Raadsbesluit 2020/12")
    ]


def test_paper_signatories_are_not_copied(world):
    assert not start(world).signatories.exists()


def test_each_copied_target_records_where_it_came_from(world):
    framework = start(world)
    assert copied(framework, "sloop").copied_from == world.late_target
    assert copied(framework, "passend").copied_from == world.open_target


def test_end_values_become_the_baselines_with_their_dates(world):
    framework = start(world, baselines={world.late_target.pk: Baseline(Decimal("401"), END)})
    sloop = copied(framework, "sloop")
    assert (sloop.baseline_value, sloop.baseline_date) == (Decimal("401"), END)
    # A target without an end value keeps what it had.
    passend = copied(framework, "passend")
    assert (passend.baseline_value, passend.baseline_date) == (None, None)


def test_a_target_year_that_has_passed_becomes_the_periods_last_year_and_is_listed(world):
    framework = start(world)
    sloop = copied(framework, "sloop")
    assert (sloop.period_start, sloop.target_year) == (2026, 2030)
    assert copied(framework, "passend").target_year is None
    adjusted = {(a.target.code, a.field, a.old, a.new) for a in copy_adjustments(framework)}
    assert adjusted == {("sloop", "target_year", 2025, 2030), ("sloop", "period_start", 2021, 2026)}


def test_a_long_term_target_year_beyond_the_new_period_is_kept(world):
    # "gasloos in 2050": a goal beyond the period keeps its year, and nothing is listed
    Target.objects.filter(pk=world.late_target.pk).update(target_year=2050, period_start=None)
    framework = start(world, period=(2026, 2030))
    assert copied(framework, "sloop").target_year == 2050
    assert copy_adjustments(framework) == []


def test_a_target_year_inside_the_new_period_is_kept(world):
    Target.objects.filter(pk=world.late_target.pk).update(target_year=2028, period_start=None)
    framework = start(world, period=(2026, 2030))
    assert copied(framework, "sloop").target_year == 2028
    assert copy_adjustments(framework) == []


def test_an_empty_start_has_the_municipality_and_its_parties_and_no_content(world):
    framework = start(world, copy=False)
    assert set(framework.parties.all()) == {world.municipality, world.corporation, world.tenants}
    assert not framework.themes.exists() and not framework.process_steps.exists()
    assert framework.started_from is None


def test_starting_writes_the_audit_trail(world):
    framework = start(world)
    event = AuditEvent.objects.get(action="framework_start", object_id=framework.pk)
    assert event.actor == world.working_group
    assert event.details["copy_of"] == world.previous.slug and event.details["targets"] == 2


def test_a_double_submit_gives_the_same_framework(world):
    first = start(world)
    second = start(world)
    assert second == first
    assert Framework.objects.filter(municipality=world.municipality).count() == 2


@pytest.mark.parametrize("period", [(2024, 2028), (2021, 2021), (2025, 2026)])
def test_a_period_overlapping_a_framework_in_force_is_refused(world, period):
    with pytest.raises(ValidationError, match="overlapt met “Kader Voorbeeld 2021-2025”"):
        start(world, period=period, title="Een ander kader")


def test_a_period_overlapping_a_concept_is_refused(world):
    start(world)
    with pytest.raises(ValidationError, match="overlapt"):
        start(world, period=(2030, 2034), title="Nog een kader", copy=False)


def test_an_expired_framework_does_not_block_its_period(world):
    Framework.objects.filter(pk=world.previous.pk).update(status=Framework.Status.EXPIRED)
    assert start(world, period=(2024, 2028), copy=False).period_label == "2024-2028"


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ((2030, 2026), "laatste jaar kan niet vóór"),
        ((1990, 1995), "tussen 2000 en 2100"),
        ((2026, 2040), "ten hoogste 10 jaar"),
    ],
)
def test_an_insane_period_is_refused(world, period, message):
    with pytest.raises(ValidationError, match=message):
        start(world, period=period, copy=False)


def test_only_the_latest_framework_can_be_copied(world):
    older = FrameworkFactory(municipality=world.municipality, period_start=2016, period_end=2020)
    with pytest.raises(ValidationError, match="laatste kader"):
        services.framework_start(
            actor=world.working_group,
            municipality=world.municipality,
            title="Kader",
            period_start=2026,
            period_end=2030,
            copy_of=older,
        )


def test_a_member_who_is_not_in_the_working_group_cannot_start(world):
    with pytest.raises(PermissionDenied):
        start(world, actor=world.member)
    assert Framework.objects.count() == 1


def test_the_working_group_of_another_municipality_cannot_start(world):
    stranger = MembershipFactory(party=MunicipalityFactory(), role="working_group").user
    with pytest.raises(PermissionDenied, match="Gemeente Voorbeeld"):
        start(world, actor=stranger)


# --- the policy basis ---------------------------------------------------------------------


def test_the_working_group_adds_edits_and_removes_policy_basis_entries(world):
    framework = start(world, copy=False)
    entry = services.policy_basis_add(
        actor=world.working_group,
        framework=framework,
        kind=PolicyBasis.Kind.HOUSING_PROGRAMME,
        title="Volkshuisvestingsprogramma 2026",
        date=dt.date(2026, 1, 15),
        source="https://example.org/vhp",
    )
    assert entry.source_is_url
    services.policy_basis_update(
        actor=world.working_group, entry=entry, kind=PolicyBasis.Kind.OTHER, title="Iets anders"
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.title, entry.date, entry.source) == (
        "overig",
        "Iets anders",
        None,
        "",
    )
    services.policy_basis_remove(actor=world.working_group, entry=entry)
    assert not framework.policy_basis.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"policy_basis_add", "policy_basis_update", "policy_basis_remove"} <= actions


def test_a_member_cannot_change_the_policy_basis(world):
    framework = start(world, copy=False)
    with pytest.raises(PermissionDenied):
        services.policy_basis_add(
            actor=world.member, framework=framework, kind="woonvisie", title="Woonvisie"
        )


def test_the_policy_basis_of_a_framework_up_for_signing_is_not_edited(world):
    framework = start(world)
    services.framework_status_set(
        actor=world.working_group, framework=framework, status="definitief_concept"
    )
    # a definitief concept is still edited, as the jaarschijf's
    services.policy_basis_add(
        actor=world.working_group, framework=framework, kind="woonvisie", title="Woonvisie"
    )
    signing_put_up(signable=FrameworkSignable(framework), user=world.working_group)
    framework.refresh_from_db()
    with pytest.raises(ValidationError, match="geen concept meer"):
        services.policy_basis_add(
            actor=world.working_group, framework=framework, kind="woonvisie", title="Woonvisie"
        )


# --- the states ---------------------------------------------------------------------------


def test_concept_to_definitief_concept_and_back(world):
    framework = start(world)
    assert is_editable(framework)
    framework = services.framework_status_set(
        actor=world.working_group, framework=framework, status="definitief_concept"
    )
    # still edited in definitief concept (as the jaarschijf), until it is put up for signing
    assert framework.status == "definitief_concept" and is_editable(framework)
    framework = services.framework_status_set(
        actor=world.working_group, framework=framework, status="concept"
    )
    assert framework.status == "concept" and is_editable(framework)


def test_a_signed_framework_cannot_be_made_a_concept_again(world):
    with pytest.raises(ValidationError, match="kan niet naar"):
        services.framework_status_set(
            actor=world.working_group, framework=world.previous, status="concept"
        )


def test_a_member_cannot_change_the_state(world):
    framework = start(world)
    with pytest.raises(PermissionDenied):
        services.framework_status_set(
            actor=world.member, framework=framework, status="definitief_concept"
        )
