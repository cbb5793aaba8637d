"""The graph page: an interactive vis-network view of the entity graph, and its JSON feeds.

vis-network itself is served from the pyvis package installed with postgraph (never a CDN). The
page is static HTML and JavaScript (web/static/graph.js) that fetches /graph/data.json with the
page's own query string, so a view is shareable by URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import pyvis
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
)

from graph import __version__
from graph.explore import network
from graph.explore.entity import LANGS
from graph.query.executor import QueryRequest

from .common import bad, entity_graph, int_arg, page_lang, per_generation

bp = Blueprint("graphview", __name__)
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
VIS_FILES = {"vis-network.min.js", "vis-network.css"}
_DATA_KEPT = 256  # answers of /graph/data.json kept per store generation (the most recently asked)


def _view() -> network.View:
    kinds = set(request.args.getlist("type"))
    unknown = kinds - set(network.KINDS)
    if unknown:
        bad(f"unknown type {sorted(unknown)[0]!r}; types are {', '.join(network.KINDS)}")
    lang = request.args.get("lang") or None
    if lang is not None and lang not in LANGS:
        bad(f"lang must be one of {', '.join(LANGS)}")
    size_by = request.args.get("size", "articles")
    if size_by not in ("articles", "pagerank", "degree"):
        bad("size must be articles, pagerank or degree")
    focus = request.args.get("focus") or None
    comention = request.args.get("comention")
    if comention not in (None, "", "0", "1", "on"):
        bad("comention must be 1 (draw co-mention links) or 0")
    return network.View(kinds=kinds, lang=lang, year_from=int_arg("from", None, 1900, 2200),
                        year_to=int_arg("to", None, 1900, 2200), min_degree=int_arg("min_degree", 0, 0, 100_000),
                        limit=int_arg("limit", network.DEFAULT_LIMIT, 1, network.MAX_LIMIT),
                        focus=focus, depth=int_arg("depth", 1, 1, 4), size_by=size_by,
                        # the opening view draws what posts state; around one entity, what they mention too
                        comention=comention in ("1", "on") if comention not in (None, "") else focus is not None)


def _labels() -> str:
    return page_lang("labels")  # `lang` is a filter here (posts in that language), not the labels'


def _missing(iri: str | None) -> NoReturn:
    bad(f"no entity {iri} in the graph", 404)


@bp.get("/graph")
def page() -> str:
    """The page; its data comes from /graph/data.json with the same query string."""
    _view()  # a bad parameter is a 400 here already, not a broken page
    query = request.args.get("query", "")
    return render_template("graph.html", data_url="/graph/data.json?" + request.query_string.decode("latin-1"),
                           query=query, args=request.args, kinds=network.KINDS, styles=network.STYLE,
                           version=__version__)


@bp.get("/graph/data.json")
def data() -> Response:
    """Nodes and edges of the view (filters, focus and limit from the query string), or of a CONSTRUCT."""
    view = _view()
    query = request.args.get("query")
    if query:
        return jsonify(_construct(query, view))
    labels = _labels()
    _snapshot, eg = entity_graph(labels)

    def compute() -> bytes | None:
        try:
            nodes, left_out = network.select(eg, view)
        except KeyError:
            return None
        return current_app.json.dumps(network.vis_data(eg, nodes, view, left_out)).encode()

    # the same view of the same generation is the same answer: computed once, kept for the next asker
    key = (labels, tuple(sorted((k, tuple(v)) for k, v in request.args.lists())))
    body = per_generation("graph-data", key, compute, keep=_DATA_KEPT, background=False)
    if body is None:
        _missing(view.focus)
    return Response(body, mimetype="application/json")


def _entity() -> tuple[str, Any]:
    """The entity a request is about (`?iri=`, 400 without it) and the entity graph it is looked up in."""
    iri = request.args.get("iri", "")
    if not iri:
        bad("give the entity: ?iri=…")
    return iri, entity_graph(_labels())[1]


@bp.get("/graph/neighbours.json")
def neighbours() -> Response:
    """An entity and its neighbours, to expand a node on double-click."""
    iri, eg = _entity()
    view = _view()
    view.limit = min(view.limit, 50)
    try:
        return jsonify(network.neighbours(eg, iri, view))
    except KeyError:
        _missing(iri)


@bp.get("/graph/node.json")
def node() -> Response:
    """The side panel's facts about one entity."""
    iri, eg = _entity()
    try:
        return jsonify(network.facts(eg, iri))
    except KeyError:
        _missing(iri)


@bp.get("/vendor/vis-network/<name>")
def vis_asset(name: str) -> Response:
    """vis-network's script and style, from the installed pyvis package."""
    if name not in VIS_FILES:
        abort(404)
    response = send_from_directory(VIS_DIR, name, max_age=86400)
    return response


def _construct(query: str, view: network.View) -> dict[str, Any]:
    # a refused, malformed or endless query raises; web.errors answers it (403, 400, 503)
    req = QueryRequest(query=query, max_rows=network.MAX_LIMIT * 10, terms=True, kinds=("graph",))
    answer = current_app.extensions["postgraph.executor"].run(req)
    triples = answer.terms()[1]
    eg = entity_graph(_labels())[1] if current_app.extensions["postgraph.store"].snapshot() is not None else None
    out = network.construct_network(triples, eg, limit=view.limit if request.args.get("limit") else network.MAX_LIMIT)
    if answer.truncated:
        out["notice"] = (out["notice"] + " " if out["notice"] else "") + f"The result was cut at {answer.rows:,} triples."
    return out
