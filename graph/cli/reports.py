"""`postgraph stats` (counts, and what the last build skipped), `postgraph validate` (SHACL) and
`postgraph candidates` (names found by patterns, heading phrases, for curators)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from graph.cli.common import _by_reason, _nothing, _open, _snapshot, _store_option, err
from graph.query.sparql import stats

_LISTED_PER_REASON = 10


@click.command("stats")
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


@click.command("validate")
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


@click.command("candidates")
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
