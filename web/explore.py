"""Pages for people who explore rather than query: search and entity pages (the home page is in app.py).

Labels come in the page language: `?lang=` or the browser's Accept-Language (en, es, pt)."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, jsonify, render_template, request

from graph import __version__
from graph.explore.analysis import search_key
from graph.explore.entity import EVIDENCE_PAGE, LANGS, entity_view, mentions
from graph.explore.search import MAX_QUERY, SearchIndex
from graph.namespaces import local_name

from .common import (
    bad,
    entity_graph,
    entity_graph_if_ready,
    int_arg,
    link,
    page_lang,
    per_generation,
    post_index,
)
from .common import snapshot as current_snapshot

bp = Blueprint("explore", __name__)
_VIEWS_KEPT, _MENTIONS_KEPT, _HITS_KEPT = 2048, 512, 1024


def _index(lang: str) -> SearchIndex:
    snapshot, eg = entity_graph(lang)
    return per_generation("search", lang, lambda: SearchIndex.build(snapshot, eg), what="the search index")


def _hits(lang: str, q: str) -> list[Any]:
    """What a search finds: the same for the same words in the same generation, so kept for the next asker."""
    index = _index(lang)
    return per_generation("search-hits", (lang, search_key(q.strip())), lambda: index.search(q), keep=_HITS_KEPT,
                          background=False)


def _search(json_wanted: bool) -> Any:
    lang = page_lang()
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY:
        bad(f"q is at most {MAX_QUERY} characters")
    if json_wanted:
        if not q.strip():
            bad("give something to search for: ?q=…")
        hits = _hits(lang, q)
        return jsonify([dataclasses.asdict(h) | {"url": link(h.iri)} for h in hits])
    hits = _hits(lang, q) if q.strip() else []
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
    """The HTML page of any IRI in the graph: facts, links, evidence (`?page=`), translations, related entities.

    Bounded whatever the entity (graph.entity): the posts mentioning it are read once per store
    generation and shown a page at a time; the related entities come from the entity graph once it
    is ready (until then they are counted among its newest posts, and the page is not kept)."""
    snapshot = current_snapshot()
    if snapshot is None:
        abort(503)
    try:
        ox.NamedNode(iri)
    except ValueError:
        return Response(render_template("error.html", code=404, message=f"{iri} is not an IRI.",
                                        version=__version__), 404)
    lang = page_lang()
    page = int_arg("page", 1, 1, 1_000_000)
    index = post_index()
    mentioned = per_generation("mentions", iri, lambda: mentions(snapshot, iri, index), keep=_MENTIONS_KEPT,
                               background=False)
    eg = entity_graph_if_ready(lang)
    view = per_generation("views", (iri, lang, page, eg is not None),
                          lambda: entity_view(snapshot, iri, lang, page, mentioned, eg), keep=_VIEWS_KEPT,
                          background=False)
    if view is None:
        return Response(render_template("error.html", code=404, message=f"The graph holds nothing about {iri}.",
                                        version=__version__), 404)
    return Response(render_template("entity.html", view=view, link=link, short=local_name, langs=LANGS,
                                    page_url=_page_url, page_size=EVIDENCE_PAGE, version=__version__))


def _page_url(page: int, lang: str | None = None) -> str:
    """This page's address with another page of evidence, or in another language (its other
    parameters kept: /describe's `iri` with them)."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    if lang is not None:
        args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)
