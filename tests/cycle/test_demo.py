from pathlib import Path

from django.conf import settings

from cycle import demo
from cycle.models import Bid, BidLine, CycleYear, Milestone

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "kerkrade"


def snapshot():
    return (
        CycleYear.objects.count(),
        Milestone.objects.count(),
        sorted(
            Bid.objects.values_list("corporation__slug", "cycle_year__year", "version", "status")
        ),
        sorted(BidLine.objects.values_list("bid_id", "figure", "quantity")),
    )


def test_demo_makes_years_milestones_and_versioned_bids(world):
    demo.load(FIXTURES)
    assert sorted(CycleYear.objects.values_list("year", flat=True)) == list(range(2021, 2027))
    assert Milestone.objects.filter(cycle_year__year=2023, kind="bid").count() == 3
    assert Bid.objects.filter(status="superseded").exists()
    assert Bid.objects.filter(status="draft", cycle_year__year=2026).exists()
    assert Bid.objects.values("corporation").distinct().count() == 3
    assert all(bid.is_demo for bid in Bid.objects.all())
    assert all(line.explanation.startswith("Demogegevens:") for line in BidLine.objects.all())


def test_demo_is_idempotent(world):
    demo.load(FIXTURES)
    first = snapshot()
    demo.load(FIXTURES)
    assert snapshot() == first


def test_demo_figures_are_deterministic():
    assert demo.demo_quantity("heemwonen", 2024, "sloop", 1) == demo.demo_quantity(
        "heemwonen", 2024, "sloop", 1
    )


def test_demo_on_the_real_fixtures_runs_twice(db):
    from agreements import demo as agreements_demo

    agreements_demo.load(FIXTURES)
    demo.load(FIXTURES)
    first = snapshot()
    demo.load(FIXTURES)
    assert snapshot() == first
    assert CycleYear.objects.exists()
