"""Flask app factory. Thin: every page calls functions of the `graph` package."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, render_template

from graph import __version__
from graph.query.executor import Executor
from graph.store.local import Store

from . import budget, errors, settings
from .analysis import bp as analysis_bp
from .common import entity_graph, home_summary, link, page_lang, per_generation, snapshot
from .explore import bp as explore_bp
from .graphview import bp as graph_bp
from .settings import setting
from .sparql import bp as sparql_bp

#: Every page's Content-Security-Policy: scripts, styles, frames and fetches only from the app
#: itself, nothing inline (no page of ours needs it), images also as data: URIs (the favicon).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; "
                           "form-action 'self'; object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(store: Store, config: dict[str, Any] | None = None) -> Flask:
    """A Flask app serving the graph in `store`; `config` sets any of web.settings' SETTINGS
    (`POSTGRAPH_QUERY_TIMEOUT`…) or Flask's own keys.

    The store is re-read on each request, so a rebuild that commits a new generation is seen
    at once, and never half-way (see graph.store).
    """
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=1024 * 1024, JSON_SORT_KEYS=False, **settings.defaults())
    if config:
        app.config.update(config)
    app.extensions["postgraph.store"] = store
    with app.app_context():
        app.extensions["postgraph.executor"] = Executor(
            store, timeout=setting("query_timeout"), workers=setting("query_workers"),
            max_rows=setting("max_rows"), allow_service=setting("allow_service"))
    budget.install(app)
    errors.install(app)
    app.register_blueprint(sparql_bp)
    app.register_blueprint(analysis_bp)
    app.register_blueprint(graph_bp)
    app.register_blueprint(explore_bp)

    @app.get("/")
    def home() -> str | tuple[str, int]:
        if snapshot() is None:
            return render_template("empty.html", store=store.spec, version=__version__), 503
        lang = page_lang()
        _snap, eg = entity_graph(lang)
        summary = home_summary()
        top = per_generation("home-top", lang, lambda: {
            kind: sorted((n for n, d in eg.graph.nodes(data=True) if d["kind"] == kind),
                         key=lambda n: (-eg.graph.nodes[n]["posts"], eg.label(n)))[:10]
            for kind in ("event", "project", "topic")}, background=False)
        return render_template("home.html", info=store.info(), version=__version__, top=top, eg=eg, link=link,
                               **summary)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
