"""What the page modules share: request parameters, 400s, and values cached per store generation.

A store generation never changes once built, so anything computed from it (the projected entity
graph, the search index, the home page's counts, entity views) is kept until the next build."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, NoReturn

from flask import Response, abort, current_app, request, url_for

from graph.explore import analysis
from graph.explore.entity import LANGS
from graph.query.sparql import posts_by_year, recent_posts, stats
from graph.store.local import Store

_locks: dict[str, threading.Lock] = {}
_locks_lock = threading.Lock()


def store() -> Store:
    return current_app.extensions["postgraph.store"]


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
                   exclusive: bool = True) -> Any:
    """`compute()` once per store generation and `key`, shared by every request until the next build.

    Values of older generations are dropped; `keep` bounds how many keys are kept (least recently
    used dropped first). Each `name` has its own lock. With `exclusive`, the lock is held while
    computing, so concurrent requests wait for one (expensive) computation instead of starting
    their own; without it, cheap values are computed outside the lock and may be made twice."""
    full = (store().generation(), key)
    cache: dict = current_app.extensions.setdefault(f"postgraph.{name}", {})
    with _locks_lock:
        lock = _locks.setdefault(name, threading.Lock())

    def put(value: Any) -> Any:
        for old in [k for k in cache if k[0] != full[0]]:
            del cache[old]
        cache[full] = value
        while keep is not None and len(cache) > keep:
            cache.pop(next(iter(cache)))
        return value

    with lock:
        if full in cache:
            cache[full] = cache.pop(full)  # most recently used last
            return cache[full]
        if exclusive:
            return put(compute())
    value = compute()
    with lock:
        return put(value)


def entity_graph(lang: str) -> tuple[Any, analysis.EntityGraph]:
    """The store snapshot and its projected entity graph (labels in `lang`), once per generation."""
    snapshot = store().snapshot()
    if snapshot is None:
        bad("no graph has been built yet", 503)
    return snapshot, per_generation("analysis", lang, lambda: analysis.project(snapshot, lang=lang))


def home_summary() -> dict[str, Any]:
    """The home page's counts, recent posts and posts by year: whole-store aggregates (seconds on a
    big site), so computed once per store generation and shared by every request."""
    def compute() -> dict[str, Any]:
        snap = store().snapshot()
        return {"counts": stats(snap), "recent": recent_posts(snap), "years": posts_by_year(snap)}
    return per_generation("home", None, compute)


def link(iri: str) -> str:
    """Where an IRI's page is: under /id/ for IRIs minted under the served base, else /describe."""
    base = store().info().get("entity_base") or ""
    if base and iri.startswith(base) and "?" not in iri and "#" not in iri:
        return url_for("sparql.dereference", rest=iri[len(base):])
    return url_for("sparql.describe", iri=iri)
