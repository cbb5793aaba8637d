"""Network analysis of the entity graph: centrality, co-occurrence, communities, paths.

Only the entity graph is projected into Python (networkx): entities mentioned by posts, the
relations stated between them, and how often two entities are mentioned by the same post. The
rest of the store (mentions, evidence, provenance) stays in Oxigraph. Every query reads the
knowledge graph (the default graph), where each fact is stated once. An entity's weight is the
number of articles that mention it (an article's language versions count once). Themes over
time (a query of the knowledge graph, no projection) are graph.explore.theme_trends'.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pyoxigraph as ox
from scipy import sparse

from graph.extract.vocabulary import kind_of
from graph.query.sparql import run

#: Relations between entities that make edges of the entity graph (prefixed names, see namespaces).
RELATIONS = ("schema:superEvent", "seo:colocatedWith", "schema:location", "schema:organizer", "pg:theme",
             "pg:features", "schema:containedInPlace", "schema:sourceOrganization")
_SERIES = "https://schema.org/EventSeries"
#: Edge costs for shortest paths: a chain of up to three stated relations is preferred to one hop
#: through a shared post (weaker evidence).
RELATION_COST, COMENTION_COST = 1.0, 3.5


class AnalysisError(ValueError):
    """A request the analysis cannot answer (unknown entity, no path …); the message says why."""


@dataclass
class EntityGraph:
    """The projected entity graph.

    Nodes are entity IRIs with `kind` (event, series, project, organization, place, topic) and
    `label`; an edge carries `relations` (the properties stated between its ends, as
    (subject, property, object) triples) and `posts` (how many posts mention both ends).
    """

    graph: nx.Graph
    posts_of: dict[str, set[str]] = field(default_factory=dict)  # entity -> posts that mention it
    post_meta: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # post -> (language, year)

    def label(self, iri: str) -> str:
        return self.graph.nodes[iri].get("label", iri) if iri in self.graph else iri

    def kind(self, iri: str) -> str:
        return self.graph.nodes[iri].get("kind", "other") if iri in self.graph else "other"

    def pagerank(self) -> dict[str, float]:
        """PageRank over the weighted graph, computed once per projection."""
        if "pagerank" not in self.graph.graph:
            self.graph.graph["pagerank"] = nx.pagerank(self.graph, weight="weight") if len(self.graph) else {}
        return self.graph.graph["pagerank"]


def search_key(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching what people type ("Straße" and
    "STRASSE" alike: full case folding, so the length may change; `matcher.fold_keeping_offsets`
    is the fold for finding names in a text)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def pick_label(labels: list[tuple[str, str]], lang: str) -> str | None:
    """The label in `lang`, else English, else language-less, else any."""
    for wanted in (lang, "en", ""):
        for text, tag in labels:
            if tag.split("-")[0] == wanted:
                return text
    return labels[0][0] if labels else None


def project(snapshot: ox.Store, lang: str = "en", comentions: bool = True, comention_min_posts: int = 2,
            comentions_per_node: int = 25) -> EntityGraph:
    """Project the entities mentioned by posts, and the relations between them, into networkx.

    Co-mention edges (two entities mentioned by the same post) are kept where at least
    `comention_min_posts` posts share them, and only each entity's `comentions_per_node` strongest:
    on a large site nearly every pair of popular entities shares some post, and a complete graph
    of thousands of nodes would not fit in memory or mean anything."""
    posts_of: dict[str, set[str]] = defaultdict(set)
    for row in run(snapshot, "SELECT ?post ?e WHERE { ?post a schema:BlogPosting ; schema:mentions ?e }").result:
        posts_of[row["e"].value].add(row["post"].value)
    article_of = {row["post"].value: row["a"].value for row in run(
        snapshot, "SELECT ?post ?a WHERE { ?a a schema:CreativeWork ; schema:workExample ?post }").result}
    post_meta: dict[str, tuple[str, int | None]] = {}
    for row in run(snapshot, """
            SELECT ?post (SAMPLE(?l) AS ?lang) (SAMPLE(?d) AS ?date) WHERE {
              ?post a schema:BlogPosting . OPTIONAL { ?post schema:inLanguage ?l } OPTIONAL { ?post schema:datePublished ?d }
            } GROUP BY ?post""").result:
        date = row["date"].value if row["date"] is not None else ""
        post_meta[row["post"].value] = (row["lang"].value if row["lang"] is not None else "",
                                        int(date[:4]) if date[:4].isdigit() else None)
    types: dict[str, set[str]] = defaultdict(set)
    for row in run(snapshot, """
            SELECT DISTINCT ?e ?t WHERE {
              { SELECT DISTINCT ?e WHERE { ?post schema:mentions ?e } }
              ?e a ?t
            }""").result:
        types[row["e"].value].add(row["t"].value)
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    aliases: dict[str, set[str]] = defaultdict(set)  # every name and alias, as written
    for row in run(snapshot, """
            SELECT DISTINCT ?e ?name ?alias WHERE {
              { SELECT DISTINCT ?e WHERE { ?post schema:mentions ?e } }
              { ?e schema:name|skos:prefLabel ?name } UNION { ?e skos:altLabel ?alias }
            }""").result:
        if row["name"] is not None:
            name = row["name"]
            labels[row["e"].value].append((name.value, getattr(name, "language", None) or ""))
            aliases[row["e"].value].add(name.value)
        else:
            aliases[row["e"].value].add(row["alias"].value)

    g = nx.Graph()
    for iri, posts in posts_of.items():
        kinds = types.get(iri, set())
        kind = "series" if _SERIES in kinds else (kind_of(frozenset(kinds)) or "other")
        g.add_node(iri, kind=kind, label=pick_label(labels.get(iri, []), lang) or iri.rsplit("/", 1)[-1],
                   posts=len({article_of.get(p, p) for p in posts}), names=tuple(sorted(aliases.get(iri, ()))),
                   folded=frozenset(search_key(n) for n in aliases.get(iri, ())))
    values = " ".join(RELATIONS)
    for row in run(snapshot, f"""
            SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isIRI(?o)) }}""").result:
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        if s == o or s not in g or o not in g:
            continue
        data = g.get_edge_data(s, o)
        if data is None:
            g.add_edge(s, o, relations={(s, p, o)}, posts=0)
        else:
            data["relations"].add((s, p, o))
    if comentions:
        _add_comentions(g, posts_of, min_posts=comention_min_posts, per_node=comentions_per_node)
    for _a, _b, data in g.edges(data=True):
        data["cost"] = RELATION_COST if data["relations"] else COMENTION_COST
        data["weight"] = len(data["relations"]) + data["posts"]
    return EntityGraph(g, dict(posts_of), post_meta)


def _add_comentions(g: nx.Graph, posts_of: dict[str, set[str]], min_posts: int, per_node: int) -> None:
    """Add each entity's `per_node` strongest co-mention edges (ties broken by IRI), counted by a sparse
    product: with M the post x entity incidence matrix, M^T M counts the posts every pair shares.
    (Counting pairs post by post in Python took 60% of a projection.)"""
    entities = sorted(iri for iri, posts in posts_of.items() if len(posts) >= min_posts)
    if len(entities) < 2:
        return
    post_index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for col, iri in enumerate(entities):  # columns in IRI order, so index order breaks ties like the IRI
        for post in posts_of[iri]:
            rows.append(post_index.setdefault(post, len(post_index)))
            cols.append(col)
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)),
                          shape=(len(post_index), len(entities)))
    shared = (m.T @ m).tocoo()
    mask = (shared.row != shared.col) & (shared.data >= min_posts)
    a, b, n = shared.row[mask], shared.col[mask], shared.data[mask]  # both directions of every pair
    order = np.lexsort((b, -n, a))  # by entity, strongest first, then by the other's IRI
    a, b, n = a[order], b[order], n[order]
    first = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
    rank = np.arange(len(a)) - np.repeat(first, np.diff(np.r_[first, len(a)]))
    kept = rank < per_node
    lo, hi, n = np.minimum(a[kept], b[kept]), np.maximum(a[kept], b[kept]), n[kept]
    _, unique = np.unique(lo.astype(np.int64) * len(entities) + hi, return_index=True)
    for i in unique:
        x, y, count = entities[lo[i]], entities[hi[i]], int(n[i])
        data = g.get_edge_data(x, y)
        if data is None:
            g.add_edge(x, y, relations=set(), posts=count)
        else:
            data["posts"] = count


# --- analyses ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ranked:
    iri: str
    label: str
    kind: str
    posts: int
    pagerank: float
    degree: int
    betweenness: float


def centrality(eg: EntityGraph, top: int = 20, kinds: set[str] | None = None, seed: int = 1) -> list[Ranked]:
    """Entities ranked by PageRank over the weighted entity graph, with degree and betweenness.

    Betweenness is computed over the stated relations only (who brokers between events, projects
    and places), estimated from 100 sampled sources above 500 nodes (seeded, so repeatable)."""
    g = eg.graph
    if g.number_of_nodes() == 0:
        return []
    rank = eg.pagerank()
    stated = g.edge_subgraph([(a, b) for a, b, d in g.edges(data=True) if d["relations"]])
    k = 100 if stated.number_of_nodes() > 500 else None
    between = dict.fromkeys(g, 0.0)
    if stated.number_of_edges():
        between.update(nx.betweenness_centrality(stated, k=k, seed=seed))
    nodes = [n for n in g if kinds is None or g.nodes[n]["kind"] in kinds]
    nodes.sort(key=lambda n: (-rank[n], eg.label(n)))
    return [Ranked(n, eg.label(n), eg.kind(n), g.nodes[n]["posts"], rank[n], g.degree(n), between[n])
            for n in nodes[:top]]


@dataclass(frozen=True)
class Pair:
    a: str
    a_label: str
    b: str
    b_label: str
    posts: int
    stated: tuple[str, ...]  # properties stated between them (pg:features …), as IRIs


def cooccurrence(eg: EntityGraph, kind_a: str = "project", kind_b: str = "topic", top: int = 30) -> list[Pair]:
    """Pairs of a `kind_a` and a `kind_b` entity by the number of posts that mention both, with the
    relations stated between them."""
    out = []
    for a, b, data in eg.graph.edges(data=True):
        ka, kb = eg.kind(a), eg.kind(b)
        if (ka, kb) == (kind_b, kind_a) and kind_a != kind_b:
            a, b = b, a
        elif (ka, kb) != (kind_a, kind_b):
            continue
        if data["posts"] or data["relations"]:
            stated = tuple(sorted({p for _s, p, _o in data["relations"]}))
            out.append(Pair(a, eg.label(a), b, eg.label(b), data["posts"], stated))
    out.sort(key=lambda p: (-p.posts, -len(p.stated), p.a_label, p.b_label))
    return out[:top]


@dataclass(frozen=True)
class Community:
    size: int
    members: tuple[tuple[str, str, str], ...]  # (iri, label, kind), most central first
    kinds: dict[str, int]


def communities(eg: EntityGraph, top_members: int = 8, min_size: int = 3, seed: int = 1) -> list[Community]:
    """Louvain communities of the weighted entity graph (seeded), largest first."""
    g = eg.graph
    if g.number_of_edges() == 0:
        return []
    rank = eg.pagerank()
    out = []
    for nodes in nx.community.louvain_communities(g, weight="weight", seed=seed):
        if len(nodes) < min_size:
            continue
        ordered = sorted(nodes, key=lambda n: (-rank[n], eg.label(n)))
        out.append(Community(len(nodes), tuple((n, eg.label(n), eg.kind(n)) for n in ordered[:top_members]),
                             dict(Counter(eg.kind(n) for n in nodes).most_common())))
    out.sort(key=lambda c: -c.size)
    return out


def resolve(eg: EntityGraph, ref: str) -> str:
    """An entity IRI from an IRI or any of its names or aliases (any language, case and accents
    ignored); else the best-connected entity whose label contains the text."""
    if ref in eg.graph:
        return ref
    wanted = search_key(ref.strip())
    found = [n for n, data in eg.graph.nodes(data=True) if wanted in data["folded"] or search_key(data["label"]) == wanted]
    if not found:
        found = [n for n, data in eg.graph.nodes(data=True) if wanted and wanted in search_key(data["label"])]
    if not found:
        raise AnalysisError(f"no entity is called {ref!r}; give its IRI or another of its names")
    return max(found, key=lambda n: (eg.graph.degree(n), -len(eg.label(n))))


@dataclass(frozen=True)
class Evidence:
    post: str
    text: str  # the sentence (or the post's headline when the hop is a shared post)
    method: str


@dataclass(frozen=True)
class Hop:
    source: str
    source_label: str
    target: str
    target_label: str
    statements: tuple[tuple[str, str, str], ...]  # (subject, property, object) stated between them
    posts: int  # posts that mention both
    evidence: tuple[Evidence, ...]


def shortest_path(eg: EntityGraph, snapshot: ox.Store, source: str, target: str,
                  evidence_per_hop: int = 3) -> list[Hop]:
    """The cheapest path between two entities (a stated relation costs 1, sharing a post 3.5), with the
    evidence for each hop: the claims' sentences, or the posts that mention both ends."""
    a, b = resolve(eg, source), resolve(eg, target)
    if a == b:
        raise AnalysisError("the two entities are the same")
    try:
        nodes = nx.shortest_path(eg.graph, a, b, weight="cost")
    except nx.NetworkXNoPath:
        raise AnalysisError(f"{eg.label(a)} and {eg.label(b)} are not connected") from None
    hops = []
    for s, t in itertools.pairwise(nodes):
        data = eg.graph.edges[s, t]
        statements = tuple(sorted(data["relations"]))
        evidence = (_claim_evidence(snapshot, statements, evidence_per_hop) if statements
                    else _shared_posts(snapshot, s, t, evidence_per_hop))
        hops.append(Hop(s, eg.label(s), t, eg.label(t), statements, data["posts"], tuple(evidence)))
    return hops


