"""Every request's time budget (`postgraph serve --request-timeout`): work past it answers 503.

Each request but the exempt ones below runs under graph.deadline's budget: the store queries of
its view check it (graph.query.sparql.run), long loops too, the killable SPARQL workers take what is
left as their time limit, and a wait for a value computed once per store generation (the entity
graph, the search index) lasts at most what is left. Past it the view's work stops at its next
check and the request answers 503 with a message (web.errors), as HTML, JSON or plain text as the
client asked, with Retry-After; the other requests go on.

Exempt: the SPARQL endpoint and the query page (the client's own queries, limited by
--query-timeout), the dumps (written once per store generation, then served from disk) and
static files.
"""

from __future__ import annotations

from flask import Flask, g, request

from graph import deadline

from .settings import setting

#: Endpoints not under the request budget (see the module docstring)
EXEMPT = {"sparql.sparql", "sparql.query_page", "sparql.dump", "static", "graphview.vis_asset"}


def install(app: Flask) -> None:
    """Run each request of `app` under its request_timeout setting (0: no budget); what is over
    it answers 503 (web.errors)."""

    @app.before_request
    def start_budget() -> None:
        if request.endpoint not in EXEMPT:
            seconds = setting("request_timeout")
            g.postgraph_budget = deadline.start(seconds if seconds else None)

    @app.teardown_request
    def end_budget(_exc: BaseException | None) -> None:
        token = g.pop("postgraph_budget", None)
        if token is not None:
            deadline.stop(token)
