"""load_demo drafts the next framework with the copy service, marked as demo data."""

from __future__ import annotations

from agreements.models import Framework, Target
from cycle.endevaluation.selectors import framework_end_values

TITLE = "Lokaal meerjarig kader Kerkrade 2026-2030"


def test_the_demo_has_a_concept_copied_from_the_ended_framework(demo):
    concept = Framework.objects.get(title=TITLE)
    assert concept.is_demo and concept.status == Framework.Status.CONCEPT
    assert concept.started_from == demo and concept.period_label == "2026-2030"
    assert concept.themes.count() == demo.themes.count()
    kinds = sorted(concept.policy_basis.values_list("kind", flat=True))
    assert kinds == ["regionale_afspraak", "woonvisie"]
    assert all(e.source.startswith("Demogegevens:") for e in concept.policy_basis.all())
    assert not concept.signatories.exists()


def test_the_demo_concept_takes_its_baselines_from_the_end_values(demo):
    ends = framework_end_values(demo)
    assert ends
    copies = {
        t.copied_from_id: t for t in Target.objects.filter(agreement__theme__framework__title=TITLE)
    }
    for end in ends:
        assert (copies[end.target.pk].baseline_value, copies[end.target.pk].baseline_date) == (
            end.value,
            end.date,
        )


def test_the_demo_runs_only_the_year_after_the_old_period_under_the_concept(demo):
    concept = Framework.objects.get(title=TITLE)
    assert list(concept.cycle_years.values_list("year", flat=True)) == [demo.period_end + 1]
