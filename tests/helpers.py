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
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgraph_server(store: Path, *options: str) -> Iterator[str]:
    """`postgraph serve --no-build` over `store` on a free loopback port; yields its base URL."""
    with postgraph_server_process(store, *options) as (_proc, base):
        yield base


@contextmanager
def postgraph_server_process(store: Path, *options: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`postgraph_server`, yielding its process too (a test that signals it)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "-q", "serve", "--no-build", "--store", str(store),
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
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(10)


@contextmanager
def server_process(command: list[str], probe: str, log_path: Path, *, name: str, cwd: Path | None = None,
                   start_seconds: float = 30, stop_seconds: float = 10) -> Iterator[subprocess.Popen]:
    """Run a server, wait until `probe` (a URL) answers, yield the process; stop it at the end.

    Its output goes to `log_path`, shown if it exits or does not answer in time."""
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                urllib.request.urlopen(probe, timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start: {log_path.read_text(errors='replace')}") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(stop_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def check_web_basics(client: Any, store: Any) -> str:
    """What every store must serve through the web app: the home page, a SPARQL SELECT of three
    events, and one event's entity page. Returns that event's path under /id/."""
    assert client.get("/").status_code == 200
    r = client.get("/sparql", query_string={"query": "SELECT ?e WHERE { ?e a schema:Event } LIMIT 3"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    events = [b["e"]["value"] for b in r.get_json()["results"]["bindings"]]
    assert len(events) == 3
    base = store.info()["entity_base"]
    path = next(e for e in events if e.startswith(base))[len(base):]
    page = client.get(f"/id/{path}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b'id="facts"' in page.data
    return path


def wait_until(page: Any, expression: str, timeout: float = 30) -> None:
    """Poll an expression until it is true (page.wait_for_function evaluates strings with eval,
    which our CSP forbids: it works only when the first try succeeds, so it fails under load)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def site_generator() -> ModuleType:
    """bench/generate_site.py as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("generate_site", REPO / "bench" / "generate_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
