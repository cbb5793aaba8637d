"""Running untrusted SPARQL safely: read-only, no federation, a hard time limit, a cap on rows.

pyoxigraph cannot cancel a query, so each query of an on-disk store runs in a worker process
that opens the current generation read-only; a query that outlives its time limit is stopped by
killing its worker (which is then replaced), while other requests go on in the other workers.
An in-memory store cannot be shared with another process: its queries run in-process, without
the hard limit (documented; `postgraph serve` always uses an on-disk or remote store).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from graph import deadline
from graph.namespaces import PREFIXES
from graph.query.results import (
    GRAPH_MEDIA_TYPES,
    RESULT_MEDIA_TYPES,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
)
from graph.query.sparql import QueryError, run
from graph.store.local import Store


class QueryRefused(Exception):
    """The request is not allowed (an update, SERVICE): HTTP 403."""


class QueryInvalid(Exception):
    """The query does not parse: HTTP 400 with the parser's message."""


class QueryTimeout(Exception):
    """The query ran longer than allowed and was stopped: HTTP 503."""


class NoGraph(Exception):
    """The store holds no graph yet (nothing built): HTTP 503."""


@dataclass
class QueryRequest:
    query: str
    result_format: str = "json"  # json, xml, csv, tsv for SELECT/ASK
    graph_format: str = "turtle"  # turtle, ntriples, jsonld, rdfxml for CONSTRUCT/DESCRIBE
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_rows: int = 10_000
    #: For this program's own pages (the query page's table, the graph page), which read the answer
    #: with `QueryResponse.terms()`: it comes in the formats that method reads.
    terms: bool = False
    #: The kinds of query the caller can show ("graph" for the graph page); others are QueryInvalid.
    kinds: tuple[str, ...] = ("select", "ask", "graph")

    def __post_init__(self) -> None:
        if self.terms:
            self.result_format, self.graph_format = "json", "ntriples"


@dataclass
class QueryResponse:
    kind: str  # select, ask, graph
    body: bytes
    media_type: str
    rows: int
    truncated: bool

    def terms(self) -> tuple[list[str], Any]:
        """(variables, terms) of an answer to a QueryRequest with `terms`: ([], a bool) for ASK, a
        SELECT's variables and its rows of pyoxigraph terms (None where unbound), ([], pyoxigraph
        Triples) for CONSTRUCT and DESCRIBE. The answer crossed the worker's pipe as SPARQL JSON
        results or N-Triples, which pyoxigraph reads in C: six times faster than unpickling terms."""
        if self.kind == "graph":
            return [], [quad.triple for quad in ox.parse(self.body, format=ox.RdfFormat.N_TRIPLES)]
        results = ox.parse_query_results(self.body, format=ox.QueryResultsFormat.JSON)
        if self.kind == "ask":
            return [], bool(results)
        names = [v.value for v in results.variables]
        return names, [[solution[n] for n in names] for solution in results]


_STRINGS_AND_COMMENTS = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                                   r"'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.I)


