"""Where the graph lives: an embedded Oxigraph store on disk, or one in memory.

The only module that opens the database. A build never writes into the graph readers use:
it writes a new *generation* (a hard-linked copy of the current one, made by Oxigraph's backup,
so unchanged data costs nothing), and only when the new generation is complete does a single
atomic rename of the `CURRENT` file make it the graph everyone sees. A build that fails or is
killed leaves the previous generation untouched; the next build removes the debris.

Layout of a store directory (default `./.postgraph/`):

    CURRENT            name of the generation readers use, e.g. "gen-1732460000123456789"
    gen-…/             Oxigraph (RocksDB) databases; the current and the previous one are kept
    gen-….json         what the build that made the generation reported (counts, time, site)
    build.lock         held (flock) by the one build allowed to run at a time
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import gc
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.store.base import GraphView, GraphWriter, Store, StoreBusy, StoreError  # noqa: F401 - the interface, re-exported here

log = logging.getLogger(__name__)

MEMORY = "memory"
DEFAULT_STORE = ".postgraph"


#: Below this many bytes of N-Quads, `OxigraphWriter.add_rdf` adds them in one ordinary transaction.
SMALL_LOAD = 1024 * 1024


class OxigraphWriter:
    """A build's writes into a pyoxigraph Store: an embedded store's new generation, or a new
    in-memory graph (graph.store.base.GraphWriter)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def remove_graphs(self, graphs: Iterable[str]) -> None:
        for iri in graphs:
            node = ox.NamedNode(iri)
            if self.store.contains_named_graph(node):
                self.store.remove_graph(node)

    def add_rdf(self, data: bytes, format: ox.RdfFormat) -> None:
        """Add N-Quads or N-Triples (made by this program: parsed leniently).

        Oxigraph's bulk loader writes sorted files and hands them to the database whole: by far the
        fastest way in for big batches, but it costs about 40 ms whatever the size (one post's 0.2 MB:
        40 ms; an ordinary transaction: 5 ms, plus a little more at the commit's flush). A one-post
        rebuild made three such small loads. Batches under `SMALL_LOAD` go through a transaction (with
        the flush counted the two are even near 1-2 MB); the same quads either way."""
        if len(data) >= SMALL_LOAD:
            self.store.bulk_load(data, format=format, lenient=True)
        elif data:
            self.store.load(data, format=format, lenient=True)

    def replace_default(self, subjects: set[str], data: bytes | Sequence[bytes]) -> None:
        parts = [data] if isinstance(data, bytes) else list(data)
        default = ox.DefaultGraph()
        if any(b"_:" in part for part in parts):  # blank nodes get new labels on every load: replace all
            for iri in subjects:
                for quad in list(self.store.quads_for_pattern(ox.NamedNode(iri), None, None, default)):
                    self.store.remove(quad)
            for part in parts:
                self.add_rdf(part, ox.RdfFormat.N_TRIPLES)
            return
        # Most of what a re-consolidated entity says is what it said before (a 1%-edited rebuild at
        # 1,000 posts rewrote 5,900 statements to change a few hundred): statements the store already
        # holds stay, the others are removed or added. A statement written differently from how the
        # store prints it is removed and added again: the same end state, only slower.
        wanted = [line for part in parts for line in part.splitlines() if line]
        wanted_set = set(wanted)
        kept: set[bytes] = set()
        for iri in subjects:
            for quad in list(self.store.quads_for_pattern(ox.NamedNode(iri), None, None, default)):
                line = f"{quad.subject} {quad.predicate} {quad.object} .".encode()
                if line in wanted_set:
                    kept.add(line)
                else:
                    self.store.remove(quad)
        self.add_rdf(b"".join(line + b"\n" for line in wanted if line not in kept), ox.RdfFormat.N_TRIPLES)


class MemoryStore(Store):
    """An in-memory store (`--store memory`): for tests and one-off builds, gone at exit."""

    def __init__(self) -> None:
        self.spec = MEMORY
        self._store: ox.Store | None = None
        self._gen = 0
        self._info: dict[str, Any] = {}
        self._lock = threading.Lock()

    def snapshot(self) -> ox.Store | None:
        return self._store

    def generation(self) -> str | None:
        return f"mem-{self._gen}" if self._store is not None else None

    def info(self) -> dict[str, Any]:
        return dict(self._info)

    def update_info(self, info: dict[str, Any]) -> None:
        if self._store is not None:
            self._info = dict(info)

    @contextlib.contextmanager
    def transaction(self, info: dict[str, Any] | None = None, *, compact: bool = True) -> Iterator[GraphWriter]:
        if not self._lock.acquire(blocking=False):
            raise StoreBusy("another build is writing this in-memory store")
        try:
            new = ox.Store()
            if self._store is not None:
                new.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            info = info if info is not None else {}
            yield OxigraphWriter(new)
            self._store, self._info = new, dict(info)
            self._gen += 1
        finally:
            self._lock.release()


