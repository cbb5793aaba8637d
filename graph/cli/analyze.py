"""`postgraph analyze`: network analysis of the entity graph from the command line (see graph.explore.analysis)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from graph.namespaces import local_name
from graph.store.local import DEFAULT_STORE, StoreError, open_store

err = Console(stderr=True)

KINDS = ["event", "series", "project", "organization", "place", "topic"]


class _LazyAnalysis:
    """graph.explore.analysis (networkx, numpy, scipy: a third of a second) is imported when an analyze
    command runs, not by every `postgraph` command that imports this module."""

    def __getattr__(self, name: str) -> Any:
        from graph.explore import analysis as module
        return getattr(module, name)


analysis: Any = _LazyAnalysis()


def _store_option(f):
    # graph.cli imports this module, so this module does not import graph.cli.commands as cli (python -m graph.cli).
    return click.option("--store", "store_spec", default=DEFAULT_STORE, show_default=True, envvar="POSTGRAPH_STORE",
                        help="Where the graph lives: a store directory, or 'memory'.")(f)


def _snapshot(store_spec: str) -> Any:
    try:
        snapshot = open_store(store_spec).snapshot()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if snapshot is None:
        raise click.ClickException(f"no graph in {store_spec} yet: run `postgraph build SITE --store {store_spec}` first")
    return snapshot


def _common(f):
    f = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                     show_default=True, help="Output format.")(f)
    f = click.option("--lang", default="en", show_default=True, type=click.Choice(["en", "es", "pt"]),
                     help="Language of the labels shown.")(f)
    return _store_option(f)


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*(f"{row[c]:.4f}" if isinstance(row[c], float) else str(row[c]) for c in columns))
        Console().print(table)


def _graph(store_spec: str, lang: str) -> tuple[Any, analysis.EntityGraph]:
    snapshot = _snapshot(store_spec)
    with err.status("projecting the entity graph …"):
        eg = analysis.project(snapshot, lang=lang)
    err.print(f"entity graph: {eg.graph.number_of_nodes():,} entities, {eg.graph.number_of_edges():,} links")
    return snapshot, eg


@click.group("analyze")
def analyze() -> None:
    """Network analysis of the entity graph: centrality, co-occurrence, communities, paths, themes.

    The entity graph has the entities posts mention as nodes, and as links the relations stated
    between them (co-location, location, features, themes …) and co-mentions (entities mentioned
    by the same posts: at least 2 posts, each entity's 25 strongest).
    """


@analyze.command("centrality")
@_common
@click.option("--top", default=20, show_default=True, help="How many entities to list.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only entities of this kind (repeatable).")
def centrality_cmd(store_spec: str, fmt: str, lang: str, top: int, kinds: tuple[str, ...]) -> None:
    """Entities ranked by PageRank, with degree and betweenness (over stated relations)."""
    _snap, eg = _graph(store_spec, lang)
    rows = [vars(r) for r in analysis.centrality(eg, top=top, kinds=set(kinds) or None)]
    _emit(rows, fmt, ["label", "kind", "posts", "pagerank", "degree", "betweenness", "iri"])


@analyze.command("cooccurrence")
@_common
@click.option("--a", "kind_a", default="project", show_default=True, type=click.Choice(KINDS), help="First kind.")
@click.option("--b", "kind_b", default="topic", show_default=True, type=click.Choice(KINDS),
              help="Second kind (topic = themes; event for project–event).")
@click.option("--top", default=30, show_default=True, help="How many pairs to list.")
def cooccurrence_cmd(store_spec: str, fmt: str, lang: str, kind_a: str, kind_b: str, top: int) -> None:
    """Pairs of entities of two kinds by the number of posts that mention both, and what is stated between them."""
    _snap, eg = _graph(store_spec, lang)
    rows = [{"a": p.a_label, "b": p.b_label, "posts": p.posts,
             "stated": ", ".join(local_name(s) for s in p.stated),
             "a_iri": p.a, "b_iri": p.b} for p in analysis.cooccurrence(eg, kind_a, kind_b, top)]
    _emit(rows, fmt, ["a", "b", "posts", "stated", "a_iri", "b_iri"])


@analyze.command("communities")
@_common
@click.option("--members", default=8, show_default=True, help="Members listed per community (most central first).")
@click.option("--min-size", default=3, show_default=True, help="Smallest community listed.")
def communities_cmd(store_spec: str, fmt: str, lang: str, members: int, min_size: int) -> None:
    """Communities of the entity graph (Louvain, seeded), largest first."""
    _snap, eg = _graph(store_spec, lang)
    rows = [{"community": i + 1, "size": c.size, "kinds": ", ".join(f"{k} {n}" for k, n in c.kinds.items()),
             "members": "; ".join(label for _iri, label, _kind in c.members)}
            for i, c in enumerate(analysis.communities(eg, top_members=members, min_size=min_size))]
    _emit(rows, fmt, ["community", "size", "kinds", "members"])


@analyze.command("path")
@_common
@click.argument("source")
@click.argument("target")
@click.option("--evidence", default=3, show_default=True, help="Evidence items shown per hop.")
def path_cmd(store_spec: str, fmt: str, lang: str, source: str, target: str, evidence: int) -> None:
    """How SOURCE is connected to TARGET (IRIs or names), with the evidence for each hop.

    Example: postgraph analyze path Zuul SCaLE
    """
    snapshot, eg = _graph(store_spec, lang)
    try:
        hops = analysis.shortest_path(eg, snapshot, source, target, evidence_per_hop=evidence)
    except analysis.AnalysisError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = [{"hop": i + 1, "from": h.source_label, "to": h.target_label,
             "stated": "; ".join(f"{eg.label(s)} {local_name(p)} {eg.label(o)}" for s, p, o in h.statements) or "-",
             "shared posts": h.posts,
             "evidence": " | ".join(f"{e.text or e.method} <{e.post}>" for e in h.evidence)}
            for i, h in enumerate(hops)]
    _emit(rows, fmt, ["hop", "from", "to", "stated", "shared posts", "evidence"])


@analyze.command("themes")
@_common
@click.option("--top", default=8, show_default=True, help="How many themes (the most mentioned).")
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the chart as an SVG file.")
def themes_cmd(store_spec: str, fmt: str, lang: str, top: int, svg_path: Path | None) -> None:
    """Posts per year mentioning each theme (the vocabulary's themes), as a table and optionally an SVG chart."""
    from graph.explore.theme_trends import line_chart_svg, themes_over_time

    snapshot = _snapshot(store_spec)
    years, series = themes_over_time(snapshot, top=top, lang=lang)
    rows = [{"theme": label, **{str(y): by_year.get(y, 0) for y in years}} for label, by_year in series.items()]
    _emit(rows, fmt, ["theme", *map(str, years)])
    if svg_path:
        svg_path.write_text(line_chart_svg(years, series, "Themes over time"), encoding="utf-8")
        err.print(f"wrote {svg_path}")
