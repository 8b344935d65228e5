"""The hostile-input suite's fixtures, and the table it prints at the end of the run.

Each test records (file, kind, upload, answer, rows written); pytest_terminal_summary prints
them so that the CI log of `make test` shows, per file, what the portal answered."""

from __future__ import annotations

from tests.cycle.conftest import world  # noqa: F401 - fixtures used by the bid cases
from tests.housing_stock.conftest import (  # noqa: F401 - fixtures used by the stock cases
    _media_root,
    heem_user,
    parties,
    stock_demo,
)

RESULTS: list[tuple[str, str, str, str, int]] = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not RESULTS:
        return
    write = terminalreporter.write_line
    terminalreporter.section(f"hostile-input suite: {len(RESULTS)} uploads")
    width = max(len(r[0]) for r in RESULTS)
    write(f"{'bestand':<{width}}  {'soort':<10}  {'upload':<8}  {'rijen':>5}  antwoord")
    for name, kind, target, answer, rows in sorted(RESULTS, key=lambda r: (r[1], r[0], r[2])):
        first_line = answer.splitlines()[0] if answer else ""
        if len(first_line) > 110:
            first_line = first_line[:107] + "..."
        write(f"{name:<{width}}  {kind:<10}  {target:<8}  {rows:>5}  {first_line}")
