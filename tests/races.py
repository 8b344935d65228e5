"""Fire the same request N times at once, each from its own thread and database connection,
as N people (or N clicks) would. Only meaningful on PostgreSQL: SQLite serialises writes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writes")


def fire(n: int, request: Callable[[], Any]) -> list[Any]:
    """Run ``request`` in n threads released together by a barrier; its results, or the
    exceptions raised, in the order the threads finished."""
    barrier = threading.Barrier(n)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = request()
        except Exception as error:  # noqa: BLE001 - reported by the caller's assertions
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == n, "a request did not finish within 60 s"
    return results


def page_text(response: Any) -> str:
    return response.content.decode()
