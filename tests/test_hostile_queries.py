"""Hostile queries against a real `postgraph serve` process: each gets the right status in bounded
time, and the server keeps answering. And the app under rebuilds: always the old or the new graph."""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.build.pipeline import BuildOptions, build
from graph.store.local import LocalStore

from .helpers import postgraph_server, postgraph_server_process

REPO = Path(__file__).resolve().parents[1]
COUNT = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:BlogPosting }"


def _get(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture(scope="module")
def server(content_store):
    with postgraph_server(content_store.path, "--query-timeout", "2", "--max-rows", "100") as base:
        yield base


def _sparql(base: str, query: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": query})


_VALUES = " ".join(str(i) for i in range(2000))


@pytest.mark.parametrize("query", [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
    # endless without any data: must not be evaluated outside the killable workers (it once was, to
    # check its syntax, and held a web thread for ever)
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_VALUES} }} VALUES ?b {{ {_VALUES} }} VALUES ?c {{ {_VALUES} }} }}",
    # a property path over every node, times four million rows (the knowledge graph is small)
    f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_VALUES} }} VALUES ?b {{ {_VALUES} }} "
    "?s (schema:mentions|!schema:mentions)* ?o }",
])
def test_endless_queries_are_stopped(server: str, query: str) -> None:
    started = time.monotonic()
    status, body = _get(_sparql(server, query))
    assert status == 503 and b"stopped" in body
    assert time.monotonic() - started < 15
    assert _get(_sparql(server, COUNT))[0] == 200


def test_huge_results_are_capped(server: str) -> None:
    status, body = _get(_sparql(server, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"), timeout=30)
    assert status in (200, 503)
    if status == 200:
        assert len(json.loads(body)["results"]["bindings"]) == 100


@pytest.mark.parametrize("update", ["INSERT DATA { <urn:x> <urn:p> 1 }", "DELETE WHERE { ?s ?p ?o }",
                                    "LOAD <http://example.org/data.ttl>", "CLEAR ALL", "DROP DEFAULT",
                                    "CREATE GRAPH <urn:g>"])
def test_updates_refused_every_way(server: str, update: str) -> None:
    assert _get(_sparql(server, update))[0] == 403
    assert _get(server + "/sparql", urllib.parse.urlencode({"query": update}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert _get(server + "/sparql", urllib.parse.urlencode({"update": update}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert _get(server + "/sparql", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    assert _get(_sparql(server, COUNT))[0] == 200


def test_service_malformed_and_oversized(server: str) -> None:
    assert _get(_sparql(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"))[0] == 403
    status, body = _get(_sparql(server, "SELECT ?x WHERE { ?x"))
    assert status == 400 and b"malformed" in body
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024 + 10)
    assert _get(server + "/sparql", big.encode(), {"Content-Type": "application/sparql-query"})[0] == 413
    status, _ = _get(server + "/sparql?query=" + urllib.parse.quote("ASK {} #" + "x" * (1024 * 1024)))
    assert 400 <= status < 500
    assert _get(_sparql(server, COUNT))[0] == 200


def _site(root: Path, version: str, posts: int = 40) -> None:
    (root / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    for i in range(posts):
        (root / "content" / "posts" / f"p{i:03d}.md").write_text(
            f'---\ntitle: "{version} {i}"\ndate: 2025-01-01\n---\nOpenStack in Pasadena, California.\n', encoding="utf-8")


def test_queries_during_rebuilds_see_old_or_new_never_a_mix(tmp_path: Path) -> None:
    from waitress.server import create_server

    from web.app import create_app

    site = tmp_path / "site"
    _site(site, "A")
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=site))
    app = create_app(store, {"POSTGRAPH_QUERY_TIMEOUT": 20.0})
    server = create_server(app, host="127.0.0.1", port=0, threads=6)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    query = _sparql(base, "SELECT ?h WHERE { ?p a schema:BlogPosting ; schema:headline ?h }")
    seen: list[frozenset[str]] = []
    errors: list[str] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            status, body = _get(query)
            if status != 200:
                errors.append(f"{status} {body[:200]!r}")
                continue
            prefixes = {b["h"]["value"].split(" ")[0] for b in json.loads(body)["results"]["bindings"]}
            counts = len(json.loads(body)["results"]["bindings"])
            seen.append(frozenset(prefixes | {f"n={counts}"}))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for version in ("B", "A", "B", "A", "B"):
            _site(site, version)
            build(store, BuildOptions(site=site))
    finally:
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join(30)
        server.close()
        app.extensions["postgraph.executor"].close()
    assert not errors, errors[:3]
    assert seen and set(seen) <= {frozenset({"A", "n=40"}), frozenset({"B", "n=40"})}, set(seen) - {
        frozenset({"A", "n=40"}), frozenset({"B", "n=40"})}
    assert len(set(seen)) == 2, "the clients never saw a rebuild"


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_query_worker_ends_with_a_server_stopped_mid_query(content_store) -> None:
    """A query cannot be interrupted: its worker must not go on computing after the server is gone."""
    with postgraph_server_process(content_store.path, "--query-timeout", "300") as (proc, base):
        endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"

        def ask() -> None:
            with contextlib.suppress(OSError):  # the server is stopped under it: that is the test
                _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": endless}), timeout=60)

        threading.Thread(target=ask, daemon=True).start()
        workers: set[int] = set()
        for _ in range(100):  # the query's worker, busy with it
            time.sleep(0.1)
            workers = {pid for pid in _children(proc.pid)
                       if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")}
            if workers:
                break
        assert workers, "no query worker started"
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a query worker outlived its server"
