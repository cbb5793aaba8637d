"""Our ontology, shapes, vocabulary and example queries: the files under `ontology/`.

They live at the repository root (DESIGN.md); a wheel ships them as the data package
`postgraph_ontology` (pyproject.toml maps `ontology/` to it), found by its import spec. A
checkout (or an editable install) reads the folder itself. Missing files are an error, never an
empty graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox


class OntologyMissing(RuntimeError):
    """The ontology files are not where postgraph looks for them (a broken install)."""


def ontology_dir() -> Path:
    """`ontology/` of the checkout, else the installed `postgraph_ontology` data package."""
    here = Path(__file__).resolve().parent.parent / "ontology"
    if (here / "postgraph.ttl").is_file():
        return here
    from importlib.util import find_spec

    spec = find_spec("postgraph_ontology")  # a data-only (namespace) package: its folders
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        if (Path(folder) / "postgraph.ttl").is_file():
            return Path(folder)
    raise OntologyMissing(f"postgraph's ontology files are missing: neither {here} nor an installed "
                          "'postgraph_ontology' package has postgraph.ttl; reinstall postgraph")


ONTOLOGY_DIR = ontology_dir()
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
