"""Every request's time budget (`postgraph serve --request-timeout`): work past it answers 503.

Each request but the exempt ones below runs under graph.deadline's budget: the store queries of
its view check it (graph.query.run), long loops too, the killable SPARQL workers take what is
left as their time limit, and a wait for a value computed once per store generation (the entity
graph, the search index) lasts at most what is left. Past it the view's work stops at its next
check and the request answers 503 with a message, as HTML, JSON or plain text as the client
asked, with Retry-After; the other requests go on.

Exempt: the SPARQL endpoint and the query page (the client's own queries, limited by
--query-timeout), the dumps (written once per store generation, then served from disk) and
static files.
"""

from __future__ import annotations

import traceback

from flask import Flask, Response, g, jsonify, render_template, request

from graph import __version__, deadline

#: Endpoints not under the request budget (see the module docstring)
EXEMPT = {"sparql.sparql", "sparql.query_page", "sparql.dump", "static", "graphview.vis_asset"}
DEFAULT_REQUEST_TIMEOUT = 5.0
RETRY_AFTER = "5"


def install(app: Flask) -> None:
    """Run each request of `app` under POSTGRAPH_REQUEST_TIMEOUT seconds (0 or None: no budget)."""
    seconds = app.config.get("POSTGRAPH_REQUEST_TIMEOUT", DEFAULT_REQUEST_TIMEOUT)

    @app.before_request
    def start_budget() -> None:
        if request.endpoint not in EXEMPT:
            g.postgraph_budget = deadline.start(float(seconds) if seconds else None)

    @app.teardown_request
    def end_budget(_exc: BaseException | None) -> None:
        token = g.pop("postgraph_budget", None)
        if token is not None:
            deadline.stop(token)

    @app.errorhandler(deadline.OverBudget)
    def over_budget(exc: deadline.OverBudget) -> Response:
        # the stopped work's frames may hold pyoxigraph results, which must be freed in this thread
        traceback.clear_frames(exc.__traceback__)
        return unavailable(message(exc))


def message(exc: deadline.OverBudget) -> str:
    """What a person reads: what happened, that nothing is wrong with the request, what to do."""
    if isinstance(exc, deadline.Preparing):
        return str(exc)[0].upper() + str(exc)[1:]
    limit = f"{exc.seconds:g} s" if exc.seconds else "its"
    return (f"This page needed more than the {limit} this server gives one request, so its work was stopped "
            "and other requests were served instead. Try again in a moment (a busy server may answer "
            "sooner); if it keeps happening, the operator can raise postgraph serve --request-timeout.")


def unavailable(text: str) -> Response:
    """A 503 in the form the client asked for: JSON for .json routes and JSON clients, HTML for
    browsers, else plain text (an RDF client asking for Turtle)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "text/plain"]) \
        if request.accept_mimetypes else "text/html"
    if request.path.endswith(".json") or best == "application/json":
        response = jsonify(error=text, status=503)
    elif best == "text/html":
        response = Response(render_template("error.html", code=503, message=text, version=__version__),
                            mimetype="text/html")
    else:
        response = Response(text + "\n", mimetype="text/plain")
    response.status_code = 503
    response.headers["Retry-After"] = RETRY_AFTER
    return response
