"""One error handler for the whole app (web.errors) and settings declared once (web.settings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.store.local import LocalStore
from web import create_app
from web.cli import main
from web.settings import SETTINGS


@pytest.fixture
def client(content_store):
    app = create_app(content_store, {"POSTGRAPH_MAX_ROWS": 3})
    yield app.test_client()
    app.extensions["postgraph.executor"].close()


def test_query_errors_get_their_status_from_one_place(client) -> None:
    for path in ("/sparql", "/graph/data.json"):
        bad = client.get(path, query_string={"query": "CONSTRUCT WHERE { ?s ?p"})
        assert bad.status_code == 400 and b"malformed query" in bad.data, path
        refused = client.get(path, query_string={"query": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }"})
        assert refused.status_code == 403 and b"SERVICE" in refused.data, path
        not_sparql = client.get(path, query_string={"query": "HELLO"})
        assert not_sparql.status_code == 400 and b"malformed query: not a SPARQL query" in not_sparql.data, path
    # the SPARQL endpoint's errors keep its CORS headers: a page on another origin can read the message
    assert client.get("/sparql", query_string={"query": "HELLO"}).headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/graph/data.json", query_string={"query": "HELLO"}).headers


def test_an_empty_store_answers_503_not_400(tmp_path: Path) -> None:
    app = create_app(LocalStore(tmp_path / "empty"))
    try:
        r = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        assert r.status_code == 503 and b"no graph yet" in r.data and r.headers["Retry-After"]
        page = app.test_client().get("/query", query_string={"query": "ASK {}"})
        assert page.status_code == 400 and b"no graph yet" in page.data  # the query page shows it
    finally:
        app.extensions["postgraph.executor"].close()


def test_a_setting_given_to_the_app_is_used(client) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                   headers={"Accept": "text/csv"})
    assert r.status_code == 200 and len(r.data.decode().splitlines()) == 1 + 3
    assert r.headers["X-Postgraph-Truncated"] == "3"


def test_serve_options_are_the_settings() -> None:
    text = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    for s in SETTINGS:
        assert s.option in text, s.name
        if not isinstance(s.default, bool):
            assert f"[default: {s.default}]" in text, s.name


def test_a_select_is_not_drawn_as_a_graph(client) -> None:
    r = client.get("/graph/data.json", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and b"SELECT queries cannot be shown here" in r.data
    assert b"CONSTRUCT and DESCRIBE" in r.data


def test_pages_get_terms_from_the_query_worker(content_store) -> None:
    """The query page and the graph page read the answer's terms from the executor (the worker's
    answer crosses the pipe in the formats QueryResponse.terms() reads); truncation is counted the
    same way as for the endpoint."""
    import pyoxigraph as ox

    from graph.query.executor import Executor, QueryRequest

    executor = Executor(content_store, timeout=10, workers=1)
    try:
        assert content_store.queries_run == "worker"  # the answer really crosses a process boundary
        select = executor.run(QueryRequest(query="SELECT ?s ?o WHERE { ?s a ?o } ORDER BY ?s", terms=True, max_rows=2))
        names, rows = select.terms()
        assert select.kind == "select" and names == ["s", "o"] and select.truncated and select.rows == 2
        assert len(rows) == 2 and all(isinstance(t, ox.NamedNode) for row in rows for t in row)
        optional = executor.run(QueryRequest(query="SELECT ?s ?x WHERE { ?s a ?o OPTIONAL { ?s <urn:none> ?x } } LIMIT 1",
                                             terms=True))
        assert optional.terms()[1][0][1] is None  # unbound
        graph = executor.run(QueryRequest(query="CONSTRUCT WHERE { ?s a ?o } LIMIT 3", terms=True))
        assert graph.kind == "graph" and not graph.truncated
        assert len(graph.terms()[1]) == 3 and all(isinstance(t, ox.Triple) for t in graph.terms()[1])
        assert executor.run(QueryRequest(query="ASK { ?s ?p ?o }", terms=True)).terms() == ([], True)
    finally:
        executor.close()
