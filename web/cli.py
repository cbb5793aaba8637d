"""The `postgraph` command: graph's commands (graph.cli) and `serve`, which runs the web app.

`serve` lives here, not in graph.cli, so that the pipeline (graph) never imports the web layer
(web); the console script and `python -m web.cli` are this module's `main`."""

from __future__ import annotations

import errno
from pathlib import Path

import click
from waitress.server import create_server

from graph.cli.building import _build_options, _run_build
from graph.cli.commands import main
from graph.cli.common import _open, _store_option, err

from . import create_app
from .analysis import warm_up
from .budget import DEFAULT_REQUEST_TIMEOUT

__all__ = ["main"]


@main.command("serve")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@_store_option
@_build_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-build", is_flag=True, help="Serve the graph as it is; do not build or update it first.")
@click.option("--threads", default=4, show_default=True, type=int, help="Worker threads of the WSGI server.")
@click.option("--query-timeout", default=10.0, show_default=True, type=float,
              help="Seconds a SPARQL query may run before it is stopped (answered 503).")
@click.option("--request-timeout", default=DEFAULT_REQUEST_TIMEOUT, show_default=True, type=float,
              help="Seconds of work one request may take (an entity page, a search, the graph page and its data, "
                   "/describe …); past it the work is stopped and the request answered 503 with a message, while "
                   "other requests go on. 0: no limit. /sparql and /query have --query-timeout instead.")
@click.option("--query-workers", default=2, show_default=True, type=int,
              help="Processes that run SPARQL queries (a stopped query's process is replaced).")
@click.option("--max-rows", default=10_000, show_default=True, type=int,
              help="Most results one SPARQL answer returns; more are cut, and the answer says so.")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE (federated queries); off by default because it makes the server fetch URLs.")
def serve_cmd(site: Path, store_spec: str, drafts: bool, future: bool, expired: bool, strict: bool,
              base_iri: str | None, max_file_size: float, host: str, port: int, no_build: bool, threads: int, query_timeout: float,
              request_timeout: float, query_workers: int, max_rows: int, allow_service: bool) -> None:
    """Bring the graph of SITE up to date (incrementally) and serve it on http://HOST:PORT/.

    Runs the waitress production WSGI server, never Flask's debug server.
    """

    store = _open(store_spec)
    if not no_build or store.snapshot() is None:
        _run_build(store, site, drafts, future, expired, strict, base_iri, max_file_size)
    app = create_app(store, {"POSTGRAPH_QUERY_TIMEOUT": query_timeout, "POSTGRAPH_QUERY_WORKERS": query_workers,
                             "POSTGRAPH_MAX_ROWS": max_rows, "POSTGRAPH_ALLOW_SERVICE": allow_service,
                             "POSTGRAPH_REQUEST_TIMEOUT": request_timeout})
    try:  # bind before saying "serving": a busy port is a one-line error, not a traceback
        server = create_server(app, host=host, port=port, threads=threads, ident="postgraph")
    except OSError as exc:
        app.extensions["postgraph.executor"].close()
        taken = exc.errno in (errno.EADDRINUSE, errno.EACCES)
        raise click.ClickException(
            (f"port {port} on {host} is already in use (another postgraph serve, or another program); "
             f"pick another with --port, e.g. --port {port + 1}") if taken and exc.errno == errno.EADDRINUSE else
            (f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
             "ports below 1024 need root, pick another with --port") if taken else
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (check --host)") from exc
    warm_up(app)  # the graph page's entity graph, projected in the background while the server starts
    err.print(f"serving the graph in {store.spec} on http://{host}:{port}/ (Ctrl+C to stop)", highlight=False)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":  # pragma: no cover
    main()
