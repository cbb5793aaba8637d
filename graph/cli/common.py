"""What the `postgraph` commands share: the --store option, opening a store and its graph (a
click error, not a traceback, when they cannot be had), the error console, skipped files by reason."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

import click
from rich.console import Console

from graph.store.local import DEFAULT_STORE, Store, StoreError, open_store

err = Console(stderr=True)

STORE_HELP = (f"Where the graph lives: a directory for an embedded Oxigraph store (default {DEFAULT_STORE}), "
              "'memory' for a throw-away in-memory store, or the http(s) URL of a SPARQL 1.1 server "
              "(endpoint paths and credentials from POSTGRAPH_STORE_* environment variables; see the README).")


def _store_option(f):
    return click.option("--store", "store_spec", default=DEFAULT_STORE, show_default=True,
                        envvar="POSTGRAPH_STORE", help=STORE_HELP)(f)


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


def _by_reason(skipped: Iterable[Sequence[str]]) -> dict[str, list[str]]:
    """Skipped files grouped by the kind of reason ("draft", "inside the leaf bundle", …), most
    frequent first (a big site has thousands of drafts); a file whose reason says more than its
    kind is listed with the whole reason."""
    groups: dict[str, list[str]] = {}
    for path, reason in skipped:
        kind = reason.split(":")[0].split(" of ")[0]
        groups.setdefault(kind, []).append(path if reason == kind else f"{path} ({reason})")
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])))


def _nothing():
    return contextlib.nullcontext()
