"""The graph kept in a SPARQL 1.1 server: Oxigraph server, Apache Jena Fuseki, Virtuoso, GraphDB …

`--store http(s)://host:port/dataset` selects it. Three standard protocols are used:

* SPARQL 1.1 Graph Store Protocol (GSP) on the *store* path: `PUT ?graph=<post>` replaces one
  post's named graph in a single request; `GET ?graph=` streams one graph (exports); the
  knowledge graph (data model version 2) is the server's *default graph* (`POST ?default`) — or,
  for servers whose GSP has no writable default graph (Virtuoso), the named graph
  `POSTGRAPH_STORE_KNOWLEDGE_GRAPH`, which every query then names as its default graph. The
  store's own bookkeeping (the last build's report) is kept in the named graph
  `POSTGRAPH_STORE_REPORT_GRAPH` (default urn:postgraph:store), never in the knowledge graph.
* SPARQL 1.1 Update on the *update* path: `DROP SILENT GRAPH` for pages that are gone, and
  `DELETE … WHERE` for the knowledge graph's statements about what a build re-consolidates.
* SPARQL 1.1 Query on the *query* path: fingerprints, counts, user queries, descriptions.

Endpoint paths are relative to the URL (defaults are Oxigraph's: `/query`, `/update`, `/store`)
and set with environment variables, as are the credentials (see `RemoteConfig.from_env`).
Credentials are never logged: every message that could carry them goes through `redact`.

Consistency (a server has no generations, unlike `LocalStore`): each post's graph is replaced by
one PUT, and its fingerprint travels in the same request, so a graph is always either wholly
old (old fingerprint) or wholly new (new fingerprint). Graphs of pages that are gone are dropped
after all new graphs are written, and the build report is written last. A build that fails half
way leaves every graph it did not reach with its old fingerprint, so the next build redoes
exactly those. Readers may see a mix of old and new post graphs while a build runs. A graph
bigger than the batch size (`POSTGRAPH_STORE_BATCH_BYTES`, default 8 MiB — Oxigraph holds a
whole request in memory) is sent as one PUT and then POSTs, its fingerprint in the last one.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import logging
import re
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any
from urllib.parse import urlencode

import pyoxigraph as ox

from graph import formats
from graph.namespaces import PREFIXES, X_PG
from graph.store.base import Store
from graph.store.http import HttpClient, RemoteConfig, RemoteError, RemoteTimeout

log = logging.getLogger(__name__)

#: Subject and predicates of the store's bookkeeping, kept in the report's named graph.
META_SUBJECT = ox.NamedNode("urn:postgraph:store")
META_INFO = ox.NamedNode("urn:postgraph:buildInfo")
META_GENERATION = ox.NamedNode("urn:postgraph:generation")

_RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                   "application/n-triples;q=0.8, text/turtle;q=0.7")


_DATASET_CLAUSE = re.compile(r"\bFROM\s+(?:NAMED\s+)?<", re.I)


def _names_dataset(sparql: str) -> bool:
    """Whether a query names its own dataset (FROM / FROM NAMED): the protocol's parameters must not override it."""
    return bool(_DATASET_CLAUSE.search(sparql))


def _graph_format(response: http.client.HTTPResponse) -> ox.RdfFormat:
    """The RDF format of a Graph Store Protocol answer by its Content-Type; N-Triples (what we ask
    for) when it names none we read."""
    fmt = formats.by_media_type(response.getheader("Content-Type") or "", formats.GRAPH)
    return fmt.rdf_format if fmt is not None else ox.RdfFormat.N_TRIPLES


