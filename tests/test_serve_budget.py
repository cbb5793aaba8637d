"""Every request's time budget (issue 17, serving): work past it answers 503 with a message, in the
form the client asked for, while other requests are served; the work itself stops."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from graph import deadline
from graph.query.sparql import run

from .helpers import postgraph_server

#: Endless for any graph: every triple times every triple times every triple
CROSS = "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _get(url: str, accept: str = "text/html", timeout: float = 30) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def _until_200(url: str, accept: str = "application/json", seconds: float = 60) -> None:
    """Ask until the page answers (the server prepares its entity graph when it starts)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if _get(url, accept)[0] == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered 200")


def test_deadline_checks_and_stops_reading() -> None:
    deadline.check()  # no budget: never over
    assert deadline.remaining() is None
    with deadline.budget(0.05):
        assert 0 < deadline.remaining() <= 0.05 and deadline.seconds() == 0.05
        read = []
        with pytest.raises(deadline.OverBudget, match=r"0\.05 s budget"):
            for i in deadline.checked(iter(range(10**9)), every=10):
                read.append(i)
                if i % 10 == 0:
                    time.sleep(0.001)
        assert len(read) < 10_000
    assert deadline.remaining() is None  # the budget ends with its block
    with deadline.budget(0):
        deadline.check()  # 0: no budget


def test_store_queries_carry_the_budget(content_store) -> None:
    snap = content_store.snapshot()
    rows = 0
    with deadline.budget(0.3), pytest.raises(deadline.OverBudget):
        for _row in run(snap, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }").result:
            rows += 1
    assert rows > 0
    with deadline.budget(0.001):
        time.sleep(0.01)
        with pytest.raises(deadline.OverBudget):
            run(snap, "ASK { ?s ?p ?o }")  # not even started


@pytest.fixture(scope="module")
def served(content_store) -> Iterator[str]:
    """A real `postgraph serve` with a 1.5 s budget a request (and the usual 10 s for /sparql)."""
    with postgraph_server(content_store.path, "--request-timeout", "1.5") as base:
        _until_200(base + "/search.json?q=post")
        yield base


def test_a_request_over_its_budget_gets_503_while_others_are_served(served: str) -> None:
    """The graph page drawing an endless CONSTRUCT: its worker is killed at the end of the request's
    budget (1.5 s, not --query-timeout's 10 s), and the answer is a 503 in JSON; meanwhile the
    search and the graph page answer."""
    slow: dict = {}

    def ask_slow() -> None:
        started = time.monotonic()
        slow["status"], slow["headers"], slow["body"] = _get(
            served + "/graph/data.json?" + urllib.parse.urlencode({"query": CROSS}), "application/json")
        slow["took"], slow["ended"] = time.monotonic() - started, time.monotonic()

    thread = threading.Thread(target=ask_slow)
    thread.start()
    time.sleep(0.3)
    others = []
    for url, accept in ((served + "/search.json?q=post", "application/json"), (served + "/graph", "text/html"),
                        (served + "/graph/data.json?limit=20", "application/json")):
        others.append((_get(url, accept)[0], time.monotonic()))
    thread.join(30)
    assert [status for status, _t in others] == [200, 200, 200]
    assert all(ended < slow["ended"] for _s, ended in others), "served while the slow request was running"
    assert slow["status"] == 503 and slow["headers"]["Retry-After"]
    answer = json.loads(slow["body"])
    assert answer["status"] == 503 and "1.5 s" in answer["error"] and "--request-timeout" in answer["error"]
    assert 1.4 < slow["took"] < 8
    # the server is not left holding it: the next requests, the same one included, are served as usual
    assert _get(served + "/search.json?q=post", "application/json")[0] == 200
    assert _get(served + "/graph/data.json?" + urllib.parse.urlencode({"query": CROSS}), "application/json")[0] == 503


def test_serve_documents_the_budget() -> None:
    from web.cli import main

    out = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    assert "--request-timeout" in out and "503" in " ".join(out.split())


@contextmanager
def _app_server(store, seconds: float) -> Iterator[tuple[str, object]]:
    from waitress.server import create_server

    from web.app import create_app

    app = create_app(store, {"POSTGRAPH_REQUEST_TIMEOUT": seconds})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}", app
    finally:
        server.close()
        app.extensions["postgraph.executor"].close()


def test_an_entity_page_over_budget_stops_its_work_and_says_so(content_store, monkeypatch) -> None:
    """An entity page whose work (here: reading an endless query through graph.query.sparql.run, as its
    real queries are read) passes the budget: its reading stops there, and the page is a 503 in
    HTML, while the graph page is served in the meantime."""
    from web import explore

    state: dict = {"rows": 0, "stopped": threading.Event()}

    def endless_mentions(snapshot, iri, index):
        try:
            for _row in run(snapshot, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }").result:
                state["rows"] += 1
        except deadline.OverBudget:
            state["stopped"].set()
            raise

    monkeypatch.setattr(explore, "mentions", endless_mentions)
    with _app_server(content_store, 0.8) as (base, _app):
        _until_200(base + "/graph")
        result: dict = {}
        thread = threading.Thread(target=lambda: result.update(zip(("status", "headers", "body"), _get(
            base + "/id/project/kubernetes"), strict=True)))
        thread.start()
        time.sleep(0.2)
        assert _get(base + "/graph")[0] == 200 and thread.is_alive()
        thread.join(30)
        assert state["stopped"].wait(5) and state["rows"] > 0
        rows_then = state["rows"]
        time.sleep(0.3)
        assert state["rows"] == rows_then  # nothing goes on reading after the 503
        assert result["status"] == 503 and result["headers"]["Content-Type"].startswith("text/html")
        html = result["body"].decode()
        assert "<h1>503</h1>" in html and "0.8 s" in html and "other requests were served" in html
        # a client that reads plain text gets it as plain text
        status, headers, body = _get(base + "/id/project/kubernetes?page=2", "text/plain")
        assert status == 503 and headers["Content-Type"].startswith("text/plain") and b"0.8 s" in body


def test_a_request_waiting_for_the_entity_graph_past_its_budget_gets_503_then_200(content_store, monkeypatch) -> None:
    """What is computed once for everybody (the entity graph, here made slow) goes on in the
    background; the requests that wait for it longer than their budget get a 503 that says so."""
    from graph.explore import analysis
    from web import common

    real = analysis.project

    def slow_project(*args, **kwargs):
        time.sleep(2)
        return real(*args, **kwargs)

    monkeypatch.setattr(common.analysis, "project", slow_project)
    with _app_server(content_store, 0.5) as (base, _app):
        status, headers, body = _get(base + "/search.json?q=post", "application/json")
        assert status == 503 and "still preparing the entity graph" in json.loads(body)["error"]
        assert headers["Retry-After"]
        _until_200(base + "/search.json?q=post", seconds=20)
