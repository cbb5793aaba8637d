"""Our ontology, shapes, vocabulary and example queries: the files under `ontology/`.

They live at the repository root (DESIGN.md) and are found next to the installed package, which
is why the README installs postgraph in editable mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "postgraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ONTOLOGY_DIR / "queries"


@lru_cache(maxsize=4)
def _ontology_triples(path: Path) -> tuple[ox.Triple, ...]:
    if not path.exists():
        return ()
    with open(path, "rb") as f:
        quads = list(ox.parse(f, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))
    return tuple(stable_blank_nodes(ox.Triple(q.subject, q.predicate, q.object) for q in quads))


def stable_blank_nodes(triples: Iterable[ox.Triple], prefix: str = "b") -> list[ox.Triple]:
    """Rename blank nodes by order of appearance, so the same file always yields the same triples
    (parsers mint random blank node ids; our fingerprints compare serialisations)."""
    names: dict[str, ox.BlankNode] = {}

    def rename(term):
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.BlankNode(f"{prefix}{len(names)}")
            return names[term.value]
        return term

    return [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]


def ontology_quads(graph: ox.NamedNode, path: Path = ONTOLOGY_FILE) -> list[ox.Quad]:
    """The OWL ontology (our `pg:` terms and the reused terms we declare) in `graph`."""
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in _ontology_triples(path)]