class RemoteGraph:
    """A read view of the server's graph with the parts of pyoxigraph.Store's interface the rest of
    postgraph uses (`query`), plus `export` (streamed) and per-graph reads."""

    def __init__(self, http: HttpClient) -> None:
        self._http = http
        self.timeout: float | None = None  # set by callers that need a shorter limit (the web executor)

    # -- queries ---------------------------------------------------------------------------------
    def _send_query(self, sparql: str, *, prefixes: Mapping[str, str] | None = None,
                    use_default_graph_as_union: bool = False, default_graph: Any = None,
                    named_graphs: Any = None, substitutions: Mapping[ox.Variable, Any] | None = None,
                    accept: str = _RESULTS_ACCEPT, stream: bool = False) -> http.client.HTTPResponse:
        text = sparql
        if prefixes:
            # all on one line, so the server's "error at LINE:COLUMN" is off by exactly one line
            text = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items()) + "\n" + text
        if substitutions:
            names = list(substitutions)
            text += "\nVALUES (" + " ".join(f"?{v.value}" for v in names) + ") { (" + \
                " ".join(str(substitutions[v]) for v in names) + ") }"
        params: list[tuple[str, str]] = [("query", text)]
        if default_graph:
            graphs = default_graph if isinstance(default_graph, list | tuple) else [default_graph]
            params += [("default-graph-uri", g.value) for g in graphs]
        elif use_default_graph_as_union and self._http.config.union_param:
            params.append((self._http.config.union_param, "true"))
        elif self._http.config.knowledge_graph and not _names_dataset(sparql):
            # the knowledge graph lives in a named graph (Virtuoso): it is the query's default graph
            params.append(("default-graph-uri", self._http.config.knowledge_graph))
        for g in named_graphs or ():
            params.append(("named-graph-uri", g.value))
        body = urlencode(params).encode()
        return self._http.request("POST", self._http.config.query_path, body=body, timeout=self.timeout,
                                  headers={"Content-Type": "application/x-www-form-urlencoded",
                                           "Accept": accept}, stream=stream)

    def query(self, sparql: str, *, prefixes: Mapping[str, str] | None = None,
              use_default_graph_as_union: bool = False, default_graph: Any = None, named_graphs: Any = None,
              substitutions: Mapping[ox.Variable, Any] | None = None) -> Any:
        """Like `pyoxigraph.Store.query`: QuerySolutions, QueryBoolean or QueryTriples."""
        try:
            response = self._send_query(sparql, prefixes=prefixes,
                                        use_default_graph_as_union=use_default_graph_as_union,
                                        default_graph=default_graph, named_graphs=named_graphs,
                                        substitutions=substitutions)
        except RemoteError as exc:
            if exc.status == 400:  # the server could not parse it: report it as pyoxigraph does
                message = str(exc).split(": ", 1)[-1]
                if prefixes:
                    message = re.sub(r"\b(\d+):(\d+)\b", lambda m: f"{max(1, int(m[1]) - 1)}:{m[2]}", message, count=1)
                raise SyntaxError(message) from None
            raise
        media = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        try:
            body = response.read()
        except TimeoutError:
            raise RemoteTimeout(f"the SPARQL server did not finish its answer within "
                                f"{self.timeout or self._http.config.timeout:g} s") from None
        fmt = formats.by_media_type(media) if media else None  # results first: application/json is JSON results
        if fmt is not None and fmt.readable and fmt.results_format is not None:
            return ox.parse_query_results(body, fmt.results_format)
        if fmt is not None and fmt.readable:
            # A graph answer becomes a pyoxigraph QueryTriples, so callers treat it like a local one.
            scratch = ox.Store()
            scratch.bulk_load(body, fmt.rdf_format, to_graph=ox.DefaultGraph())
            return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        raise RemoteError(f"the SPARQL server answered in an unexpected format ({media or 'no Content-Type'})")

    # -- graphs ----------------------------------------------------------------------------------
    def named_graphs(self) -> list[str]:
        """IRIs of the graphs postgraph wrote (each records its fingerprint), sorted.

        Not every named graph of the server: Virtuoso keeps its own (`virtrdf:`, the service
        description) in the same quad store, and the build report may live in a named graph."""
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g pg:fingerprint ?fp } }",
                          prefixes={"pg": PREFIXES["pg"]})
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def graph_triples(self, iri: str) -> Iterator[ox.Triple]:
        """One named graph's triples, streamed with a GSP GET."""
        response = self._http.request("GET", self._http.config.store_path, params=[("graph", iri)],
                                      headers={"Accept": "application/n-triples"}, stream=True)
        try:
            yield from ox.parse(response, _graph_format(response), without_named_graphs=True)
        finally:
            response.close()

    def graph_quads(self, iri: str) -> Iterator[ox.Quad]:
        node = ox.NamedNode(iri)
        for t in self.graph_triples(iri):
            yield ox.Quad(t.subject, t.predicate, t.object, node)

    def export(self, fmt: str, out: IO[bytes]) -> None:
        """Stream the whole graph to `out` (see graph.export): never held in memory whole."""
        spec = formats.get(fmt, formats.GRAPH)
        prefixes = spec.prefix_map()
        knowledge = sorted(self.knowledge_triples(), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        if spec.dataset:
            # The knowledge graph (as the default graph), then one GSP GET per post graph, each
            # streamed through; TriG repeats no prefixes after the first graph.
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in knowledge), out,
                         format=spec.rdf_format, prefixes=prefixes)
            for iri in self.named_graphs():
                if iri != self._http.config.knowledge_graph:
                    ox.serialize(self.graph_quads(iri), out, format=spec.rdf_format)
            return
        # single-graph formats carry the knowledge graph, grouped by subject (graph.export)
        ox.serialize(knowledge, out, format=spec.rdf_format, prefixes=prefixes)

    def knowledge_triples(self) -> list[ox.Triple]:
        """The knowledge graph (the server's default graph, or the configured named graph)."""
        response = self._http.request("GET", self._http.config.store_path, params=self._http.config.knowledge_params(),
                                      headers={"Accept": "application/n-triples"}, stream=True)
        try:
            return list(ox.parse(response, _graph_format(response), without_named_graphs=True))
        finally:
            response.close()


