"""The audit trail is append-only for everyone: ORM, admin (also the superuser) and plain SQL."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from core.audit import audit_log
from core.models import AuditEntryImmutable, AuditEvent
from tests.factories import UserFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="plain SQL is refused by a PostgreSQL trigger"
)


@pytest.fixture
def entry(db):
    actor = UserFactory(username="actor")
    return audit_log(actor=actor, action="test_action", object_type="bid", object_id=7, a="b")


def _unchanged(entry):
    stored = AuditEvent.objects.get(pk=entry.pk)
    assert (stored.action, stored.object_id, stored.details) == ("test_action", 7, {"a": "b"})


def test_save_of_a_stored_entry_is_refused(entry):
    entry.action = "iets_anders"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    _unchanged(entry)


def test_delete_is_refused(entry):
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEvent.objects.filter(pk=entry.pk).delete()
    _unchanged(entry)


def test_queryset_update_and_bulk_update_are_refused(entry):
    with pytest.raises(AuditEntryImmutable):
        AuditEvent.objects.filter(pk=entry.pk).update(action="x")
    entry.action = "x"
    with pytest.raises(AuditEntryImmutable), transaction.atomic():
        AuditEvent.objects.bulk_update([entry], ["action"])
    _unchanged(entry)


def test_superuser_cannot_change_or_delete_an_entry_in_the_admin(entry, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:core_auditevent_change", args=[entry.pk])
    delete = reverse("admin:core_auditevent_delete", args=[entry.pk])
    assert client.get(change).status_code == 200  # readable
    assert client.post(change, {"action": "x", "object_id": 1}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    _unchanged(entry)


def test_deleting_a_user_keeps_the_entry_and_the_name(entry):
    get_user_model().objects.get(username="actor").delete()
    stored = AuditEvent.objects.get(pk=entry.pk)
    assert stored.actor_id is None and stored.actor_name == "actor"


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "UPDATE core_auditevent SET actor_id = NULL, action = 'x' WHERE id = %s",
        "UPDATE core_auditevent SET details = '{}' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_plain_sql_cannot_change_or_delete_an_entry(entry, sql):
    with (
        pytest.raises(DatabaseError, match="audit trail"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    _unchanged(entry)
