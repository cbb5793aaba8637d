"""Time budgets for work done on someone's behalf: a deadline that the work itself checks.

A web request (graph.* functions called by web/) runs under `budget(seconds)`. Every store query
made through `graph.query.sparql.run` checks it before it starts and while its rows are read, and long
loops in Python call `check()`: once the deadline has passed they raise `OverBudget`, so the work
stops at its next query or its next rows instead of running on after nobody waits for it. A
single store query that is already running cannot be interrupted (pyoxigraph has no cancel), but
it holds no lock the other requests need (pyoxigraph releases the GIL while it evaluates), and the
queries of the pages are bounded (LIMIT, COUNT, VALUES) so that it ends soon. Queries that may
run long (the SPARQL endpoint's) go to graph.executor's killable worker processes, which take
the remaining budget as their time limit.

The deadline is a context variable: each thread (each request of a threaded server) has its own,
and threads started without one (per-generation computations shared by every request) have none.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar, Token
from typing import TypeVar

T = TypeVar("T")

#: (deadline on the monotonic clock, the budget in seconds) of the work running in this context
_current: ContextVar[tuple[float, float] | None] = ContextVar("postgraph_deadline", default=None)


class OverBudget(Exception):
    """The work passed its time budget and was stopped (HTTP 503)."""

    def __init__(self, message: str, seconds: float | None = None) -> None:
        super().__init__(message)
        self.seconds = seconds


class Preparing(OverBudget):
    """The budget ran out while waiting for a value that is computed once for everybody (it goes on)."""


def start(seconds: float | None) -> Token:
    """Begin a budget of `seconds` (None or <= 0: no budget) in this context; `stop(token)` ends it."""
    value = (time.monotonic() + seconds, seconds) if seconds is not None and seconds > 0 else None
    return _current.set(value)


def stop(token: Token) -> None:
    _current.reset(token)


@contextlib.contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Run the block under a budget of `seconds` (None or <= 0: none)."""
    token = start(seconds)
    try:
        yield
    finally:
        stop(token)


def remaining() -> float | None:
    """Seconds left of the current budget (0 when it has passed), None when there is none."""
    current = _current.get()
    return None if current is None else max(0.0, current[0] - time.monotonic())


def seconds() -> float | None:
    """The current budget as given, None when there is none."""
    current = _current.get()
    return None if current is None else current[1]


def check() -> None:
    """Raise OverBudget when the current budget has passed."""
    current = _current.get()
    if current is not None and time.monotonic() > current[0]:
        raise OverBudget(f"the work took longer than its {current[1]:g} s budget and was stopped", current[1])


def checked(rows: Iterable[T], every: int = 64) -> Iterator[T]:
    """`rows`, checking the budget before the first and then every `every` rows."""
    if _current.get() is None:
        yield from rows
        return
    check()
    for i, row in enumerate(rows, 1):
        yield row
        if i % every == 0:
            check()
