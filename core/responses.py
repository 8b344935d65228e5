"""File downloads: one way to answer with a file."""

from __future__ import annotations

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