def _remove_generation(path: Path, patience: float = 5.0) -> None:
    """Remove a failed generation's directory. The database may still be open (the exception being
    raised holds the build's frames, and with them the store) and RocksDB's background compaction
    may write a file into it while it is being removed: try again until it is gone, a few seconds
    at most (what is left then is debris the next build removes)."""
    deadline = time.monotonic() + patience
    while True:
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists() or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def _identity(path: str) -> tuple[int, int, int]:
    """Which file `path` is now: an atomic rename over it (as every write here is) changes this."""
    st = os.stat(path)
    return st.st_ino, st.st_mtime_ns, st.st_size


class LocalStore(Store):
    """An Oxigraph database directory with atomic generations (see the module docstring)."""

    queries_run = "worker"

    def dump_folder(self) -> Path:
        return self.path / "exports"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.spec = str(self.path)
        self._lock = threading.Lock()
        self._open_gen: str | None = None
        self._open_store: ox.Store | None = None
        # what CURRENT and the generation's report said when they were last read, by the file's
        # identity (a rename makes a new inode): a server asks for both many times a request
        self._current: tuple[tuple[int, int, int], str] | None = None
        self._info: tuple[str, tuple[int, int, int], dict[str, Any]] | None = None
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path} is not a directory; --store takes a directory, 'memory' or a URL")

    # -- reading ---------------------------------------------------------------------------------
    def generation(self) -> str | None:
        current = os.path.join(self.spec, "CURRENT")
        try:
            identity = _identity(current)
            cached = self._current
            if cached is not None and cached[0] == identity:
                return cached[1]  # checked when read: builds never remove the current generation
            with open(current, encoding="utf-8") as f:
                name = f.read().strip()
        except FileNotFoundError:
            return None
        if not name or not os.path.isdir(os.path.join(self.spec, name)):
            return None
        self._current = (identity, name)
        return name

    def snapshot(self) -> ox.Store | None:
        gen = self.generation()
        if gen is None:
            return None
        with self._lock:
            if gen != self._open_gen:
                try:
                    self._open_store = ox.Store.read_only(str(self.path / gen))
                except OSError as exc:
                    raise StoreError(f"cannot open the graph in {self.path / gen}: {exc}") from exc
                self._open_gen = gen
            return self._open_store

    def info(self) -> dict[str, Any]:
        gen = self.generation()
        if gen is None:
            return {}
        path = os.path.join(self.spec, f"{gen}.json")
        try:
            identity = _identity(path)
            cached = self._info
            if cached is None or cached[:2] != (gen, identity):
                with open(path, encoding="utf-8") as f:
                    cached = self._info = (gen, identity, json.load(f))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        return copy.deepcopy(cached[2])  # a caller may change its copy

    # -- writing ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _build_lock(self) -> Iterator[None]:
        """Held by whatever writes the store (one build at a time, across processes)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / "build.lock", "a+") as lock_file:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreBusy(f"another build is running on {self.path}; wait for it to finish") from exc
            yield

    def update_info(self, info: dict[str, Any]) -> None:
        if self.generation() is None:
            return
        with self._build_lock():
            gen = self.generation()
            if gen is not None:  # readers see the old report or the new one, never half of one
                _atomic_write(self.path / f"{gen}.json", json.dumps(info, indent=2, default=str))

    @contextlib.contextmanager
    def transaction(self, info: dict[str, Any] | None = None, *, compact: bool = True) -> Iterator[GraphWriter]:
        with self._build_lock():
            current = self.generation()
            self._remove_debris(keep={current})
            new_name = f"gen-{time.time_ns()}"
            new_dir = self.path / new_name
            if current is not None:
                self._source(current).backup(str(new_dir))
            writable = ox.Store(str(new_dir))
            writer = OxigraphWriter(writable)
            info = info if info is not None else {}
            try:
                yield writer
                writable.flush()
                if compact:
                    writable.optimize()
            except BaseException:
                del writable, writer.store
                gc.collect()
                _remove_generation(new_dir)
                raise
            del writable, writer.store  # closes the database before readers open it
            gc.collect()
            (self.path / f"{new_name}.json").write_text(json.dumps(info, indent=2, default=str), encoding="utf-8")
            _atomic_write(self.path / "CURRENT", new_name)
            log.debug("store %s now at %s", self.path, new_name)
            self._remove_debris(keep={new_name, current})

    def _source(self, gen: str) -> ox.Store:
        """The generation a build copies: the snapshot readers already opened when it is that one
        (a generation never changes once committed; opening it again cost 40 ms of each build)."""
        with self._lock:
            if gen == self._open_gen and self._open_store is not None:
                return self._open_store
        return ox.Store.read_only(str(self.path / gen))

    def _remove_debris(self, keep: set[str | None]) -> None:
        """Delete generations other than `keep`: old ones, and what killed builds left behind."""
        for entry in self.path.glob("gen-*"):
            name = entry.name.removesuffix(".json")
            if name in keep:
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def open_store(spec: str | Path | None = None) -> Store:
    """`memory`, an http(s) URL of a SPARQL 1.1 server (see graph.store.remote), or a directory
    (created on first build). Default: `./.postgraph`."""
    spec = str(spec) if spec is not None else DEFAULT_STORE
    if spec == MEMORY:
        return MemoryStore()
    if spec.startswith(("http://", "https://")):
        from graph.store.remote import RemoteStore

        return RemoteStore.from_url(spec)
    return LocalStore(spec)
