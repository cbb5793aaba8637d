"""What the graph page draws: bounded, filtered subgraphs of the entity graph as vis-network data.

The entity graph comes from graph.explore.analysis.project. A browser cannot lay out tens of thousands
of nodes, so every view is bounded: the most central nodes (PageRank) that pass the filters, with
a count of what was left out. Node and edge records are plain dicts made here (pyvis' Network
checks every edge and takes seconds for a few thousand); the page (web/static/graph.js) hands
them to vis-network, which pyvis ships. Labels are data, never HTML: the page shows them with
textContent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph import deadline
from graph.explore.analysis import EntityGraph

#: Colour and vis-network shape per kind of entity (the page's legend shows the same).
STYLE: dict[str, tuple[str, str]] = {
    "event": ("#e4572e", "dot"),
    "series": ("#a23b1c", "diamond"),
    "project": ("#2e86ab", "dot"),
    "organization": ("#6a4c93", "square"),
    "place": ("#3bb273", "triangle"),
    "topic": ("#f3a712", "star"),
    "other": ("#888888", "dot"),
    "literal": ("#bbbbbb", "box"),
}
KINDS = tuple(k for k in STYLE if k != "literal")
#: How a link reads on the graph (a property's local name otherwise)
RELATION_LABELS = {"colocatedWith": "co-located with", "superEvent": "part of", "location": "in",
                   "organizer": "organized by", "sponsor": "sponsored by", "features": "featured",
                   "theme": "theme", "containedInPlace": "in", "sourceOrganization": "by",
                   "parentOrganization": "part of", "isPartOf": "part of", "startDate": "starts",
                   "endDate": "ends"}
#: How the other end reads a link: "SCaLE 2025" is *part of* SCaLE, SCaLE *has edition* SCaLE 2025
INVERSE_LABELS = {"superEvent": "has edition", "location": "place of", "organizer": "organizes",
                  "sponsor": "sponsors", "features": "featured at", "theme": "theme of", "containedInPlace": "contains",
                  "sourceOrganization": "makes", "parentOrganization": "has part", "isPartOf": "has part"}
#: Properties whose two directions are one fact: one link on the graph
SYMMETRIC = {"colocatedWith"}


def relation_label(local_name: str) -> str:
    return RELATION_LABELS.get(local_name, local_name)
DEFAULT_LIMIT, MAX_LIMIT = 300, 2000
#: Co-mention edges drawn per node (its strongest); stated relations are always drawn.
COMENTIONS_DRAWN = 8


@dataclass
class View:
    """What to draw: filters, an optional focus, and how many nodes at most."""

    kinds: set[str] = field(default_factory=set)  # empty: every kind
    lang: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    min_degree: int = 0
    limit: int = DEFAULT_LIMIT
    focus: str | None = None
    depth: int = 1
    size_by: str = "articles"  # or "pagerank", "degree"
    comention: bool = False  # draw co-mention links too (the stated relations are always drawn)


def _meta(eg: EntityGraph, iri: str) -> tuple[list[str], list[int]]:
    """Languages and [first, last] year of the posts mentioning an entity, cached on the projection."""
    cache = eg.graph.graph.setdefault("post_meta_of", {})
    if iri not in cache:
        metas = [eg.post_meta.get(p, ("", None)) for p in eg.posts_of.get(iri, ())]
        years = sorted({y for _l, y in metas if y})
        cache[iri] = (sorted({lang for lang, _y in metas} - {""}), [years[0], years[-1]] if years else [])
    return cache[iri]


def _passes(eg: EntityGraph, iri: str, view: View) -> bool:
    data = eg.graph.nodes[iri]
    if view.kinds and data["kind"] not in view.kinds:
        return False
    if view.min_degree and len(eg.graph.adj[iri]) < view.min_degree:
        return False
    if view.lang or view.year_from is not None or view.year_to is not None:
        for post in eg.posts_of.get(iri, ()):
            lang, year = eg.post_meta.get(post, ("", None))
            if view.lang and lang.split("-")[0] != view.lang:
                continue
            if view.year_from is not None and (year is None or year < view.year_from):
                continue
            if view.year_to is not None and (year is None or year > view.year_to):
                continue
            return True
        return False
    return True


def select(eg: EntityGraph, view: View) -> tuple[list[str], int]:
    """The nodes to draw (most central first) and how many others passed the filters but were left out."""
    g = eg.graph
    if view.focus is not None:
        if view.focus not in g:
            raise KeyError(view.focus)
        candidates = set(nx.ego_graph(g, view.focus, radius=view.depth))
    else:
        candidates = set(g)
    rank = eg.pagerank()
    chosen = [n for n in candidates if n == view.focus or _passes(eg, n, view)]
    chosen.sort(key=lambda n: (n != view.focus, -rank.get(n, 0.0), n))
    return chosen[: view.limit], max(0, len(chosen) - view.limit)


def vis_data(eg: EntityGraph, nodes: list[str], view: View, left_out: int = 0) -> dict[str, Any]:
    """vis-network nodes and edges for `nodes` (and the edges among them), with a notice when bounded."""
    g = eg.graph
    rank = eg.pagerank()
    out_nodes = []
    for n in nodes:
        data = g.nodes[n]
        colour, shape = STYLE.get(data["kind"], STYLE["other"])
        langs, years = _meta(eg, n)
        size = rank.get(n, 0.0) if view.size_by == "pagerank" else float(g.degree(n)) if view.size_by == "degree" \
            else float(data["posts"])
        out_nodes.append({"id": n, "label": data["label"], "group": data["kind"], "shape": shape,
                          "color": colour, "value": size, "degree": g.degree(n), "posts": data["posts"],
                          "langs": langs, "years": years})
    # Every stated relation among the drawn nodes, but only each node's strongest co-mentions: on a
    # big site the co-mentions among the 300 most central entities run to tens of thousands of
    # edges, which the browser would spend seconds laying out and nobody can read.
    among = _edges_among(g, nodes)
    strongest: set[tuple[str, str]] = set()
    by_node: dict[str, list[tuple[int, str]]] = {}
    for a, b, data in among:
        if not data["relations"]:
            by_node.setdefault(a, []).append((data["posts"], b))
            by_node.setdefault(b, []).append((data["posts"], a))
    for a, others in by_node.items():
        others.sort(key=lambda t: (-t[0], t[1]))
        strongest.update((min(a, b), max(a, b)) for _n, b in others[:COMENTIONS_DRAWN])
    out_edges = []
    for a, b, data in among:
        if not data["relations"] and (not view.comention or (min(a, b), max(a, b)) not in strongest):
            continue
        stated = sorted({p.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for _s, p, _o in data["relations"]})
        edge = {"id": f"{a} {b}", "from": a, "to": b, "relations": stated, "posts": data["posts"],
                "dashes": not stated, "width": 2 if stated else 1, "color": "#555555" if stated else "#cccccc"}
        if stated:  # one link, one label: "co-located with", never both directions
            edge["label"] = ", ".join(dict.fromkeys(relation_label(r) for r in stated))
        out_edges.append(edge)
    notice = ""
    if left_out:
        notice = (f"Showing the {len(nodes):,} most central entities (PageRank); {left_out:,} more match. "
                  "Use the filters, a focus or a higher limit to see others.")
    return {"nodes": out_nodes, "edges": out_edges, "left_out": left_out, "notice": notice,
            "legend": [{"kind": k, "color": STYLE[k][0], "shape": STYLE[k][1]} for k in KINDS]}


def _edges_among(g: nx.Graph, nodes: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """The edges between `nodes`, each once, in the order of `nodes`. Looks up each node's smaller
    side (its neighbours, or the other nodes) instead of filtering a subgraph view: a hub has
    thousands of neighbours, and networkx's filtered views took 0.2 s for 300 central nodes."""
    order = {n: i for i, n in enumerate(nodes)}
    out = []
    for i, a in enumerate(nodes):
        if i % 64 == 0:
            deadline.check()
        adjacent = g.adj[a]
        others = (b for b in nodes if b in adjacent) if len(adjacent) > len(nodes) else (b for b in adjacent if b in order)
        out.extend((a, b, adjacent[b]) for b in others if order[b] > i)
    return out


