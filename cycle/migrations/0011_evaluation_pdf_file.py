"""The evaluation's rendered PDF becomes a file in Django's storage (Evaluation.pdf), and its
PostgreSQL freeze trigger is installed again from cycle/evaluation/db.py: the file name may be
stored while the evaluation is up for signing (a rendering of content that cannot change),
never once it is signed. On SQLite the trigger part does nothing."""

from django.db import migrations, models

from agreements.signing import db
from cycle.evaluation.db import EVALUATION


def reinstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in db.uninstall_sql(EVALUATION) + db.install_sql(EVALUATION):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cycle", "0010_jaarschijf_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="pdf",
            field=models.FileField(
                blank=True, editable=False, upload_to="pdf/evaluatie/", verbose_name="PDF"
            ),
        ),
        migrations.RunPython(reinstall, reinstall, elidable=False),
    ]
