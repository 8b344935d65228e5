from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.actors import DEMO_LOADER
from core.models import AuditEvent
from cycle.evaluation import services as es
from cycle.models import ContributionRealisation, Evaluation, YearFigures

from .conftest import figures, sloop_contribution

pytestmark = pytest.mark.django_db

R = ContributionRealisation.Status


def done(quantity=40, status=R.REALISED, explanation=""):
    return es.RealisationInput(
        status=status, realised_quantity=Decimal(quantity), explanation=explanation
    )


def test_start_evaluates_last_years_signed_jaarschijf(world, evaluation, signed_jaarschijf):
    assert evaluation.jaarschijf == signed_jaarschijf
    assert evaluation.jaarschijf.plan_year == 2025
    assert evaluation.state == Evaluation.State.CONCEPT


def test_start_twice_returns_the_same_evaluation(world, evaluation, eval_year):
    again = es.evaluation_start(actor=world.users["werkgroep"], cycle_year=eval_year)
    assert again.pk == evaluation.pk


def test_start_without_signed_jaarschijf_is_refused(world):
    with pytest.raises(ValidationError):
        es.evaluation_start(actor=world.users["werkgroep"], cycle_year=world.cycle_year)


def test_only_the_working_group_starts(world, eval_year):
    with pytest.raises(PermissionDenied):
        es.evaluation_start(actor=world.users["heemwonen"], cycle_year=eval_year)


def test_party_enters_its_own_realisation_with_audit(world, evaluation):
    contribution = sloop_contribution(evaluation, "heemwonen")
    realisation = es.realisation_save(
        actor=world.users["heemwonen"],
        evaluation=evaluation,
        contribution_id=contribution.pk,
        data=done(),
        expected_version=0,
    )
    assert realisation.realised_quantity == 40
    assert realisation.entered_by == world.users["heemwonen"]
    assert AuditEvent.objects.filter(action="realisation_save", object_id=realisation.pk).exists()
    evaluation.refresh_from_db()
    assert evaluation.version == 2


def test_party_cannot_enter_another_partys_realisation(world, evaluation):
    contribution = sloop_contribution(evaluation, "wonen-zuid")
    with pytest.raises(PermissionDenied):
        es.realisation_save(
            actor=world.users["heemwonen"],
            evaluation=evaluation,
            contribution_id=contribution.pk,
            data=done(),
        )


def test_tenant_organisation_and_signatory_do_not_enter_for_others(world, evaluation):
    contribution = sloop_contribution(evaluation, "heemwonen")
    for username in ["huurders", "heemwonen-bestuur"]:
        with pytest.raises(PermissionDenied):
            es.realisation_save(
                actor=world.users[username],
                evaluation=evaluation,
                contribution_id=contribution.pk,
                data=done(),
            )


def test_working_group_enters_everything(world, evaluation):
    contribution = sloop_contribution(evaluation, "wonen-zuid")
    es.realisation_save(
        actor=world.users["werkgroep"],
        evaluation=evaluation,
        contribution_id=contribution.pk,
        data=done(25, R.PARTLY, "Vertraging bij de vergunning."),
    )
    assert ContributionRealisation.objects.get(contribution=contribution).status == R.PARTLY


def test_not_fully_realised_needs_an_explanation(world, evaluation):
    contribution = sloop_contribution(evaluation, "heemwonen")
    with pytest.raises(ValidationError) as error:
        es.realisation_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            contribution_id=contribution.pk,
            data=done(10, R.PARTLY),
        )
    assert "explanation" in error.value.error_dict


def test_stale_version_is_refused(world, evaluation):
    contribution = sloop_contribution(evaluation, "heemwonen")
    es.realisation_save(
        actor=DEMO_LOADER, evaluation=evaluation, contribution_id=contribution.pk, data=done()
    )
    with pytest.raises(ValidationError):
        es.realisation_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            contribution_id=contribution.pk,
            data=done(41),
            expected_version=0,
        )


def test_contribution_of_another_jaarschijf_is_refused(world, evaluation):
    with pytest.raises(ValidationError):
        es.realisation_save(
            actor=DEMO_LOADER, evaluation=evaluation, contribution_id=999999, data=done()
        )


def test_corporation_enters_its_year_figures(world, evaluation):
    row = es.year_figures_save(
        actor=world.users["heemwonen"],
        evaluation=evaluation,
        corporation=world.parties["heemwonen"],
        data=figures(),
        expected_version=0,
    )
    assert (row.year, row.passend_pct, row.version) == (2025, Decimal(97), 1)
    row = es.year_figures_save(
        actor=world.users["heemwonen"],
        evaluation=evaluation,
        corporation=world.parties["heemwonen"],
        data=figures(passend_pct=Decimal(96)),
        expected_version=1,
    )
    assert row.version == 2
    assert YearFigures.objects.count() == 1


