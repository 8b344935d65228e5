"""Which uploads the retention job (core.retention) deletes: stock tables and per-dwelling
lists (housing_stock.StockImport) and bid workbooks (BidUpload), accepted or rejected,
``UPLOAD_RETENTION_DAYS`` after upload. Imports still under way are left alone. Only these
upload models are looked at: generated and signed documents (evaluation PDFs, signed
jaarschijven) are never touched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.retention import expired_sources, source_delete
from cycle.models import BidUpload
from housing_stock.models import StockImport

IN_PROGRESS = {
    StockImport: [
        StockImport.Status.PENDING,
        StockImport.Status.PROCESSING,
        StockImport.Status.AWAITING_CONFIRMATION,
    ],
    BidUpload: [BidUpload.Status.PENDING],
}


@dataclass(frozen=True)
class RetentionResult:
    stock_imports: int
    bid_uploads: int


def uploads_retention_apply(
    *, now: dt.datetime | None = None, days: int | None = None
) -> RetentionResult:
    """Delete the source files older than ``days`` (default UPLOAD_RETENTION_DAYS)."""
    now = now or timezone.now()
    days = settings.UPLOAD_RETENTION_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    deleted = {
        model: sum(
            source_delete(model, pk, now=now, days=days)
            for pk in expired_sources(model, cutoff, keep)
        )
        for model, keep in IN_PROGRESS.items()
    }
    return RetentionResult(stock_imports=deleted[StockImport], bid_uploads=deleted[BidUpload])
