"""The framework's PostgreSQL triggers become the one freeze rule (agreements.signing.db), and
addenda get the same protection. The guards of signatures and signed rounds (0004) stay.

On SQLite this migration does nothing: the model and queryset layers guard.
"""

import importlib

from django.db import migrations

from agreements.signing import db

OLD_TRIGGERS = [
    ("agreements_framework_guard", "agreements_framework"),
    ("agreements_theme_guard", "agreements_theme"),
    ("agreements_agreement_guard", "agreements_agreement"),
    ("agreements_target_guard", "agreements_target"),
    ("agreements_framework_parties_guard", "agreements_framework_parties"),
    (
        "agreements_agreement_responsible_parties_guard",
        "agreements_agreement_responsible_parties",
    ),
    ("agreements_target_parties_guard", "agreements_target_parties"),
]
# The bypass as this migration installed it; agreements 0007 replaces it by the ledger of
# agreements.signing.lifts (a session setting lifts nothing since).
PA_IS_LIFTED_V1 = r"""
CREATE OR REPLACE FUNCTION pa_is_lifted(doc text, id bigint) RETURNS boolean AS $$
  SELECT coalesce(current_setting('pa.lifting', true), '') = doc || ':' || id::text
$$ LANGUAGE sql STABLE;
"""

OLD_FUNCTIONS = [
    "agreements_framework_guard()",
    "agreements_content_guard()",
    "agreements_framework_of(text, jsonb)",
    "agreements_is_frozen(bigint)",
]


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for trigger, table in OLD_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table};", params=None)
    for function in OLD_FUNCTIONS:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function};", params=None)
    schema_editor.execute(PA_IS_LIFTED_V1, params=None)
    schema_editor.execute(db.GENERIC_FUNCTIONS, params=None)
    for document in (db.FRAMEWORK, db.ADDENDUM):
        for statement in db.install_sql(document):
            schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for document in (db.FRAMEWORK, db.ADDENDUM):
        for statement in db.uninstall_sql(document):
            schema_editor.execute(statement, params=None)
    old = importlib.import_module("agreements.migrations.0004_signing_triggers")
    schema_editor.execute(old.FUNCTIONS, params=None)
    for statement in old.install_sql()[1:]:
        if "agreements_signature" in statement or "agreements_signingrequest" in statement:
            continue  # never dropped
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_delete_documentevent"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
