"""pyHanko's synchronous API runs ``asyncio.run`` inside, which fails in a thread whose event
loop is already running (an async view under ASGI, or Playwright's sync API in a browser
journey). Such callers get the work done in a short-lived thread of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(function: Callable[..., T], *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop running here: call it directly
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
