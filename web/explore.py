"""Pages for people who explore rather than query: search and entity pages (the home page is in app.py).

Labels come in the page language: `?lang=` or the browser's Accept-Language (en, es, pt)."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request

from graph import __version__
from graph.explore.entity import LANGS, entity_view, short
from graph.explore.search import MAX_QUERY, SearchIndex

from .common import bad, entity_graph, link, page_lang, per_generation, store

bp = Blueprint("explore", __name__)
_VIEWS_KEPT = 2048


def _index(lang: str) -> SearchIndex:
    snapshot, eg = entity_graph(lang)
    return per_generation("search", lang, lambda: SearchIndex.build(snapshot, eg))


def _search(json_wanted: bool) -> Any:
    lang = page_lang()
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        bad(f"q is at most {MAX_QUERY} characters")
    if json_wanted:
        if not q.strip():
            bad("give something to search for: ?q=…")
        hits = _index(lang).search(q)
        return jsonify([dataclasses.asdict(h) | {"url": link(h.iri)} for h in hits])
    hits = _index(lang).search(q) if q.strip() else []
    return render_template("search.html", q=q, hits=hits, lang=lang, link=link, version=__version__)


@bp.get("/search")
def search() -> Any:
    """Entities and posts by any label in any language, ranked; JSON with Accept: application/json."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"], default="text/html")
    return _search(best == "application/json" and request.accept_mimetypes["application/json"] >
                   request.accept_mimetypes["text/html"])


@bp.get("/search.json")
def search_json() -> Any:
    """The same, always JSON (for autocomplete)."""
    return _search(True)


def entity_page(iri: str) -> Response:
    """The HTML page of any IRI in the graph: facts, links, evidence, translations, related entities."""
    snapshot = store().snapshot()
    if snapshot is None:
        abort(503)
    lang = page_lang()
    view = per_generation("views", (iri, lang), lambda: entity_view(snapshot, iri, lang), keep=_VIEWS_KEPT,
                          exclusive=False)
    if view is None:
        return Response(render_template("error.html", code=404, message=f"The graph holds nothing about {iri}.",
                                        version=__version__), 404)
    return Response(render_template("entity.html", view=view, link=link, short=short, langs=LANGS,
                                    version=__version__))