class RemoteWriter:
    """What a build writes through (the part of pyoxigraph.Store's interface `graph.build` uses).

    Graphs are not removed at once: `remove_graph` marks a graph, a later `bulk_load` of that graph
    replaces it with one PUT, and graphs still marked when the build ends are dropped then.
    """

    def __init__(self, http: HttpClient) -> None:
        self._http = http
        self._to_drop: dict[str, None] = {}
        self.requests = 0
        self.bytes_sent = 0
        self._count_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def contains_named_graph(self, _graph: ox.NamedNode) -> bool:
        return True  # removal is deferred and silent, so asking the server first would be wasted

    def remove_graph(self, graph: ox.NamedNode) -> None:
        self._to_drop[graph.value] = None

    def bulk_load(self, data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS, **_kw: Any) -> None:
        """Replace every named graph that `data` (N-Quads) has quads of: one PUT per graph."""
        if not data:
            return
        graphs: dict[str, list[ox.Triple]] = {}
        knowledge: list[ox.Triple] = []  # the default graph's: the knowledge graph
        for quad in ox.parse(data, format):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
            else:
                knowledge.append(quad.triple)
        if knowledge:
            self.add_knowledge(knowledge)
        connections = max(1, self._http.config.connections)
        if connections == 1 or len(graphs) == 1:
            for iri, triples in graphs.items():
                self.put_graph(iri, triples)
            return
        # Several PUTs at once (one kept-alive connection per thread): the server commits each
        # graph in its own transaction and can do several at a time.
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=connections, thread_name_prefix="postgraph-put")
        for future in [self._pool.submit(self.put_graph, iri, triples) for iri, triples in graphs.items()]:
            future.result()

    def replace_default(self, subjects: set[str], data: bytes) -> None:
        """In the knowledge graph, drop every statement about `subjects`, then add `data` (N-Triples)."""
        config = self._http.config
        wrap = (f"WITH <{config.knowledge_graph}> " if config.knowledge_graph else "")
        ordered = sorted(subjects)
        step = 200
        for i in range(0, len(ordered), step):
            values = " ".join(f"<{s}>" for s in ordered[i:i + step])
            body = f"{wrap}DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}".encode()
            self._http.request("POST", config.update_path, body=body,
                               headers={"Content-Type": "application/sparql-update"}).read()
            self.requests += 1
        self.add_knowledge(list(ox.parse(data, ox.RdfFormat.N_TRIPLES)) if data else [])

    def add_knowledge(self, triples: list[ox.Triple]) -> None:
        """POST triples into the knowledge graph (the server's default graph, or the named one)."""
        config = self._http.config
        for chunk in _chunks(triples, config.batch_bytes):
            self._http.request("POST", config.store_path, params=config.knowledge_params(), body=chunk,
                               headers={"Content-Type": "application/n-triples"}).read()
            self.requests += 1
            self.bytes_sent += len(chunk)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def put_graph(self, iri: str, triples: list[ox.Triple]) -> None:
        # The fingerprint goes last, so a graph split over several requests is only marked done
        # once all of it is there.
        triples.sort(key=lambda t: t.predicate == X_PG.fingerprint)
        chunks = _chunks(triples, self._http.config.batch_bytes)
        for n, chunk in enumerate(chunks):
            self._http.request("PUT" if n == 0 else "POST", self._http.config.store_path,
                               params=[("graph", iri)], body=chunk,
                               headers={"Content-Type": "application/n-triples"}).read()
            with self._count_lock:
                self.requests += 1
                self.bytes_sent += len(chunk)
        self._to_drop.pop(iri, None)

    def drop_marked(self) -> int:
        """DROP SILENT GRAPH every graph still marked, in Update requests of at most the batch size."""
        pending = list(self._to_drop)
        batch: list[str] = []
        size = 0
        for iri in [*pending, None]:
            stmt = f"DROP SILENT GRAPH <{iri}>" if iri is not None else ""
            if batch and (iri is None or size + len(stmt) > self._http.config.batch_bytes):
                body = " ;\n".join(batch).encode()
                self._http.request("POST", self._http.config.update_path, body=body,
                                   headers={"Content-Type": "application/sparql-update"}).read()
                self.requests += 1
                batch, size = [], 0
            if stmt:
                batch.append(stmt)
                size += len(stmt) + 3
        self._to_drop.clear()
        return len(pending)


