"""SPARQL over the built graph, and the formats its answers are written in.

The default graph of every query is the knowledge graph (data model version 2, DESIGN.md): every
fact once, so a plain query needs neither DISTINCT nor GRAPH. What each post says, with its
evidence, is in the post's named graph (`GRAPH ?post { … }`). The usual prefixes (schema:, skos:,
pg: …) are predeclared.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox

from graph import deadline, formats
from graph.namespaces import PREFIXES, local_name, short_iri


class QueryError(Exception):
    """The query could not be parsed or run; the message comes from the SPARQL engine. `syntax`:
    it does not parse (the message has the line and column)."""

    def __init__(self, message: str, syntax: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax

    def __reduce__(self) -> tuple[Any, ...]:  # sent from a query worker with its flag
        return (QueryError, (str(self), self.syntax))


@dataclass
class Answer:
    """A query's result: `kind` is "select", "ask" or "graph" (CONSTRUCT/DESCRIBE)."""

    kind: str
    result: Any  # ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

    @property
    def variables(self) -> list[str]:
        return [v.value for v in self.result.variables] if self.kind == "select" else []


def run(store: ox.Store, sparql: str, *, union: bool = False,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None) -> Answer:
    """Run a SPARQL 1.1 query over the knowledge graph (`union=True`: over the union of every
    graph). Raises `QueryError` with the parser's message (line:column).

    Under a time budget (graph.deadline) the query is not started once the budget has passed, and
    its solutions check the budget while they are read (deadline.OverBudget)."""
    deadline.check()
    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graph:
        kwargs["default_graph"] = default_graph
    else:
        kwargs["use_default_graph_as_union"] = union
    if named_graphs:
        kwargs["named_graphs"] = named_graphs
    try:
        result = store.query(sparql, **kwargs)
    except SyntaxError as exc:
        raise QueryError(str(exc), syntax=True) from exc
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(str(exc)) from exc
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", result)
    if isinstance(result, ox.QueryTriples):
        return Answer("graph", result)
    return Answer("select", _Checked(result) if deadline.remaining() is not None else result)


class Solution:
    """One solution of `solutions()`: terms by variable name or position (None when unbound), as
    pyoxigraph's QuerySolution."""

    __slots__ = ("_names", "_terms")

    def __init__(self, names: dict[str, int], terms: list[Any]) -> None:
        self._names, self._terms = names, terms

    def __getitem__(self, key: str | int) -> Any:
        return self._terms[key if isinstance(key, int) else self._names[key]]


def solutions(store: ox.Store, sparql: str, **options: Any) -> list[Solution]:
    """Every solution of a SELECT over the knowledge graph (`run`'s options), read in one call.

    Reading pyoxigraph's solutions one by one gives up the GIL and takes it back for each row: in
    a busy server every row then waits for the other threads (12,000 rows took 1.5 s with three
    busy threads, 60 ms alone). Serialised to JSON inside the store and parsed by Python's C
    parser, they cost one wait (0.2 s). For bounded queries (the pages'); the whole result is in
    memory at once. Under a time budget it is checked before and after."""
    data = _read_all(store, sparql, **options)
    variables = data["head"]["vars"]
    names = {name: i for i, name in enumerate(variables)}
    out = []
    for binding in data["results"]["bindings"]:
        out.append(Solution(names, [_term(binding[v]) if v in binding else None for v in variables]))
    return out


def column(store: ox.Store, sparql: str, **options: Any) -> list[str]:
    """The values (IRIs, literals' text) of a SELECT's first variable, read in one call as
    `solutions()`; unbound ones left out."""
    data = _read_all(store, sparql, **options)
    first = data["head"]["vars"][0]
    return [b[first]["value"] for b in data["results"]["bindings"] if first in b]


def _read_all(store: ox.Store, sparql: str, **options: Any) -> dict[str, Any]:
    answer = run(store, sparql, **options)
    if answer.kind != "select":
        raise QueryError("only SELECT queries are read this way")
    data = json.loads(answer.result.serialize(format=ox.QueryResultsFormat.JSON))
    deadline.check()
    return data


def _term(value: dict[str, Any]) -> Any:
    """A term of the SPARQL 1.1 Query Results JSON Format as a pyoxigraph term."""
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    if kind == "triple":
        triple = value["value"]
        return ox.Triple(_term(triple["subject"]), _term(triple["predicate"]), _term(triple["object"]))
    raise QueryError(f"unknown term type {kind!r} in the results")


