"""What a site's pages learn from each other: branch dates, bundle resources, sections, translations.

Split from `graph.read.site`, which builds the pages; these run once every page of the site is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph.model import DateValue, Page
from graph.read.config import SiteConfig
from graph.read.front_matter import to_instant
from graph.read.mounts import ContentFile
from graph.read.permalink import CONTENT_SUFFIXES, SourcePath, go_lower, sanitize


def _term_key(term: str) -> str:
    return go_lower(sanitize(term.strip().replace(" ", "-")))


def aggregate_dates(pages: list[tuple[Page, SourcePath, list[str]]], now: dt.datetime, tz: dt.tzinfo) -> None:
    """Give branch pages without any date the latest dates below them, as Hugo does.

    A section (and the home page) takes them from the pages under its folder, a term page from the
    pages that carry the term, a taxonomy page from all pages with one of its terms; publishDate
    only counts dates already past.
    """
    best: dict[tuple[str, ...], dict[str, tuple[dt.datetime, DateValue]]] = {}

    def offer(key: tuple[str, ...], dates: list[tuple[str, dt.datetime, DateValue]]) -> None:
        slot = best.setdefault(key, {})
        for name, instant, value in dates:
            if name not in slot or instant > slot[name][0]:
                slot[name] = (instant, value)

    for page, src, _ in pages:
        dates = [(name, instant, value) for name in ("date", "lastmod", "publish_date")
                 if (value := getattr(page, name)) is not None
                 and ((instant := to_instant(value, tz)) < now or name != "publish_date")]
        parts = src.path.strip("/").split("/")
        for i in range(len(parts) if src.path != "/" else 0):
            offer((page.lang, "/" + "/".join(parts[:i])), dates)
        for plural, terms in page.taxonomies.items():
            offer((page.lang, "/" + plural), dates)
            for term in terms:
                offer((page.lang, "/" + plural, _term_key(term)), dates)
    for page, src, _ in pages:
        if page.kind == "page" or any((page.date, page.lastmod, page.publish_date, page.expiry_date)):
            continue
        key = (page.lang, "/" + page.term[0], _term_key(page.term[1])) if page.term else (page.lang, src.path)
        slot = best.get(key, {})
        page.date, page.lastmod, page.publish_date = (
            slot[n][1] if n in slot else None for n in ("date", "lastmod", "publish_date"))


def section_path(src: SourcePath, branches: set[str]) -> str:
    """The page's current section for `:sections`: the nearest folder with an _index file, or the
    top-level folder (top-level folders are always sections)."""
    parts = [s for s in src.path.split("/") if s]
    if not src.is_branch:
        parts = parts[:-1]
    while len(parts) > 1 and "/" + "/".join(parts) not in branches:
        parts.pop()
    return "/".join(parts)


def resources(page: Page, src: SourcePath, by_dir: dict[str, list[tuple[ContentFile, SourcePath]]]) -> list[str]:
    """Files that belong to a bundle (rel_paths): everything under a leaf bundle's folder of the
    content tree except its index files; the non-content files directly in a branch bundle's folder."""
    if not page.bundle:
        return []
    if src.is_branch:
        return [f.rel_path for f, _ in by_dir.get(src.dir, []) if not f.name.lower().endswith(CONTENT_SUFFIXES)]
    prefix = src.dir + "/" if src.dir else ""
    return sorted(f.rel_path for d, fs in by_dir.items() if d == src.dir or d.startswith(prefix) for f, s in fs
                  if not (d == src.dir and s.is_leaf and f.name.lower().endswith(CONTENT_SUFFIXES)))


def link_translations(pages: Iterable[tuple[Page, SourcePath, list[str]]], config: SiteConfig) -> None:
    """Hugo's .Translations: with a translationKey in front matter, every other page with that key;
    without one, the pages at the same path of the content tree in the other languages (whatever
    their keys and whichever mount they come from)."""
    order = {code: i for i, code in enumerate(config.languages)}
    by_key: dict[str, list[Page]] = {}
    by_path: dict[str, list[Page]] = {}
    explicit: dict[int, bool] = {}
    for page, src, _ in pages:
        explicit[id(page)] = _has_key(page)
        by_path.setdefault(src.path, []).append(page)
        if explicit[id(page)]:
            by_key.setdefault(page.translation_key, []).append(page)
    for page, src, _ in pages:
        group = by_key[page.translation_key] if explicit[id(page)] else by_path[src.path]
        page.translations = [p.rel_path for p in sorted(group, key=lambda p: (order[p.lang], p.rel_path))
                             if p is not page]


def _has_key(page: Page) -> bool:
    return any(isinstance(k, str) and k.lower() == "translationkey" and v for k, v in page.front_matter.items())
