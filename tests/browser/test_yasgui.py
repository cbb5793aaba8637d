"""YASGUI, the SPARQL editor many endpoints offer, run in headless Chromium against the endpoint
with its default settings (POST, its own Accept headers), from a page on another origin, as a
researcher's own YASGUI page would be: SELECT, ASK, CONSTRUCT and DESCRIBE (issue 16).

YASGUI is a browser library from the npm registry; the app does not ship it. scripts/test installs
@triply/yasgui into .test-deps/ (git-ignored)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..helpers import free_port

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / ".test-deps" / "node_modules" / "@triply" / "yasgui" / "build"
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>YASGUI</title>
<link rel="stylesheet" href="yasgui/yasgui.min.css"><script src="yasgui/yasgui.min.js"></script></head>
<body><div id="yasgui"></div><script>
window.yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {endpoint: new URLSearchParams(location.search).get("endpoint")}, copyEndpointOnNewTab: false});
</script></body></html>"""
QUERIES = {
    "select": "PREFIX schema: <https://schema.org/>\nSELECT ?post ?headline WHERE { ?post a schema:BlogPosting ; "
              "schema:headline ?headline } LIMIT 5",
    "ask": "PREFIX schema: <https://schema.org/>\nASK { ?e a schema:Event }",
    "construct": "PREFIX schema: <https://schema.org/>\nCONSTRUCT { ?e schema:name ?n } WHERE { ?e a schema:Event ; "
                 "schema:name ?n } LIMIT 5",
    "describe": "PREFIX schema: <https://schema.org/>\nDESCRIBE ?e WHERE { ?e a schema:Event } LIMIT 1",
}
RESULT = """() => { const r = window.yasgui.getTab().getYasr().results;
  return r ? {type: r.getType(), error: r.getError() ? String(r.getError()) : null, status: r.getStatus(),
              rows: r.getBindings() ? r.getBindings().length : null, boolean: r.getBoolean(),
              contentType: r.getContentType(), vars: r.getVariables()} : null; }"""


@pytest.fixture(scope="module")
def yasgui_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A static page with YASGUI on its own loopback port (another origin than the endpoint)."""
    assert (BUILD / "yasgui.min.js").exists(), \
        f"YASGUI is missing in {BUILD}: run the tests with scripts/test, which installs @triply/yasgui from npm"
    root = tmp_path_factory.mktemp("yasgui")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "yasgui").symlink_to(BUILD)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_yasgui_with_its_defaults(browser, content_server, yasgui_origin: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    sent: list[tuple[str, str]] = []
    page.on("request", lambda r: sent.append((r.method, r.headers.get("accept", "")))
            if r.url.startswith(content_server.url) else None)
    try:
        page.goto(f"{yasgui_origin}/index.html?endpoint={content_server.url}/sparql")
        page.wait_for_function("window.yasgui && window.yasgui.getTab()")
        got = {}
        for form, query in QUERIES.items():
            page.evaluate("q => { const t = window.yasgui.getTab(); t.getYasr().results = undefined; "
                          "t.setQuery(q); t.query(); }", query)
            page.wait_for_function(RESULT, timeout=30_000)
            got[form] = page.evaluate(RESULT)
        page.screenshot(path=str(REPO / "test-artifacts" / "yasgui.png"))
    finally:
        context.close()
    assert all(r["error"] is None and r["status"] == 200 for r in got.values()), got
    assert got["select"]["vars"] == ["post", "headline"] and got["select"]["rows"] >= 1
    assert got["ask"]["boolean"] is True
    for form in ("construct", "describe"):  # YASGUI asks for N-Triples and shows triples as rows
        assert got[form]["rows"] > 0 and got[form]["contentType"].startswith("application/n-triples"), got[form]
    assert sent and all(method == "POST" for method, _ in sent)  # its default: a cross-origin POST
