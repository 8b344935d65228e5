"""Writes of the housing stock: snapshots, reference years and imports. Every write is atomic."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from agreements.models import Party
from core.actors import SCHEDULER, check_loader
from core.already import AlreadyDone
from core.audit import audit_log
from core.bounds import Quantity, bound_problem
from housing_stock import access
from housing_stock.domain import OPTIONAL_COLS, TABLE_SHAPES, TOTAL, Measure
from housing_stock.importing.aggregate import ImportOutcome, import_file
from housing_stock.importing.safety import inspect_upload
from housing_stock.models import ReferenceYear, StockCount, StockImport, StockSnapshot
from housing_stock.selectors import corporation_stock

logger = logging.getLogger(__name__)

Tables = Mapping[str, Mapping[str, Mapping[str, Any]]]

REFERENCE_FIELDS = [
    "kwaliteitskortingsgrens",
    "aftoppingsgrens_1",
    "aftoppingsgrens_2",
    "liberalisatiegrens",
    "middenhuur_upper",
    "daeb_income_single",
    "daeb_income_multi",
    "daeb_income_second",
    "passend_single",
    "passend_multi",
    "passend_single_aow",
    "passend_multi_aow",
]

# Uploads above these sizes run in a Celery task; smaller ones are processed in the request.
# The row count is estimated at the gate from the sheet's <dimension> (xlsx) or line count (csv).
BACKGROUND_BYTES = 1024 * 1024
BACKGROUND_ROWS = 5000


def _quantity(table: str, col_key: str, is_count: bool) -> Quantity:
    """What a stock figure measures: dwellings, a share of them, or a signed difference."""
    if is_count or col_key == Measure.DEMAND:
        return Quantity.DWELLINGS
    if col_key == Measure.PERCENTAGE:
        return Quantity.SHARE
    return Quantity.NUMBER


def tables_validate(tables: Tables) -> list[str]:
    """Dutch problems with a set of tables: unknown tables or keys, counts that are no counts."""
    problems: list[str] = []
    for table, rows in tables.items():
        if table not in TABLE_SHAPES:
            problems.append(f"Onbekende tabel: {table!r}.")
            continue
        shape = TABLE_SHAPES[table]
        cols_allowed = set(shape.cols) | set(OPTIONAL_COLS.get(table, {})) | {TOTAL}
        for row_key, cols in rows.items():
            if row_key not in shape.rows and row_key != TOTAL:
                problems.append(f"Tabel {table}: onbekende rij {row_key!r}.")
                continue
            for col_key, raw in cols.items():
                if col_key not in cols_allowed:
                    problems.append(f"Tabel {table}: onbekende kolom {col_key!r}.")
                    continue
                where = f"Tabel {table}, rij {row_key}, kolom {col_key}"
                try:
                    value = Decimal(str(raw))
                except InvalidOperation:
                    problems.append(f"{where}: {raw!r} is geen getal.")
                    continue
                is_count = shape.counts and col_key not in OPTIONAL_COLS.get(table, {})
                if (
                    is_count
                    and value.is_finite()
                    and (value < 0 or value != value.to_integral_value())
                ):
                    problems.append(f"{where}: {raw} is geen geheel aantal van 0 of meer.")
                elif problem := bound_problem(value, _quantity(table, col_key, is_count)):
                    problems.append(f"{where}: {problem}")
    return problems


def _counts_create(snapshot: StockSnapshot, tables: Tables) -> None:
    StockCount.objects.bulk_create(
        StockCount(
            snapshot=snapshot,
            table=table,
            row_key=row_key,
            col_key=col_key,
            value=Decimal(str(value)),
        )
        for table, rows in tables.items()
        for row_key, cols in rows.items()
        for col_key, value in cols.items()
    )


@transaction.atomic
def snapshot_upsert(
    *,
    actor: Any,
    key: str,
    municipality: Party,
    party: Party | None,
    peildatum: dt.date,
    title: str,
    source: str,
    tables: Tables,
) -> StockSnapshot:
    """Create or replace a snapshot identified by a fixed key (fixtures); idempotent."""
    check_loader(actor)
    problems = tables_validate(tables)
    if problems:
        raise ValidationError(problems)
    snapshot, _ = StockSnapshot.objects.update_or_create(
        key=key,
        defaults={
            "municipality": municipality,
            "party": party,
            "peildatum": peildatum,
            "title": title,
            "source": source,
        },
    )
    snapshot.counts.all().delete()
    _counts_create(snapshot, tables)
    return snapshot


@transaction.atomic
def reference_year_upsert(
    *, actor: Any, year: int, values: Mapping[str, Any], unverified: list[str], note: str = ""
) -> ReferenceYear:
    """Create or update the statutory limits of one year (REFERENCE_DATA.md)."""
    check_loader(actor)
    unknown = (set(values) | set(unverified)) - set(REFERENCE_FIELDS)
    if unknown:
        raise ValidationError(f"Onbekende velden voor referentiejaar {year}: {sorted(unknown)}")
    defaults: dict[str, Any] = dict.fromkeys(REFERENCE_FIELDS)
    for field, value in values.items():
        defaults[field] = Decimal(str(value)) if isinstance(value, str) else value
    defaults["unverified_fields"] = sorted(unverified)
    defaults["note"] = note
    reference, _ = ReferenceYear.objects.update_or_create(year=year, defaults=defaults)
    return reference


# --- imports --------------------------------------------------------------------------------


def _current_import_snapshot(party: Party, peildatum: dt.date) -> StockSnapshot | None:
    return (
        StockSnapshot.objects.filter(
            party=party, peildatum=peildatum, superseded_at__isnull=True, stock_import__isnull=False
        )
        .order_by("-id")
        .first()
    )


def stock_import_create(
    *,
    user: AbstractBaseUser,
    party: Party,
    peildatum: dt.date,
    kind: str,
    upload: UploadedFile,
) -> StockImport:
    """Check the upload at the gate, record it, and process it (inline or in the background).

    A file rejected at the gate (type, size, zip bomb, macros, XML entities) raises
    ValidationError and nothing is written. Access is checked by the caller (the view, through
    housing_stock.access) and again here, so a service call can never import for a stranger.
    """

    if not access.can_import_for(user, party):
        raise ValidationError("U mag geen voorraadcijfers importeren voor deze corporatie.")
    info = inspect_upload(upload, kind=kind)
    upload.seek(0)
    with transaction.atomic():
        stock_import = StockImport(
            created_by=user,
            party=party,
            peildatum=peildatum,
            kind=kind,
            original_name=upload.name[:255],
            size_bytes=upload.size or 0,
        )
        stock_import.file.save(upload.name, upload, save=False)
        stock_import.rows_total = info.rows_estimate
        stock_import.run_in_background = (
            info.size > BACKGROUND_BYTES or (info.rows_estimate or 0) > BACKGROUND_ROWS
        )
        stock_import.save()
        audit_log(
            actor=user,
            action="stock_import_create",
            obj=stock_import,
            party=party.slug,
            peildatum=peildatum,
            kind=kind,
            file=stock_import.original_name,
        )
        if stock_import.run_in_background:
            from housing_stock.tasks import stock_import_run

            pk = stock_import.pk
            transaction.on_commit(lambda: stock_import_run.delay(pk))
    if not stock_import.run_in_background:
        stock_import_process(import_id=stock_import.pk)
        stock_import.refresh_from_db()
    return stock_import


def _claim(import_id: int) -> StockImport | None:
    """Move a pending import to processing; None when another worker already has it."""
    with transaction.atomic():
        stock_import = (
            StockImport.objects.select_for_update().select_related("party").get(pk=import_id)
        )
        if stock_import.status != StockImport.Status.PENDING:
            return None
        stock_import.status = StockImport.Status.PROCESSING
        stock_import.save(update_fields=["status"])
    return stock_import


def stock_import_process(*, import_id: int) -> None:
    """Parse, validate and aggregate an import; write the snapshot or stop for confirmation.

    Idempotent: an import that is not pending is left alone (a retried task does nothing).
    """
    stock_import = _claim(import_id)
    if stock_import is None:
        return

    def progress(rows_processed: int, rows_total: int | None) -> None:
        StockImport.objects.filter(pk=import_id).update(
            rows_processed=rows_processed, rows_total=rows_total
        )

    try:
        reference = ReferenceYear.objects.filter(year=stock_import.peildatum.year).first()
        with stock_import.file.open("rb") as handle:
            outcome: ImportOutcome = import_file(
                handle,
                kind=stock_import.kind,
                name=stock_import.original_name,
                reference=reference,
                peildatum_year=stock_import.peildatum.year,
                progress=progress,
                rows_estimate=stock_import.rows_total,
                known_stock=corporation_stock(stock_import.party),
            )
    except Exception:
        logger.exception("Import %s failed unexpectedly", import_id)
        outcome = ImportOutcome.failure("Het bestand kon niet worden gelezen.")

    stock_import.refresh_from_db(fields=["rows_processed", "rows_total"])
    stock_import.rows_total = outcome.rows
    stock_import.rows_processed = outcome.rows
    stock_import.error_report = outcome.errors[:1000]
    stock_import.error_count = len(outcome.errors)
    stock_import.result = outcome.tables
    if outcome.errors:
        stock_import.status = StockImport.Status.FAILED
        stock_import.finished_at = timezone.now()
        stock_import.save()
        return
    earlier = _current_import_snapshot(stock_import.party, stock_import.peildatum)
    if earlier is not None:
        stock_import.replaces = earlier
        stock_import.status = StockImport.Status.AWAITING_CONFIRMATION
        stock_import.save()
        return
    stock_import.save()
    try:
        _snapshot_write(stock_import, actor=stock_import.created_by or SCHEDULER)
    except DatabaseError:
        # The last guard (core.bounds refuses out-of-range figures before this): an import
        # whose figures the database refuses ends rejected, never "wordt verwerkt" forever.
        logger.exception("Import %s could not be written", import_id)
        StockImport.objects.filter(pk=import_id).update(
            status=StockImport.Status.FAILED,
            finished_at=timezone.now(),
            result={},
            error_count=1,
            error_report=[
                {
                    "sheet": "",
                    "row": None,
                    "column": None,
                    "message": "De cijfers konden niet worden opgeslagen; er is niets "
                    "geïmporteerd.",
                }
            ],
        )


def _snapshot_title(stock_import: StockImport) -> str:
    return f"Woningvoorraad {stock_import.party.name} per {stock_import.peildatum:%d-%m-%Y}"


@transaction.atomic
def _snapshot_write(stock_import: StockImport, *, actor: Any) -> StockSnapshot:
    stock_import = (
        StockImport.objects.select_for_update().select_related("party").get(pk=stock_import.pk)
    )
    now = timezone.now()
    earlier = _current_import_snapshot(stock_import.party, stock_import.peildatum)
    if earlier is not None:
        # Supersede first: the partial unique constraint allows one current snapshot.
        earlier.superseded_at = now
        earlier.save(update_fields=["superseded_at"])
    municipality = stock_import.party.municipality or stock_import.party
    snapshot = StockSnapshot.objects.create(
        municipality=municipality,
        party=stock_import.party,
        peildatum=stock_import.peildatum,
        title=_snapshot_title(stock_import),
        source=(
            f"Import {stock_import.get_kind_display().lower()} '{stock_import.original_name}' "
            f"door {stock_import.created_by or 'onbekend'} "
            f"op {timezone.localtime(now):%d-%m-%Y %H:%M}"
        ),
        stock_import=stock_import,
    )
    _counts_create(snapshot, stock_import.result)
    if earlier is not None:
        earlier.superseded_by = snapshot
        earlier.save(update_fields=["superseded_by"])
    stock_import.status = StockImport.Status.DONE
    stock_import.finished_at = now
    stock_import.save(update_fields=["status", "finished_at"])
    audit_log(
        actor=actor,
        action="stock_snapshot_write",
        obj=snapshot,
        stock_import=stock_import.pk,
        replaces=earlier.pk if earlier else None,
    )
    return snapshot


@transaction.atomic
def stock_import_confirm(*, user: AbstractBaseUser, stock_import: StockImport) -> StockSnapshot:
    """Replace the earlier snapshot of the same corporation and peildatum (kept in history).

    The status is read under the import's row lock: of simultaneous confirmations one writes
    the snapshot and the others wait, then find it done (AlreadyDone); nothing is written twice.
    """
    if not access.can_import_for(user, stock_import.party):
        raise ValidationError("U mag deze import niet bevestigen.")
    locked = StockImport.objects.select_for_update().get(pk=stock_import.pk)
    if locked.status == StockImport.Status.DONE:
        raise AlreadyDone("Deze import is al bevestigd.")
    if locked.status != StockImport.Status.AWAITING_CONFIRMATION:
        raise ValidationError("Deze import wacht niet op bevestiging.")
    return _snapshot_write(locked, actor=user)


@transaction.atomic
def stock_import_cancel(*, user: AbstractBaseUser, stock_import: StockImport) -> StockImport:
    if not access.can_import_for(user, stock_import.party):
        raise ValidationError("U mag deze import niet annuleren.")
    locked = StockImport.objects.select_for_update().get(pk=stock_import.pk)
    if locked.status != StockImport.Status.AWAITING_CONFIRMATION:
        raise ValidationError("Deze import wacht niet op bevestiging.")
    locked.status = StockImport.Status.CANCELLED
    locked.finished_at = timezone.now()
    locked.result = {}
    locked.save(update_fields=["status", "finished_at", "result"])
    audit_log(actor=user, action="stock_import_cancel", obj=locked)
    return locked
