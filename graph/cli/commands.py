"""The `postgraph` command: build, query, export, stats, validate, serve."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph import __version__
from graph.build.pipeline import PAGE_MEMORY, PAGE_TIMEOUT, BuildFailed, BuildOptions, BuildReport, build
from graph.namespaces import SITE_PREFIX
from graph.query.export import FORMATS, export
from graph.query.sparql import QueryError, query_format_names, rows, run, stats, write
from graph.store.local import DEFAULT_STORE, Store, StoreError, open_store

log = logging.getLogger("postgraph")
err = Console(stderr=True)

STORE_HELP = (f"Where the graph lives: a directory for an embedded Oxigraph store (default {DEFAULT_STORE}), "
              "'memory' for a throw-away in-memory store, or the http(s) URL of a SPARQL 1.1 server "
              "(endpoint paths and credentials from POSTGRAPH_STORE_* environment variables; see the README).")


def _store_option(f):
    return click.option("--store", "store_spec", default=DEFAULT_STORE, show_default=True,
                        envvar="POSTGRAPH_STORE", help=STORE_HELP)(f)


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(message)s", datefmt="[%X]",
                        handlers=[RichHandler(console=err, show_path=False, markup=False)], force=True)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def _open(spec: str) -> Store:
    try:
        return open_store(spec)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _snapshot(store: Store):
    try:
        snap = store.snapshot()
    except StoreError as exc:  # e.g. a remote store's server is unreachable (messages are redacted)
        raise click.ClickException(str(exc)) from exc
    if snap is None:
        raise click.ClickException(f"no graph in {store.spec} yet: run `postgraph build SITE --store {store.spec}` first")
    return snap


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


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    ctx.meta[f"postgraph.{param.name}"] = value
    return value


def _budgets() -> dict[str, float | None]:
    """BuildOptions' page_timeout and page_memory, as given to the running command. They reach
    `_run_build` through click's context, not as parameters, so that every command with the build
    options (build, serve, diff) takes them without repeating them in its signature."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    memory = meta.get("postgraph.page_memory", PAGE_MEMORY)
    return {"page_timeout": meta.get("postgraph.page_timeout", PAGE_TIMEOUT), "page_memory": memory or None}


def _build_options(f):
    f = click.option("--page-memory", default=PAGE_MEMORY, show_default=True, type=click.FloatRange(min=0),
                     metavar="MB", expose_value=False, callback=_remember,
                     help="Memory one page may use (beyond what its worker process holds already) to be read or "
                          "mapped; a page that needs more is skipped and reported like --page-timeout. "
                          "0: no limit.")(f)
    f = click.option("--page-timeout", default=PAGE_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
                     metavar="SECONDS", expose_value=False, callback=_remember,
                     help="Time one page may take to be read, and again to be mapped: this many seconds per MB "
                          "of its file, and at least this many. Pages run in worker processes; one over its "
                          "time is stopped, reported as 'skipped, took longer than …', and keeps its graph "
                          "from the last build; the rest is built (--strict: the build fails). "
                          "0: no budgets, pages are read and mapped in this process.")(f)
    f = click.option("--max-file-size", default=4.0, show_default=True, type=click.FloatRange(min=0.001),
                     metavar="MIB", help="Skip (and report) content files larger than this many MiB.")(f)
    f = click.option("--base-iri", default=None, metavar="IRI",
                     help="Base under which entity IRIs are minted (default: the site's baseURL + 'id/').")(f)
    f = click.option("--strict", is_flag=True,
                     help="Fail (exit 1, store unchanged) if any file cannot be read or any page is over its "
                          "--page-timeout or --page-memory, instead of skipping it.")(f)
    f = click.option("--expired", is_flag=True, help="Include pages whose expiryDate has passed.")(f)
    f = click.option("--future", is_flag=True, help="Include pages whose publishDate is in the future.")(f)
    f = click.option("--drafts", is_flag=True, help="Include pages with `draft: true`.")(f)
    return f


