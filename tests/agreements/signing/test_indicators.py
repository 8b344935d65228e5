"""A target's indicator is part of its definition: in the framework's signed content, and
frozen with it (no bypass)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from agreements.canonical import canonical_bytes, framework_content
from agreements.models import Target
from agreements.signing.freeze import SignedDocumentError
from tests.factories import indicator

from .test_services import put_up, sign_all

pytestmark = pytest.mark.django_db


def test_the_indicator_is_in_the_signed_content_of_the_framework(world):
    target = Target.objects.get(pk=world.target.pk)
    before = framework_content(world.framework)
    (row,) = before["themes"][0]["agreements"][0]["targets"]
    assert "indicator" not in row  # a target without one keeps its content (and hash)
    target.indicator = indicator("sloop")
    target.save()
    after = framework_content(world.framework)
    assert after["themes"][0]["agreements"][0]["targets"][0]["indicator"] == "sloop"
    assert canonical_bytes(after) != canonical_bytes(before)


def test_a_signed_frameworks_target_cannot_change_its_indicator(world):
    put_up(world)
    sign_all(world)
    target = Target.objects.get(pk=world.target.pk)
    target.indicator = indicator("sloop")
    with pytest.raises(SignedDocumentError):
        target.save()
    with pytest.raises(SignedDocumentError):
        Target.objects.filter(pk=target.pk).update(indicator=indicator("nieuwbouw"))
    assert Target.objects.get(pk=target.pk).indicator_id is None


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="raw SQL is refused by PostgreSQL triggers; SQLite has none (model layer only)",
)
def test_raw_sql_cannot_map_a_signed_frameworks_target(world):
    put_up(world)
    sign_all(world)
    with (
        pytest.raises(DatabaseError, match="signed document"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE agreements_target SET indicator_id = %s WHERE id = %s",
            [indicator("sloop").pk, world.target.pk],
        )
    assert Target.objects.get(pk=world.target.pk).indicator_id is None
