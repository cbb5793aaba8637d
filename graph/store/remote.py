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

Reads go through `RemoteGraph` (graph.store.remote_graph), a build's writes through `RemoteWriter`
(graph.store.remote_writer); `RemoteStore` here ties them to the store's bookkeeping.

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
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from graph.store.base import Store
from graph.store.http import HttpClient, RemoteConfig, RemoteError
from graph.store.remote_graph import RemoteGraph
from graph.store.remote_writer import RemoteWriter

log = logging.getLogger(__name__)

#: Subject and predicates of the store's bookkeeping, kept in the report's named graph.
META_SUBJECT = ox.NamedNode("urn:postgraph:store")
META_INFO = ox.NamedNode("urn:postgraph:buildInfo")
META_GENERATION = ox.NamedNode("urn:postgraph:generation")


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
    def transaction(self, info: dict[str, Any] | None = None, *, compact: bool = True) -> Iterator[RemoteWriter]:
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
