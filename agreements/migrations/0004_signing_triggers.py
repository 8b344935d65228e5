"""PostgreSQL triggers: a frozen framework, a signed round and signatures cannot change.

On SQLite this migration does nothing (the model layer guards); see agreements.signing.db.
"""

from django.db import migrations

from agreements.signing import db as signing_db


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_signing_addenda"),
    ]

    operations = [
        migrations.RunPython(signing_db.install, signing_db.uninstall, elidable=False),
    ]
