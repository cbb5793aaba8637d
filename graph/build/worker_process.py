"""A page worker process: what runs inside each worker of graph.build.workers' `PagePool`.

The pool starts it as `python -c "from graph.build.worker_process import serve; serve(fd, pid)"`
(see graph.build.workers for why, and for the main process's side). It answers each page of each
message on its own, within the page's memory (RLIMIT_AS), and ends with the process that started
it, or after IDLE_EXIT_SECONDS without a message. It imports only what reading and mapping need.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

MB = 1024 * 1024

#: An idle worker exits after this many seconds (the main process stops reusing it a little before).
IDLE_EXIT_SECONDS = 60.0


def _address_space() -> int | None:
    """Bytes of virtual memory this process has mapped (Linux), None where it cannot be known."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class _MemoryLimit:
    """RLIMIT_AS set to what the worker mapped when the message came plus the page's allowance,
    while each of its pages runs: an allocation past it raises MemoryError (or, inside native
    code, ends the worker). Measured once per message: reading /proc for each page cost as much
    as reading a small file."""

    def __init__(self, memory_mb: float | None) -> None:
        import resource

        self.resource = resource
        now = _address_space() if memory_mb else None
        self.limit = now + int(memory_mb * MB) if now is not None and memory_mb else None
        self.saved: tuple[int, int] | None = None

    def __enter__(self) -> None:
        if self.limit is None:
            return
        _soft, hard = self.saved = self.resource.getrlimit(self.resource.RLIMIT_AS)
        limit = self.limit
        if hard != self.resource.RLIM_INFINITY:
            limit = min(limit, hard)
        self.resource.setrlimit(self.resource.RLIMIT_AS, (limit, hard))

    def __exit__(self, *_exc: object) -> None:
        if self.saved is not None:
            self.resource.setrlimit(self.resource.RLIMIT_AS, self.saved)
            self.saved = None


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the worker process
    """Linux: have the kernel kill this worker when the process (strictly: the thread) that started
    it ends, so that a page stuck in a loop cannot outlive a build that was killed. Elsewhere a
    worker ends when it finds the main process gone, after its page."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        return
    if os.getppid() != parent:  # it ended before prctl was in force
        os._exit(0)


def _import_mapping() -> None:  # pragma: no cover - runs in the worker process
    """The modules a mapper needs (its own, graph.build.mapper, comes with it, when it is unpickled)."""
    from graph.extract import relations  # noqa: F401
    from graph.map import mentions, pages  # noqa: F401


def serve(fd: int, parent: int) -> None:  # pragma: no cover - runs in the worker process
    """A worker's loop: answer each page of each message, one message per page, until the main
    process goes away or nothing comes for IDLE_EXIT_SECONDS. While it waits, it gets ready for
    mapping, a step at a time (reading needs none of it)."""
    _die_with(parent)
    conn = Connection(fd)
    from graph.read.site import read_content

    conn.send(("ready", None, None))
    extractors: dict[tuple[str, str | None], Any] = {}  # (entity base, site title) -> Extractor

    def extractor(key: tuple[str, str | None]) -> Any:
        if key not in extractors:
            from graph.extract.extractor import Extractor

            if len(extractors) >= 4:
                extractors.clear()
            extractors[key] = Extractor.for_site(*key)
        return extractors[key]

    # what mapping needs, got ready while the worker waits: none of it when the first worker only
    # reads (a build with nothing to map), the modules and gazetteer once it is told to expect pages
    steps: list[Callable[[], Any]] = []
    mapper: Any = None
    while True:
        while steps and not conn.poll(0.01):  # (a reading worker idle for a moment is not done reading)
            steps.pop(0)()
        if not conn.poll(IDLE_EXIT_SECONDS):
            return
        try:
            kind, arg, payload = conn.recv()
        except (EOFError, OSError):
            return
        if kind == "expect":  # the extractor the next mapper will want, built when there is time
            steps += [_import_mapping, lambda: importlib.import_module("graph.extract.places").gazetteer(),
                      lambda key=payload: extractor(key)]
            continue
        if kind == "mapper":
            mapper = payload
            mapper.use_extractor(extractor((mapper.entity_base, mapper.ctx.site_title)))
            conn.send(("ready", arg, None))
            continue
        memory = _MemoryLimit(arg)  # what the worker maps now, plus the allowance: for each page of the message
        for key, item in payload:
            answer = None
            with memory:  # the answer is made (pickled) within the page's memory, too
                try:
                    answer = pickle.dumps(("done", key, read_content(*item) if kind == "read" else mapper(item)),
                                          pickle.HIGHEST_PROTOCOL)
                except MemoryError:
                    pass
                except Exception:
                    answer = pickle.dumps(("failed", key, traceback.format_exc(limit=-4)))
            if answer is None:
                conn.send(("memory", key, None))
                return  # what ran out of memory may be half made: a fresh worker takes the next pages
            conn.send_bytes(answer)

