"""Every error a view may raise, answered in one place.

Views raise what the `graph` functions they call raise; this maps each to its status:

| raised | status |
|---|---|
| `QueryInvalid` (a malformed query, a bad dataset) | 400 |
| `QueryRefused` (an update, SERVICE) | 403 |
| `QueryTimeout` (past --query-timeout) | 503, Retry-After |
| `NoGraph` (nothing built yet) | 503, Retry-After |
| `deadline.OverBudget` (past --request-timeout) | 503, Retry-After (web.budget) |
| 404, 405 | an HTML page |

Query errors are answered as plain text (the SPARQL protocol's clients, the graph page's fetches);
the 503 of an over-budget request in the form the client asked for (HTML, JSON or text).
"""

from __future__ import annotations

import traceback

from flask import Flask, Response, jsonify, render_template, request

from graph import __version__, deadline
from graph.query.executor import NoGraph, QueryInvalid, QueryRefused, QueryTimeout

RETRY_AFTER = "5"


def plain(status: int, message: str, **headers: str) -> Response:
    """A plain-text answer (what SPARQL clients read)."""
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers=headers)


def install(app: Flask) -> None:
    """Register the handlers of the table above on `app`."""

    @app.errorhandler(QueryInvalid)
    def invalid(exc: QueryInvalid) -> Response:
        return plain(400, str(exc))

    @app.errorhandler(QueryRefused)
    def refused(exc: QueryRefused) -> Response:
        return plain(403, str(exc))

    @app.errorhandler(QueryTimeout)
    def timed_out(exc: QueryTimeout) -> Response:
        return plain(503, str(exc), **{"Retry-After": RETRY_AFTER})

    @app.errorhandler(NoGraph)
    def no_graph(exc: NoGraph) -> Response:
        return plain(503, str(exc), **{"Retry-After": RETRY_AFTER})

    @app.errorhandler(deadline.OverBudget)
    def over_budget(exc: deadline.OverBudget) -> Response:
        # the stopped work's frames may hold pyoxigraph results, which must be freed in this thread
        traceback.clear_frames(exc.__traceback__)
        return unavailable(budget_message(exc))

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> tuple[str, int]:
        return render_template("error.html", code=404, message="There is no page at this address.",
                               version=__version__), 404

    @app.errorhandler(405)
    def not_allowed(_exc: Exception) -> tuple[str, int]:
        return render_template("error.html", code=405, message="This address does not accept that method.",
                               version=__version__), 405


def budget_message(exc: deadline.OverBudget) -> str:
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
