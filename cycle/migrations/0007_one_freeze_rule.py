"""The jaarschijf's and the evaluation's PostgreSQL triggers become the one freeze rule
(agreements.signing.db, declared in cycle/jaarschijf/db.py and cycle/evaluation/db.py).

On SQLite this migration does nothing: the model and queryset layers guard.
"""

import importlib

from django.db import migrations

from agreements.signing import db
from cycle.evaluation.db import EVALUATION
from cycle.jaarschijf.db import JAARSCHIJF


def _old(name: str):
    return importlib.import_module(f"cycle.migrations.{name}")


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("0005_evaluation_signing_trigger", "0003_jaarschijf_signing_trigger"):
        for statement in _old(name).UNINSTALL:
            schema_editor.execute(statement, params=None)
    for document in (JAARSCHIJF, EVALUATION):
        for statement in db.install_sql(document):
            schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for document in (JAARSCHIJF, EVALUATION):
        for statement in db.uninstall_sql(document):
            schema_editor.execute(statement, params=None)
    for name in ("0003_jaarschijf_signing_trigger", "0005_evaluation_signing_trigger"):
        for statement in _old(name).INSTALL:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_one_freeze_rule"),
        ("cycle", "0006_delete_auditentry"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