class _Checked:
    """Solutions that check the time budget while they are read (and are otherwise the same)."""

    def __init__(self, solutions: ox.QuerySolutions) -> None:
        self._solutions = solutions

    def __iter__(self) -> Any:
        return deadline.checked(self._solutions)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._solutions, name)


def write(answer: Answer, fmt: str, out: IO[bytes]) -> None:
    """Serialise an answer; `fmt` must suit it (`query_format_names`, or an alias of one: `xml` is
    RDF/XML for a CONSTRUCT, see graph.formats)."""
    choices = formats.answer_formats(answer.kind)
    spec = formats.find(fmt, among=choices)
    if spec is None:
        what, also = ("a CONSTRUCT/DESCRIBE", "") if answer.kind == "graph" else ("a SELECT/ASK", "table, ")
        raise QueryError(f"{what} result cannot be written as {fmt}; "
                         f"use one of {also}{', '.join(sorted(f.name for f in choices))}")
    if spec.rdf_format is not None:
        ox.serialize(answer.result, out, format=spec.rdf_format, prefixes=spec.prefix_map())
    else:
        answer.result.serialize(out, format=spec.results_format)


def query_format_names() -> list[str]:
    """What `postgraph query --format` offers besides `table`: every format some answer is written in."""
    return sorted({f.name for kind in ("select", "graph") for f in formats.answer_formats(kind)})


