"""Analysis pages: centrality, co-occurrence, communities, paths with evidence, themes over time.

The projected entity graph is computed once per store generation and language, and shared by
every request until the next build (graph.explore.analysis and graph.explore.theme_trends do the
work; this module only renders)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, render_template, request

from graph import __version__
from graph.explore import analysis
from graph.explore.theme_trends import line_chart_svg, themes_over_time
from graph.namespaces import local_name

from .common import bad, entity_graph, home_summary, int_arg, page_lang, per_generation, post_index, store

bp = Blueprint("analysis", __name__)
log = logging.getLogger("postgraph")


def warm_up(app: Flask, lang: str = "en") -> threading.Thread:
    """Prepare the index of posts, the entity graph and the home page's counts in a background
    thread, so that the first visitor of the entity, graph, search or analysis pages does not wait
    for them (on a 10,000-post site the entity graph takes about 30 s)."""
    def run() -> None:
        with app.app_context():  # the per-generation caches need the app, not a request
            try:
                if app.extensions["postgraph.store"].snapshot() is not None:
                    post_index()
                    entity_graph(lang)
                    home_summary()
                    log.info("entity graph ready for the graph, search and analysis pages")
            except Exception:  # a failed warm-up is retried by the first request, which reports it
                log.exception("could not project the entity graph in advance")
    thread = threading.Thread(target=run, name="postgraph-warm-up", daemon=True)
    thread.start()
    return thread


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
    lang = page_lang()
    top = int_arg("top", 20, 1, 200)
    _snapshot, eg = entity_graph(lang)
    # seconds of networkx on a big site (betweenness: 10 s at 10,000 posts): once per generation, in
    # the background; a request that waits past its budget is told the analysis is being prepared
    data = per_generation("analyses", (lang, top), lambda: {
        "centrality": analysis.centrality(eg, top=top),
        "communities": analysis.communities(eg),
        "project_theme": analysis.cooccurrence(eg, "project", "topic", top),
        "project_event": analysis.cooccurrence(eg, "project", "event", top),
    }, keep=16, what="the analyses (centrality, communities, co-occurrence)")
    if _wants_json():
        return _as_json(data)
    return render_template("analysis.html", lang=lang, nodes=eg.graph.number_of_nodes(),
                           links=eg.graph.number_of_edges(), short=local_name, version=__version__, **data)


@bp.get("/analysis/path")
def path() -> Any:
    """How two entities are connected (`from`, `to`: IRIs or names), with the evidence for each hop."""
    lang = page_lang()
    source, target = request.args.get("from", "").strip(), request.args.get("to", "").strip()
    if not source or not target:
        bad("give two entities: /analysis/path?from=Zuul&to=SCaLE (IRIs or names)")
    if len(source) > 500 or len(target) > 500:
        bad("entity names are at most 500 characters")
    snapshot, eg = entity_graph(lang)
    try:
        hops = analysis.shortest_path(eg, snapshot, source, target)
    except analysis.AnalysisError as exc:
        if _wants_json():
            return jsonify(error=str(exc)), 404
        return render_template("path.html", error=str(exc), source=source, target=target, hops=[], eg=eg,
                               short=local_name, version=__version__), 404
    if _wants_json():
        return _as_json(hops)
    return render_template("path.html", error=None, source=source, target=target, hops=hops, eg=eg,
                           short=local_name, version=__version__)


@bp.get("/analysis/themes.svg")
def themes_svg() -> Response:
    """Posts per year mentioning each of the most mentioned themes, as an SVG chart made here."""
    lang = page_lang()
    top = int_arg("top", 8, 1, 10)
    snapshot = store().snapshot()
    if snapshot is None:
        bad("no graph has been built yet", 503)
    svg = per_generation("themes", (lang, top), lambda: line_chart_svg(
        *themes_over_time(snapshot, top=top, lang=lang), "Themes over time"), keep=32, what="the themes chart")
    return Response(svg, mimetype="image/svg+xml")