_PROLOGUE = re.compile(r"\A\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b|(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                   re.I)
_KINDS = {"select": "select", "ask": "ask", "construct": "graph", "describe": "graph"}
_KIND_NAMES = {"select": "SELECT", "ask": "ASK", "graph": "CONSTRUCT and DESCRIBE"}


_PREFIX_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
_PREFIXED_NAME = re.compile(r"(?<![\w:<?$\-.])([A-Za-z][\w.-]*)?:(?=[\w%\\]|\s|[;,.)\]}]|$)")
_EXPECTED_LIST = re.compile(r"expected one of .*", re.S)


def syntax_message(query: str, error: str) -> str:
    """A parser error as a person reads it: "unknown prefix foaf: — declare it with PREFIX foaf: <…>"
    (with the prefixes the service declares for every query) instead of the parser's list of the
    Unicode ranges it expected."""
    bare = _STRINGS_AND_COMMENTS.sub(" ", query)
    declared = {m.group(1) or "" for m in _PREFIX_DECLARED.finditer(bare)} | set(PREFIXES)
    used = [m.group(1) or "" for m in _PREFIXED_NAME.finditer(bare)]
    unknown = list(dict.fromkeys(p for p in used if p not in declared))
    if unknown and ("prefix not found" in error.lower() or "expected" in error.lower()):
        first = unknown[0]
        return (f"unknown prefix {first}: — declare it with PREFIX {first}: <…> before the query. "
                f"This service declares these for every query: " + ", ".join(f"{p}:" for p in sorted(PREFIXES)))
    short = _EXPECTED_LIST.sub(lambda m: m.group(0)[:160] + (" …" if len(m.group(0)) > 160 else ""), error)
    return f"malformed query: {short}"


def check(query: str, allow_service: bool = False) -> str:
    """The query's kind ("select", "ask", "graph"); raises QueryRefused or QueryInvalid.

    Decided from the text alone (strings, IRIs and comments blanked out), never by running it:
    pyoxigraph cannot parse without evaluating, and evaluating here, outside the killable
    workers, would let one query tie up a web thread (or, for LOAD, fetch a URL). Syntax errors
    are found by the worker that runs the query, and come back as QueryInvalid."""
    bare = _STRINGS_AND_COMMENTS.sub(" ", query)
    if _SERVICE.search(bare) and not allow_service:
        raise QueryRefused("SERVICE (federated queries) is disabled on this endpoint: it would make the "
                           "server fetch other URLs")
    form = _FORM.match(bare, _PROLOGUE.match(bare).end())
    if form is None:
        raise QueryInvalid("malformed query: not a SPARQL query: after the PREFIX and BASE declarations it "
                           "must start with SELECT, ASK, CONSTRUCT or DESCRIBE")
    if form.group(2):
        raise QueryRefused("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP …) "
                           "is refused")
    return _KINDS[form.group(1).lower()]


def execute(store: ox.Store, request: QueryRequest) -> QueryResponse:
    """Run a checked query on `store` (graph.query.sparql.run, the one way queries run) and
    serialise at most `max_rows` results. Raises QueryError."""
    answer = run(store, request.query, default_graph=[ox.NamedNode(g) for g in request.default_graphs] or None,
                 named_graphs=[ox.NamedNode(g) for g in request.named_graphs] or None)
    if answer.kind == "ask":
        body = serialize_boolean(bool(answer.result), request.result_format)
        return QueryResponse("ask", body, RESULT_MEDIA_TYPES[request.result_format], 1, False)
    if answer.kind == "graph":
        body, rows, truncated = serialize_triples(answer.result, request.graph_format, request.max_rows)
        return QueryResponse("graph", body, GRAPH_MEDIA_TYPES[request.graph_format], rows, truncated)
    body, rows, truncated = serialize_solutions(answer.result, request.result_format, request.max_rows)
    return QueryResponse("select", body, RESULT_MEDIA_TYPES[request.result_format], rows, truncated)


def _invalid(request: QueryRequest, exc: QueryError) -> QueryInvalid:
    return QueryInvalid(syntax_message(request.query, str(exc)) if exc.syntax else str(exc))


def _execute_remote(snapshot: Any, request: QueryRequest, timeout: float) -> QueryResponse:
    """Run a query on a remote store's server (graph.store.remote): its answer is awaited at most `timeout` s."""
    from graph.store.http import RemoteError, RemoteTimeout

    snapshot.timeout = timeout
    try:
        return execute(snapshot, request)
    except RemoteTimeout as exc:
        raise QueryTimeout(f"the SPARQL server did not answer within {timeout:g} s; add a LIMIT or narrow "
                           "the query's patterns") from exc
    except RemoteError as exc:
        raise QueryInvalid(str(exc)) from exc
    except QueryError as exc:
        raise _invalid(request, exc) from exc


#: How often a query worker checks that the process that started it is alive.
PARENT_CHECK_SECONDS = 0.5


def _exit_with_parent(parent: int) -> None:  # pragma: no cover - runs in the worker process
    """End this worker when the process that started it is gone (killed, SIGTERMed): a query
    cannot be interrupted, and one that runs for hours must not outlive the server that asked
    for it. A thread polls the parent's pid rather than PR_SET_PDEATHSIG, which fires when the
    *thread* that started the worker ends (a request thread, here)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="postgraph-parent-watch", daemon=True).start()


def _worker(conn: Connection, parent: int) -> None:  # pragma: no cover - runs in the worker process
    _exit_with_parent(parent)
    stores: dict[str, ox.Store] = {}
    while True:
        try:
            path, request = conn.recv()
        except EOFError:
            return
        try:
            store = stores.get(path)
            if store is None:
                stores.clear()
                store = stores[path] = ox.Store.read_only(path)
            conn.send(("ok", execute(store, request)))
        except QueryError as exc:
            conn.send(("error", exc))
        except Exception as exc:
            conn.send(("error", QueryError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, os.getpid()), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Executor:
    """Runs queries against a store with a time limit that really stops the work."""

    def __init__(self, store: Store, timeout: float = 10.0, workers: int = 2, max_rows: int = 10_000,
                 allow_service: bool = False) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.allow_service = allow_service
        self._ctx = mp.get_context("spawn")
        self._size = max(1, workers)
        self._idle: list[_Worker] = []
        self._count = 0
        self._lock = threading.Condition()

    def run(self, request: QueryRequest) -> QueryResponse:
        """Check, then run the query; raises QueryInvalid, QueryRefused or QueryTimeout.

        Under a time budget (graph.deadline) the query gets at most what is left of it, and past it
        is stopped the same way (its worker killed), raising deadline.OverBudget."""
        kind = check(request.query, self.allow_service)
        if kind not in request.kinds:
            raise QueryInvalid(f"{_KIND_NAMES[kind]} queries cannot be shown here; this takes "
                               + " and ".join(_KIND_NAMES[k] for k in request.kinds) + " queries")
        deadline.check()
        left = deadline.remaining()
        timeout = self.timeout if left is None else min(self.timeout, left)
        request.max_rows = min(request.max_rows, self.max_rows)
        snapshot = self.store.snapshot()
        if snapshot is None:
            raise NoGraph("the store holds no graph yet: build it first (postgraph build)")
        if self.store.queries_run == "server":  # the remote store's server runs it; we wait at most `timeout`
            return _execute_remote(snapshot, request, timeout)
        if self.store.queries_run == "here":
            try:
                return execute(snapshot, request)
            except QueryError as exc:
                raise _invalid(request, exc) from exc
        path = str(self.store.path / (self.store.generation() or ""))
        worker = self._acquire(timeout)
        try:
            worker.conn.send((path, request))
            if not worker.conn.poll(timeout):
                worker.kill()
                worker = None
                if timeout < self.timeout:
                    deadline.check()
                    raise deadline.OverBudget("the query was stopped at the end of the request's time budget",
                                              deadline.seconds())
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped; "
                                   "add a LIMIT, narrow its patterns, or ask the operator for a longer "
                                   "--query-timeout")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            if worker is not None:
                worker.kill()
                worker = None
            raise QueryInvalid(f"the query worker failed: {exc}") from exc
        finally:
            self._release(worker)
        if status == "error":
            raise _invalid(request, payload)
        return payload

    def _acquire(self, timeout: float) -> _Worker:
        until = time.monotonic() + timeout
        with self._lock:
            while not self._idle and self._count >= self._size:
                left = until - time.monotonic()
                if left <= 0:
                    raise QueryTimeout("all query workers are busy; try again in a moment")
                self._lock.wait(left)
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Worker(self._ctx)
        except Exception:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise

    def _release(self, worker: _Worker | None) -> None:
        with self._lock:
            if worker is None:
                self._count -= 1
            else:
                self._idle.append(worker)
            self._lock.notify()

    def close(self) -> None:
        with self._lock:
            for worker in self._idle:
                worker.kill()
            self._idle.clear()
            self._count = 0
