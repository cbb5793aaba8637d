"""Acceptance: `load_site` reads every corpus as Hugo does, row for row of its `hugo list all`.

`../shared/corpora/NAME.hugo-list.csv` is Hugo 0.168's own listing of each site (see each site's
SOURCE.md): Flux mounts its content with `module.mounts` and has a relative baseURL, Helm has one
contentDir per language (en, ko, uk), Linkerd has blog, community and meetup sections. Each row
is a test naming the file; osslat has its own, stricter test (tests/test_hugo_list.py).
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.site import Site, load_site

_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
_SITES = ("fluxcd", "linkerd", "helm")
pytestmark = pytest.mark.shared


def _rows() -> list[tuple[str, dict[str, str]]]:
    out = []
    for site in _SITES:
        listing = _CORPORA / f"{site}.hugo-list.csv"
        if listing.is_file():
            with open(listing, encoding="utf-8", newline="") as f:
                out += [(site, row) for row in csv.DictReader(f) if row["path"]]  # rows with a file
    return out


ROWS = _rows()
_sites: dict[str, Site] = {}


def _site(name: str) -> Site:
    if name not in _sites:
        _sites[name] = load_site(_CORPORA / name, drafts=True, future=True, expired=True)
    return _sites[name]


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


@pytest.mark.parametrize(("site", "row"), ROWS or [pytest.param(None, None, marks=pytest.mark.skip(
    reason=f"{_CORPORA} not found: the corpora come with ../shared (CI always has it)"))],
    ids=[f"{s}:{r['path']}" for s, r in ROWS] or ["no-corpora"])
def test_page_as_hugo_lists_it(site: str, row: dict[str, str]) -> None:
    pages = {p.rel_path: p for p in _site(site).pages}
    page = pages.get(row["path"])
    assert page is not None, f"{row['path']}: Hugo lists it, load_site has no page"
    problems = []
    if _path(page.permalink) != _path(row["permalink"]):
        problems.append(f"permalink {page.permalink} (Hugo: {row['permalink']})")
    if page.kind != row["kind"]:
        problems.append(f"kind {page.kind} (Hugo: {row['kind']})")
    if (page.section or "") != row["section"]:
        problems.append(f"section {page.section!r} (Hugo: {row['section']!r})")
    if page.title != row["title"]:
        problems.append(f"title {page.title!r} (Hugo: {row['title']!r})")
    if page.draft != (row["draft"] == "true"):
        problems.append(f"draft {page.draft}")
    assert not problems, f"{row['path']}: " + "; ".join(problems)


@pytest.mark.parametrize("site", _SITES)
def test_no_page_hugo_does_not_list(site: str) -> None:
    listed = {row["path"] for s, row in ROWS if s == site}
    if not listed:
        pytest.skip(f"{_CORPORA} not found")
    extra = sorted(p.rel_path for p in _site(site).pages if p.rel_path not in listed)
    assert not extra, f"pages Hugo does not list: {extra[:5]}"
