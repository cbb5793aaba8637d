"""Helpers the test modules share: free ports, a real `postgraph serve` process, the site generator."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgraph_server(store: Path, *options: str) -> Iterator[str]:
    """`postgraph serve --no-build` over `store` on a free loopback port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "graph.cli", "-q", "serve", "--no-build", "--store", str(store),
                             "--port", str(port), *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/sparql", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("postgraph serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def site_generator() -> ModuleType:
    """bench/generate_site.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("generate_site", REPO / "bench" / "generate_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
