"""What changed: statements added and removed between the last build and the site now, or
between two stores; grouped by post (named graph) and by entity (subject); written as text,
as two N-Quads files, or as an RDF Patch.

"Last build vs now" needs no copy of the old site: the store already keeps, for every page,
its whole named graph and the fingerprint of everything it was made from, and each build
records the site folder and the options it was built with (`info()["options"]`). A *dry run*
of the real build (`build(..., into=DryRun())`: its writes are recorded in memory) maps exactly the pages a
build would map, and their new graphs are compared with the stored ones. Nothing is written.

Between two stores, graphs whose fingerprints are equal are equal (a page's graph is a pure
function of its fingerprint, up to the build time), so only the others are compared quad by quad.
The knowledge graph (the default graph, data model version 2) is one more "graph" of the diff:
for a dry run, the statements about the subjects the build would re-consolidate; between two
stores, all of it (it is small).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.build.pipeline import BuildOptions, BuildReport, build
from graph.build.plan import existing_fingerprints
from graph.store import base
from graph.store.base import GraphView
from graph.store.local import Store


@dataclass
class GraphChange:
    graph: str
    added: list[ox.Quad] = field(default_factory=list)
    removed: list[ox.Quad] = field(default_factory=list)
    status: str = "changed"  # "new" (not in before), "gone" (not in after) or "changed"


@dataclass
class Diff:
    """Changes from `before` (the store) to `after` (the site now, or the other store)."""

    before: str
    after: str
    graphs: list[GraphChange] = field(default_factory=list)
    report: BuildReport | None = None  # the dry run's report, for "last build vs now"

    @property
    def added(self) -> list[ox.Quad]:
        return [q for g in self.graphs for q in g.added]

    @property
    def removed(self) -> list[ox.Quad]:
        return [q for g in self.graphs for q in g.removed]

    def by_entity(self) -> list[tuple[str, int, int]]:
        """(subject, added, removed) for every subject with changes, most changed first."""
        counts: dict[str, list[int]] = {}
        for g in self.graphs:
            for quads, i in ((g.added, 0), (g.removed, 1)):
                for q in quads:
                    counts.setdefault(_term(q.subject), [0, 0])[i] += 1
        return sorted(((s, a, r) for s, (a, r) in counts.items()), key=lambda x: (-(x[1] + x[2]), x[0]))


def _term(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


# -- reading graphs from any store's snapshot -------------------------------------------------------

def graph_names(snapshot: Any) -> list[str]:
    """Named graphs, without a server's bookkeeping (graph.store.remote keeps its report in urn:postgraph:…)."""
    rows = snapshot.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(r["g"].value for r in rows
                  if isinstance(r["g"], ox.NamedNode) and not r["g"].value.startswith("urn:postgraph:"))


#: How a diff names the knowledge graph (the store's default graph) among the post graphs.
KNOWLEDGE = "knowledge graph (default graph)"


def graph_quads(snapshot: GraphView, iri: str) -> list[ox.Quad]:
    if iri == KNOWLEDGE:
        return knowledge_quads(snapshot)
    return list(base.graph_quads(snapshot, iri))


def knowledge_quads(snapshot: GraphView, subjects: set[str] | None = None) -> list[ox.Quad]:
    """The default graph's statements (about `subjects` only, when given)."""
    default = ox.DefaultGraph()
    return [ox.Quad(t.subject, t.predicate, t.object, default) for t in base.knowledge_triples(snapshot, subjects)]