def neighbours(eg: EntityGraph, iri: str, view: View) -> dict[str, Any]:
    """The entity and its direct neighbours (most central first, up to the view's limit): for expanding a node."""
    if iri not in eg.graph:
        raise KeyError(iri)
    rank = eg.pagerank()
    around = sorted(eg.graph.neighbors(iri), key=lambda n: (-rank.get(n, 0.0), n))
    chosen = [iri, *around[: view.limit - 1]]
    return vis_data(eg, chosen, view, max(0, len(around) - (view.limit - 1)))


def facts(eg: EntityGraph, iri: str) -> dict[str, Any]:
    """The side panel: kind, label, posts, languages, years, and the stated relations with their ends."""
    if iri not in eg.graph:
        raise KeyError(iri)
    g = eg.graph
    relations: dict[str, list[dict[str, str]]] = {}
    for other in g.neighbors(iri):
        for s, p, _o in g.edges[iri, other]["relations"]:
            local = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            name = relation_label(local) if s == iri or local in SYMMETRIC else \
                INVERSE_LABELS.get(local, relation_label(local) + " (of)")
            relations.setdefault(name, []).append({"iri": other, "label": eg.label(other)})
    posts = eg.posts_of.get(iri, set())
    years = sorted({y for p in posts if (y := eg.post_meta.get(p, ("", None))[1])})
    return {"iri": iri, "label": eg.label(iri), "kind": eg.kind(iri), "posts": g.nodes[iri]["posts"],
            "versions": len(posts),
            "degree": g.degree(iri), "langs": sorted({eg.post_meta.get(p, ("", None))[0] for p in posts} - {""}),
            "years": [years[0], years[-1]] if years else [],
            "relations": {k: sorted(v, key=lambda d: d["label"])[:20] for k, v in sorted(relations.items())}}


