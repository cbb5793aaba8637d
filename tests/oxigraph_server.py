"""Start and stop a real `oxigraph serve` (the PyPI package `oxigraph`, in the `test` extra)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .helpers import free_port, server_process


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the `oxigraph` server binary is missing: install the test extra (pip install -e '.[test]')")
    return found


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """An Oxigraph server on a free loopback port, its data in `location`; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    with server_process(command, url + "/query?query=ASK%7B%7D", location.parent / f"oxigraph-{port}.log",
                        name="oxigraph serve"):
        yield url
