"""The calendar-feed token is stored as its SHA-256 only (cycle.models.preferences).

Existing tokens are hashed in place: a feed link a user already subscribed to keeps working
(the feed looks the token in its URL up by hash), but the portal and the admin can no longer
show it; a user who lost it makes a new one. Going back cannot recover the tokens: every user
gets a new one (the old links stop working).
"""

import hashlib
import secrets

from django.db import migrations, models


def hash_tokens(apps, schema_editor) -> None:
    CyclePreference = apps.get_model("cycle", "CyclePreference")
    for preference in CyclePreference.objects.exclude(feed_token="").iterator():
        preference.feed_token = hashlib.sha256(preference.feed_token.encode()).hexdigest()
        preference.save(update_fields=["feed_token"])


def new_tokens(apps, schema_editor) -> None:
    CyclePreference = apps.get_model("cycle", "CyclePreference")
    for preference in CyclePreference.objects.iterator():
        preference.feed_token = secrets.token_urlsafe(32)
        preference.save(update_fields=["feed_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("cycle", "0012_evaluation_lift_rule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cyclepreference",
            name="feed_token",
            field=models.CharField(max_length=64, unique=True, null=True, blank=True),
        ),
        migrations.RunPython(hash_tokens, new_tokens, elidable=False),
        migrations.RenameField(
            model_name="cyclepreference", old_name="feed_token", new_name="feed_token_hash"
        ),
        migrations.AlterField(
            model_name="cyclepreference",
            name="feed_token_hash",
            field=models.CharField(
                blank=True,
                default=None,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="SHA-256 van het agenda-geheim",
            ),
        ),
    ]
