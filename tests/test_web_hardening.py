"""Security headers, request limits, path traversal and debug mode, on every kind of route."""

from __future__ import annotations

import pytest

from web.app import CONTENT_SECURITY_POLICY, create_app

ROUTES = ["/", "/search?q=zuul", "/graph", "/graph/data.json", "/analysis", "/query", "/sparql?query=ASK{}",
          "/id/project/zuul", "/export/postgraph.ttl", "/.well-known/void", "/static/postgraph.css",
          "/vendor/vis-network/vis-network.min.js", "/no/such/page"]


@pytest.fixture(scope="module")
def client(content_store):
    app = create_app(content_store)
    yield app.test_client()
    app.extensions["postgraph.executor"].close()


@pytest.mark.parametrize("route", ROUTES)
def test_security_headers_everywhere(client, route: str) -> None:
    r = client.get(route)
    assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/static/../graph/cli/commands.py", "/static/..%2fgraph%2fcli.py",
    "/export/..%2f..%2fpyproject.toml", "/vendor/vis-network/..%2f..%2f__init__.py", "/vendor/vis-network/../network.py",
    "/describe?iri=file:///etc/passwd", "/graph/node.json?iri=file:///etc/passwd",
])
def test_path_traversal_is_refused(client, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (400, 404), path
    body = r.get_data()
    assert b"root:" not in body and b"[project]" not in body and b"import " not in body


def test_request_size_limits(client) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024)
    r = client.post("/sparql", data=big, content_type="application/sparql-query")
    assert r.status_code == 413
    r = client.post("/sparql", data={"query": big})
    assert r.status_code == 413


def test_never_debug(client) -> None:
    assert client.application.debug is False
    r = client.get("/graph/data.json?limit=abc")
    assert r.status_code == 400 and b"Traceback" not in r.data