def construct_network(triples: list[ox.Triple], eg: EntityGraph | None = None, limit: int = MAX_LIMIT) -> dict[str, Any]:
    """A CONSTRUCT result as a network: IRIs and blank nodes become nodes, each triple between two of
    them an edge labelled by its property; literals go into their subject's `facts`."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    seen: set[str] = set()  # symmetric links already drawn
    left_out = 0

    def node(term: ox.NamedNode | ox.BlankNode) -> str | None:
        key = term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"
        if key not in nodes:
            if len(nodes) >= limit:
                return None
            kind = eg.kind(key) if eg is not None and key in eg.graph else "other"
            label = eg.label(key) if eg is not None and key in eg.graph else \
                key.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            colour, shape = STYLE[kind]
            nodes[key] = {"id": key, "label": label, "group": kind, "shape": shape, "color": colour,
                          "value": 1.0, "degree": 0, "facts": []}
        return key

    for t in triples:
        s = node(t.subject) if isinstance(t.subject, (ox.NamedNode, ox.BlankNode)) else None
        if s is None:
            left_out += 1
            continue
        prop = t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if isinstance(t.object, ox.Literal):
            if len(nodes[s]["facts"]) < 20:
                nodes[s]["facts"].append([prop, t.object.value])
            continue
        o = node(t.object)
        if o is None:
            left_out += 1
            continue
        if prop in SYMMETRIC:  # "A co-located with B" and "B co-located with A": one link, no arrow
            a, b = sorted((s, o))
            key = f"{a} {prop} {b}"
            if key in seen:
                continue
            seen.add(key)
            nodes[s]["degree"] += 1
            nodes[o]["degree"] += 1
            edges.append({"id": key, "from": a, "to": b, "label": relation_label(prop), "relations": [prop],
                          "width": 1, "color": "#555555"})
            continue
        nodes[s]["degree"] += 1
        nodes[o]["degree"] += 1
        edges.append({"id": f"{s} {prop} {o}", "from": s, "to": o, "label": relation_label(prop),
                      "relations": [prop], "arrows": "to", "width": 1, "color": "#555555"})
    for n in nodes.values():
        n["value"] = float(n["degree"])
    notice = f"{left_out:,} triples were left out: the view draws at most {limit:,} nodes." if left_out else ""
    return {"nodes": list(nodes.values()), "edges": edges, "left_out": left_out, "notice": notice,
            "legend": [{"kind": k, "color": STYLE[k][0], "shape": STYLE[k][1]} for k in KINDS]}
