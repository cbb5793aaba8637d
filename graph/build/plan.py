"""What a build must do, found before anything is mapped: the fingerprint of the code that decides
what a page yields, the fingerprints the store already holds, each page's translations and
author profile (part of what makes its fingerprint), and the graphs made from a given file."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.model import Page, Translation
from graph.namespaces import PREFIXES, X_PG

#: What decides what a page yields: every module of these packages, and these modules.
_FINGERPRINTED_PACKAGES = ("graph.read", "graph.extract", "graph.map")
_FINGERPRINTED_MODULES = (
    "graph.model", "graph.ids", "graph.namespaces", "graph.build.mapper", "graph.build.consolidate", "graph.build.knowledge",
)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the modules that decide what a page yields: changing any of them (a fix, a new
    rule, a module split in two) makes the next build map every page again, without anyone having
    to bump a version or keep a list of modules up to date."""
    files: list[Path] = []
    for name in _FINGERPRINTED_PACKAGES:
        spec = importlib.util.find_spec(name)
        folder = Path(spec.origin).parent
        files += sorted(folder.rglob("*.py"), key=lambda p: p.relative_to(folder).as_posix())
    files += [Path(importlib.util.find_spec(name).origin) for name in _FINGERPRINTED_MODULES]
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def translations_of(pages: Iterable[Page], default_language: str) -> dict[str, list[Translation]]:
    """permalink -> the page's other language versions (the default-language one is the original).

    Keyed by permalink: one file can be a page in several languages (a mount's
    `sites.matrix.languages`), so its path alone does not name a page."""
    by_path: dict[str, list[Page]] = {}
    for p in pages:
        by_path.setdefault(p.rel_path, []).append(p)
    out: dict[str, list[Translation]] = {}
    for versions in by_path.values():
        for page in versions:
            others = {o.permalink: o for r in page.translations for o in by_path.get(r, ())
                      if o.permalink != page.permalink and o.lang != page.lang}
            out[page.permalink] = [
                Translation(o.permalink, o.lang, o.lang == default_language and page.lang != default_language)
                for o in sorted(others.values(), key=lambda o: o.lang)
            ]
    return out


def author_profiles(pages: Iterable[Page]) -> dict[str, str]:
    """rel_path of each author profile page -> the author id it describes."""
    return {p.rel_path: p.term[1] for p in pages if p.term and p.term[0] in ("authors", "author")}


def profile_pages(pages: Iterable[Page]) -> dict[str, list[Page]]:
    """author id -> its profile pages (one per language)."""
    out: dict[str, list[Page]] = {}
    for p in pages:
        if p.term and p.term[0] in ("authors", "author"):
            out.setdefault(p.term[1], []).append(p)
    return out


def existing_fingerprints(snapshot: ox.Store | None) -> dict[str, str]:
    """Named graph IRI -> the fingerprint it was built from, for every graph that records one."""
    if snapshot is None:
        return {}
    rows = snapshot.query("SELECT ?g ?fp WHERE { GRAPH ?g { ?g pg:fingerprint ?fp } }",
                          prefixes={"pg": X_PG.fingerprint.value.removesuffix("fingerprint")})
    return {row["g"].value: row["fp"].value for row in rows}


def graphs_from_sources(snapshot: ox.Store | None, paths: set[str]) -> set[str]:
    """Page graphs derived from any of these source files (site-relative paths)."""
    if snapshot is None or not paths:
        return set()
    rows = snapshot.query("SELECT ?g ?path WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src . ?src pg:sourcePath ?path } }",
                          prefixes=PREFIXES)
    return {row["g"].value for row in rows if row["path"].value in paths}