def test_corporation_cannot_enter_another_corporations_figures(world, evaluation):
    with pytest.raises(PermissionDenied):
        es.year_figures_save(
            actor=world.users["heemwonen"],
            evaluation=evaluation,
            corporation=world.parties["wonen-zuid"],
            data=figures(),
        )


def test_tenant_organisation_enters_no_figures(world, evaluation):
    with pytest.raises(PermissionDenied):
        es.year_figures_save(
            actor=world.users["huurders"],
            evaluation=evaluation,
            corporation=world.parties["heemwonen"],
            data=figures(),
        )


def test_figures_are_validated(world, evaluation):
    with pytest.raises(ValidationError) as error:
        es.year_figures_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            corporation=world.parties["heemwonen"],
            data=figures(passend_pct=Decimal(101), condition_score=Decimal(7), lettings=5),
        )
    assert {"passend_pct", "condition_score", "permit_holder_lettings"} <= set(
        error.value.error_dict
    )


def test_tenant_organisation_comments(world, evaluation):
    comment = es.evaluation_comment_add(
        actor=world.users["huurders"], evaluation=evaluation, text="Te weinig nultreden."
    )
    assert comment.author_party == world.parties["huurdersorganisatie-heemwonen"]


def test_outsider_cannot_comment(world, evaluation):
    for username in ["nobody", "meander"]:
        with pytest.raises(PermissionDenied):
            es.evaluation_comment_add(actor=world.users[username], evaluation=evaluation, text="x")


def test_adopt_freezes_and_reopen_thaws(world, evaluation, django_capture_on_commit_callbacks):
    contribution = sloop_contribution(evaluation, "heemwonen")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evaluation = es.evaluation_adopt(actor=world.users["werkgroep"], evaluation=evaluation)
    assert len(callbacks) == 1  # the PDF is rendered ahead, after commit
    assert evaluation.is_adopted and evaluation.adopted_at is not None
    with pytest.raises(ValidationError):
        es.realisation_save(
            actor=DEMO_LOADER, evaluation=evaluation, contribution_id=contribution.pk, data=done()
        )
    with pytest.raises(ValidationError):
        es.year_figures_save(
            actor=DEMO_LOADER,
            evaluation=evaluation,
            corporation=world.parties["heemwonen"],
            data=figures(),
        )
    with pytest.raises(ValidationError):
        es.evaluation_adopt(actor=DEMO_LOADER, evaluation=evaluation)
    evaluation = es.evaluation_reopen(actor=DEMO_LOADER, evaluation=evaluation, reason="geweigerd")
    assert evaluation.state == Evaluation.State.CONCEPT and evaluation.adopted_at is None
    es.realisation_save(
        actor=DEMO_LOADER, evaluation=evaluation, contribution_id=contribution.pk, data=done()
    )


def test_only_the_working_group_adopts(world, evaluation):
    with pytest.raises(PermissionDenied):
        es.evaluation_adopt(actor=world.users["wethouder"], evaluation=evaluation)


def test_conclusions_and_task_by_the_working_group(world, evaluation):
    evaluation = es.evaluation_update(
        actor=world.users["werkgroep"],
        evaluation=evaluation,
        conclusion=" Goed jaar. ",
        permit_holder_task=75,
    )
    assert (evaluation.conclusion, evaluation.permit_holder_task) == ("Goed jaar.", 75)
    with pytest.raises(PermissionDenied):
        es.evaluation_update(
            actor=world.users["heemwonen"],
            evaluation=evaluation,
            conclusion="",
            permit_holder_task=None,
        )


def test_a_cycle_year_under_the_next_framework_evaluates_the_old_framework_s_jaarschijf(
    world, eval_year
):
    """The year after a period belongs to the concept that covers its jaarschijf; its evaluation
    is still of last year's jaarschijf, with the old framework's agreements and parties."""
    from agreements.models import Framework
    from cycle import services
    from cycle.evaluation.selectors import evaluation_summary
    from tests.cycle.conftest import build_framework

    concept = build_framework(world.parties, slug="kerkrade-2026-2030")
    Framework.objects.filter(pk=concept.pk).update(
        period_start=2026, period_end=2030, status=Framework.Status.CONCEPT
    )
    moved = services.cycle_year_attach(
        actor=world.users["werkgroep"], cycle_year=eval_year, framework=concept
    )

    evaluation = es.evaluation_start(actor=world.users["werkgroep"], cycle_year=moved)

    assert evaluation.jaarschijf.plan_year == 2025
    assert evaluation.framework == world.framework
    summary = evaluation_summary(evaluation)
    assert {theme.theme.framework_id for theme in summary.themes} == {world.framework.pk}