def _run_build(store: Store, site: Path, drafts: bool, future: bool, expired: bool, strict: bool,
               base_iri: str | None, max_file_size: float = 4.0) -> BuildReport:
    options = BuildOptions(site=site, drafts=drafts, future=future, expired=expired, strict=strict,
                           entity_base=base_iri, max_file_bytes=int(max_file_size * 1024 * 1024), **_budgets())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        read_task = bar.add_task("reading pages", total=None)
        map_task = bar.add_task("mapping pages", total=None, visible=False)

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage == "read":
                bar.update(read_task, completed=done)
            else:
                bar.update(map_task, completed=done, total=total, visible=True)

        try:
            report = build(store, options, progress)
        except BuildFailed as exc:
            _print_problems(exc.report)
            raise click.ClickException(str(exc)) from exc
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    _print_problems(report)
    _summary(report)
    return report


def _print_problems(report: BuildReport) -> None:
    for problem in report.problems:
        err.print(f"[red]error[/red]: {problem}" if problem.fatal else f"[yellow]warning[/yellow]: {problem}",
                  markup=True, highlight=False, soft_wrap=True)


def _by_reason(skipped: Iterable[Sequence[str]]) -> dict[str, list[str]]:
    """Skipped files grouped by the kind of reason ("draft", "inside the leaf bundle", …), most
    frequent first (a big site has thousands of drafts); a file whose reason says more than its
    kind is listed with the whole reason."""
    groups: dict[str, list[str]] = {}
    for path, reason in skipped:
        kind = reason.split(":")[0].split(" of ")[0]
        groups.setdefault(kind, []).append(path if reason == kind else f"{path} ({reason})")
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def _summary(report: BuildReport) -> None:
    skipped = len(report.skipped)
    why = ", ".join(f"{len(files)} {r}" for r, files in sorted(_by_reason(report.skipped).items())) or "none"
    errors = sum(p.fatal for p in report.problems)
    if report.changed:
        what = f"{report.mapped} pages mapped, {report.unchanged} unchanged, {report.removed} removed"
        if report.kept:
            what += f", {len(report.kept)} kept from the last build (file unreadable now)"
    else:
        what = f"nothing changed: all {report.unchanged} pages already up to date, no extraction work done"
    err.print(f"{report.pages} pages read; {what}; {skipped} files skipped ({why}); {errors} errors; "
              f"{report.quads} quads written; {report.seconds:.2f} s", highlight=False, soft_wrap=True)


@main.command("build")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@_store_option
@_build_options
def build_cmd(site: Path, store_spec: str, drafts: bool, future: bool, expired: bool, strict: bool,
              base_iri: str | None, max_file_size: float) -> None:
    """Build (or incrementally update) the graph of the Hugo site in SITE (default: current directory).

    SITE is a folder with Hugo configuration (hugo.toml, config.yaml, config/_default/ …) or just a
    folder of Markdown files. Files that cannot be read are reported as `path:line: reason` and
    skipped; the rest is built. Unchanged pages are not processed again. No page can stop the
    build: each is read and mapped in a worker process under --page-timeout and --page-memory.
    """
    _run_build(_open(store_spec), site, drafts, future, expired, strict, base_iri, max_file_size)


@main.command("query")
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


@main.command("export")
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


_LISTED_PER_REASON = 10


@main.command("stats")
@_store_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--all-files", is_flag=True,
              help="List every skipped file and every problem (by default: counts by reason and the "
                   f"first {_LISTED_PER_REASON} of each).")
