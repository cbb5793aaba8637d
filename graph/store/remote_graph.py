"""Reading the graph of a SPARQL 1.1 server (see graph.store.remote): `RemoteGraph` sends queries
by the SPARQL 1.1 Query protocol and reads graphs with the Graph Store Protocol's GET, with the
parts of pyoxigraph.Store's interface the rest of postgraph uses."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any
from urllib.parse import urlencode

import pyoxigraph as ox

from graph import formats
from graph.namespaces import PREFIXES
from graph.store import base
from graph.store.http import HttpClient, RemoteError, RemoteTimeout

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
    """A read view of the server's graph with the part of pyoxigraph.Store's interface the rest of
    postgraph uses (`query`), and per-graph reads (graph.store.base's reading functions use them)."""

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

    @property
    def knowledge_graph(self) -> str | None:
        """The named graph the server keeps the knowledge graph in (Virtuoso), or None: its default graph."""
        return self._http.config.knowledge_graph

    def knowledge_triples(self) -> list[ox.Triple]:
        """The knowledge graph (the server's default graph, or the configured named graph)."""
        response = self._http.request("GET", self._http.config.store_path, params=self._http.config.knowledge_params(),
                                      headers={"Accept": "application/n-triples"}, stream=True)
        try:
            return list(ox.parse(response, _graph_format(response), without_named_graphs=True))
        finally:
            response.close()


# -- how whole graphs are read from a server (graph.store.base's reading functions) ----------------

@base.graph_quads.register
def _(view: RemoteGraph, iri: str) -> Iterable[ox.Quad]:
    return view.graph_quads(iri)


@base.knowledge_triples.register
def _(view: RemoteGraph, subjects: set[str] | None = None) -> list[ox.Triple]:
    triples = view.knowledge_triples()
    if subjects is None:
        return triples
    return [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value in subjects]


@base.dump_dataset.register
def _(view: RemoteGraph, out: IO[bytes], format: ox.RdfFormat, prefixes: Mapping[str, str]) -> None:
    """The knowledge graph (as the default graph), then one GSP GET per post graph, each streamed
    through: never held in memory whole. TriG repeats no prefixes after the first graph."""
    ox.serialize((ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in view.knowledge_triples()), out,
                 format=format, prefixes=prefixes)
    for iri in view.named_graphs():
        if iri != view.knowledge_graph:
            ox.serialize(view.graph_quads(iri), out, format=format)
