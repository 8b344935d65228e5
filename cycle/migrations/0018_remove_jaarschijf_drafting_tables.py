"""The jaarschijf's own history, comment, presence and visit tables are gone: their rows live
in core.drafting's tables since the previous migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cycle", "0017_copy_jaarschijf_drafting_rows"),
    ]

    # Whole models at once (their foreign keys and constraints go with them), so that going
    # back recreates each table in one step, constraints included.
    operations = [
        migrations.DeleteModel(name="JaarschijfChange"),
        migrations.DeleteModel(name="JaarschijfComment"),
        migrations.DeleteModel(name="JaarschijfPresence"),
        migrations.DeleteModel(name="JaarschijfVisit"),
    ]
