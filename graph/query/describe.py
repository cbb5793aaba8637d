"""What the web pages and the CLI ask of the knowledge graph besides a user's query: the terms it
uses (for the query editor), labels of IRIs, the bounded description of one IRI, and the dataset's
VoID description. Views call these; no SPARQL text lives in `web/`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from graph import formats
from graph.namespaces import PREFIXES, X_DCTERMS, X_OA, X_RDF, X_VOID, short_iri
from graph.query.sparql import solutions

#: Predicates that name a thing, tried for a label in this order of preference (then by language).
LABEL_PREDICATES = ("https://schema.org/name", "http://www.w3.org/2004/02/skos/core#prefLabel",
                    "http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/headline")


def graph_terms(snapshot: ox.Store) -> list[dict[str, Any]]:
    """The classes and properties the knowledge graph uses, as prefixed names with how often
    (only terms of a declared vocabulary), most used first."""
    counts: dict[str, int] = {}
    for sparql in ("SELECT ?t (COUNT(*) AS ?n) WHERE { ?s ?t ?o } GROUP BY ?t",
                   "SELECT ?t (COUNT(*) AS ?n) WHERE { ?s a ?t } GROUP BY ?t"):
        for row in snapshot.query(sparql):
            name = short_iri(row["t"].value)
            if name != row["t"].value:
                counts[name] = counts.get(name, 0) + int(row["n"].value)
    return [{"name": n, "count": c} for n, c in sorted(counts.items(), key=lambda t: (-t[1], t[0]))]


def labels(snapshot: ox.Store, iris: Iterable[str], lang: str, limit: int = 5000) -> dict[str, str]:
    """The best label of each IRI (one in `lang`, else one without a language, else any)."""
    wanted = sorted({i for i in iris if ">" not in i and " " not in i})[:limit]
    if not wanted:
        return {}
    values = " ".join(f"<{i}>" for i in wanted)
    preds = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    best: dict[str, tuple[int, str]] = {}
    try:
        rows = snapshot.query(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {preds} }} ?s ?p ?l }}")
    except (OSError, ValueError, SyntaxError):
        return {}
    for row in rows:
        label = row["l"]
        language = getattr(label, "language", None)
        rank = 0 if language == lang else 1 if not language else 2
        key = row["s"].value
        if key not in best or rank < best[key][0]:
            best[key] = (rank, label.value)
    return {iri: text for iri, (_rank, text) in best.items()}


#: The RDF description of one IRI (what `/id/…` and `/describe` answer as RDF): the statements about
#: it (up to DESCRIBE_OUT) and those pointing at it (up to DESCRIBE_IN), from the knowledge graph,
#: each once whatever the number of post graphs restating it. Statements that only carry evidence
#: (an annotation's body, a claim's subject or object) are left out: a much-mentioned project is the
#: body of tens of thousands of annotations. The entity page shows the evidence; /sparql has all.
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


def dataset_counts(snapshot: ox.Store) -> tuple[ox.Literal, ox.Literal]:
    """VoID's triples and entities of the knowledge graph (the default graph: what the Turtle dump
    and a plain query see). Whole-store counts (a second or two at 10,000 posts): a server
    computes them once per store generation."""
    count = next(iter(snapshot.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0]
    entities = next(iter(snapshot.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER isIRI(?s) }")))[0]
    return count, entities


def void_description(snapshot: ox.Store, root: str, info: dict, dumps: Iterable[str],
                     counts: tuple[ox.Literal, ox.Literal] | None = None) -> list[ox.Triple]:
    """VoID: counts (`dataset_counts`, computed here unless given), vocabularies, the endpoint
    (`root`/sparql) and the dumps (`root`/export/postgraph.<ext> for each extension in `dumps`)
    of this dataset."""
    dataset = ox.NamedNode(root + "/.well-known/void#dataset")
    triples = [ox.Triple(dataset, ox.NamedNode(PREFIXES["rdf"] + "type"), X_VOID.Dataset)]
    count, entities = counts if counts is not None else dataset_counts(snapshot)
    triples += [ox.Triple(dataset, X_VOID.triples, count), ox.Triple(dataset, X_VOID.entities, entities),
                ox.Triple(dataset, X_VOID.sparqlEndpoint, ox.NamedNode(root + "/sparql")),
                ox.Triple(dataset, X_DCTERMS.title, ox.Literal(f"postgraph graph of {info.get('site', 'a site')}")),
                ox.Triple(dataset, X_VOID.uriSpace, ox.Literal(info.get("entity_base", "")))]
    for ext in sorted(dumps):
        triples.append(ox.Triple(dataset, X_VOID.dataDump, ox.NamedNode(f"{root}/export/postgraph.{ext}")))
    for prefix in ("schema", "skos", "prov", "oa", "seo", "doap", "dcterms", "pg"):
        triples.append(ox.Triple(dataset, X_VOID.vocabulary, ox.NamedNode(PREFIXES[prefix])))
    if info.get("built_at"):
        triples.append(ox.Triple(dataset, X_DCTERMS.modified, ox.Literal(
            info["built_at"], datatype=ox.NamedNode(PREFIXES["xsd"] + "dateTime"))))
    return triples
