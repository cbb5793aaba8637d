"""Keeping the knowledge graph (the store's default graph) up to date during a build.

A build writes each changed post's named graph whole; the default graph is changed subject by
subject: the statements whose subject is a changed post, an article or site fact, or an entity
one of the changed posts talks about (before or after the change) are replaced by their new
consolidated form (graph.build.consolidate). What unchanged posts say is read back from the store as
it was before the build, so an incremental build re-consolidates only what it touched, on the
embedded store and on a SPARQL server alike.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.build.consolidate import SYMMETRIC, Consolidator, Evidence
from graph.extract.places import Gazetteer
from graph.extract.vocabulary import Vocabulary
from graph.ids import Minter
from graph.map.pages import article_iri, article_quads
from graph.model import Page
from graph.namespaces import PREFIXES, RDF_TYPE
from graph.store.base import GraphWriter

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


def evidence_in_store(snapshot: Any, nodes: set[str], excluded: set[str]) -> Evidence:
    """What the post graphs other than `excluded` (bare IRIs: the graphs a build rewrites, and
    the vocabulary's, ontology's and site's) say about `nodes` (`<iri>`), whether one of them
    mentions each node, and whether a fact of the knowledge graph points at it, as the store
    holds it. Only yes/no for the last two: a much-mentioned project is named by thousands of
    posts, and listing them all cost most of an incremental build."""
    ev = Evidence()
    if snapshot is None or not nodes:
        return ev
    symmetric = " ".join(SYMMETRIC)
    skip = " ".join(f"<{g}>" for g in sorted(excluded)) if len(excluded) <= 2000 else ""
    not_skipped = f"FILTER(?g NOT IN ({', '.join(skip.split())}))" if skip else ""
    for batch in _batches(nodes):
        values = _values(batch)
        for row in _rows(snapshot, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            if row["g"].value not in excluded:
                ev.statements.append((row["g"].value, str(row["s"]), str(row["p"]), str(row["o"])))
        for row in _rows(snapshot, f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?o {{ {values} }} VALUES ?p {{ {symmetric} }} "
                                   "GRAPH ?g { ?s ?p ?o } }"):
            if row["g"].value not in excluded:
                ev.statements.append((row["g"].value, str(row["s"]), str(row["p"]), str(row["o"])))
        if skip:
            rows = _rows(snapshot, f"SELECT ?e WHERE {{ VALUES ?e {{ {values} }} "
                                   f"FILTER EXISTS {{ GRAPH ?g {{ ?m oa:hasBody ?e }} {not_skipped} }} }}")
            ev.mentioned |= {str(row["e"]) for row in rows}
        else:  # a build that rewrites most pages: list the mentions, leave out the rewritten graphs here
            rows = _rows(snapshot, f"SELECT DISTINCT ?g ?e WHERE {{ VALUES ?e {{ {values} }} GRAPH ?g {{ ?m oa:hasBody ?e }} }}")
            ev.mentioned |= {str(row["e"]) for row in rows if row["g"].value not in excluded}
        rows = _rows(snapshot, f"SELECT ?e WHERE {{ VALUES ?e {{ {values} }} FILTER EXISTS {{ ?s ?p ?e FILTER(isIRI(?s)) }} }}")
        ev.referenced |= {str(row["e"]) for row in rows}
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
                               "?a schema:workExample ?post . "
                               "{ ?post schema:mentions ?e BIND(schema:mentions AS ?p) } "
                               "UNION { ?post schema:about ?e BIND(schema:about AS ?p) } }")
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


def _ntriples(quads: Iterable[ox.Quad]) -> bytes:
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads).encode()


@dataclass
class KnowledgeUpdate:
    """What one build changes in the knowledge graph, gathered while its pages are mapped.

    `start` reads what the pages about to be replaced or removed talked about before the build;
    `add` takes each mapped page; `apply` replaces, subject by subject, the changed pages' own
    facts, their articles, the site-wide facts when they changed, and every entity touched before
    or after the change, re-consolidated."""

    snapshot: Any
    entity_base: str
    rewritten: set[str]  # graphs of pages mapped again or removed
    touched: set[str] = field(default_factory=set)  # entities, `<iri>`
    articles: set[str] = field(default_factory=set)  # bare IRIs
    said: Evidence = field(default_factory=Evidence)  # what the mapped pages say about entities
    links: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # page -> (mentions|about, entity)

    @classmethod
    def start(cls, snapshot: Any, entity_base: str, rewritten: set[str], stored: set[str]) -> KnowledgeUpdate:
        old = rewritten & stored
        return cls(snapshot, entity_base, rewritten, entities_of_graphs(snapshot, old, entity_base),
                   articles_of_graphs(snapshot, old))

    def forget_pages(self, writable: GraphWriter, pages: set[str]) -> None:
        """Before the mapped pages' own facts are loaded: drop what the default graph said of these
        pages (of those this build rewrites or removes)."""
        if pages:
            writable.replace_default(pages, b"")

    def keep(self, pages: set[str]) -> None:
        """Pages whose mapping was given up: their stored graphs stay, and count as they were."""
        self.rewritten -= pages

    def add(self, graph: str, statements: Iterable[tuple[str, str, str]], mentioned: Iterable[str],
            links: set[tuple[str, str]]) -> None:
        """A mapped page (its own facts go straight to the store). Terms are interned: the same
        IRIs come back from every page, and a 10,000-post build kept millions of copies."""
        rdf_type, entities = f"<{RDF_TYPE.value}>", f"<{self.entity_base}"
        graph = sys.intern(graph)
        for s, p, o in statements:
            s, p, o = sys.intern(s), sys.intern(p), sys.intern(o)
            self.said.statements.append((graph, s, p, o))
            self.touched.add(s)
            if o.startswith(entities) and p != rdf_type:
                self.touched.add(o)
        for e in mentioned:
            e = sys.intern(e)
            self.said.mentioned.add(e)
            self.touched.add(e)
        self.links[graph] = {(sys.intern(p), sys.intern(e)) for p, e in links}

    def apply(self, writable: GraphWriter, *, pages: Sequence[Page], mapped: Sequence[Page], minter: Minter,
              vocabulary: Vocabulary, gazetteer: Callable[[], Gazetteer], other_graphs: set[str],
              site_facts: list[ox.Quad] | None) -> int:
        """Write the changes into `writable`; `site_facts` when the site-wide facts changed;
        `other_graphs`: the named graphs that are not posts' (vocabulary, ontology, site).
        Returns the number of consolidated statements written."""
        excluded = self.rewritten | other_graphs
        subjects: set[str] = set()
        data: list[bytes] = []
        if site_facts is not None:
            subjects |= site_subjects(self.snapshot, {f"<{iri}>" for iri in vocabulary.by_subject})
            subjects |= {q.subject.value for q in site_facts}
            data.append(_ntriples(site_facts))
        data.append(self._articles(pages, mapped, minter))
        subjects |= self.articles
        consolidated = Consolidator(vocabulary, gazetteer).run({t[1:-1] for t in self.touched},
                                                               lambda nodes: self._fetch(nodes, excluded))
        subjects |= consolidated.subjects
        data.append("".join(consolidated.lines).encode())
        writable.replace_default(subjects, data)
        return len(consolidated.lines)

    def _articles(self, pages: Sequence[Page], mapped: Sequence[Page], minter: Minter) -> bytes:
        """Articles whose versions changed: their versions, names, and what any version mentions."""
        by_article: dict[str, list[Page]] = {}
        for page in pages:
            article = article_iri(page, minter)
            if article is not None:
                by_article.setdefault(article.value, []).append(page)
        self.articles |= {a.value for p in mapped if (a := article_iri(p, minter)) is not None}
        stored = article_links(self.snapshot, self.articles, self.rewritten)
        out: list[bytes] = []
        for article in sorted(self.articles):
            versions = by_article.get(article, [])
            out.append(_ntriples(article_quads(versions, minter)))
            said = set(stored.get(article, set()))
            for version in versions:
                said |= self.links.get(version.permalink, set())
            if versions:
                out.append("".join(f"<{article}> {p} {e} .\n" for p, e in sorted(said)).encode())
        return b"".join(out)

    def _fetch(self, nodes: set[str], excluded: set[str]) -> Evidence:
        """What the unchanged posts (from the store) and the mapped ones say about `nodes`."""
        ev = evidence_in_store(self.snapshot, nodes, excluded)
        ev.statements += [st for st in self.said.statements if st[1] in nodes or st[3] in nodes]
        ev.mentioned |= self.said.mentioned & nodes
        return ev