def stats_cmd(store_spec: str, as_json: bool, all_files: bool) -> None:
    """Counts: quads and graphs, entities by class, pages by language, named graphs by kind.

    Also what the last build skipped (drafts, future or expired pages, unreadable files) and the
    problems it reported, grouped by reason."""
    store = _open(store_spec)
    # every count is a scan of the store's indexes: seconds at 10,000 posts, minutes at 100,000
    with err.status("counting quads, classes, languages and conflicts…", spinner="dots") if err.is_terminal \
            else _nothing():
        counts = stats(_snapshot(store))
    info = store.info()
    if as_json:
        import json

        click.echo(json.dumps({"build": info, **{k: dict(v) for k, v in counts.items()}}, indent=2))
        return
    console = Console()
    if info:
        console.print(f"graph of {info.get('site')} built {info.get('built_at')}: {info.get('pages')} pages, "
                      f"{len(info.get('skipped', []))} files skipped, {len(info.get('problems', []))} problems",
                      highlight=False)
        limit = None if all_files else _LISTED_PER_REASON
        for reason, paths in _by_reason(info.get("skipped", [])).items():
            console.print(f"  skipped ({len(paths)}) {reason}", highlight=False)
            for path in paths[:limit]:
                console.print(f"    {path}", highlight=False)
            if limit is not None and len(paths) > limit:
                console.print(f"    … and {len(paths) - limit} more (--all-files lists them)", highlight=False)
        problems = info.get("problems", [])
        for problem in problems[:limit]:
            console.print(f"  problem {problem}", highlight=False)
        if limit is not None and len(problems) > limit:
            console.print(f"  … and {len(problems) - limit} more problems (--all-files lists them)", highlight=False)
    for title, key in (("Totals", "totals"), ("By class", "classes"), ("Pages by language", "languages"),
                       ("Named graphs by kind", "graphs"), ("Conflicts between posts", "conflicts")):
        table = Table(title=title, title_justify="left")
        table.add_column({"totals": "what", "conflicts": "event and property (values differ)"}.get(
            key, title.split()[-1]))
        table.add_column("count", justify="right")
        for name, n in counts[key]:
            table.add_row(name, str(n))
        console.print(table)


