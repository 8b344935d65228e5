"""The framework's calendar (process steps) and printed signatories are frozen with it, on every
path; and the freeze's one bypass is the ledger of signed rounds, never a session setting."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from agreements.addenda.signing import AddendumSignable
from agreements.models import Framework, FrameworkSignatory, FreezeLift, ProcessStep, SigningRequest
from agreements.signing.freeze import SignedDocumentError, lifting
from agreements.signing.services import signing_put_up
from tests.agreements.addenda.test_addenda import accept_all, propose
from tests.factories import FrameworkSignatoryFactory, ProcessStepFactory, UserFactory

from .test_services import put_up, sign, sign_all

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="raw SQL is refused by PostgreSQL triggers; SQLite has none (model layer only)",
)


@pytest.fixture
def calendar(world):
    step = ProcessStepFactory(
        framework=world.framework,
        order=1,
        period_label="Vóór 1 juli",
        deliverable="Bod",
        deadline_month=7,
        deadline_day=1,
        is_statutory=True,
    )
    other = ProcessStepFactory(framework=world.framework, order=2, period_label="Najaar")
    signatory = FrameworkSignatoryFactory(
        framework=world.framework, order=1, name="J. Wethouder", party=world.parties[0]
    )
    return step, other, signatory


@pytest.fixture
def signed(world, calendar):
    put_up(world)
    sign_all(world)
    return world


def _step(world) -> ProcessStep:
    return ProcessStep.objects.get(framework=world.framework, order=1)


def _signatory(world) -> FrameworkSignatory:
    return FrameworkSignatory.objects.get(framework=world.framework)


# --- model and queryset -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("get", "field", "value"),
    [(_step, "deadline_day", 15), (_signatory, "name", "Iemand anders")],
)
def test_model_save_is_refused(signed, get, field, value):
    obj = get(signed)
    setattr(obj, field, value)
    with pytest.raises(SignedDocumentError):
        obj.save()


@pytest.mark.parametrize("get", [_step, _signatory])
def test_model_delete_is_refused(signed, get):
    with pytest.raises(SignedDocumentError):
        get(signed).delete()


def test_queryset_update_is_refused(signed):
    with pytest.raises(SignedDocumentError):
        ProcessStep.objects.filter(framework=signed.framework).update(deadline_day=28)
    with pytest.raises(SignedDocumentError):
        FrameworkSignatory.objects.filter(framework=signed.framework).update(name="x")
    assert _step(signed).deadline_day == 1
    assert _signatory(signed).name == "J. Wethouder"


def test_bulk_update_is_refused(signed):
    step = _step(signed)
    step.description = "Anders"
    with pytest.raises(SignedDocumentError):
        ProcessStep.objects.bulk_update([step], ["description"])


def test_queryset_delete_is_refused_also_through_the_framework(signed):
    with pytest.raises(SignedDocumentError):
        signed.framework.process_steps.all().delete()
    with pytest.raises(SignedDocumentError):
        Framework.objects.get(pk=signed.framework.pk).signatories.all().delete()
    assert signed.framework.process_steps.count() == 2


def test_adding_a_step_or_signatory_is_refused(signed):
    with pytest.raises(SignedDocumentError):
        ProcessStepFactory(framework=signed.framework, order=9)
    with pytest.raises(SignedDocumentError):
        FrameworkSignatoryFactory(framework=signed.framework, order=9)


def test_frozen_already_while_up_for_signing(world, calendar):
    put_up(world)
    with pytest.raises(SignedDocumentError):
        ProcessStep.objects.filter(pk=calendar[1].pk).update(period_label="x")


def test_an_open_framework_keeps_its_calendar_editable(world, calendar):
    ProcessStep.objects.filter(pk=calendar[1].pk).update(period_label="Winter")
    FrameworkSignatory.objects.filter(pk=calendar[2].pk).update(name="K. Nieuw")
    assert ProcessStep.objects.get(pk=calendar[1].pk).period_label == "Winter"


# --- the admin, also for the superuser ----------------------------------------------------------


def test_admin_cannot_change_the_calendar_of_a_signed_framework(signed, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/agreements/framework/{signed.framework.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="process_steps-0-deadline_day"' not in page.content.decode()
    response = client.post(url, {"title": "x"})
    assert response.status_code == 403
    assert _step(signed).deadline_day == 1


# --- plain SQL on PostgreSQL -------------------------------------------------------------------


def _refused(sql, params=()):
    with (
        pytest.raises(DatabaseError, match="signed document"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, list(params))


@postgres_only
def test_raw_sql_on_steps_and_signatories_is_refused(signed):
    fw = signed.framework.pk
    _refused("UPDATE agreements_processstep SET deadline_day = 28 WHERE framework_id = %s", [fw])
    _refused("DELETE FROM agreements_processstep WHERE framework_id = %s", [fw])
    _refused(
        'INSERT INTO agreements_processstep (framework_id, "order", period_label, description, '
        "deliverable, owner_kind, applies_to_next_year, is_statutory) "
        "VALUES (%s, 9, 'x', 'x', '', '', false, false)",
        [fw],
    )
    _refused("UPDATE agreements_frameworksignatory SET name = 'x' WHERE framework_id = %s", [fw])
    _refused("DELETE FROM agreements_frameworksignatory WHERE framework_id = %s", [fw])
    _refused(
        'INSERT INTO agreements_frameworksignatory (framework_id, "order", name, job_title) '
        "VALUES (%s, 9, 'x', 'x')",
        [fw],
    )
    assert _step(signed).deadline_day == 1
    assert _signatory(signed).name == "J. Wethouder"
    assert signed.framework.process_steps.count() == 2


@postgres_only
@pytest.mark.parametrize("setting", ["pa.lifting", "pa.amending_framework"])
def test_a_session_setting_lifts_nothing(signed, setting):
    fw = signed.framework.pk
    for value in (f"agreements.Framework:{fw}", str(fw)):
        with (
            pytest.raises(DatabaseError, match="signed document"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])
            cursor.execute(
                "UPDATE agreements_processstep SET deadline_day = 28 WHERE framework_id = %s", [fw]
            )
    assert _step(signed).deadline_day == 1


@postgres_only
def test_no_installed_function_reads_the_old_settings(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc WHERE prosrc LIKE '%%pa.lifting%%' "
            "OR prosrc LIKE '%%pa.amending_framework%%'"
        )
        assert cursor.fetchall() == []


@postgres_only
def test_a_forged_ledger_row_is_refused(signed):
    """A ledger row needs an open round of an addendum of the framework, signed by everyone."""
    framework_round = SigningRequest.objects.get(document_type="kader")
    _refused(
        "INSERT INTO agreements_freezelift (document, object_id, request_id, created_at) "
        "VALUES ('agreements.Framework', %s, %s, now())",
        [signed.framework.pk, framework_round.pk],
    )
    addendum = propose(signed)
    addendum_round = signing_put_up(signable=AddendumSignable(addendum), user=signed.working_group)
    sign(signed, signed.parties[0].slug, request=addendum_round)  # one party of three
    _refused(
        "INSERT INTO agreements_freezelift (document, object_id, request_id, created_at) "
        "VALUES ('agreements.Framework', %s, %s, now())",
        [signed.framework.pk, addendum_round.pk],
    )
    assert not FreezeLift.objects.exists()


@postgres_only
def test_a_used_round_does_not_lift_again(signed):
    addendum = propose(signed)
    accepted = accept_all(signed, addendum)
    assert FreezeLift.objects.filter(request=accepted).count() == 1
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agreements_freezelift (document, object_id, request_id, created_at) "
            "VALUES ('agreements.Framework', %s, %s, now())",
            [signed.framework.pk, accepted.pk],
        )
    # The lift of the accepted addendum ended with its application, in this very transaction.
    _refused(
        "UPDATE agreements_processstep SET deadline_day = 28 WHERE framework_id = %s",
        [signed.framework.pk],
    )


@postgres_only
def test_the_ledger_is_append_only_in_sql(signed):
    accept_all(signed, propose(signed))
    _refused("UPDATE agreements_freezelift SET object_id = 0")
    _refused("DELETE FROM agreements_freezelift")
    assert FreezeLift.objects.count() == 1


# --- the sanctioned way ------------------------------------------------------------------------


def test_an_accepted_addendum_is_recorded_in_the_ledger(signed):
    request = accept_all(signed, propose(signed))
    lift = FreezeLift.objects.get()
    assert (lift.document, lift.object_id, lift.request) == (
        "agreements.Framework",
        signed.framework.pk,
        request,
    )
    assert Framework.objects.get(pk=signed.framework.pk).version == 2
    if connection.vendor == "postgresql":
        assert lift.xact is not None


def test_lifting_refuses_a_round_that_does_not_authorise_the_framework(signed):
    framework_round = SigningRequest.objects.get(document_type="kader")
    with (
        pytest.raises(SignedDocumentError),
        lifting(signed.framework, authorised_by=framework_round),
    ):
        pass
    addendum_round = signing_put_up(
        signable=AddendumSignable(propose(signed)), user=signed.working_group
    )
    with (
        pytest.raises(SignedDocumentError),
        lifting(signed.framework, authorised_by=addendum_round),
    ):
        pass  # nobody signed it yet
    assert not FreezeLift.objects.exists()


def test_the_ledger_refuses_changes_in_the_orm(signed):
    accept_all(signed, propose(signed))
    lift = FreezeLift.objects.get()
    lift.object_id = 0
    with pytest.raises(SignedDocumentError):
        lift.save()
    with pytest.raises(SignedDocumentError):
        lift.delete()
    with pytest.raises(SignedDocumentError):
        FreezeLift.objects.update(object_id=0)
    with pytest.raises(SignedDocumentError):
        FreezeLift.objects.all().delete()
