"""A Hugo site as Hugo sees it: its content files and the pages they become.

Configuration is read by `graph.config` (re-exported here); `load_site` reads every content file and
applies Hugo's rules (languages, bundles, duplicates, drafts and dates, term pages, translations).
The rules were checked against Hugo 0.168 (`hugo list all`); see tests/test_hugo_list.py.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig, load_config
from .permalink import (
    CONTENT_SUFFIXES,
    SourcePath,
    alias_urls,
    go_lower,
    permalink,
    relative_link,
    sanitize,
    split_source,
)
from .post import (
    DateValue,
    Page,
    ParsedSource,
    Problem,
    go_bool,
    go_string,
    parse_source,
    string_list,
    to_instant,
)


@dataclass
class Site:
    """Everything `load_site` found: the pages Hugo would publish, and why other files are not pages."""

    config: SiteConfig
    pages: list[Page]
    problems: list[Problem]
    skipped: list[tuple[str, str]]  # (rel_path, reason): drafts, duplicates, bundle resources …


# --- configuration ---------------------------------------------------------------------------


def _walk(config: SiteConfig) -> tuple[list[tuple[str, Path]], list[str]]:
    """All files under the content dirs as (rel_path, absolute path), and symlinks not followed.

    Symlinks are followed only when they resolve inside the site root (and never twice into the
    same folder, so link loops end); hidden files and `ignoreFiles` matches are left out.
    """
    root = config.root
    dirs = list(dict.fromkeys(lang.content_dir for lang in config.languages.values()))
    ignore = [re.compile(r) for r in config.ignore_files]
    files: list[tuple[str, Path]] = []
    outside: list[str] = []
    seen: set[Path] = set()

    def visit(folder: Path, rel: str) -> None:
        real = folder.resolve()
        if real in seen or not real.is_relative_to(root):
            return
        seen.add(real)
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            child_rel = posixpath.join(rel, entry.name) if rel not in ("", ".") else entry.name
            path = Path(entry.path)
            # Hugo skips hidden files, editor leftovers ("#x#", "x~") and `ignoreFiles` matches.
            if entry.name.startswith((".", "#")) or entry.name.endswith("~"):
                continue
            if any(r.search(child_rel) for r in ignore):
                continue
            if entry.is_symlink() and not path.resolve().is_relative_to(root):
                outside.append(child_rel)
            elif entry.is_dir():
                if Path(child_rel) not in dirs:  # another language's content dir nested in this one
                    visit(path, child_rel)
            elif entry.is_file():
                files.append((child_rel, path))

    for d in dirs:
        if not (root / d).resolve().is_relative_to(root):
            outside.append(d.as_posix())
        elif (root / d).is_dir():
            visit(root / d, d.as_posix())
    return files, outside


def _dir_language(content_dir: str, config: SiteConfig) -> str:
    """The language of files without a language suffix: the default one if it uses this dir."""
    owners = [code for code, lang in config.languages.items() if lang.content_dir.as_posix() == content_dir]
    return config.default_language if config.default_language in owners or not owners else owners[0]


def discover_sources(config: SiteConfig) -> list[tuple[str, str, Path]]:
    """(rel_path, language, absolute path) of every Markdown file under the languages' content dirs."""
    out = []
    for rel, path in _walk(config)[0]:
        if rel.lower().endswith(CONTENT_SUFFIXES):
            src = split_source(rel, config)
            out.append((rel, src.lang or _dir_language(src.content_dir, config), path))
    return out


# --- pages -----------------------------------------------------------------------------------


#: Largest content file read (bytes): a blog post is rarely over 200 KB; a bigger file is skipped
#: with a message rather than tying up extraction and memory (`--max-file-size`).
MAX_FILE_BYTES = 4 * 1024 * 1024


