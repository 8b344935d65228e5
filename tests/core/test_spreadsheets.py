"""core/spreadsheets.py: every text cell that could be read as a formula is written as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook, load_workbook

from core.spreadsheets import workbook_bytes
from tests.spreadsheet_checks import DANGEROUS_TEXTS, assert_literal_text


@pytest.mark.parametrize("text", DANGEROUS_TEXTS)
def test_dangerous_text_is_written_as_literal_text(text):
    workbook = Workbook()
    workbook.active["A1"] = text

    assert_literal_text(workbook_bytes(workbook), text)


def test_numbers_and_harmless_text_are_left_alone():
    workbook = Workbook()
    workbook.active.append([-5, -2.5, "gewoon tekst", "a=b"])

    cells = list(load_workbook(io.BytesIO(workbook_bytes(workbook))).active.iter_rows())[0]

    assert [c.value for c in cells] == [-5, -2.5, "gewoon tekst", "a=b"]
    assert [c.data_type for c in cells] == ["n", "n", "s", "s"]
    assert not any(c.quotePrefix for c in cells)


def test_every_workbook_the_portal_writes_is_saved_through_the_one_helper():
    """A new export that calls workbook.save() itself would skip the escaping."""
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in base.rglob("*.py"):
        relative = path.relative_to(base).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/")) or "/migrations/" in relative:
            continue
        if relative == "core/spreadsheets.py":
            continue
        source = path.read_text()
        if re.search(r"\bcsv\.(writer|DictWriter)\b|\.to_(excel|csv)\(", source):
            offenders.append(relative)
        if "Workbook(" in source and re.search(r"\.save\(\s*(buffer|out|\w*io\w*)", source):
            offenders.append(relative)
    assert offenders == []