def term_text(term: Any, compact: bool = True, site_ids: str | None = None, limit: int | None = None) -> str:
    """A term for people: prefixed name or <IRI>, literal value, or empty for unbound. With
    `site_ids` (the site's entity base, `…/id/`), its IRIs read `id:event/scale/2025`; with `limit`,
    longer literals end in "…"."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return short_iri(term.value, site_ids) if compact else term.value
    if isinstance(term, ox.Literal) and limit is not None and len(term.value) > limit:
        return term.value[:limit - 1].rstrip() + "…" + (f"@{term.language}" if term.language else "")
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def rows(answer: Answer, site_ids: str | None = None, limit: int | None = None) -> list[list[str]]:
    """SELECT solutions as text cells (for tables); see `term_text` for `site_ids` and `limit`."""
    names = answer.variables
    return [[term_text(sol[n], site_ids=site_ids, limit=limit) for n in names] for sol in answer.result]


def scalar(store: ox.Store, sparql: str) -> Any:
    """The first value of the first solution, or None."""
    for sol in run(store, sparql).result:
        term = sol[0]
        return term.value if term is not None else None
    return None


_PAGE_TYPES = "schema:BlogPosting schema:WebPage schema:ProfilePage schema:CollectionPage"


def stats(store: ox.Store) -> dict[str, list[tuple[str, int]]]:
    """Counts by class, by post language, by named graph kind, and totals.

    Written to use the store's indexes, not to scan every quad more than once: on a 10,000-post
    site (22 million quads) the first version took two and a half minutes."""
    def pairs(sparql: str) -> list[tuple[str, int]]:
        return [(term_text(s[0]), int(s[1].value)) for s in run(store, sparql).result]

    totals = pairs("""SELECT ?what ?n WHERE {
        { SELECT ("quads in the knowledge graph" AS ?what) (COUNT(*) AS ?n) WHERE { ?s ?p ?o } }
        UNION { SELECT ("quads in named graphs" AS ?what) (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
                FILTER(!STRSTARTS(STR(?g), "urn:postgraph:")) } }
        UNION { SELECT ("named graphs" AS ?what) (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { }
                FILTER(!STRSTARTS(STR(?g), "urn:postgraph:")) } }
        UNION { SELECT ("articles" AS ?what) (COUNT(?a) AS ?n) WHERE { ?a a schema:CreativeWork } }
    }""")
    pages = pairs(f"""SELECT ?t (COUNT(?p) AS ?n) WHERE {{ VALUES ?t {{ {_PAGE_TYPES} }} ?p a ?t }}
                      GROUP BY ?t ORDER BY DESC(?n)""")
    named = next((n for what, n in totals if what == "named graphs"), 0)
    if named < sum(n for _t, n in pages):
        # Some servers (Virtuoso) match nothing for `GRAPH ?g { }`: count graphs by their quads.
        named = int(scalar(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                  "FILTER(!STRSTARTS(STR(?g), \"urn:postgraph:\")) }") or 0)
        totals = [(what, named if what == "named graphs" else n) for what, n in totals]
    return {
        "totals": totals,
        # the knowledge graph holds only what posts mention: these are the site's entities
        "classes": pairs("""SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class }
                            GROUP BY ?class ORDER BY DESC(?n) ?class"""),
        "languages": pairs(f"""SELECT ?lang (COUNT(?p) AS ?n) WHERE {{ VALUES ?t {{ {_PAGE_TYPES} }}
                               ?p a ?t ; schema:inLanguage ?lang }} GROUP BY ?lang ORDER BY DESC(?n) ?lang"""),
        # one-value properties on which posts disagree: how many different values are said
        "conflicts": pairs("""SELECT ?what (COUNT(DISTINCT ?value) AS ?n) WHERE {
            VALUES ?property { schema:location schema:startDate schema:endDate }
            GRAPH ?g { ?event ?property ?value }
            ?event ?property ?kept .
            BIND(CONCAT(STR(?event), " ", STR(?property)) AS ?what) }
            GROUP BY ?what HAVING (COUNT(DISTINCT ?value) > 1 || SAMPLE(?value) != SAMPLE(?kept)) ORDER BY ?what"""),
        # a page's graph is named by the page; the others (site, vocabulary, ontology) by what they hold
        "graphs": [*pages, ("other graphs (site, vocabulary, ontology)", named - sum(n for _t, n in pages))],
    }


def to_bytes(answer: Answer, fmt: str) -> bytes:
    buf = io.BytesIO()
    write(answer, fmt, buf)
    return buf.getvalue()


@dataclass
class Candidate:
    """An entity found by a naming pattern, not by the vocabulary: something for a curator to add."""

    iri: str
    kind: str
    name: str
    method: str
    posts: int
    mentions: int
    example: str


_KIND_OF_TYPE = {"Event": "event", "EventSeries": "event", "Project": "project", "SoftwareSourceCode": "project",
                 "Organization": "organization"}


def candidates(store: ox.Store, kind: str | None = None, min_posts: int = 1) -> list[Candidate]:
    """Entities that only naming patterns found, most widely mentioned first (by articles, then
    occurrences), with the headline of a post that names them as an example."""
    answer = run(store, """
        SELECT ?e (SAMPLE(?type) AS ?t) (SAMPLE(?name) AS ?n) (SAMPLE(?method) AS ?m)
               (COUNT(DISTINCT ?work) AS ?posts) (SUM(?occurrences) AS ?mentions) (SAMPLE(?headline) AS ?s)
        WHERE {
          GRAPH ?post { ?a oa:hasBody ?e ; pg:method ?method ; pg:occurrences ?occurrences }
          FILTER(STRSTARTS(?method, "pattern:"))
          ?e a ?type .
          OPTIONAL { ?e schema:name ?name }
          OPTIONAL { ?post schema:exampleOfWork ?article }
          OPTIONAL { ?post schema:headline ?headline }
          BIND(COALESCE(?article, ?post) AS ?work)
        }
        GROUP BY ?e ORDER BY DESC(?posts) DESC(?mentions) ?n""")
    out = []
    for row in answer.result:
        type_name = local_name(row["t"].value)
        found_kind = _KIND_OF_TYPE.get(type_name, type_name.lower())
        posts = int(row["posts"].value)
        if (kind and found_kind != kind) or posts < min_posts:
            continue
        out.append(Candidate(row["e"].value, found_kind, row["n"].value if row["n"] else row["e"].value,
                             row["m"].value, posts, int(row["mentions"].value),
                             row["s"].value if row["s"] else ""))
    return out


def recent_posts(store: ox.Store, limit: int = 10) -> list[dict[str, str]]:
    """The newest posts: IRI, headline, language, date."""
    return [{"iri": r["post"].value, "headline": r["h"].value if r["h"] else r["post"].value,
             "lang": r["l"].value if r["l"] else "", "date": (r["d"].value if r["d"] else "")[:10]}
            for r in run(store, f"""
                SELECT ?post (SAMPLE(?headline) AS ?h) (SAMPLE(?lang) AS ?l) (MAX(?date) AS ?d) WHERE {{
                  ?post a schema:BlogPosting ; schema:datePublished ?date .
                  OPTIONAL {{ ?post schema:headline ?headline }} OPTIONAL {{ ?post schema:inLanguage ?lang }}
                }} GROUP BY ?post ORDER BY DESC(?d) LIMIT {int(limit)}""").result]


def posts_by_year(store: ox.Store) -> list[tuple[str, int]]:
    """How many posts were published each year."""
    return [(r["y"].value, int(r["n"].value)) for r in run(store, """
        SELECT ?y (COUNT(DISTINCT ?post) AS ?n) WHERE {
          ?post a schema:BlogPosting ; schema:datePublished ?date . BIND(STR(YEAR(?date)) AS ?y)
        } GROUP BY ?y ORDER BY ?y""").result]
