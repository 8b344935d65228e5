"""The freeze's one bypass becomes a ledger (agreements.signing.lifts), no longer a setting.

- The append-only ledger ``agreements_freezelift``: a frozen document is lifted only in the
  transaction that wrote a row for it, naming an open signing round that authorises it and that
  every party signed (agreements.signing.db, ``LIFT_FUNCTIONS``). ``pa_is_lifted`` no longer
  reads ``pa.lifting``; nothing installed reads ``pa.lifting`` or ``pa.amending_framework``.
- The framework's triggers are installed again with its process calendar and printed
  signatories (``agreements_processstep``, ``agreements_frameworksignatory``) as content, and
  its lift rule (an addendum round of the framework).

On SQLite the SQL part does nothing: the model and queryset layers guard.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

from agreements.signing import db

NEW_CONTENT = ("agreements_processstep", "agreements_frameworksignatory")


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(db.GENERIC_FUNCTIONS, params=None)
    schema_editor.execute(db.LIFT_FUNCTIONS, params=None)
    for document in (db.FRAMEWORK, db.ADDENDUM):
        for statement in db.uninstall_sql(document) + db.install_sql(document):
            schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in db.LIFT_UNINSTALL:
        schema_editor.execute(statement, params=None)
    for table in NEW_CONTENT:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_freeze ON {table};", params=None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS pa_documents_of_{table}(jsonb);", None)
    schema_editor.execute(
        f"DROP FUNCTION IF EXISTS {db.FRAMEWORK.lift_function}(bigint, bigint);", params=None
    )
    old = importlib.import_module("agreements.migrations.0006_one_freeze_rule")
    schema_editor.execute(old.PA_IS_LIFTED_V1, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_one_freeze_rule"),
    ]

    operations = [
        migrations.CreateModel(
            name="FreezeLift",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("document", models.CharField(max_length=60, verbose_name="soort document")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="document-id")),
                (
                    "xact",
                    models.PositiveBigIntegerField(
                        blank=True, editable=False, null=True, verbose_name="transactie"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="vastgelegd op"),
                ),
                (
                    "request",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="freeze_lift",
                        to="agreements.signingrequest",
                        verbose_name="ondertekenronde die de wijziging toestaat",
                    ),
                ),
            ],
            options={
                "verbose_name": "toegestane wijziging van een ondertekend document",
                "verbose_name_plural": "toegestane wijzigingen van ondertekende documenten",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
