from pathlib import Path

from django.conf import settings

from agreements.models import Framework
from core.drafting.models import PieceChange, PieceComment
from cycle import demo
from cycle.models import Bid, BidLine, Contribution, CycleYear, Evaluation, Milestone

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "kerkrade"


def snapshot():
    return (
        CycleYear.objects.count(),
        Milestone.objects.count(),
        sorted(
            Bid.objects.values_list("corporation__slug", "cycle_year__year", "version", "status")
        ),
        sorted(BidLine.objects.values_list("bid_id", "figure", "quantity")),
        sorted(CycleYear.objects.values_list("year", "framework__slug")),
        Framework.objects.count(),
        PieceChange.objects.count(),
        sorted(PieceComment.objects.values_list("text", "resolved")),
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


def concept_of(world) -> Framework:
    return Framework.objects.get(municipality=world.framework.municipality, period_start=2026)


def test_the_year_after_the_period_runs_under_the_concept(world):
    demo.load(FIXTURES)
    concept = concept_of(world)
    cycle_year = CycleYear.objects.get(year=2026)
    assert cycle_year.framework == concept and concept.status == Framework.Status.CONCEPT
    assert (
        list(CycleYear.objects.filter(year__lt=2026).values_list("framework", flat=True))
        == [world.framework.pk] * 5
    )
    contributions = Contribution.objects.filter(jaarschijf__plan_year=2027, agreement__isnull=False)
    assert contributions.exists()
    assert set(contributions.values_list("agreement__theme__framework", flat=True)) == {concept.pk}
    lines = BidLine.objects.filter(bid__cycle_year=cycle_year, agreement__isnull=False)
    assert set(lines.values_list("agreement__theme__framework", flat=True)) == {concept.pk}


def test_the_evaluation_of_the_last_year_still_evaluates_the_old_framework(world):
    demo.load(FIXTURES)
    evaluation = Evaluation.objects.get(cycle_year__year=2026)
    assert evaluation.jaarschijf.plan_year == 2025
    assert evaluation.framework == world.framework


def test_the_concept_has_edits_and_two_comment_threads_of_demo_users(world):
    demo.load(FIXTURES)
    concept = concept_of(world)
    changes = PieceChange.objects.filter(document_type="kader", document_id=concept.pk)
    assert set(changes.values_list("piece_type", "action", "actor__username")) >= {
        ("doel", "update", "werkgroep"),
        ("afspraak", "update", "werkgroep"),
        ("doel", "create", "werkgroep"),
    }
    sloop = concept.themes.get(number=1).agreements.get(number=2).targets.get(code="sloop")
    assert sloop.value == 478 + 48
    threads = PieceComment.objects.filter(
        document_type="kader", document_id=concept.pk, parent=None
    ).order_by("id")
    assert [(t.author.username, t.resolved) for t in threads] == [
        ("heemwonen", True),
        ("huurders", False),
    ]
    assert threads[0].replies.get().author.username == "werkgroep"
    texts = PieceComment.objects.filter(document_id=concept.pk).values_list("text", flat=True)
    assert all(text.startswith("Demogegevens:") for text in texts)
    old = world.framework.themes.get(number=1).agreements.get(number=2).targets.get(code="sloop")
    assert old.value == 478
