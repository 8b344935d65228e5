"""The installs and the background tasks of `make run` print no warning noise."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from setuptools import find_packages
from setuptools.command.editable_wheel import _simple_layout

ROOT = Path(__file__).resolve().parent.parent


def test_editable_install_uses_a_plain_pth_file():
    # setuptools' editable_wheel._select_strategy: a package-dir of {"": <dir>} with a simple
    # layout gets a static .pth; anything else its import finder and the "!!" banner.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    tool = config["tool"]["setuptools"]
    package_dir = tool.get("package-dir", {})
    packages = find_packages(str(ROOT), include=tool["packages"]["find"]["include"])
    assert "cycle.evaluation" in packages
    assert set(package_dir) == {""}
    assert _simple_layout(packages, package_dir, str(ROOT))


def test_an_eager_task_logs_no_broker_warning(caplog, recwarn):
    from kerkrade_pa.celery import app

    app.loader.import_default_modules()
    # kombu's and celery's loggers need not propagate to the root (celery's log set-up):
    # listen on them directly.
    loggers = [logging.getLogger(name) for name in ("kombu", "celery")]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING):
            result = app.tasks["kerkrade_pa.ping"].delay()
    finally:
        for logger in loggers:
            logger.removeHandler(caplog.handler)
    assert result.get()["pong"] is True
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not warnings, warnings
    assert not [str(w.message) for w in recwarn]