@main.command("validate")
@_store_option
@click.option("--max", "limit", default=50, show_default=True, help="Show at most this many results.")
def validate_cmd(store_spec: str, limit: int) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl (with pySHACL).

    Prints each violation with its focus node, path and message; exit status 1 if the graph
    does not conform.
    """
    from graph.query.validate import validate

    result = validate(_snapshot(_open(store_spec)))
    for v in result.violations[:limit]:
        click.echo(str(v))
    if len(result.violations) > limit:
        click.echo(f"… and {len(result.violations) - limit} more")
    if result.conforms:
        click.echo(f"conforms: {result.triples} triples checked against the shapes"
                   + (f" ({len(result.violations)} warnings)" if result.violations else ""))
    else:
        n = sum(v.severity == "Violation" for v in result.violations)
        click.echo(f"does not conform: {n} violation(s) in {result.triples} triples")
        sys.exit(1)


@main.command("candidates")
@_store_option
@click.option("--kind", type=click.Choice(["event", "project", "organization", "theme"]),
              help="Only candidates of this kind. 'theme' lists heading phrases that recur across articles "
                   "and no vocabulary theme names (read from the site's files, which the last build recorded, "
                   "or --site).")
@click.option("--min-posts", default=1, show_default=True,
              help="Only candidates mentioned in at least this many posts (themes: articles; at least 2).")
@click.option("--site", "site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The site to read headings from (--kind theme; default: the site of the last build).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
def candidates_cmd(store_spec: str, kind: str | None, min_posts: int, fmt: str, site_dir: Path | None) -> None:
    """List entities found by naming patterns rather than the vocabulary, for curators.

    Each has the number of articles and mentions and an example (the headline of a post that
    names it); add the real ones to ontology/vocabulary/ and rebuild. With --kind theme: heading
    phrases that recur across articles, for ontology/vocabulary/themes.ttl.
    """
    from graph.query.sparql import candidates

    if kind == "theme":
        from graph.explore.theme_candidates import theme_candidates
        from graph.extract.vocabulary import load_vocabulary
        from graph.ids import default_entity_base
        from graph.read.site import load_site

        store = _open(store_spec)
        site = site_dir or (Path(store.info()["site"]) if store.info().get("site") else None)
        if site is None or not site.is_dir():
            raise click.UsageError("--kind theme reads the site's headings: give --site (no build recorded one)")
        base = store.info().get("entity_base") or default_entity_base(load_site(site).config.base_url)
        found = theme_candidates(site, load_vocabulary(base), max(2, min_posts))
    else:
        found = candidates(_snapshot(_open(store_spec)), kind=kind, min_posts=min_posts)
    if fmt == "json":
        import dataclasses
        import json

        click.echo(json.dumps([dataclasses.asdict(c) for c in found], indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(["kind", "name", "posts", "mentions", "method", "example", "iri"])
        for c in found:
            writer.writerow([c.kind, c.name, c.posts, c.mentions, c.method, c.example, c.iri])
        return
    table = Table("kind", "name", "articles", "mentions", "how found", "example", show_lines=True)
    for c in found:
        table.add_row(c.kind, c.name, str(c.posts), str(c.mentions), c.method.removeprefix("pattern:"),
                      c.example[:160])
    Console().print(table)
    err.print(f"{len(found)} candidate(s)")


@main.command("diff")
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@_store_option
@click.option("--against", "against_spec", metavar="STORE",
              help="Compare the graph in --store with the graph in this other store (a directory, or an "
                   "http(s) URL) instead of with a site.")
@_build_options
@click.option("--patch-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the changes as two N-Quads files, DIR/added.nq and DIR/removed.nq.")
@click.option("--rdf-patch", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the changes as an RDF Patch (deletions, then additions, in one transaction).")
@click.option("--limit", default=50, show_default=True, help="Show at most this many posts and entities.")
@click.option("--statements", is_flag=True, help="List every added (+) and removed (-) statement under its post.")
def diff_cmd(site: Path | None, store_spec: str, against_spec: str | None, drafts: bool, future: bool,
             expired: bool, strict: bool, base_iri: str | None, max_file_size: float, patch_dir: Path | None,
             rdf_patch: Path | None, limit: int, statements: bool) -> None:
    """Show what changed: statements added and removed, grouped by post and by entity.

    Without --against: between the last build in --store and the site as it is now (SITE, or the
    folder and options the last build recorded), i.e. what `postgraph build` would change. Only
    pages whose content, configuration or translations changed are mapped again, in memory; the
    store is not written. With --against STORE2: from the graph in --store to the graph in STORE2.
    """
    from graph.build.diff import (
        diff_site,
        diff_stores,
        options_of_last_build,
        write_patch_dir,
        write_rdf_patch,
        write_text,
    )

    store = _open(store_spec)
    try:
        if against_spec is not None:
            if site is not None:
                raise click.UsageError("give either SITE or --against STORE, not both")
            result = diff_stores(store, _open(against_spec))
        else:
            last = options_of_last_build(store)
            if site is None and last is None:
                raise click.UsageError(f"{store.spec} does not record which site it was built from: give SITE")
            options = BuildOptions(site=site or last.site, drafts=drafts or bool(last and last.drafts),
                                   future=future or bool(last and last.future),
                                   expired=expired or bool(last and last.expired), strict=strict,
                                   entity_base=base_iri or (last.entity_base if last else None),
                                   max_file_bytes=int(max_file_size * 1024 * 1024), **_budgets())
            if not options.site.is_dir():
                raise click.UsageError(f"the site folder {options.site} is gone: give SITE")
            with err.status("mapping the pages that changed…", spinner="dots") if err.is_terminal \
                    else _nothing():
                result = diff_site(store, options)
    except BuildFailed as exc:
        _print_problems(exc.report)
        raise click.ClickException(str(exc)) from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    write_text(result, sys.stdout, limit=limit, statements=statements)
    if patch_dir is not None:
        added, removed = write_patch_dir(result, patch_dir)
        err.print(f"wrote {added} and {removed}", highlight=False)
    if rdf_patch is not None:
        tmp = rdf_patch.with_name(f".{rdf_patch.name}.tmp")
        with open(tmp, "wb") as f:
            write_rdf_patch(result, f)
        tmp.replace(rdf_patch)
        err.print(f"wrote {rdf_patch} (RDF Patch)", highlight=False)


def _nothing():
    import contextlib

    return contextlib.nullcontext()


from graph.cli.analyze import analyze  # noqa: E402 - the analyze group, in its own module

main.add_command(analyze)

if __name__ == "__main__":  # pragma: no cover
    main()
