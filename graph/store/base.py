"""The store interface every kind of store implements (embedded, in memory, a SPARQL server), and
its errors. Its own module so that the implementations (graph.store.local, graph.store.remote) and their
helpers import it without importing each other."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to do."""


class StoreBusy(StoreError):
    """Another build holds the store's build lock."""


class GraphView(Protocol):
    """What readers (query, export, web) use of `Store.snapshot()`: a pyoxigraph.Store for the
    embedded stores, a graph.store.remote_graph.RemoteGraph (same `query` signature, answers as
    pyoxigraph objects) for a SPARQL server. Whole graphs are read with the functions below, which
    each kind of view registers (functools.singledispatch), so that no reader asks which kind it has."""

    def query(self, query: str, **kwargs: Any) -> Any: ...


@functools.singledispatch
def graph_quads(view: Any, iri: str) -> Iterable[ox.Quad]:
    """One named graph's quads (streamed where the view can)."""
    raise TypeError(f"not a graph view: {type(view).__name__}")


@functools.singledispatch
def knowledge_triples(view: Any, subjects: set[str] | None = None) -> list[ox.Triple]:
    """The knowledge graph's triples (the default graph; those about `subjects` only, when given)."""
    raise TypeError(f"not a graph view: {type(view).__name__}")


@functools.singledispatch
def dump_dataset(view: Any, out: IO[bytes], format: ox.RdfFormat, prefixes: Mapping[str, str]) -> None:
    """Every graph, the knowledge graph as the default graph, in a dataset format (N-Quads, TriG),
    streamed to `out`."""
    raise TypeError(f"not a graph view: {type(view).__name__}")


@graph_quads.register
def _(view: ox.Store, iri: str) -> Iterable[ox.Quad]:
    return view.quads_for_pattern(None, None, None, ox.NamedNode(iri))


@knowledge_triples.register
def _(view: ox.Store, subjects: set[str] | None = None) -> list[ox.Triple]:
    default = ox.DefaultGraph()
    if subjects is None:
        return [q.triple for q in view.quads_for_pattern(None, None, None, default)]
    return [q.triple for s in sorted(subjects) for q in view.quads_for_pattern(ox.NamedNode(s), None, None, default)]


@dump_dataset.register
def _(view: ox.Store, out: IO[bytes], format: ox.RdfFormat, prefixes: Mapping[str, str]) -> None:
    view.dump(out, format=format, prefixes=prefixes)


class GraphWriter(Protocol):
    """What a build writes through, inside `Store.transaction()`: an embedded store's new
    generation (graph.store.local.OxigraphWriter), a SPARQL server (graph.store.remote_writer.
    RemoteWriter), or a dry run's record of what a build would write (graph.build.diff)."""

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        """Drop these named graphs (bare IRIs); one that is not there is no error."""

    def add_rdf(self, data: bytes, format: ox.RdfFormat) -> None:
        """Add N-Quads (a named graph loaded replaces what the build removed of it) or N-Triples
        (the default graph), made by this program."""

    def replace_default(self, subjects: set[str], data: bytes | Sequence[bytes]) -> None:
        """In the default graph, replace every statement whose subject is one of `subjects` (bare
        IRIs) with the N-Triples `data` (one block, or several loaded in turn)."""


class Store:
    """A graph kept in Oxigraph or a SPARQL server. Subclasses decide where; the interface is the same."""

    spec: str
    #: Where a client's query runs (graph.query.executor): "here" (in this process: an in-memory
    #: store cannot be shared), "worker" (a killable worker process opens the generation
    #: read-only: an on-disk store) or "server" (the SPARQL server of a remote store).
    queries_run: str = "here"

    def dump_folder(self) -> Path:
        """Where files made from the graph once per generation (the web app's dumps) are kept."""
        return Path(tempfile.gettempdir()) / f"postgraph-exports-{os.getpid()}"

    def snapshot(self) -> ox.Store | None:
        """A read-only view of the current graph (a `GraphView`), or None if nothing was built yet."""
        raise NotImplementedError

    def generation(self) -> str | None:
        """An opaque name that changes whenever a build commits a new graph."""
        raise NotImplementedError

    def info(self) -> dict[str, Any]:
        """What the build of the current generation recorded (counts, time, site, problems)."""
        raise NotImplementedError

    def update_info(self, info: dict[str, Any]) -> None:
        """Replace the current generation's report without touching the graph (a build that found
        nothing to write, but new problems to tell). Does nothing before the first build."""
        raise NotImplementedError

    def transaction(self, info: dict[str, Any] | None = None, *,
                    compact: bool = True) -> contextlib.AbstractContextManager[GraphWriter]:
        """A writer into a copy of the current graph; committed atomically when the block ends without error.

        `info` (a JSON-able dict) may be filled in inside the block; it is saved with the generation.
        `compact=False` skips compacting the database at the end (for small incremental builds).
        """
        raise NotImplementedError
