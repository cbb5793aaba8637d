"""`postgraph query` (a SPARQL query, its answer as a table or in a results format) and
`postgraph export` (the whole graph in an RDF format)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from graph.cli.common import _open, _snapshot, _store_option, err
from graph.namespaces import SITE_PREFIX
from graph.query.export import FORMATS, export
from graph.query.sparql import QueryError, query_format_names, rows, run, write


@click.command("query")
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from this file ('-' for standard input).")
@_store_option
@click.option("--format", "fmt", default=None,
              type=click.Choice(["table", *query_format_names()]),
              help="Output format. SELECT/ASK: table (default), json, csv, tsv, xml. "
                   "CONSTRUCT/DESCRIBE: turtle (default), ntriples, jsonld, xml (RDF/XML).")
def query_cmd(query: str | None, query_file, store_spec: str, fmt: str | None) -> None:
    """Run a SPARQL query (QUERY, -f FILE, or '-' for standard input) against the graph.

    The default graph is the knowledge graph (every fact once: no DISTINCT needed); what each
    post says, with its evidence, is in the post's named graph (GRAPH ?post { … }). The prefixes
    rdf, rdfs, xsd, owl, schema, skos, doap, prov, oa, seo, void, dcterms and pg are predeclared. A syntax error is
    printed with its line and column, and the exit status is 2.
    """
    if query_file is not None:
        text = query_file.read()
    elif query == "-":
        text = sys.stdin.read()
    elif query:
        text = query
    else:
        raise click.UsageError("give a QUERY, -f FILE, or '-' to read standard input")
    store = _open(store_spec)
    snap = _snapshot(store)
    try:
        answer = run(snap, text)
    except QueryError as exc:
        err.print(f"[red]SPARQL error[/red]: {exc}", highlight=False)
        sys.exit(2)
    out = sys.stdout.buffer
    if answer.kind == "graph":
        write(answer, fmt or "turtle", out) if fmt != "table" else write(answer, "turtle", out)
    elif fmt in (None, "table"):
        if answer.kind == "ask":
            click.echo("true" if bool(answer.result) else "false")
            return
        ids = store.info().get("entity_base") or None  # what the last build minted entity IRIs under
        # prefixed names (the site's own entities as id:…), literals cut at 80 characters, one line
        # per row that fits the terminal (rich shortens with …); --format csv/tsv/json gives it all
        console = Console()
        cells = rows(answer, site_ids=ids, limit=80)
        table = Table(show_lines=False, caption=f"{SITE_PREFIX}: = {ids}" if ids else None, caption_justify="left")
        for name, width in zip(answer.variables, _fair_widths(answer.variables, cells, console.width), strict=True):
            table.add_column(name, no_wrap=True, overflow="ellipsis", width=width)
        for row in cells:
            table.add_row(*row)
        console.print(table)
        err.print(f"{len(cells)} row(s)")
    else:
        try:
            write(answer, fmt, out)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
    out.flush()


def _fair_widths(names: list[str], cells: list[list[str]], width: int) -> list[int]:
    """Column widths that fit `width`: narrow columns get what they need, the rest share what is
    left equally (so one long literal cannot squeeze the other columns to nothing)."""
    natural = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    room = max(len(names) * 4, width - (3 * len(names) + 1))
    out = [0] * len(names)
    for k, i in enumerate(sorted(range(len(names)), key=lambda i: natural[i])):
        share = room // (len(names) - k)
        out[i] = max(min(natural[i], share), min(len(names[i]), share), 1)
        room -= out[i]
    return out


@click.command("export")
@_store_option
@click.option("--format", "fmt", required=True, type=click.Choice(sorted(FORMATS)),
              help="turtle, ntriples, jsonld and rdfxml carry the knowledge graph (the default graph, "
                   "grouped by subject); nquads and trig keep every graph, each post's too.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output). Written to a temporary file first, "
                   "then renamed, so a failed export never leaves half a file.")
def export_cmd(store_spec: str, fmt: str, output: Path | None) -> None:
    """Export the whole graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML."""
    store = _open(store_spec)
    snap = _snapshot(store)
    ids = store.info().get("entity_base") or None
    if output is None:
        export(snap, fmt, sys.stdout.buffer, entity_base=ids)
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(f".{output.name}.tmp")
    with open(tmp, "wb") as f:
        export(snap, fmt, f, entity_base=ids)
    tmp.replace(output)
    err.print(f"wrote {output} ({output.stat().st_size:,} bytes, {fmt})", highlight=False)
