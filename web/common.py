"""What the page modules share: request parameters, 400s, and values cached per store generation.

A store generation never changes once built, so anything computed from it (the projected entity
graph, the search index, the home page's counts, entity views) is kept until the next build."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, NoReturn

import pyoxigraph as ox
from flask import Response, abort, current_app, g, request, url_for

from graph import deadline
from graph.explore import analysis
from graph.explore.entity import LANGS, PostIndex
from graph.query.sparql import posts_by_year, recent_posts, stats
from graph.store.local import Store

_locks: dict[str, threading.Lock] = {}
_locks_lock = threading.Lock()


def store() -> Store:
    return current_app.extensions["postgraph.store"]


def generation() -> str | None:
    """The store's current generation, read once a request: the whole request sees one graph, and a
    busy server does not stat the store's files at every cache lookup."""
    if "postgraph_generation" not in g:
        g.postgraph_generation = store().generation()
    return g.postgraph_generation


def snapshot() -> ox.Store | None:
    """The graph of that generation (None before the first build), opened once a request."""
    if "postgraph_snapshot" not in g:
        generation()
        g.postgraph_snapshot = store().snapshot()
    return g.postgraph_snapshot


def bad(message: str, status: int = 400) -> NoReturn:
    """Stop the request with a plain-text message (400 unless told otherwise)."""
    abort(Response(message.rstrip("\n") + "\n", status, mimetype="text/plain"))


def int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    """An integer query parameter within [low, high]; `default` when absent; else 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        bad(f"{name} must be a whole number, not {raw!r}")
    if not low <= value <= high:
        bad(f"{name} must be between {low} and {high}")
    return value


def page_lang(param: str = "lang") -> str:
    """The language of labels: the `param` query parameter, else the browser's Accept-Language."""
    lang = request.args.get(param) or request.accept_languages.best_match(LANGS) or "en"
    if lang not in LANGS:
        bad(f"{param} must be one of {', '.join(LANGS)}")
    return lang


def per_generation(name: str, key: Hashable, compute: Callable[[], Any], keep: int | None = None,
                   background: bool = True, what: str = "") -> Any:
    """`compute()` once per store generation and `key`, shared by every request until the next build.

    Values of older generations are dropped; `keep` bounds how many keys are kept (least recently
    used dropped first). Concurrent requests for the same value wait for one computation instead
    of starting their own, and each waits at most what is left of its time budget
    (graph.deadline): then it answers 503 (deadline.Preparing) and the computation goes on.

    With `background` (whole-store values: the entity graph, the search index, the home page's
    counts) the computation runs in a thread of its own, outside any request's budget, so that it
    is finished for the requests after the one that started it; `what` names it in the 503's
    message. Without it (one entity's page) the request that comes first computes it under its own
    budget; if that fails (over budget), the next request tries again."""
    current = generation()
    full = (current, key)
    cache: dict = current_app.extensions.setdefault(f"postgraph.{name}", {})
    with _locks_lock:
        lock = _locks.setdefault(name, threading.Lock())
    for _attempt in range(2):
        with lock:
            future = cache.get(full)
            mine = future is None
            if mine:
                for old in [k for k in cache if k[0] != current]:
                    del cache[old]
                future = cache[full] = Future()
                while keep is not None and len(cache) > keep:
                    cache.pop(next(iter(cache)))
            else:
                cache[full] = cache.pop(full)  # most recently used last
        if mine and background:
            app = current_app._get_current_object()
            threading.Thread(target=_fill, args=(app, future, compute, cache, full, lock),
                             name=f"postgraph-{name}", daemon=True).start()
        elif mine:
            _fill(None, future, compute, cache, full, lock)
        try:
            return future.result(timeout=deadline.remaining())
        except FutureTimeout:
            raise deadline.Preparing(
                f"the server is still preparing {what or 'what this page needs'} for the graph it serves (once "
                f"after each build; it goes on in the background); this request waited its whole "
                f"{deadline.seconds():g} s budget. Try again in a few seconds.", deadline.seconds()) from None
        except deadline.OverBudget:
            if mine or background:
                raise
            # the request computing it ran out of its own budget: compute it under ours
    return None  # pragma: no cover - the second attempt either returns or raises


def _fill(app: Any, future: Future, compute: Callable[[], Any], cache: dict, full: tuple, lock: threading.Lock) -> None:
    """Compute a per-generation value into `future`; a failure is not kept (the next request retries)."""
    try:
        if app is None:
            value = compute()
        else:
            with app.app_context():
                value = compute()
    except BaseException as exc:
        # the failed work's finished frames may hold pyoxigraph results, which must be freed in the
        # thread that made them: free them here, not wherever the last waiter drops the exception
        traceback.clear_frames(exc.__traceback__)
        with lock:
            if cache.get(full) is future:
                del cache[full]
        future.set_exception(exc)
        if app is None:
            raise
        return
    future.set_result(value)


def entity_graph(lang: str) -> tuple[Any, analysis.EntityGraph]:
    """The store snapshot and its projected entity graph (labels in `lang`), once per generation."""
    snap = snapshot()
    if snap is None:
        bad("no graph has been built yet", 503)
    return snap, per_generation("analysis", lang, lambda: analysis.project(snap, lang=lang),
                                    what="the entity graph")


def post_index() -> PostIndex:
    """Every post's date and every article (what entity pages sort and count with), once per generation."""
    snap = snapshot()
    if snap is None:
        bad("no graph has been built yet", 503)
    return per_generation("posts", None, lambda: PostIndex.build(snap), what="the index of posts")


def entity_graph_if_ready(lang: str) -> analysis.EntityGraph | None:
    """A projected entity graph of the current generation if one is ready (labels in `lang` if that
    one is, else in another language), without waiting: for what does not depend on labels."""
    current = generation()
    ready = {key[1]: future.result() for key, future in list(current_app.extensions.get("postgraph.analysis", {}).items())
             if key[0] == current and future.done() and future.exception() is None}
    return ready.get(lang) or next(iter(ready.values()), None)


def home_summary() -> dict[str, Any]:
    """The home page's counts, recent posts and posts by year: whole-store aggregates (seconds on a
    big site), so computed once per store generation and shared by every request."""
    def compute() -> dict[str, Any]:
        snap = store().snapshot()
        return {"counts": stats(snap), "recent": recent_posts(snap), "years": posts_by_year(snap)}
    return per_generation("home", None, compute, what="the home page's counts")


def entity_base() -> str:
    """The base of the IRIs the served graph mints (…/id/), read once per store generation."""
    return per_generation("entity-base", None, lambda: store().info().get("entity_base") or "", background=False)


def link(iri: str) -> str:
    """Where an IRI's page is: under /id/ for IRIs minted under the served base, else /describe."""
    if "postgraph_entity_base" not in g:  # a page links hundreds of IRIs
        g.postgraph_entity_base = entity_base()
    base = g.postgraph_entity_base
    if base and iri.startswith(base) and "?" not in iri and "#" not in iri:
        return url_for("sparql.dereference", rest=iri[len(base):])
    return url_for("sparql.describe", iri=iri)
