"""Reading and mapping pages in worker processes, each page under a time and a memory budget.

Neither Python's regular expressions nor pyoxigraph can be interrupted, and a thread cannot be
stopped, so the only sure way to stop a page that runs too long or grows too big is to run it in
a process of its own and kill that process, as graph.executor does for SPARQL queries. A
`PagePool` keeps a few worker processes and hands them pages in chunks; each worker answers page
by page, so the main process always knows which page a worker is on and since when. A page that
outlives its time (`Budget.seconds`), runs out of its memory (`Budget.memory_mb`, enforced with
RLIMIT_AS inside the worker) or kills its worker is given up: the worker is killed and replaced,
the pages queued behind it go to the next worker, and the page comes back as `Stopped` with the
reason, for the build to report. No page is retried after a timeout (it would take as long
again); one whose worker died is tried once more on a fresh worker before it is given up.

Workers are plain `python -c` processes running graph.build.worker_process (not
multiprocessing's spawn, which would first import the parent's main script: Flask for the console
script, pytest under the tests), started in the background while the main process goes on, and
kept after a build for the next one in the same process (a test session builds hundreds of small
sites); an idle worker exits by itself after a minute. Each worker has two threads in the main
process, one that sends it messages and one that takes its answers as they come, so neither side
ever waits on a full pipe. Results come back in the order the pages were given, so a build with
workers writes the same graph as one without.
"""

from __future__ import annotations

import collections
import itertools
import logging
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Pipe
from pathlib import Path
from typing import Any

from graph.build.worker_process import MB

log = logging.getLogger(__name__)

#: Pages per message to a worker, and messages in flight per worker (a worker answers page by page).
CHUNK = 8
WINDOW = 4
#: One more worker (up to the number allowed) for every this many pages waiting.
PAGES_PER_WORKER = 48
#: A worker that has not started within this many seconds is given up (the machine is in trouble).
STARTUP_SECONDS = 120.0
#: An idle worker exits after worker_process.IDLE_EXIT_SECONDS; the main process stops reusing it a
#: little before.
_IDLE_REUSE_SECONDS = 45.0


@dataclass(frozen=True)
class Budget:
    """What one page may cost: `seconds_per_mb` seconds per MB of its file, and at least that
    many seconds; `memory_mb` MB of memory beyond what its worker already holds (None: no limit)."""

    seconds_per_mb: float
    memory_mb: float | None = None

    def seconds(self, size: int) -> float:
        return self.seconds_per_mb * max(1.0, size / MB)


@dataclass(frozen=True)
class Stopped:
    """A page given up: what to tell the user ("took longer than 12 s (--page-timeout)")."""

    reason: str


# -- the main process's side ----------------------------------------------------------------------

#: What a worker's listening thread hands to the pool: (worker, message, when it came); message None:
#: the pipe closed (the worker ended).
Inbox = queue.SimpleQueue


