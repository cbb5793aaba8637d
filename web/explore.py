"""Pages for people who explore rather than query: search and entity pages (the home page is in app.py).

Labels come in the page language: `?lang=` or the browser's Accept-Language (en, es, pt)."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from graph import __version__
from graph.entity import LANGS, entity_view, short
from graph.search import MAX_QUERY, SearchIndex

from .analysis import entity_graph

bp = Blueprint("explore", __name__)
_lock = threading.Lock()


def page_lang() -> str:
    lang = request.args.get("lang") or request.accept_languages.best_match(LANGS) or "en"
    if lang not in LANGS:
        abort(Response(f"lang must be one of {', '.join(LANGS)}\n", 400, mimetype="text/plain"))
    return lang


def _index(lang: str) -> SearchIndex:
    snapshot, eg = entity_graph(lang)
    key = (current_app.extensions["postgraph.store"].generation(), lang)
    cache: dict = current_app.extensions.setdefault("postgraph.search", {})
    with _lock:
        if key not in cache:
            for old in [k for k in cache if k[0] != key[0]]:
                del cache[old]
            cache[key] = SearchIndex.build(snapshot, eg)
        return cache[key]


def link(iri: str) -> str:
    """Where an IRI's page is: under /id/ for IRIs minted under the served base, else /describe."""
    base = current_app.extensions["postgraph.store"].info().get("entity_base") or ""
    if base and iri.startswith(base) and "?" not in iri and "#" not in iri:
        return url_for("sparql.dereference", rest=iri[len(base):])
    return url_for("sparql.describe", iri=iri)


def _search(json_wanted: bool) -> Any:
    lang = page_lang()
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        abort(Response(f"q is at most {MAX_QUERY} characters\n", 400, mimetype="text/plain"))
    if json_wanted:
        if not q.strip():
            abort(Response("give something to search for: ?q=…\n", 400, mimetype="text/plain"))
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


_VIEWS_KEPT = 2048


def _cached_view(snapshot: Any, iri: str, lang: str) -> Any:
    """Entity views of the current store generation, the most recently asked kept (popular pages
    are asked again and again, and a generation never changes)."""
    key = (current_app.extensions["postgraph.store"].generation(), iri, lang)
    cache: dict = current_app.extensions.setdefault("postgraph.views", {})
    with _lock:
        if key in cache:
            cache[key] = cache.pop(key)  # most recently used last
            return cache[key]
    view = entity_view(snapshot, iri, lang)
    with _lock:
        cache[key] = view
        while len(cache) > _VIEWS_KEPT or (cache and next(iter(cache))[0] != key[0]):
            cache.pop(next(iter(cache)))
    return view


def entity_page(iri: str) -> Response:
    """The HTML page of any IRI in the graph: facts, links, evidence, translations, related entities."""
    snapshot = current_app.extensions["postgraph.store"].snapshot()
    if snapshot is None:
        abort(503)
    lang = page_lang()
    view = _cached_view(snapshot, iri, lang)
    if view is None:
        return Response(render_template("error.html", code=404, message=f"The graph holds nothing about {iri}.",
                                        version=__version__), 404)
    return Response(render_template("entity.html", view=view, link=link, short=short, langs=LANGS,
                                    version=__version__))
