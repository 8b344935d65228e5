"""Stock figures outside the bounds (core.bounds) get a check constraint; a snapshot that
already holds one (possible on SQLite only: PostgreSQL refused the insert) is taken out, its
import marked rejected with a message, and the snapshot it replaced is current again."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q

LIMIT = Decimal("1000000000")  # core.bounds.MAX_NUMBER when this was written
MESSAGE = (
    "Deze import bevatte cijfers buiten de grenzen van het portaal en is teruggedraaid; "
    "importeer het bestand opnieuw na correctie."
)


def remove_out_of_bounds(apps, schema_editor):
    StockCount = apps.get_model("housing_stock", "StockCount")
    StockSnapshot = apps.get_model("housing_stock", "StockSnapshot")
    StockImport = apps.get_model("housing_stock", "StockImport")
    # values_list of the ids only: the values themselves cannot be read back on SQLite.
    bad = set(
        StockCount.objects.filter(Q(value__gt=LIMIT) | Q(value__lt=-LIMIT)).values_list(
            "snapshot_id", flat=True
        )
    )
    if not bad:
        return
    for snapshot_id, import_id, superseded_at in StockSnapshot.objects.filter(
        pk__in=bad
    ).values_list("pk", "stock_import_id", "superseded_at"):
        StockCount.objects.filter(snapshot_id=snapshot_id)._raw_delete(
            schema_editor.connection.alias
        )
        replaced = list(
            StockSnapshot.objects.filter(superseded_by_id=snapshot_id).values_list("pk", flat=True)
        )
        StockSnapshot.objects.filter(pk__in=replaced).update(superseded_by=None)
        StockSnapshot.objects.filter(pk=snapshot_id).update(stock_import=None)
        StockSnapshot.objects.filter(pk=snapshot_id).delete()
        if superseded_at is None:
            # Gone first, then the one it replaced is current again (one current per date).
            StockSnapshot.objects.filter(pk__in=replaced).update(superseded_at=None)
        if import_id is not None:
            StockImport.objects.filter(pk=import_id).update(
                status="failed",
                result={},
                error_count=1,
                error_report=[{"sheet": "", "row": None, "column": None, "message": MESSAGE}],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("housing_stock", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(remove_out_of_bounds, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="stockcount",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", -LIMIT), ("value__lte", LIMIT)),
                name="stock_count_value_in_bounds",
            ),
        ),
    ]
