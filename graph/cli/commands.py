"""The `postgraph` command: build, query, export, stats, validate, serve.

The group and its logging are here; the commands are in building (build, diff), querying (query,
export), reports (stats, validate, candidates) and analyze; `serve` is added by web.cli."""

from __future__ import annotations

import logging

import click
from rich.logging import RichHandler

from graph import __version__
from graph.cli.analyze import analyze
from graph.cli.building import build_cmd, diff_cmd
from graph.cli.common import err
from graph.cli.querying import export_cmd, query_cmd
from graph.cli.reports import candidates_cmd, stats_cmd, validate_cmd

log = logging.getLogger("postgraph")


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(message)s", datefmt="[%X]",
                        handlers=[RichHandler(console=err, show_path=False, markup=False)], force=True)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="postgraph")
@click.option("-v", "--verbose", count=True, help="Say more (-vv for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
def main(verbose: int, quiet: bool) -> None:
    """Turn a Hugo site into an RDF knowledge graph, query it with SPARQL, export and serve it.

    Typical use: `postgraph build SITE` then `postgraph query 'SELECT …'`, `postgraph export
    --format turtle -o site.ttl`, or `postgraph serve SITE` to build and browse it.
    """
    _setup_logging(verbose, quiet)


for command in (build_cmd, query_cmd, export_cmd, stats_cmd, validate_cmd, candidates_cmd, diff_cmd, analyze):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
