"""The RDF description of one IRI: what `/id/…` and `/describe` answer in Turtle, JSON-LD, N-Triples
or RDF/XML (people get the entity page, graph.entity).

It holds the statements about the IRI (up to DESCRIBE_OUT) and those pointing at it (up to
DESCRIBE_IN), from the knowledge graph, where each is stated once whatever the number of post
graphs restating it. Statements that only carry evidence (an annotation's body, a claim's subject
or object) are left out: a much-mentioned project is the body of tens of thousands of
annotations, and a class such as oa:Annotation the object of millions of statements, which the
web process would otherwise gather in memory. The entity page shows the evidence; /sparql has
everything. Solutions are read in one call (graph.query.solutions), not row by row.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import formats
from .namespaces import X_OA, X_RDF
from .query import solutions

DESCRIBE_OUT, DESCRIBE_IN = 10_000, 2_000
_EVIDENCE_LINKS = ", ".join(f"<{p.value}>" for p in (X_OA.hasBody, X_RDF.subject, X_RDF.object))


def describe_triples(snapshot: ox.Store, iri: str) -> tuple[list[ox.Triple], bool]:
    """The bounded description of `iri` (see DESCRIBE_OUT), and whether a bound was reached.
    Raises ValueError for a string that is no IRI."""
    node = ox.NamedNode(iri)  # validates: nothing but an IRI goes into the queries below
    out = [ox.Triple(node, r["p"], r["o"]) for r in solutions(
        snapshot, f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT {DESCRIBE_OUT + 1}")]
    into = [ox.Triple(r["s"], r["q"], node) for r in solutions(snapshot, f"""
        SELECT ?s ?q WHERE {{ ?s ?q <{iri}> FILTER(?q NOT IN ({_EVIDENCE_LINKS})) }} LIMIT {DESCRIBE_IN + 1}""")]
    truncated = len(out) > DESCRIBE_OUT or len(into) > DESCRIBE_IN
    return out[:DESCRIBE_OUT] + into[:DESCRIBE_IN], truncated


def truncation_note() -> str:
    return (f"only the first {DESCRIBE_OUT:,} statements about it and {DESCRIBE_IN:,} pointing at it; "
            "ask /sparql for all")


def description(snapshot: ox.Store, iri: str, fmt: formats.Format) -> tuple[bytes, bool] | None:
    """The description of `iri` written in `fmt` (a graph format of graph.formats), and whether it
    was cut (Turtle and N-Triples then begin with a comment saying so); None when the graph holds
    nothing about it or `iri` is no IRI."""
    try:
        triples, truncated = describe_triples(snapshot, iri)
    except ValueError:
        return None
    if not triples:
        return None
    body = ox.serialize(triples, format=fmt.rdf_format, prefixes=fmt.prefix_map()) or b""
    if truncated and fmt.name in ("turtle", "ntriples"):
        body = f"# {truncation_note()}\n".encode() + body
    return body, truncated