def _chunks(triples: list[ox.Triple], limit: int) -> list[bytes]:
    """N-Triples of `triples`, cut at line ends into bodies of at most `limit` bytes (one at least)."""
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    if len(data) <= limit:
        return [data]
    out, buf = [], io.BytesIO()
    for line in data.splitlines(keepends=True):
        if buf.tell() and buf.tell() + len(line) > limit:
            out.append(buf.getvalue())
            buf = io.BytesIO()
        buf.write(line)
    out.append(buf.getvalue())
    return out


class RemoteStore(Store):
    """A graph kept in a SPARQL 1.1 server (see the module docstring for protocols and consistency)."""

    queries_run = "server"

    def __init__(self, config: RemoteConfig) -> None:
        self.config = config
        self.spec = config.url
        self._http = HttpClient(config)
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> RemoteStore:
        return cls(RemoteConfig.from_env(url))

    def redact(self, text: str) -> str:
        return self._http.redact(text)

    def _meta(self) -> dict[str, str]:
        try:
            response = self._http.request("GET", self.config.store_path, params=self.config.report_params(),
                                          headers={"Accept": "application/n-triples"})
        except RemoteError as exc:
            if exc.status == 404:
                return {}  # the report's named graph does not exist before the first build
            raise
        body = response.read()
        out = {}
        for t in ox.parse(body, ox.RdfFormat.N_TRIPLES):
            if t.subject == META_SUBJECT and isinstance(t.object, ox.Literal):
                out[t.predicate.value] = t.object.value
        return out

    def _put_meta(self, info: dict[str, Any], generation: str) -> None:
        meta = [ox.Triple(META_SUBJECT, META_INFO, ox.Literal(json.dumps(info, default=str))),
                ox.Triple(META_SUBJECT, META_GENERATION, ox.Literal(generation))]
        try:
            self._http.request("PUT", self.config.store_path, params=self.config.report_params(),
                               body=ox.serialize(meta, format=ox.RdfFormat.N_TRIPLES),
                               headers={"Content-Type": "application/n-triples"}).read()
        except RemoteError:
            raise

    def update_info(self, info: dict[str, Any]) -> None:
        generation = self._meta().get(META_GENERATION.value)
        if generation:  # the graph did not change, so neither does its generation
            self._put_meta(info, generation)

    def _no_default_graph(self, exc: RemoteError) -> RemoteError:
        """The error, with what to do when the server's Graph Store Protocol has no default graph."""
        if exc.status not in (400, 404, 405, 500, 501):
            return exc
        return RemoteError(f"{exc} — postgraph keeps the knowledge graph in the Graph Store Protocol's default "
                           "graph (`?default`), which this server may not offer (Virtuoso does not): set "
                           "POSTGRAPH_STORE_KNOWLEDGE_GRAPH to a named graph such as urn:postgraph:knowledge",
                           exc.status)

    def _check_knowledge_graph(self) -> None:
        """The knowledge graph must be reachable before any post graph is written."""
        try:
            self._http.request("GET", self.config.store_path, params=self.config.knowledge_params(),
                               headers={"Accept": "application/n-triples"}).read()
        except RemoteError as exc:
            if exc.status == 404 and self.config.knowledge_graph:
                return  # a named knowledge graph does not exist before the first build
            raise self._no_default_graph(exc) from None

    def snapshot(self) -> RemoteGraph | None:  # type: ignore[override]
        graph = RemoteGraph(self._http)
        if not bool(graph.query("ASK { GRAPH ?g { ?s ?p ?o } }")):
            return None
        return graph

    def generation(self) -> str | None:
        gen = self._meta().get(META_GENERATION.value)
        if gen:
            return gen
        return "remote-unrecorded" if self.snapshot() is not None else None

    def info(self) -> dict[str, Any]:
        text = self._meta().get(META_INFO.value)
        if not text:
            return {}
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return {}

    @contextlib.contextmanager
    def transaction(self, info: dict[str, Any] | None = None, *, compact: bool = True) -> Iterator[RemoteWriter]:  # type: ignore[override]
        if not self._lock.acquire(blocking=False):
            from graph.store.base import StoreBusy

            raise StoreBusy(f"another build of this process is writing to {self.spec}")
        try:
            self._meta()  # the report's graph must be reachable before any post graph is written
            self._check_knowledge_graph()
            writer = RemoteWriter(self._http)
            info = info if info is not None else {}
            started = time.perf_counter()
            try:
                yield writer
            finally:
                writer.close()
            dropped = writer.drop_marked()
            self._put_meta(info, f"remote-{time.time_ns()}")
            log.info("wrote to %s: %d requests, %.1f MB, %d graphs dropped, in %.2f s", self.spec,
                     writer.requests + 1, writer.bytes_sent / 1e6, dropped, time.perf_counter() - started)
        finally:
            self._lock.release()
