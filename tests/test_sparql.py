"""The SPARQL 1.1 Protocol endpoint, Linked Data and dumps — the query cases of the W3C protocol
test suite that apply to a read-only service, through Flask's test client and once over HTTP
against a real `postgraph serve` process."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.store.local import LocalStore
from web import create_app

from .helpers import postgraph_server

REPO = Path(__file__).resolve().parents[1]
POST = "https://blog.example.org/openinfradays/openinfra-scale-2025-recap/"
COUNT = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:BlogPosting }"


@pytest.fixture(scope="module")
def store(content_store) -> LocalStore:
    return content_store


@pytest.fixture(scope="module")
def client(store: LocalStore):
    app = create_app(store, {"POSTGRAPH_QUERY_TIMEOUT": 2.0, "POSTGRAPH_MAX_ROWS": 50, "POSTGRAPH_QUERY_WORKERS": 2})
    yield app.test_client()
    app.extensions["postgraph.executor"].close()


def n_of(response) -> int:
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


# -- query forms -----------------------------------------------------------------------------------

def test_query_via_get_post_form_and_post_direct(client) -> None:
    get = client.get("/sparql", query_string={"query": COUNT})
    form = client.post("/sparql", data={"query": COUNT})
    direct = client.post("/sparql", data=COUNT, content_type="application/sparql-query")
    for r in (get, form, direct):
        assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
        assert n_of(r) == 1
    assert get.headers["Access-Control-Allow-Origin"] == "*"


def test_dataset_parameters(client) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = n_of(client.get("/sparql", query_string={"query": q}))
    only_post = n_of(client.get("/sparql", query_string={"query": q, "default-graph-uri": POST}))
    assert 0 < only_post < union
    named = client.get("/sparql", query_string=[("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"),
                                                 ("named-graph-uri", POST)])
    graphs = {b["g"]["value"] for b in json.loads(named.data)["results"]["bindings"]}
    assert graphs == {POST}
    direct = client.post("/sparql?default-graph-uri=" + urllib.parse.quote(POST, safe=""), data=q,
                         content_type="application/sparql-query")
    assert n_of(direct) == only_post


# -- content negotiation ---------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "mimetype"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_select_conneg(client, accept: str, mimetype: str) -> None:
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mimetype
    if mimetype == "text/csv":
        assert list(csv.reader(io.StringIO(r.get_data(as_text=True)))) == [["n"], ["1"]]


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("*/*", "turtle")])
def test_construct_conneg(client, accept: str, fmt: str) -> None:
    q = f"CONSTRUCT {{ <{POST}> ?p ?o }} WHERE {{ <{POST}> ?p ?o }}"
    r = client.get("/sparql", query_string={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.data, format=fmt)
    assert (rdflib.URIRef(POST), rdflib.RDF.type, rdflib.URIRef("https://schema.org/BlogPosting")) in g


def test_ask_and_format_override(client) -> None:
    r = client.get("/sparql", query_string={"query": "ASK { ?s a schema:BlogPosting }", "format": "xml"})
    assert r.mimetype == "application/sparql-results+xml" and b"<boolean>true</boolean>" in r.data
    r = client.get("/sparql", query_string={"query": COUNT, "format": "csv"}, headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/csv"


def test_unacceptable_accept_is_406(client) -> None:
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and b"available" in r.data


# -- bad requests and safety ------------------------------------------------------------------------

def test_bad_requests(client) -> None:
    malformed = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x "})
    assert malformed.status_code == 400 and b"malformed query" in malformed.data
    two = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400
    wrong_type = client.post("/sparql", data=COUNT, content_type="text/plain")
    assert wrong_type.status_code == 415


@pytest.mark.parametrize("how", ["get", "form", "update-form", "sparql-update"])
def test_updates_are_refused(client, store: LocalStore, how: str) -> None:
    update = f"INSERT DATA {{ <{POST}> <http://example.org/p> 1 }}"
    if how == "get":
        r = client.get("/sparql", query_string={"query": update})
    elif how == "form":
        r = client.post("/sparql", data={"query": update})
    elif how == "update-form":
        r = client.post("/sparql", data={"update": update})
    else:
        r = client.post("/sparql", data=update, content_type="application/sparql-update")
    assert r.status_code == 403 and b"read-only" in r.data
    assert not bool(store.snapshot().query("ASK { ?s <http://example.org/p> ?o }", use_default_graph_as_union=True))


def test_service_is_refused(client) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> "
                                                      "{ ?s ?p ?o } }"})
    assert r.status_code == 403 and b"SERVICE" in r.data


def test_timeout_stops_the_query_and_others_are_served(client) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    results: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        results["slow"] = client.get("/sparql", query_string={"query": slow})
        results["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    quick = client.get("/sparql", query_string={"query": COUNT})
    assert quick.status_code == 200  # served while the slow one runs
    thread.join(30)
    assert results["slow"].status_code == 503 and b"stopped" in results["slow"].data
    assert results["seconds"] < 10
    assert client.get("/sparql", query_string={"query": COUNT}).status_code == 200  # a fresh worker took over


def test_row_cap_is_announced(client) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and r.headers["X-Postgraph-Truncated"] == "50"
    assert len(json.loads(r.data)["results"]["bindings"]) == 50


def test_service_description(client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    assert (None, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#Service")) in g
    html = client.get("/sparql", headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["Location"].endswith("/query")


# -- query page, Linked Data, dumps -------------------------------------------------------------------

def test_query_page(client) -> None:
    empty = client.get("/query").get_data(as_text=True)
    assert "colocated-events" in empty and "<textarea" in empty
    page = client.get("/query", query_string={"query": "SELECT ?p WHERE { ?p a schema:BlogPosting }"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/describe?iri=" in html and "format=csv" in html
    bad = client.get("/query", query_string={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400 and "error at" in bad.get_data(as_text=True)


def test_minted_iris_dereference(client) -> None:
    turtle = client.get("/id/event/scale/2025", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle" and turtle.headers["Vary"] == "Accept"
    g = rdflib.Graph().parse(data=turtle.data, format="turtle")
    assert (rdflib.URIRef("https://blog.example.org/id/event/scale/2025"), None, None) in g
    jsonld = client.get("/id/event/scale/2025", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    html = client.get("/id/event/scale/2025", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.mimetype == "text/html" and html.headers["Vary"] == "Accept"
    assert "<th>super event</th>" in html.get_data(as_text=True)  # property labels from the ontology
    spanish = client.get("/id/event/scale/2025?lang=es", headers={"Accept": "text/html"})
    assert "<th>evento superior</th>" in spanish.get_data(as_text=True)
    assert client.get("/id/event/no-such-thing").status_code == 404


def test_descriptions_are_bounded_and_without_evidence_plumbing(client, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.query import describe

    event = "https://blog.example.org/id/event/scale/2025"
    whole = client.get("/describe", query_string={"iri": event, "format": "ntriples"})
    lines = [line for line in whole.get_data(as_text=True).splitlines() if line.strip()]
    assert whole.status_code == 200 and "X-Postgraph-Truncated" not in whole.headers
    assert len(lines) == len(set(lines)), "a statement restated by several graphs is described once"
    assert any(f"<{POST}> <https://schema.org/mentions> <{event}>" in line for line in lines)
    assert not any("oa#hasBody" in line or "rdf-syntax-ns#object" in line for line in lines)

    monkeypatch.setattr(describe, "DESCRIBE_IN", 5)
    # a class: the knowledge graph's six projects point at it (rdf:type)
    hub = client.get("/describe", query_string={"iri": "http://usefulinc.com/ns/doap#Project", "format": "ttl"})
    assert hub.status_code == 200 and "5 pointing at it" in hub.headers["X-Postgraph-Truncated"]
    assert hub.get_data(as_text=True).startswith("# only the first")
    g = rdflib.Graph().parse(data=hub.data, format="turtle")
    project = rdflib.URIRef("http://usefulinc.com/ns/doap#Project")
    assert len(list(g.triples((None, None, project)))) == 5  # pointing at it: bounded


def test_describe_any_iri(client) -> None:
    r = client.get("/describe", query_string={"iri": POST, "format": "ntriples"})
    assert r.status_code == 200 and POST.encode() in r.data
    assert client.get("/describe").status_code == 400


@pytest.mark.parametrize("ext", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_dumps_with_validators(client, ext: str) -> None:
    r = client.get(f"/export/postgraph.{ext}")
    assert r.status_code == 200 and r.headers.get("ETag") and r.headers.get("Last-Modified")
    data = r.get_data()
    fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
           "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}[ext]
    parsed = ox.Store()
    parsed.load(data, format=fmt)
    assert len(parsed) > 100
    again = client.get(f"/export/postgraph.{ext}", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    # every dump carries the same dataset description, in its default graph (JSON-LD too)
    described = list(parsed.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                              ox.NamedNode("http://rdfs.org/ns/void#Dataset"), ox.DefaultGraph()))
    assert len(described) == 1, ext


def test_void(client) -> None:
    r = client.get("/.well-known/void")
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = next(g.subjects(rdflib.RDF.type, void.Dataset))
    assert int(g.value(dataset, void.triples)) > 100
    assert str(g.value(dataset, void.sparqlEndpoint)).endswith("/sparql")
    assert len(list(g.objects(dataset, void.dataDump))) == 5


def test_void_counts_are_those_of_the_graph_served_after_a_rebuild(tmp_path: Path) -> None:
    from graph.build.pipeline import BuildOptions, build

    posts = tmp_path / "site" / "content" / "posts"
    posts.mkdir(parents=True)
    (tmp_path / "site" / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (posts / "a.md").write_text('---\ntitle: "A"\ndate: 2025-01-01\n---\nAbout Ceph.\n', encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=tmp_path / "site"))
    app = create_app(store)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")

    def counted() -> tuple[int, int]:
        g = rdflib.Graph().parse(data=app.test_client().get("/.well-known/void").data, format="turtle")
        dataset = next(g.subjects(rdflib.RDF.type, void.Dataset))
        rows = json.loads(app.test_client().get("/sparql", query_string={"query": COUNT_ALL},
                                                headers={"Accept": "application/sparql-results+json"}).data)
        return int(g.value(dataset, void.triples)), int(rows["results"]["bindings"][0]["n"]["value"])

    try:
        before = counted()
        assert before[0] == before[1] > 0
        (posts / "b.md").write_text('---\ntitle: "B"\ndate: 2025-01-02\n---\nAbout OpenStack in Pasadena.\n',
                                    encoding="utf-8")
        build(store, BuildOptions(site=tmp_path / "site"))
        after = counted()  # computed once per generation: the new one's
        assert after[0] == after[1] > before[0]
    finally:
        app.extensions["postgraph.executor"].close()


COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# -- over HTTP, against a real server process ---------------------------------------------------------

def test_real_server_over_http(store: LocalStore) -> None:
    with postgraph_server(store.path) as base:
        get = urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode({"query": COUNT}), timeout=10)
        assert get.headers["Content-Type"].startswith("application/sparql-results+json")
        assert json.loads(get.read())["results"]["bindings"][0]["n"]["value"] == "1"
        post = urllib.request.Request(base + "/sparql", data=COUNT.encode(), method="POST",
                                      headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        assert urllib.request.urlopen(post, timeout=10).read().decode().splitlines() == ["n", "1"]
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(urllib.request.Request(
                base + "/sparql", data=b"CLEAR ALL", method="POST",
                headers={"Content-Type": "application/sparql-update"}), timeout=10)
        assert err.value.code == 403
        dump = urllib.request.urlopen(base + "/export/postgraph.nq", timeout=30)
        assert dump.headers["ETag"] and b"<" + POST.encode() + b">" in dump.read()
        assert urllib.request.urlopen(base + "/", timeout=10).headers.get("Server") == "postgraph"  # waitress ident


def test_serve_on_a_busy_port_says_so_in_one_line(store: LocalStore) -> None:
    """`postgraph serve` on a port another program holds: a short message with the way out, exit 1,
    no traceback (it used to print "serving on …" and then 37 lines of OSError)."""
    import socket
    import subprocess
    import sys

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "web.cli", "serve", "--no-build", "--store", str(store.path),
                               "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr and "serving the graph" not in done.stderr
