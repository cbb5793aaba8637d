"""Analysis pages: centrality, co-occurrence, communities, paths with evidence, themes over time.

The projected entity graph is computed once per store generation and language, and shared by
every request until the next build (graph.analysis does the work; this module only renders)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request

from graph import __version__, analysis
from graph.store import Store

bp = Blueprint("analysis", __name__)
log = logging.getLogger("postgraph")
LANGS = ("en", "es", "pt")
_lock = threading.Lock()


def _store() -> Store:
    return current_app.extensions["postgraph.store"]


def _lang() -> str:
    lang = request.args.get("lang") or request.accept_languages.best_match(LANGS) or "en"
    if lang not in LANGS:
        abort(Response(f"lang must be one of {', '.join(LANGS)}\n", 400, mimetype="text/plain"))
    return lang


def entity_graph(lang: str) -> tuple[Any, analysis.EntityGraph]:
    """The store snapshot and its projected entity graph (labels in `lang`), cached per generation."""
    store = _store()
    snapshot = store.snapshot()
    if snapshot is None:
        abort(Response("no graph has been built yet\n", 503, mimetype="text/plain"))
    key = (store.generation(), lang)
    cache: dict = current_app.extensions.setdefault("postgraph.analysis", {})
    with _lock:  # one projection per generation and language, even under concurrent requests
        if key not in cache:
            for old in [k for k in cache if k[0] != key[0]]:  # an older generation's projections
                del cache[old]
            cache[key] = analysis.project(snapshot, lang=lang)
        return snapshot, cache[key]


def warm_up(app: Flask, lang: str = "en") -> threading.Thread:
    """Project the entity graph in a background thread, so that the first visitor of the graph,
    search or analysis pages does not wait for it (on a 10,000-post site it takes about 30 s)."""
    def run() -> None:
        with app.test_request_context("/"):
            try:
                if app.extensions["postgraph.store"].snapshot() is not None:
                    from .app import home_summary

                    entity_graph(lang)
                    home_summary(app)
                    log.info("entity graph ready for the graph, search and analysis pages")
            except Exception:  # a failed warm-up is retried by the first request, which reports it
                log.exception("could not project the entity graph in advance")
    thread = threading.Thread(target=run, name="postgraph-warm-up", daemon=True)
    thread.start()
    return thread


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        abort(Response(f"{name} must be a whole number, not {raw!r}\n", 400, mimetype="text/plain"))
    if not low <= value <= high:
        abort(Response(f"{name} must be between {low} and {high}\n", 400, mimetype="text/plain"))
    return value


def _wants_json() -> bool:
    return request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json")


def _as_json(value: Any) -> Response:
    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v):
            return {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        return v
    return jsonify(plain(value))


@bp.get("/analysis")
def index() -> Any:
    """Centrality, communities, co-occurrence tables and the themes chart on one page."""
    lang = _lang()
    top = _int("top", 20, 1, 200)
    _snapshot, eg = entity_graph(lang)
    data = {
        "centrality": analysis.centrality(eg, top=top),
        "communities": analysis.communities(eg),
        "project_theme": analysis.cooccurrence(eg, "project", "topic", top),
        "project_event": analysis.cooccurrence(eg, "project", "event", top),
    }
    if _wants_json():
        return _as_json(data)
    return render_template("analysis.html", lang=lang, nodes=eg.graph.number_of_nodes(),
                           links=eg.graph.number_of_edges(), short=_short, version=__version__, **data)


@bp.get("/analysis/path")
def path() -> Any:
    """How two entities are connected (`from`, `to`: IRIs or names), with the evidence for each hop."""
    lang = _lang()
    source, target = request.args.get("from", "").strip(), request.args.get("to", "").strip()
    if not source or not target:
        abort(Response("give two entities: /analysis/path?from=Zuul&to=SCaLE (IRIs or names)\n", 400,
                       mimetype="text/plain"))
    if len(source) > 500 or len(target) > 500:
        abort(Response("entity names are at most 500 characters\n", 400, mimetype="text/plain"))
    snapshot, eg = entity_graph(lang)
    try:
        hops = analysis.shortest_path(eg, snapshot, source, target)
    except analysis.AnalysisError as exc:
        if _wants_json():
            return jsonify(error=str(exc)), 404
        return render_template("path.html", error=str(exc), source=source, target=target, hops=[], eg=eg,
                               short=_short, version=__version__), 404
    if _wants_json():
        return _as_json(hops)
    return render_template("path.html", error=None, source=source, target=target, hops=hops, eg=eg,
                           short=_short, version=__version__)


@bp.get("/analysis/themes.svg")
def themes_svg() -> Response:
    """Posts per year mentioning each of the most mentioned themes, as an SVG chart made here."""
    lang = _lang()
    top = _int("top", 8, 1, 10)
    snapshot = _store().snapshot()
    if snapshot is None:
        abort(Response("no graph has been built yet\n", 503, mimetype="text/plain"))
    years, series = analysis.themes_over_time(snapshot, top=top, lang=lang)
    return Response(analysis.line_chart_svg(years, series, "Themes over time"), mimetype="image/svg+xml")


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
