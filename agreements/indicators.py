"""The indicator catalogue: standard measures as reference data (fixtures/indicators.toml).

``catalogue_load`` is idempotent and is called by the data migration that creates the table
(every database gets the catalogue at ``migrate``) and by ``load_demo`` (a flushed test or demo
database gets it back). It only adds the indicators that are missing: an administrator's edits
in the admin are kept.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

CATALOGUE_FIELDS = (
    "name",
    "unit",
    "direction",
    "measure",
    "description",
    "national_value",
    "national_norm",
    "national_date",
    "national_source",
)


def catalogue_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "indicators.toml"


def catalogue_rows(path: Path | None = None) -> list[dict[str, Any]]:
    with (path or catalogue_path()).open("rb") as handle:
        rows = tomllib.load(handle)["indicators"]
    for row in rows:
        if row.get("national_value") is not None:
            row["national_value"] = Decimal(str(row["national_value"]))
    return rows


def catalogue_load(model: Any = None, *, path: Path | None = None) -> int:
    """Create the catalogue's indicators that are missing; returns how many there are.

    ``model`` is the Indicator model (the migration passes its historical one). Existing
    indicators are left as the administrator keeps them: the catalogue only adds.
    """
    if model is None:
        from agreements.models import Indicator as model  # noqa: N813
    rows = catalogue_rows(path)
    # The migration's historical model may lack a field the catalogue gained later.
    known = {f.name for f in model._meta.get_fields()} & set(CATALOGUE_FIELDS)
    existing = set(model.objects.values_list("code", flat=True))
    model.objects.bulk_create(
        [
            model(code=row["code"], **{name: row[name] for name in known if name in row})
            for row in rows
            if row["code"] not in existing
        ]
    )
    return len(rows)