class _Worker:
    def __init__(self, inbox: Inbox) -> None:
        self.conn, child = Pipe()
        root = str(Path(__file__).resolve().parents[2])
        code = (f"import sys; sys.path.insert(0, {root!r}); from graph.build.worker_process import serve; "
                f"serve({child.fileno()}, {os.getpid()})")
        self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(child.fileno(),),
                                        stdin=subprocess.DEVNULL)
        child.close()
        # Messages go out from a thread of their own: the main process must never block on a send
        # while the worker blocks on sending it a result (both pipes full, both waiting).
        self._outbox: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._pump, name="postgraph-page-sender", daemon=True)
        self._sender.start()
        # and come in on a thread of their own: a worker whose answer waits in a full pipe while the
        # main process loads a batch of quads stops working (1,000 posts: 1 s more wall time)
        self.inbox = inbox
        self.ended = False  # its pipe closed: the listener told the pool so
        self._inbox_lock = threading.Lock()
        self._listener = threading.Thread(target=self._listen, name="postgraph-page-listener", daemon=True)
        self._listener.start()
        self.ready = False  # it answered its start-up (and its last mapper): its page clock may run
        self.since = time.monotonic()  # since when it is on its current page, or not ready
        self.mapper: int | None = None  # which mapper it holds (PagePool.prepare)
        self.queue: collections.deque[int] = collections.deque()  # pages sent and not answered, in order

    def _pump(self) -> None:
        while (message := self._outbox.get()) is not None:
            try:
                self.conn.send(message)
            except (OSError, ValueError):
                return  # the worker is gone: the main loop finds out on its side of the pipe

    def send(self, message: tuple) -> None:
        self._outbox.put(message)

    def _listen(self) -> None:
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                with self._inbox_lock:
                    self.ended = True
                    self.inbox.put((self, None, time.monotonic()))
                return
            with self._inbox_lock:
                self.inbox.put((self, message, time.monotonic()))

    def rebind(self, inbox: Inbox) -> bool:
        """Send this kept worker's answers to a new pool's inbox; False if it has ended meanwhile
        (its end was told to the old pool, which is gone)."""
        with self._inbox_lock:
            self.inbox = inbox
            return not self.ended and self.process.poll() is None

    def kill(self) -> int | None:
        """Stop the process; its exit status (negative: the signal that ended it)."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            code = self.process.wait(10)
        except subprocess.TimeoutExpired:
            code = None
        self._outbox.put(None)
        self._sender.join(10)  # before the pipe is closed: its descriptor must not be reused under a send
        self._listener.join(10)  # (the worker ended: the pipe is at its end)
        self.conn.close()
        return code


#: Workers kept from earlier builds of this process: (worker, when it became idle).
_idle: list[tuple[_Worker, float]] = []
_idle_lock = threading.Lock()
_mapper_ids = itertools.count(1)  # unique in the process: a kept worker must not take a new mapper for its old one


def shutdown() -> None:
    """Stop the workers kept for the next build (they also exit by themselves after a minute)."""
    with _idle_lock:
        idle, _idle[:] = list(_idle), []
    for w, _ in idle:
        w.kill()


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"its worker process died (signal {signal.Signals(-code).name})"
        except ValueError:
            return f"its worker process died (signal {-code})"
    return f"its worker process died (exit status {code})"


class PagePool:
    """Worker processes that read and map pages under a `Budget` (see the module docstring).

    `read` and `map` yield in the order they were given; a page given up is a `Stopped`. Close the
    pool when done (workers that are well are kept for the next build of this process)."""

    def __init__(self, budget: Budget, workers: int | None = None) -> None:
        self.budget = budget
        self.max_workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.workers: list[_Worker] = []
        self._mapper: Any = None
        self._mapper_id = 0
        self._failed_starts = 0
        self._expected: tuple | None = None
        self._inbox: Inbox = queue.SimpleQueue()
        now = time.monotonic()
        with _idle_lock:
            while _idle and len(self.workers) < self.max_workers:
                w, since = _idle.pop()
                if now - since < _IDLE_REUSE_SECONDS and w.rebind(self._inbox):
                    self.workers.append(w)
                else:
                    w.kill()
        if not self.workers:
            self.workers.append(_Worker(self._inbox))  # it starts while the caller goes on

    def read(self, items: Sequence[tuple[Any, ...]], sizes: Sequence[int], what: Callable[[int], str]
             ) -> Iterator[Any]:
        """`graph.read.site.read_content(*item)` for each item."""
        yield from self._run("read", list(items), sizes, what)

    def expect(self, entity_base: str, site_title: str | None) -> None:
        """Tell the workers which extractor the coming mapper will want: they build it when idle."""
        self._expected = ("expect", None, (entity_base, site_title))
        for w in self.workers:
            w.send(self._expected)

    def prepare(self, mapper: Any) -> None:
        """The mapper of the next `map`, sent at once: the workers build their extractor meanwhile."""
        self._mapper = mapper
        self._mapper_id = next(_mapper_ids)
        for w in list(self.workers):
            self._give_mapper(w)

    def map(self, jobs: Sequence[Any], sizes: Sequence[int], what: Callable[[int], str]) -> Iterator[Any]:
        """`mapper(job)` for each job (the mapper given to `prepare`)."""
        if jobs and self._mapper is None:
            raise RuntimeError("PagePool.prepare(mapper) must come before map()")
        yield from self._run("map", list(jobs), sizes, what)

    def close(self) -> None:
        """Keep the workers that are idle and well for the next build; stop the others."""
        now = time.monotonic()
        for w in self.workers:
            if not w.queue and w.ready and w.process.poll() is None:
                with _idle_lock:
                    _idle.append((w, now))
            else:
                w.kill()
        self.workers = []
        with _idle_lock:
            extra = _idle[:max(0, len(_idle) - (os.cpu_count() or 1))]
            del _idle[:len(extra)]
        for w, _ in extra:
            w.kill()

    def __enter__(self) -> PagePool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- scheduling -----------------------------------------------------------------------------
    def _give_mapper(self, w: _Worker) -> None:
        if w.mapper != self._mapper_id:
            w.send(("mapper", self._mapper_id, self._mapper))
            w.mapper, w.ready, w.since = self._mapper_id, False, time.monotonic()

    def _start(self) -> _Worker:
        w = _Worker(self._inbox)
        self.workers.append(w)
        if self._expected is not None:
            w.send(self._expected)
        if self._mapper is not None:
            self._give_mapper(w)
        return w

    def _retire(self, w: _Worker) -> int | None:
        if w in self.workers:
            self.workers.remove(w)
        if not w.ready:  # it failed before it was ready: once is bad luck, three times in a row is broken
            self._failed_starts += 1
            if self._failed_starts >= 3:
                w.kill()
                raise RuntimeError(f"page worker processes fail to start ({sys.executable}); build with "
                                   "--page-timeout 0 to read and map pages in this process")
        return w.kill()

    def _deadline(self, w: _Worker, sizes: Sequence[int]) -> float:
        if not w.ready:
            return w.since + STARTUP_SECONDS
        return w.since + self.budget.seconds(sizes[w.queue[0]]) if w.queue else math.inf

    def _run(self, kind: str, items: list[Any], sizes: Sequence[int], what: Callable[[int], str]) -> Iterator[Any]:
        pending = collections.deque(range(len(items)))  # not sent yet (or sent back), in order
        results: dict[int, Any] = {}  # answered, waiting for the pages before them
        suspect: set[int] = set()  # pages whose worker died once: given up if it happens again
        ahead = self.max_workers * WINDOW * CHUNK * 2  # bounds `results`, so the main process's memory
        memory = self.budget.memory_mb
        next_out = 0

        def give_up(w: _Worker, reason: str | None) -> None:
            """Stop `w`; its current page is `Stopped` with `reason` (None: it died, so the page is
            tried once more, then given up); the pages queued behind it go back in line."""
            head = w.queue.popleft() if w.queue and w.ready else None
            rest = list(w.queue)
            code = self._retire(w)
            if head is not None:
                if reason is None and head not in suspect:
                    suspect.add(head)
                    rest.insert(0, head)
                else:
                    results[head] = Stopped(reason or _died(code) + (
                        f"; probably more than {memory:g} MB (--page-memory)" if memory else ""))
            pending.extendleft(reversed(rest))

        while next_out < len(items):
            while next_out in results:
                yield results.pop(next_out)
                next_out += 1
            if next_out >= len(items):
                break
            # more workers when there is enough waiting (reading a file costs about 1/50 of mapping it)
            waiting = (len(pending) + sum(len(w.queue) for w in self.workers)) // (50 if kind == "read" else 1)
            while len(self.workers) < min(self.max_workers, max(1, math.ceil(waiting / PAGES_PER_WORKER))):
                self._start()
            for w in list(self.workers):
                if kind == "map":
                    self._give_mapper(w)
                while pending and len(w.queue) < WINDOW * CHUNK and pending[0] - next_out < ahead:
                    chunk = [pending.popleft() for _ in range(min(CHUNK, len(pending)))]
                    w.send((kind, memory, [(i, items[i]) for i in chunk]))
                    if not w.queue and w.ready:
                        w.since = time.monotonic()
                    w.queue.extend(chunk)
            busy = [w for w in self.workers if w.queue or not w.ready]
            if not busy:
                continue
            timeout = max(0.0, min(self._deadline(w, sizes) for w in busy) - time.monotonic())
            try:
                came = [self._inbox.get(timeout=timeout)]
                while not self._inbox.empty():
                    came.append(self._inbox.get_nowait())
            except queue.Empty:
                came = []
            for w, message, at in came:
                if w not in self.workers:
                    continue  # from a worker given up already
                if message is None:  # it ended
                    give_up(w, None)
                    continue
                status, key, answer = message
                if status == "ready":
                    if key == w.mapper:  # not an earlier ready, from before its current mapper
                        w.ready, w.since = True, at
                        self._failed_starts = 0
                elif status == "memory":
                    give_up(w, f"used more than {memory:g} MB (--page-memory)")
                else:
                    w.queue.popleft()
                    w.since = at
                    if status == "done":
                        results[key] = answer
                    else:
                        log.warning("%s could not be processed:\n%s", what(key), answer)
                        results[key] = Stopped(f"failed ({answer.strip().splitlines()[-1]}); a bug in "
                                               "postgraph: please report it with the file")
            # what is late is killed, once every answer that came has been taken: a late answer counts
            now = time.monotonic()
            for w in [w for w in self.workers if w.queue or not w.ready]:
                if now > self._deadline(w, sizes) and self._inbox.empty():
                    late = f"took longer than {self.budget.seconds(sizes[w.queue[0]]):.3g} s" if w.ready else None
                    give_up(w, late and late + (" to read" if kind == "read" else "") + " (--page-timeout)")
            if not self.workers:
                self._start()