def _claim_evidence(snapshot: ox.Store, statements: tuple[tuple[str, str, str], ...], limit: int) -> list[Evidence]:
    out: list[Evidence] = []
    for s, p, o in statements:
        for row in run(snapshot, f"""
                SELECT DISTINCT ?post ?sentence ?method WHERE {{
                  GRAPH ?post {{
                    ?claim a pg:Claim ; rdf:subject <{s}> ; rdf:predicate <{p}> ; rdf:object <{o}> .
                    OPTIONAL {{ ?claim pg:sentence ?sentence }}
                    OPTIONAL {{ ?claim pg:method ?method }}
                  }}
                }} ORDER BY ?post LIMIT {limit}""").result:
            out.append(Evidence(row["post"].value, row["sentence"].value if row["sentence"] else "",
                                row["method"].value if row["method"] else ""))
        if not out:  # a fact of the vocabulary (or stated without a claim): say which graph holds it
            for row in run(snapshot, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{s}> <{p}> <{o}> }} }} LIMIT {limit}",
                           union=False).result:
                out.append(Evidence(row["g"].value, "", "stated"))
        if len(out) >= limit:
            break
    return out[:limit]


def _shared_posts(snapshot: ox.Store, a: str, b: str, limit: int) -> list[Evidence]:
    return [Evidence(row["post"].value, row["h"].value if row["h"] else "", "co-mention")
            for row in run(snapshot, f"""
                SELECT DISTINCT ?post ?h WHERE {{
                  ?post a schema:BlogPosting ; schema:mentions <{a}>, <{b}> .
                  OPTIONAL {{ ?post schema:headline ?h }}
                }} ORDER BY ?post LIMIT {limit}""").result]
