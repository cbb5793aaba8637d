"""Writing a build into a SPARQL 1.1 server (see graph.store.remote): `RemoteWriter` replaces
each post's named graph with Graph Store Protocol PUTs (its fingerprint last), adds to the
knowledge graph with POSTs and drops graphs with SPARQL 1.1 Update."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from graph.namespaces import X_PG
from graph.store.http import HttpClient


class RemoteWriter:
    """What a build writes through into a SPARQL server (graph.store.base.GraphWriter).

    Graphs are not removed at once: `remove_graphs` marks them, a later `add_rdf` of such a graph
    replaces it with one PUT, and graphs still marked when the build ends are dropped then (removal
    is deferred and silent, so asking the server first whether a graph is there would be wasted).
    """

    def __init__(self, http: HttpClient) -> None:
        self._http = http
        self._to_drop: dict[str, None] = {}
        self.requests = 0
        self.bytes_sent = 0
        self._count_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        self._to_drop.update(dict.fromkeys(graphs))

    def add_rdf(self, data: bytes, format: ox.RdfFormat) -> None:
        """Replace every named graph that `data` has quads of (one PUT per graph); add its
        default-graph triples to the knowledge graph."""
        if not data:
            return
        if format == ox.RdfFormat.N_TRIPLES:
            self.add_knowledge(list(ox.parse(data, format)))
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

    def replace_default(self, subjects: set[str], data: bytes | Sequence[bytes]) -> None:
        """In the knowledge graph, drop every statement about `subjects`, then add `data` (N-Triples)."""
        data = data if isinstance(data, bytes) else b"".join(data)
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