def _compare(graph: str, old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> GraphChange | None:
    old_set = {str(q): q for q in old}
    new_set = {str(q): q for q in new}
    added = [new_set[k] for k in sorted(new_set.keys() - old_set.keys())]
    removed = [old_set[k] for k in sorted(old_set.keys() - new_set.keys())]
    status = "new" if not old_set else "gone" if not new_set else "changed"
    return GraphChange(graph, added, removed, status) if added or removed else None


# -- last build vs the site now ---------------------------------------------------------------------

class DryRun:
    """What a build would write (graph.store.base.GraphWriter), kept in memory for the diff: the
    graphs it would load, those it would remove, and the subjects whose knowledge-graph statements
    it would replace."""

    def __init__(self) -> None:
        self.memory = ox.Store()
        self.removed: set[str] = set()
        self.replaced: set[str] = set()

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        self.removed.update(graphs)

    def add_rdf(self, data: bytes, format: ox.RdfFormat) -> None:
        if data:
            self.memory.bulk_load(data, format, to_graph=ox.DefaultGraph()
                                  if format == ox.RdfFormat.N_TRIPLES else None)

    def replace_default(self, subjects: set[str], data: bytes | Sequence[bytes]) -> None:
        self.replaced |= subjects
        for part in [data] if isinstance(data, bytes) else data:
            self.add_rdf(part, ox.RdfFormat.N_TRIPLES)


def options_of_last_build(store: Store) -> BuildOptions | None:
    """The site and options the store's current graph was built from, if the build recorded them."""
    info = store.info()
    if not info.get("site"):
        return None
    opts = info.get("options") or {}
    return BuildOptions(site=Path(info["site"]), drafts=bool(opts.get("drafts")), future=bool(opts.get("future")),
                        expired=bool(opts.get("expired")), entity_base=opts.get("entity_base"))


def diff_site(store: Store, options: BuildOptions) -> Diff:
    """What a build of `options.site` into `store` would change; the store is not written."""
    dry = DryRun()
    report = build(store, options, into=dry)
    result = Diff(before=store.spec, after=str(options.site), report=report)
    snapshot = store.snapshot()
    written = {g.value for g in dry.memory.named_graphs()}
    for iri in sorted(written | dry.removed):
        old = graph_quads(snapshot, iri) if snapshot is not None else []
        new = list(dry.memory.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        change = _compare(iri, old, new)
        if change:
            result.graphs.append(change)
    if dry.replaced:
        old = knowledge_quads(snapshot, dry.replaced) if snapshot is not None else []
        new = list(dry.memory.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        change = _compare(KNOWLEDGE, old, new)
        if change:
            result.graphs.insert(0, change)
    return result


# -- two stores ----------------------------------------------------------------------------------------

def diff_stores(before: Store, after: Store) -> Diff:
    """Statements of `after` not in `before` (added) and of `before` not in `after` (removed)."""
    result = Diff(before=before.spec, after=after.spec)
    a, b = before.snapshot(), after.snapshot()
    a_graphs = set(graph_names(a)) if a is not None else set()
    b_graphs = set(graph_names(b)) if b is not None else set()
    a_fps = existing_fingerprints(a) if a is not None else {}  # type: ignore[arg-type]
    b_fps = existing_fingerprints(b) if b is not None else {}  # type: ignore[arg-type]
    knowledge = _compare(KNOWLEDGE, knowledge_quads(a) if a is not None else [],
                         knowledge_quads(b) if b is not None else [])
    if knowledge:
        result.graphs.append(knowledge)
    for iri in sorted(a_graphs | b_graphs):
        if iri in a_fps and a_fps.get(iri) == b_fps.get(iri):
            continue
        old = graph_quads(a, iri) if iri in a_graphs else []
        new = graph_quads(b, iri) if iri in b_graphs else []
        change = _compare(iri, old, new)
        if change:
            result.graphs.append(change)
    return result


# -- output ----------------------------------------------------------------------------------------------

def write_text(diff: Diff, out: IO[str], limit: int = 50, statements: bool = False) -> None:
    """A summary, then changes by post (named graph) and by entity (subject)."""
    added, removed = len(diff.added), len(diff.removed)
    out.write(f"from {diff.before} to {diff.after}: {added} statement(s) added, {removed} removed, "
              f"in {len(diff.graphs)} graph(s)\n")
    if not diff.graphs:
        return
    out.write("\nby post (named graph):\n")
    graphs = sorted(diff.graphs, key=lambda g: (-(len(g.added) + len(g.removed)), g.graph))
    for g in graphs[:limit]:
        state = f"  ({g.status})" if g.status != "changed" else ""
        out.write(f"  +{len(g.added):<6} -{len(g.removed):<6} {g.graph}{state}\n")
        if statements:
            for q in g.removed:
                out.write(f"      - {q.subject} {q.predicate} {q.object}\n")
            for q in g.added:
                out.write(f"      + {q.subject} {q.predicate} {q.object}\n")
    if len(graphs) > limit:
        out.write(f"  … and {len(graphs) - limit} more graph(s)\n")
    entities = diff.by_entity()
    out.write("\nby entity (subject):\n")
    for subject, a, r in entities[:limit]:
        out.write(f"  +{a:<6} -{r:<6} {subject}\n")
    if len(entities) > limit:
        out.write(f"  … and {len(entities) - limit} more subject(s)\n")


def write_patch_dir(diff: Diff, folder: Path) -> tuple[Path, Path]:
    """added.nq and removed.nq in `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / "added.nq", folder / "removed.nq")
    for path, quads in zip(paths, (diff.added, diff.removed), strict=True):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
        tmp.replace(path)
    return paths


def write_rdf_patch(diff: Diff, out: IO[bytes]) -> None:
    """An RDF Patch (https://afs.github.io/rdf-patch/): one transaction, deletions then additions."""
    out.write(f"H id <uuid:{uuid.uuid4()}> .\n".encode())
    out.write(f"H created \"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\" .\n".encode())
    out.write(b"TX .\n")
    for code, quads in ((b"D ", diff.removed), (b"A ", diff.added)):
        for line in (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").splitlines():
            out.write(code + line + b"\n")
    out.write(b"TC .\n")
