"""What the web pages and the CLI ask of the knowledge graph besides a user's query: the terms it
uses (for the query editor), labels of IRIs, the bounded description of one IRI, and the dataset's
VoID description. Views call these; no SPARQL text lives in `web/`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from graph.namespaces import PREFIXES, X_DCTERMS, X_OA, X_RDF, X_VOID, short_iri

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


#: What the RDF description of an IRI holds: the statements about it (up to DESCRIBE_OUT) and those
#: pointing at it (up to DESCRIBE_IN), each once whatever the number of post graphs restating it.
#: Statements that only carry evidence (an annotation's body, a claim's subject or object) are left
#: out: a much-mentioned project is the body of tens of thousands of annotations, and a class such
#: as oa:Annotation the object of millions of statements, which the web process would otherwise
#: gather in memory. The entity page shows the evidence; /sparql has everything.
DESCRIBE_OUT, DESCRIBE_IN = 10_000, 2_000
_OUTGOING = "SELECT DISTINCT ?iri ?p ?o WHERE { ?iri ?p ?o } LIMIT %d"
_EVIDENCE_LINKS = ", ".join(f"<{p.value}>" for p in (X_OA.hasBody, X_RDF.subject, X_RDF.object))
_INCOMING = "SELECT DISTINCT ?iri ?s ?q WHERE { ?s ?q ?iri FILTER(?q NOT IN (" + _EVIDENCE_LINKS + ")) } LIMIT %d"


def describe_triples(snapshot: Any, iri: str) -> tuple[list[ox.Triple], bool]:
    """The bounded description of `iri` (see DESCRIBE_OUT), and whether a bound was reached."""
    node, bind = ox.NamedNode(iri), {ox.Variable("iri"): ox.NamedNode(iri)}
    out = [ox.Triple(node, r["p"], r["o"]) for r in snapshot.query(
        _OUTGOING % (DESCRIBE_OUT + 1), substitutions=bind)]
    into = [ox.Triple(r["s"], r["q"], node) for r in snapshot.query(
        _INCOMING % (DESCRIBE_IN + 1), substitutions=bind)]
    truncated = len(out) > DESCRIBE_OUT or len(into) > DESCRIBE_IN
    return out[:DESCRIBE_OUT] + into[:DESCRIBE_IN], truncated


def void_description(snapshot: ox.Store, root: str, info: dict, dumps: Iterable[str]) -> list[ox.Triple]:
    """VoID: counts, vocabularies, the endpoint (`root`/sparql) and the dumps (`root`/export/
    postgraph.<ext> for each extension in `dumps`) of this dataset."""
    dataset = ox.NamedNode(root + "/.well-known/void#dataset")
    triples = [ox.Triple(dataset, ox.NamedNode(PREFIXES["rdf"] + "type"), X_VOID.Dataset)]
    # the knowledge graph (the default graph): what the Turtle dump and a plain query see
    count = next(iter(snapshot.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0]
    entities = next(iter(snapshot.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER isIRI(?s) }")))[0]
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
