"""Migration cycle 0013 hashes the stored feed tokens in place: a link already in someone's
calendar keeps working, but the token itself is no longer stored (so never shown again)."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

BEFORE = [("cycle", "0012_evaluation_lift_rule")]
AFTER = [("cycle", "0013_feed_token_hash")]


@pytest.mark.django_db(transaction=True)
def test_existing_links_keep_working_but_are_stored_hashed(client):
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old_apps = executor.loader.project_state(BEFORE).apps
        user = old_apps.get_model("auth", "User").objects.create(username="abonnee")
        old_apps.get_model("cycle", "CyclePreference").objects.create(
            user=user, feed_token="oud-geheim-uit-de-agenda"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    from cycle.models import CyclePreference

    stored = CyclePreference.objects.get(user__username="abonnee")
    assert stored.feed_token_hash == hashlib.sha256(b"oud-geheim-uit-de-agenda").hexdigest()
    assert get_user_model().objects.filter(username="abonnee").exists()
    response = client.get(reverse("cycle:feed", args=["oud-geheim-uit-de-agenda"]))
    assert response.status_code == 200