def load_site(root: Path, *, drafts: bool = False, future: bool = False, expired: bool = False,
              now: dt.datetime | None = None, max_file_bytes: int = MAX_FILE_BYTES,
              read: Callable[[str, bytes], ParsedSource | Problem] = parse_source,
              on_file: Callable[[str], None] | None = None) -> Site:
    """Read every content file of the site at `root` and return the pages Hugo would publish.

    Drafts, pages with a future publishDate and expired pages are left out (into `skipped`) unless
    the matching flag is set, as with `hugo --buildDrafts/--buildFuture/--buildExpired`. `read`
    turns a file's bytes into a `ParsedSource` (swap in a cached or parallel one); `on_file` is
    called with each file's rel_path as it is read, for progress bars.
    """
    config = load_config(root)
    tz = config.tz
    now = to_instant(now or dt.datetime.now(dt.UTC), tz)
    files, outside = _walk(config)
    skipped = [(rel, "symlink to a place outside the site: not followed") for rel in outside]
    problems: list[Problem] = []
    sources = [(rel, path, split_source(rel, config)) for rel, path in files if rel.lower().endswith(CONTENT_SUFFIXES)]
    leaves = {(s.content_dir, s.dir) for _, _, s in sources if s.is_leaf}
    branches = {s.path for _, _, s in sources if s.is_branch}
    plurals = set(config.taxonomies.values())
    candidates: dict[tuple[str, str], list[tuple[Page, SourcePath, list[str]]]] = {}
    for rel, path, src in sources:
        lang = src.lang or _dir_language(src.content_dir, config)
        owner = _bundle_owner(src, leaves)
        if owner is not None:
            skipped.append((rel, f"inside the leaf bundle {owner}/: Hugo makes it a resource of that page"))
            continue
        if config.languages[lang].disabled:
            skipped.append((rel, f"language {lang!r} is disabled"))
            continue
        try:
            size = path.stat().st_size
            if size > max_file_bytes:
                problems.append(Problem(rel, None, f"file of {size / 1024 / 1024:.1f} MiB, over the limit of "
                                                   f"{max_file_bytes / 1024 / 1024:g} MiB for one page "
                                                   "(--max-file-size): skipped"))
                continue
            data = path.read_bytes()
        except OSError as e:
            problems.append(Problem(rel, None, f"cannot read the file: {e.strerror}"))
            continue
        if on_file is not None:
            on_file(rel)
        parsed = read(rel, data)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        problems.extend(parsed.problems)
        page, raw_aliases = _page(rel, lang, src, parsed, config, plurals, tz)
        candidates.setdefault((lang, src.path), []).append((page, src, raw_aliases))

    pages: list[tuple[Page, SourcePath, list[str]]] = []
    for group in candidates.values():
        # Two files for the same page and language (index.md and index.es.md when es is the default):
        # Hugo keeps the one whose name states the language.
        group.sort(key=lambda item: (item[1].lang is None, item[0].rel_path))
        winner = group[0][0].rel_path
        skipped += [(p.rel_path, f"duplicate of {winner}: Hugo uses {winner}") for p, _, _ in group[1:]]
        page, src, raw_aliases = group[0]
        reason = _exclusion(page, drafts, future, expired, now, tz)
        if reason:
            skipped.append((page.rel_path, reason))
        else:
            pages.append(group[0])

    _aggregate_dates(pages, now, tz)
    files_by_dir: dict[str, list[str]] = {}
    for rel, _ in files:
        files_by_dir.setdefault(posixpath.dirname(rel), []).append(rel)
    for page, src, raw_aliases in pages:
        link = relative_link(page, config, section_path=_section_path(src, branches))
        page.permalink = permalink(page, config, link=link)
        page.aliases = alias_urls(page, raw_aliases, config, link=link)
        page.resources = _resources(page, src, files_by_dir, config)
        problems += [Problem(page.rel_path, None, f"alias {a!r} ignored: Hugo does not allow http(s) aliases",
                             fatal=False) for a in raw_aliases if a.startswith(("http://", "https://"))]
    _link_translations(pages, config)
    result = [p for p, _, _ in pages]
    result.sort(key=lambda p: p.rel_path)
    return Site(config, result, problems, sorted(skipped))


def _bundle_owner(src: SourcePath, leaves: set[tuple[str, str]]) -> str | None:
    """The leaf bundle folder a content file sits in, if any (its own index file does not count)."""
    folder = src.dir if not src.is_leaf else posixpath.dirname(src.dir) if src.dir else None
    while folder is not None:
        if (src.content_dir, folder) in leaves:
            return posixpath.join(src.content_dir, folder) if folder else src.content_dir
        folder = posixpath.dirname(folder) if folder else None
    return None


