"""Dumps of the whole graph, streamed from Oxigraph (never held as Python objects).

Turtle, N-Triples, JSON-LD and RDF/XML are single-graph formats: they carry the knowledge graph
(the store's default graph, every fact once), grouped by subject in sorted order. N-Quads and
TriG keep every graph: the knowledge graph and each post's named graph (what it says, evidence,
provenance).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from graph.formats import GRAPH, Format, all_formats
from graph.namespaces import SITE_PREFIX
from graph.store.base import GraphView, dump_dataset, knowledge_triples

#: The formats a dump can be written in, by name: every RDF format of graph.formats.
FORMATS: dict[str, Format] = {f.name: f for f in all_formats(GRAPH)}


def _sorted(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Sorted by subject, predicate and object (so a Turtle writer groups each subject in one block,
    in the same order every time). The knowledge graph is small next to the post graphs, so sorting
    it costs little."""
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def export(view: GraphView, fmt: str, out: IO[bytes], extra: Iterable[ox.Triple] = (),
           entity_base: str | None = None) -> None:
    """Write the whole graph of `view` (a store's snapshot) to `out` in format `fmt` (a key of
    FORMATS). `extra` triples (a dataset description) are written in the same document, in the
    default graph, whatever the format. `entity_base` (the IRI the build minted the site's entities
    under, `store.info()["entity_base"]`) gets the prefix `id:` in the formats that take prefixes,
    as in `postgraph query`'s tables."""
    spec = FORMATS[fmt]
    # RDF/XML names cannot hold the slashes of the site's IRIs: no id: there
    own = {SITE_PREFIX: entity_base} if entity_base and spec.rdf_format != ox.RdfFormat.RDF_XML else {}
    prefixes = spec.prefix_map(**own)
    if spec.dataset:
        dump_dataset(view, out, spec.rdf_format, prefixes)
        extra = list(extra)
        if extra:  # N-Quads and TriG: triples are in the default graph
            out.write(b"\n" + (ox.serialize(extra, format=_triple_format(spec.rdf_format)) or b""))
        return
    ox.serialize(itertools.chain(_sorted(knowledge_triples(view)), extra), out, format=spec.rdf_format,
                 prefixes=prefixes)


def _triple_format(fmt: ox.RdfFormat) -> ox.RdfFormat:
    """Triples appended to a dataset document: N-Triples lines are N-Quads of the default graph, and
    Turtle triples are TriG's default graph."""
    return {ox.RdfFormat.N_QUADS: ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TRIG: ox.RdfFormat.TURTLE}.get(fmt, fmt)
