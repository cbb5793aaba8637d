"""The remote store (graph/store/remote.py) against a real `oxigraph serve` on a loopback port: build,
incremental rebuilds, query, export, stats, the web app, batching and credentials."""

from __future__ import annotations

import http.server
import io
import json
import logging
import shutil
import threading
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.build.diff import diff_site, diff_stores
from graph.build.pipeline import BuildOptions, build
from graph.cli.commands import main
from graph.query.export import FORMATS, export
from graph.store.http import HttpClient, RemoteConfig, RemoteError, redact_url
from graph.store.local import LocalStore, open_store
from graph.store.remote import RemoteStore
from graph.store.remote_writer import RemoteWriter

from .helpers import check_web_basics, site_generator
from .oxigraph_server import oxigraph_server


@pytest.fixture
def server(tmp_path: Path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site") / "site"
    site_generator().generate(site, 24, seed=3)
    return site


def _graphs(store: RemoteStore) -> dict[str, frozenset[str]]:
    """Every named graph of the server as a set of N-Triples lines (no blank nodes in post graphs)."""
    snap = store.snapshot()
    assert snap is not None
    return {g: frozenset(str(t) for t in snap.graph_triples(g)) for g in snap.named_graphs()}


def _posts(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content" / "blog").rglob("*.md") if not p.name.startswith("_index"))


def test_build_and_incremental_rebuilds(server: str, small_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(small_site, site)
    store = open_store(server)
    assert isinstance(store, RemoteStore) and store.snapshot() is None and store.generation() is None

    first = build(store, BuildOptions(site=site))
    assert first.changed and first.mapped == first.pages > 0
    before = _graphs(store)
    assert len(before) == first.pages + 3  # each page, plus the site, vocabulary and ontology graphs
    gen = store.generation()
    assert gen and store.info()["pages"] == first.pages

    again = build(store, BuildOptions(site=site))
    assert not again.changed and again.mapped == 0 and again.unchanged == first.pages
    assert store.generation() == gen, "a build with nothing to do must write nothing"
    assert _graphs(store) == before

    post = _posts(site)[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more sentence about Kubernetes.\n", encoding="utf-8")
    edited = build(store, BuildOptions(site=site))
    assert edited.mapped == 1 and edited.unchanged == first.pages - 1
    after = _graphs(store)
    changed = {g for g in before if before[g] != after.get(g)}
    assert len(changed) == 1, f"only the edited post's graph may change, not {sorted(changed)}"
    (iri,) = changed
    assert any("kubernetes" in line.lower() for line in after[iri] - before[iri])
    assert store.generation() != gen

    victim = _posts(site)[-1]
    victim.unlink()
    removed = build(store, BuildOptions(site=site))
    assert removed.removed == 1
    final = _graphs(store)
    gone = set(after) - set(final)
    assert len(gone) == 1 and not (set(final) - set(after))
    # the site graph and the section page that listed the post were remade; every post graph is untouched
    remade = {g for g in final if final[g] != after[g]}
    assert any(g.endswith("graph/site") for g in remade)
    assert all(g.endswith(("graph/site", "/blog/")) for g in remade), remade


def test_remote_graph_equals_local_graph(server: str, small_site: Path, tmp_path: Path) -> None:
    local = LocalStore(tmp_path / "local")
    build(local, BuildOptions(site=small_site))
    remote = open_store(server)
    build(remote, BuildOptions(site=small_site))

    def quads(store) -> set[str]:
        buf = io.BytesIO()
        export(store.snapshot(), "nquads", buf)
        return {str(q) for q in ox.parse(buf.getvalue(), ox.RdfFormat.N_QUADS)
                if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))
                and "endedAtTime" not in str(q.predicate) and "generatedAtTime" not in str(q.predicate)}

    mine, theirs = quads(local), quads(remote)
    assert len(mine) > 1000 and mine == theirs
    # every format reads the same from either kind of store, the dataset description included
    # (a remote store's JSON-LD could not carry one before the stores' views read alike)
    note = ox.Triple(ox.NamedNode("https://example.org/void"), ox.NamedNode("http://purl.org/dc/terms/title"),
                     ox.Literal("dump"))
    for fmt in ("turtle", "jsonld", "trig"):
        written = []
        for store in (local, remote):
            buf = io.BytesIO()
            export(store.snapshot(), fmt, buf, extra=[note], entity_base="https://example.org/id/")
            written.append({str(q.triple) for q in ox.parse(buf.getvalue(), FORMATS[fmt].rdf_format)
                            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
                            and "Time" not in str(q.predicate)})
        assert str(note) in written[0] and written[0] == written[1], fmt
    # `postgraph diff` works across kinds of store: same fingerprints everywhere, nothing to show
    assert not diff_stores(local, remote).graphs
    assert not diff_site(remote, BuildOptions(site=small_site)).graphs


def test_cli_query_export_stats(server: str, small_site: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(small_site), "--store", server])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["query", "--store", server, "--format", "json",
                                  "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:BlogPosting }"])
    assert result.exit_code == 0, result.output
    posts = int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"])
    assert posts > 0
    result = runner.invoke(main, ["query", "--store", server, "CONSTRUCT { ?p a schema:BlogPosting } "
                                  "WHERE { ?p a schema:BlogPosting }", "--format", "ntriples"])
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == posts
    result = runner.invoke(main, ["query", "--store", server, "SELEKT nothing"])
    assert result.exit_code == 2

    for fmt, spec in FORMATS.items():
        out = tmp_path / f"export.{spec.extension}"
        result = runner.invoke(main, ["export", "--store", server, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        parsed = list(ox.parse(path=str(out), format=spec.rdf_format))
        assert len(parsed) > 1000, fmt
    nq = list(ox.parse(path=str(tmp_path / "export.nq"), format=ox.RdfFormat.N_QUADS))
    # posts, section pages, site/vocabulary/ontology, and the knowledge graph (the default graph)
    assert len({q.graph_name for q in nq}) == posts + 3 + 3 + 1

    result = runner.invoke(main, ["stats", "--store", server, "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["build"]["pages"] > 0 and (stats["totals"]["quads in named graphs"]
                                                + stats["totals"]["quads in the knowledge graph"]) == len(nq)


def test_web_app_against_remote(server: str, small_site: Path) -> None:
    from web import create_app

    store = open_store(server)
    build(store, BuildOptions(site=small_site))
    app = create_app(store, {"TESTING": True, "POSTGRAPH_QUERY_TIMEOUT": 20})
    client = app.test_client()
    path = check_web_basics(client, store)
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a schema:Event } LIMIT 2"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and len(r.data.decode().strip().splitlines()) == 2
    assert client.get("/sparql", query_string={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}).status_code in (400, 403)
    assert client.get("/sparql", query_string={"query": "SELECT * WHERE {"}).status_code == 400

    # the browsing pages run their (bounded) queries on the server too
    assert client.get("/graph/data.json").get_json()["nodes"]
    assert client.get("/search.json?q=openstack").get_json()
    assert client.get("/analysis?format=json").get_json()["centrality"]
    ttl = client.get(f"/id/{path}", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and len(list(ox.parse(ttl.data, ox.RdfFormat.TURTLE))) > 2
    assert client.get("/id/event/no-such-thing").status_code == 404

    dump = client.get("/export/postgraph.nq")
    assert dump.status_code == 200
    body = dump.get_data()
    assert len(list(ox.parse(body, ox.RdfFormat.N_QUADS))) > 1000
    etag = dump.headers["ETag"]
    assert client.get("/export/postgraph.nq", headers={"If-None-Match": etag}).status_code == 304
    ttl = client.get("/export/postgraph.ttl")
    assert ttl.status_code == 200 and len(list(ox.parse(ttl.get_data(), ox.RdfFormat.TURTLE))) > 1000


def test_big_graph_is_sent_in_batches(server: str) -> None:
    http = HttpClient(RemoteConfig(url=server, batch_bytes=4096))
    writer = RemoteWriter(http)
    g = "https://example.org/big"
    fp = ox.NamedNode("https://w3id.org/postgraph#fingerprint")
    triples = [ox.Triple(ox.NamedNode(g), fp, ox.Literal("abc"))] + [
        ox.Triple(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"), ox.Literal(i))
        for i in range(2000)]
    writer.put_graph(g, list(triples))
    assert writer.requests > 10 and writer.bytes_sent > 2000 * 40
    store = RemoteStore(RemoteConfig(url=server))
    got = list(store.snapshot().graph_triples(g))
    assert {str(t) for t in got} == {str(t) for t in triples}


class _Guard(http.server.BaseHTTPRequestHandler):
    """A server that demands other credentials and (carelessly) echoes the Authorization header."""

    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.seen.append(self.headers.get("Authorization", ""))
        body = f"denied for {self.headers.get('Authorization')}".encode()
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *_args) -> None:
        pass


def test_credentials_are_sent_and_never_shown(monkeypatch: pytest.MonkeyPatch, caplog) -> None:
    secret = "s3cr3t-Pa55"
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Guard)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/ds"
        monkeypatch.setenv("POSTGRAPH_STORE_USER", "alice")
        monkeypatch.setenv("POSTGRAPH_STORE_PASSWORD", secret)
        store = open_store(url)
        with pytest.raises(RemoteError) as info:
            store.snapshot()
        assert _Guard.seen and _Guard.seen[-1].startswith("Basic ")
        message = str(info.value)
        assert "401" in message and "POSTGRAPH_STORE_USER" in message
        assert secret not in message and _Guard.seen[-1].split()[1] not in message

        caplog.set_level(logging.DEBUG)
        result = CliRunner().invoke(main, ["-vv", "stats", "--store", url])
        assert result.exit_code != 0
        assert secret not in result.output and secret not in caplog.text
        assert _Guard.seen[-1].split()[1] not in result.output

        monkeypatch.delenv("POSTGRAPH_STORE_USER")
        monkeypatch.delenv("POSTGRAPH_STORE_PASSWORD")
        monkeypatch.setenv("POSTGRAPH_STORE_TOKEN", secret)
        with pytest.raises(RemoteError) as info:
            open_store(url).snapshot()
        assert _Guard.seen[-1] == f"Bearer {secret}" and secret not in str(info.value)

        monkeypatch.delenv("POSTGRAPH_STORE_TOKEN")
        in_url = open_store(f"http://bob:{secret}@127.0.0.1:{httpd.server_address[1]}/ds")
        assert secret not in in_url.spec and secret not in repr(in_url.config)
        with pytest.raises(RemoteError) as info:
            in_url.snapshot()
        assert _Guard.seen[-1].startswith("Basic ") and secret not in str(info.value)
        assert redact_url(f"http://bob:{secret}@h/x") == "http://bob:***@h/x"
    finally:
        httpd.shutdown()


def test_unreachable_server_is_a_clear_error() -> None:
    from .helpers import free_port

    result = CliRunner().invoke(main, ["stats", "--store", f"http://127.0.0.1:{free_port()}"])
    assert result.exit_code == 1 and "cannot reach the SPARQL server" in result.output


def test_failed_build_is_redone_exactly_where_it_stopped(server: str, small_site: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(server)
    real_put = RemoteWriter.put_graph
    calls = {"n": 0}

    def failing_put(self, iri, triples):
        calls["n"] += 1
        if calls["n"] > 5:  # the site, ontology and vocabulary graphs, then two pages
            raise RemoteError("the server went away (simulated)")
        return real_put(self, iri, triples)

    monkeypatch.setattr(RemoteWriter, "put_graph", failing_put)
    with pytest.raises(RemoteError):
        build(store, BuildOptions(site=small_site))
    assert store.info() == {}, "the build report is written last: not by a failed build"
    assert len(store.snapshot().named_graphs()) == 5

    monkeypatch.setattr(RemoteWriter, "put_graph", real_put)
    again = build(store, BuildOptions(site=small_site))
    assert again.unchanged == 2 and again.mapped == again.pages - 2
    assert store.info()["pages"] == again.pages
    assert not build(store, BuildOptions(site=small_site)).changed


def test_report_graph_setting() -> None:
    """The report's place: a named graph (never the default graph, which is the knowledge graph), and
    that must be an IRI."""
    from graph.store.local import StoreError

    assert RemoteConfig.from_env("http://h:1", {}).report_params() == [("graph", "urn:postgraph:store")]
    assert RemoteConfig.from_env("http://h:1", {}).knowledge_params() == [("default", "")]
    kg = RemoteConfig.from_env("http://h:1", {"POSTGRAPH_STORE_KNOWLEDGE_GRAPH": "urn:x:kg"})
    assert kg.knowledge_params() == [("graph", "urn:x:kg")]
    named = RemoteConfig.from_env("http://h:1", {"POSTGRAPH_STORE_REPORT_GRAPH": "urn:postgraph:store"})
    assert named.report_params() == [("graph", "urn:postgraph:store")]
    with pytest.raises(StoreError, match="POSTGRAPH_STORE_REPORT_GRAPH must be an absolute IRI"):
        RemoteConfig.from_env("http://h:1", {"POSTGRAPH_STORE_REPORT_GRAPH": "not an iri"})


def test_report_in_a_named_graph_on_oxigraph(server: str, small_site: Path, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    """With POSTGRAPH_STORE_REPORT_GRAPH the report lives in that graph and stays out of exports."""
    monkeypatch.setenv("POSTGRAPH_STORE_REPORT_GRAPH", "urn:postgraph:store")
    store = open_store(server)
    report = build(store, BuildOptions(site=small_site))
    assert store.info()["mapped"] == report.mapped
    assert store.snapshot().query("ASK { GRAPH <urn:postgraph:store> { ?s ?p ?o } }")
    out = tmp_path / "all.nq"
    assert CliRunner().invoke(main, ["export", "--store", server, "--format", "nquads", "-o", str(out)]).exit_code == 0
    assert "urn:postgraph:store" not in out.read_text(encoding="utf-8")


def test_html_error_pages_become_words() -> None:
    from graph.store.http import html_text

    page = ("<html><head><title>Error</title><style>h1{color:red}</style></head><body><h1>HTTP/1.1 500</h1>"
            "<xmp>contains &quot;default&quot; param</xmp></body></html>")
    assert html_text(page) == 'HTTP/1.1 500 contains "default" param'
