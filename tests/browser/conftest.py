"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against
the real app served by waitress on a loopback port.

`page` records every request and console message; a test fails on a request to any other host
(nothing may come from a CDN) and on console errors. Screenshots go to test-artifacts/."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.store.local import LocalStore

from ..helpers import free_port

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("POSTGRAPH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is `slow`: `pytest -m "not slow"` leaves Chromium out."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.slow)


class LiveServer:
    """The app over `store`, served by waitress in a thread (as `postgraph serve` does)."""

    def __init__(self, store: LocalStore) -> None:
        from waitress.server import create_server

        from web.app import create_app

        self.app = create_app(store, {"POSTGRAPH_QUERY_TIMEOUT": 20.0})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = create_server(self.app, host="127.0.0.1", port=self.port, threads=4)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()
        self.app.extensions["postgraph.executor"].close()


def _serve(store: LocalStore) -> Iterator[LiveServer]:
    server = LiveServer(store)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def content_server(content_store: LocalStore) -> Iterator[LiveServer]:
    """The repository's own content/ (the founding post), built once a session, served."""
    yield from _serve(content_store)


@pytest.fixture(scope="session")
def osslat_server(osslat_store) -> Iterator[LiveServer]:
    """The osslat corpus (from ../shared), built once per session and served."""
    yield from _serve(osslat_store)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Recorder:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []

    def external(self, allowed_netloc: str) -> list[str]:
        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != allowed_netloc]


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A fresh browser page; fails the test on external requests, console errors and dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    rec = Recorder()
    pg.on("request", lambda r: rec.requests.append(r.url))
    pg.on("response", lambda r: rec.console_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    pg.on("console", lambda m: rec.console_errors.append(m.text)
          if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    pg.on("pageerror", lambda e: rec.page_errors.append(str(e)))

    def on_dialog(dialog) -> None:
        rec.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.recorder = rec
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(Exception):  # a failed screenshot must not hide the test's own result
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    netloc = urlsplit(pg.url).netloc if pg.url.startswith("http") else "127.0.0.1"
    assert not rec.external(netloc), f"requests outside the app: {rec.external(netloc)}"
    assert not rec.page_errors, f"JavaScript errors: {rec.page_errors}"
    assert not rec.console_errors, f"console errors: {rec.console_errors}"
    assert not rec.dialogs, f"dialogs opened (script ran?): {rec.dialogs}"
