"""`postgraph build` and `postgraph diff`, and the build options they share with `serve` (web.cli):
the site's pages read and mapped under their budgets, the problems and the summary printed."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.build.pipeline import PAGE_MEMORY, PAGE_TIMEOUT, BuildFailed, BuildOptions, BuildReport, build
from graph.cli.common import _by_reason, _nothing, _open, _store_option, err
from graph.store.local import Store, StoreError


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


@click.command("build")
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


@click.command("diff")
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
