"""Keeping the knowledge graph (the store's default graph) up to date during a build.

A build writes each changed post's named graph whole; the default graph is changed subject by
subject: the statements whose subject is a changed post, an article or site fact, or an entity
one of the changed posts talks about (before or after the change) are replaced by their new
consolidated form (graph.consolidate). What unchanged posts say is read back from the store as
it was before the build, so an incremental build re-consolidates only what it touched, on the
embedded store and on a SPARQL server alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .consolidate import SYMMETRIC, Evidence
from .namespaces import PREFIXES

#: Entities per VALUES block of the queries that read what unchanged posts say.
BATCH = 200


def _rows(snapshot: Any, sparql: str) -> Iterable[Any]:
    return snapshot.query(sparql, prefixes=PREFIXES)


def _values(nodes: Iterable[str]) -> str:
    return " ".join(nodes)


def _batches(nodes: set[str]) -> Iterable[list[str]]:
    ordered = sorted(nodes)
    for i in range(0, len(ordered), BATCH):
        yield ordered[i:i + BATCH]


def evidence_in_store(snapshot: Any, nodes: set[str], graphs: set[str]) -> Evidence:
    """What the post graphs in `graphs` (bare IRIs) say about `nodes` (`<iri>`), and which
    default-graph subjects point at them, as the store holds it."""
    ev = Evidence()
    if snapshot is None or not nodes:
        return ev
    symmetric = " ".join(SYMMETRIC)
    for batch in _batches(nodes):
        values = _values(batch)
        for row in _rows(snapshot, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            if row["g"].value in graphs:
                ev.statements.append((row["g"].value, str(row["s"]), str(row["p"]), str(row["o"])))
        for row in _rows(snapshot, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?o {{ {values} }} VALUES ?p {{ {symmetric} }} "
                                   "GRAPH ?g { ?s ?p ?o } }"):
            if row["g"].value in graphs:
                ev.statements.append((row["g"].value, str(row["s"]), str(row["p"]), str(row["o"])))
        for row in _rows(snapshot, f"SELECT ?g ?e WHERE {{ VALUES ?e {{ {values} }} GRAPH ?g {{ ?m oa:hasBody ?e }} }}"):
            if row["g"].value in graphs:
                ev.mentioned_in[str(row["e"])].add(row["g"].value)
        for row in _rows(snapshot, f"SELECT ?e ?s WHERE {{ VALUES ?e {{ {values} }} ?s ?p ?e FILTER(isIRI(?s)) }}"):
            ev.referenced_by[str(row["e"])].add(str(row["s"]))
    return ev


def entities_of_graphs(snapshot: Any, graphs: set[str], base: str) -> set[str]:
    """Every entity (`<iri>` under `base`) that these post graphs mention or say something about."""
    out: set[str] = set()
    if snapshot is None or not graphs:
        return out
    for batch in _batches({f"<{g}>" for g in graphs}):
        rows = _rows(snapshot, f"SELECT DISTINCT ?e WHERE {{ VALUES ?g {{ {_values(batch)} }} "
                               "GRAPH ?g { { ?m oa:hasBody ?e } UNION { ?e ?p ?o FILTER(?e != ?g) } "
                               "UNION { ?s ?p ?e FILTER(?p != rdf:type) } } FILTER(isIRI(?e)) }")
        out |= {str(row["e"]) for row in rows if row["e"].value.startswith(base) and "#" not in row["e"].value}
    return out


def articles_of_graphs(snapshot: Any, graphs: set[str]) -> set[str]:
    """The articles (bare IRIs) the given posts were versions of, as the store holds it."""
    out: set[str] = set()
    if snapshot is None or not graphs:
        return out
    for batch in _batches({f"<{g}>" for g in graphs}):
        rows = _rows(snapshot, f"SELECT ?a WHERE {{ VALUES ?post {{ {_values(batch)} }} ?post schema:exampleOfWork ?a }}")
        out |= {row["a"].value for row in rows}
    return out


def article_links(snapshot: Any, articles: set[str], skip: set[str]) -> dict[str, set[tuple[str, str]]]:
    """article -> (predicate, entity) its versions other than `skip` mention or are about, as stored."""
    out: dict[str, set[tuple[str, str]]] = {}
    if snapshot is None or not articles:
        return out
    for batch in _batches({f"<{a}>" for a in articles}):
        rows = _rows(snapshot, f"SELECT ?a ?post ?p ?e WHERE {{ VALUES ?a {{ {_values(batch)} }} "
                               "VALUES ?p { schema:mentions schema:about } ?a schema:workExample ?post . ?post ?p ?e }")
        for row in rows:
            if row["post"].value not in skip:
                out.setdefault(row["a"].value, set()).add((str(row["p"]), str(row["e"])))
    return out


def site_subjects(snapshot: Any, vocabulary_nodes: set[str]) -> set[str]:
    """Subjects of the site-wide facts (web site, taxonomies and their concepts, authors)."""
    if snapshot is None:
        return set()
    rows = _rows(snapshot, """SELECT DISTINCT ?s WHERE {
        { ?s a schema:WebSite } UNION { ?post schema:author ?s }
        UNION { ?s schema:identifier ?id } UNION { ?s a skos:ConceptScheme }
        UNION { ?s skos:inScheme ?scheme } }""")
    return {row["s"].value for row in rows if isinstance(row["s"], ox.NamedNode)
            and str(row["s"]) not in vocabulary_nodes}


def replace_default(writable: Any, subjects: set[str], data: bytes) -> None:
    """In the default graph, replace every statement whose subject is one of `subjects` (bare
    IRIs) with the N-Triples `data`."""
    if hasattr(writable, "replace_default"):  # a SPARQL server (graph.remote.RemoteWriter)
        writable.replace_default(subjects, data)
        return
    default = ox.DefaultGraph()
    for iri in subjects:
        for quad in list(writable.quads_for_pattern(ox.NamedNode(iri), None, None, default)):
            writable.remove(quad)
    if data:
        writable.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
