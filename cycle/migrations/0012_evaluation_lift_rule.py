"""The evaluation is lifted only through the ledger of agreements.signing.lifts (agreements
0007): install its lift rule, its own signing round (cycle.evaluation.db ``lift_sql``).

On SQLite this migration does nothing: the model and queryset layers guard.
"""

from django.db import migrations

from cycle.evaluation.db import EVALUATION


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {EVALUATION.lift_function}(doc bigint, request bigint) "
        f"RETURNS boolean AS $$ SELECT {EVALUATION.lift_sql} $$ LANGUAGE sql STABLE;",
        params=None,
    )


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"DROP FUNCTION IF EXISTS {EVALUATION.lift_function}(bigint, bigint);", params=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0007_freeze_lift_ledger"),
        ("cycle", "0011_evaluation_pdf_file"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
