"""The stock import's upload gate: the shared one, plus the rule that the aggregate template
comes back as .xlsx (a CSV has no sheets to hold its tables)."""

from __future__ import annotations

from pathlib import PurePath
from typing import IO

from core.uploads import SPREADSHEETS, UploadInfo, UploadRejected
from core.uploads import inspect_upload as _gate

__all__ = ["UploadInfo", "UploadRejected", "inspect_upload"]


def inspect_upload(upload: IO[bytes], *, kind: str, name: str | None = None) -> UploadInfo:
    filename = name or getattr(upload, "name", "") or ""
    extension = PurePath(filename).suffix.lower()
    if kind == "aggregate" and extension == ".csv":
        raise UploadRejected(
            "Het sjabloon met totaaltabellen moet als .xlsx worden aangeleverd.", code="rejected"
        )
    return _gate(upload, extensions=SPREADSHEETS, name=name)
