"""The `postgraph` command: graph's commands (graph.cli) and `serve`, which runs the web app.

`serve` lives here, not in graph.cli, so that the pipeline (graph) never imports the web layer
(web); the console script and `python -m web.cli` are this module's `main`."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from waitress.server import create_server

from graph.cli.building import _build_options, _run_build
from graph.cli.commands import main
from graph.cli.common import _open, _store_option, err

from . import create_app
from .analysis import warm_up
from .settings import BY_NAME, SETTINGS

__all__ = ["main"]


def _settings_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per server setting (web.settings), with its default and help."""
    for s in reversed(SETTINGS):
        if isinstance(s.default, bool):
            command = click.option(s.option, s.name, is_flag=True, default=s.default, help=s.help)(command)
        else:
            command = click.option(s.option, s.name, default=s.default, show_default=True, type=type(s.default),
                                   help=s.help)(command)
    return command


@main.command("serve")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@_store_option
@_build_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-build", is_flag=True, help="Serve the graph as it is; do not build or update it first.")
@click.option("--threads", default=4, show_default=True, type=int, help="Worker threads of the WSGI server.")
@_settings_options
def serve_cmd(site: Path, store_spec: str, drafts: bool, future: bool, expired: bool, strict: bool,
              base_iri: str | None, max_file_size: float, host: str, port: int, no_build: bool, threads: int,
              **settings: Any) -> None:
    """Bring the graph of SITE up to date (incrementally) and serve it on http://HOST:PORT/.

    Runs the waitress production WSGI server, never Flask's debug server.
    """

    store = _open(store_spec)
    if not no_build or store.snapshot() is None:
        _run_build(store, site, drafts, future, expired, strict, base_iri, max_file_size)
    app = create_app(store, {BY_NAME[name].key: value for name, value in settings.items()})
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