def _page(rel: str, lang: str, src: SourcePath, parsed: ParsedSource, config: SiteConfig,
          plurals: set[str], tz: dt.tzinfo) -> tuple[Page, list[str]]:
    fm = {k.lower(): v for k, v in parsed.front_matter.items() if isinstance(k, str)}
    segments = [s for s in src.path.split("/") if s]
    if src.is_branch:
        kind = ("home" if not segments else "taxonomy" if len(segments) == 1 and segments[0] in plurals
                else "term" if len(segments) == 2 and segments[0] in plurals else "section")
    else:
        kind = "home" if src.is_leaf and not segments else "page"
    section = segments[0] if segments and (kind != "page" or len(segments) > 1) else ""
    taxonomies = {plural: terms for plural in config.taxonomies.values() if (terms := string_list(fm.get(plural)))}
    page = Page(
        rel_path=rel, lang=lang, kind=kind, section=section, title=go_string(fm.get("title")), permalink="",
        text=parsed.text, body_offset=parsed.body_offset, body_line=parsed.body_line,
        content_hash=parsed.content_hash, front_matter=parsed.front_matter,
        date=_in_tz(parsed.date, tz), publish_date=_in_tz(parsed.publish_date, tz),
        expiry_date=_in_tz(parsed.expiry_date, tz), lastmod=_in_tz(parsed.lastmod, tz),
        draft=go_bool(fm.get("draft")), slug=go_string(fm.get("slug")).strip("-") or None,
        url=go_string(fm.get("url")) or None, translation_key=go_string(fm.get("translationkey")) or src.path,
        taxonomies=taxonomies, term=(segments[0], posixpath.basename(src.dir)) if kind == "term" else None,
        description=go_string(fm.get("description")) or None, images=string_list(fm.get("images")),
        bundle=src.is_leaf or src.is_branch,
    )
    return page, string_list(fm.get("aliases"))


def _in_tz(value: DateValue | None, tz: dt.tzinfo) -> DateValue | None:
    """Naive front matter datetimes are in the site's timeZone (UTC by default), as Hugo reads them."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value


def _exclusion(page: Page, drafts: bool, future: bool, expired: bool, now: dt.datetime,
               tz: dt.tzinfo) -> str | None:
    fm = {k.lower(): v for k, v in page.front_matter.items() if isinstance(k, str)}
    build = fm.get("build") if isinstance(fm.get("build"), dict) else {}
    render = {str(k).lower(): v for k, v in build.items()}.get("render")
    if go_bool(fm.get("headless")) or render in ("never", False, "false"):
        return "headless / build.render never: Hugo renders no page for it"
    if page.draft and not drafts:
        return "draft"
    if page.publish_date is not None and to_instant(page.publish_date, tz) > now and not future:
        return "future publishDate"
    if page.expiry_date is not None and to_instant(page.expiry_date, tz) < now and not expired:
        return "expired"
    return None


def _term_key(term: str) -> str:
    return go_lower(sanitize(term.strip().replace(" ", "-")))


def _aggregate_dates(pages: list[tuple[Page, SourcePath, list[str]]], now: dt.datetime, tz: dt.tzinfo) -> None:
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


def _section_path(src: SourcePath, branches: set[str]) -> str:
    """The page's current section for `:sections`: the nearest folder with an _index file, or the
    top-level folder (top-level folders are always sections)."""
    parts = [s for s in src.path.split("/") if s]
    if not src.is_branch:
        parts = parts[:-1]
    while len(parts) > 1 and "/" + "/".join(parts) not in branches:
        parts.pop()
    return "/".join(parts)


def _resources(page: Page, src: SourcePath, files_by_dir: dict[str, list[str]], config: SiteConfig) -> list[str]:
    """Files that belong to a bundle: everything under a leaf bundle's folder except its index
    files; the non-content files directly in a branch bundle's folder."""
    if not page.bundle:
        return []
    folder = posixpath.normpath(posixpath.join(src.content_dir, src.dir)).removeprefix(".")
    if src.is_branch:
        return [f for f in files_by_dir.get(folder, []) if not f.lower().endswith(CONTENT_SUFFIXES)]
    prefix = folder + "/" if folder else ""
    return sorted(f for d, fs in files_by_dir.items() if d == folder or d.startswith(prefix) for f in fs
                  if not (d == folder and split_source(f, config).is_leaf))


def _link_translations(pages: Iterable[tuple[Page, SourcePath, list[str]]], config: SiteConfig) -> None:
    """Hugo's .Translations: with a translationKey in front matter, every other page with that key;
    without one, the pages at the same path in the other languages (whatever their keys)."""
    order = {code: i for i, code in enumerate(config.languages)}
    by_key: dict[str, list[Page]] = {}
    by_path: dict[str, list[Page]] = {}
    explicit = {}
    for page, src, _ in pages:
        explicit[page.rel_path] = _has_key(page)
        by_path.setdefault(src.path, []).append(page)
        if explicit[page.rel_path]:
            by_key.setdefault(page.translation_key, []).append(page)
    for page, src, _ in pages:
        group = by_key[page.translation_key] if explicit[page.rel_path] else by_path[src.path]
        page.translations = [p.rel_path for p in sorted(group, key=lambda p: (order[p.lang], p.rel_path))
                             if p is not page]


def _has_key(page: Page) -> bool:
    return any(isinstance(k, str) and k.lower() == "translationkey" and v for k, v in page.front_matter.items())

