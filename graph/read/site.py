"""A Hugo site as Hugo sees it: its content files and the pages they become.

Configuration is read by `graph.config`, content mounts by `graph.mounts`; `load_site` reads every
content file and applies Hugo's rules (mounts and languages, bundles, duplicates, cascade, build
options, drafts and dates, term pages, URLs, translations). The rules were checked against Hugo
0.168 (`hugo list all`); see tests/test_hugo_list.py and tests/test_site.py.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.model import DateValue, Page, ParsedSource, Problem
from graph.read.cascade import CascadeRule, build_options, build_reason, inherit, parse_cascade
from graph.read.config import SiteConfig, load_config
from graph.read.front_matter import front_matter_dates, go_bool, go_string, string_list, to_instant
from graph.read.globs import GlobSlice
from graph.read.mounts import ContentFile, walk_mounts
from graph.read.permalink import (
    CONTENT_SUFFIXES,
    Branches,
    SourcePath,
    alias_urls,
    permalink,
    relative_link,
    source_path,
)
from graph.read.post import parse_source
from graph.read.site_tree import aggregate_dates, link_translations, resources, section_path


@dataclass
class Site:
    """Everything `load_site` found: the pages Hugo would publish, and why other files are not pages.

    A file mounted for several languages is several pages (one per language) with the same
    `rel_path`; (rel_path, lang) is unique.
    """

    config: SiteConfig
    pages: list[Page]
    problems: list[Problem]
    skipped: list[tuple[str, str]]  # (rel_path, reason): drafts, duplicates, bundle resources …


@dataclass
class _Entry:
    """One content file read for one language: a candidate page until duplicates are resolved."""

    file: ContentFile
    src: SourcePath
    lang: str
    parsed: ParsedSource

    @property
    def rank(self) -> tuple[int, bool, str]:
        # The first mount wins; within it, the file whose name states the language.
        return self.file.mount, self.src.lang is None, self.file.rel_path


def _is_content(name: str) -> bool:
    return name.lower().endswith(CONTENT_SUFFIXES)


def _languages_of(src: SourcePath, file: ContentFile, config: SiteConfig,
                  front_matter: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The languages a file is a page in: its front matter's `sites.matrix.languages` (Hugo
    0.153+), else its language suffix, else its mount's languages."""
    sites = _get(front_matter or {}, "sites")
    matrix = _get(sites, "matrix") if isinstance(sites, dict) else None
    languages = _get(matrix, "languages") if isinstance(matrix, dict) else None
    if languages is not None:
        try:
            return GlobSlice.parse(languages).select(config.languages)
        except ValueError:
            pass  # a broken pattern: as if there were none
    return (src.lang,) if src.lang else config.mounts[file.mount].languages


def discover_sources(config: SiteConfig) -> list[tuple[str, str, Path]]:
    """(rel_path, language, absolute path) of every Markdown file of the content tree, once for
    each language its suffix or mount gives it (without reading it: front matter `sites` is not
    seen here)."""
    files, _ = walk_mounts(config.root, config.mounts, config.ignore_files)
    out = []
    for f in files:
        if _is_content(f.name):
            src = source_path(f.dir, f.name, config)
            out += [(f.rel_path, lang, f.path) for lang in _languages_of(src, f, config)]
    return out


#: Reads content files and returns, in the same order, what each holds (see `read_content`).
ReadFiles = Callable[[Sequence[ContentFile]], Iterable["ParsedSource | Problem"]]

#: Largest content file read (bytes): a blog post is rarely over 200 KB; a bigger file is skipped
#: with a message rather than tying up extraction and memory (`--max-file-size`).
MAX_FILE_BYTES = 4 * 1024 * 1024


def load_site(root: Path, *, drafts: bool = False, future: bool = False, expired: bool = False,
              now: dt.datetime | None = None, max_file_bytes: int = MAX_FILE_BYTES,
              read: Callable[[str, bytes], ParsedSource | Problem] = parse_source,
              read_files: ReadFiles | None = None,
              on_file: Callable[[str], None] | None = None,
              config_files: Sequence[Path | str] | None = None,
              config: SiteConfig | None = None) -> Site:
    """Read every content file of the site at `root` and return the pages Hugo would publish.

    Drafts, pages with a future publishDate and expired pages are left out (into `skipped`) unless
    the matching flag is set, as with `hugo --buildDrafts/--buildFuture/--buildExpired`. `read`
    turns a file's bytes into a `ParsedSource` (swap in a cached one); `read_files` reads all the
    content files at once, in order (swap in a parallel one: graph.build reads in worker
    processes, each file under a time budget); `on_file` is called with each file's rel_path as it
    is read, for progress bars. `config_files` replaces the root config file, as `hugo --config
    a.toml,b.toml` does; `config`, when given, is the site's configuration already loaded.
    """
    if read_files is None:
        def read_files(files: Sequence[ContentFile]) -> Iterable[ParsedSource | Problem]:
            return (read_content(f.rel_path, f.path, max_file_bytes, read) for f in files)
    config = config or load_config(root, config_files=config_files)
    tz = config.tz
    now = to_instant(now or dt.datetime.now(dt.UTC), tz)
    files, refused = walk_mounts(config.root, config.mounts, config.ignore_files)
    skipped = list(refused)
    problems: list[Problem] = []
    sources = [(f, source_path(f.dir, f.name, config)) for f in files if _is_content(f.name)]
    candidates = _candidates(sources, config, skipped, problems, read_files, on_file)
    winners = _winners(candidates, skipped)
    plurals = set(config.taxonomies.values())
    cascades = {key: parse_cascade(_get(e.parsed.front_matter, "cascade"))
                for key, e in winners.items() if e.src.is_branch}
    pages: list[tuple[Page, SourcePath, list[str]]] = []
    all_pages: list[tuple[Page, SourcePath]] = []  # every page, kept or not: their slugs shape URLs
    for (lang, path), entry in winners.items():
        kind = _kind(entry.src, plurals)
        fm = dict(entry.parsed.front_matter)
        fm.update(inherit(fm, _rules(lang, path, entry.src.is_branch, cascades, config), path=path, kind=kind,
                          lang=lang, environment=config.environment))
        dates = _dates(entry.parsed, fm)
        if isinstance(dates, str):
            problems.append(Problem(entry.file.rel_path, None, f"cascaded front matter: {dates}"))
            continue
        page, raw_aliases = _page(entry, kind, fm, dates, config, plurals, tz)
        all_pages.append((page, entry.src))
        reason = (f"disableKinds has {kind!r}: Hugo makes no page of this kind" if kind in config.disable_kinds
                  else build_reason(*build_options(fm)) or _exclusion(page, drafts, future, expired, now, tz))
        if reason:
            skipped.append((page.rel_path, reason))
        else:
            pages.append((page, entry.src, raw_aliases))

    branches = _branches(all_pages, plurals, cascades, config)
    aggregate_dates(pages, now, tz)
    by_dir: dict[str, list[tuple[ContentFile, SourcePath]]] = {}
    for f in files:
        by_dir.setdefault(f.dir, []).append((f, source_path(f.dir, f.name, config)))
    branch_paths = {src.path for _, src in all_pages if src.is_branch}
    for page, src, raw_aliases in pages:
        link = relative_link(page, config, src, section_path=section_path(src, branch_paths),
                             branches=branches.get(page.lang, {}))
        page.permalink = permalink(page, config, link)
        page.aliases = alias_urls(page, raw_aliases, config, link=link)
        page.resources = resources(page, src, by_dir)
        problems += [Problem(page.rel_path, None, f"alias {a!r} ignored: Hugo does not allow http(s) aliases",
                             fatal=False) for a in raw_aliases if a.startswith(("http://", "https://"))]
    link_translations(pages, config)
    order = {code: i for i, code in enumerate(config.languages)}
    result = sorted((p for p, _, _ in pages), key=lambda p: (p.rel_path, order[p.lang]))
    # a file that is a page in several languages is read once, but may be skipped once per language
    return Site(config, result, list(dict.fromkeys(problems)), sorted(set(skipped)))


def _candidates(sources: list[tuple[ContentFile, SourcePath]], config: SiteConfig, skipped: list[tuple[str, str]],
                problems: list[Problem], read_files: ReadFiles, on_file: Callable[[str], None] | None
                ) -> dict[tuple[str, str], list[_Entry]]:
    """Every content file that can be a page, read once, by (language, logical path)."""
    leaves: dict[str, str] = {}  # logical folder of each leaf bundle -> its folder on disk
    for f, src in sources:
        if src.is_leaf:
            leaves.setdefault(src.dir, posixpath.dirname(f.rel_path))
    readable: list[tuple[ContentFile, SourcePath]] = []
    to_read: dict[str, ContentFile] = {}  # a file in two mounts is read once
    for f, src in sources:
        owner = _bundle_owner(src, leaves)
        if owner is not None:
            skipped.append((f.rel_path, f"inside the leaf bundle {owner}/: Hugo makes it a resource of that page"))
        else:
            readable.append((f, src))
            to_read.setdefault(f.rel_path, f)
    parsed_files: dict[str, ParsedSource] = {}
    for f, parsed in zip(to_read.values(), read_files(list(to_read.values())), strict=True):
        if on_file is not None:
            on_file(f.rel_path)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            problems.extend(parsed.problems)
            parsed_files[f.rel_path] = parsed
    candidates: dict[tuple[str, str], list[_Entry]] = {}
    for f, src in readable:
        parsed = parsed_files.get(f.rel_path)
        if parsed is None:
            continue
        langs = _languages_of(src, f, config, parsed.front_matter)
        enabled = [lang for lang in langs if not config.languages[lang].disabled]
        if not enabled:
            skipped.append((f.rel_path, f"language {langs[0]!r} is disabled" if langs
                            else "for no language of the site (sites.matrix.languages, lang)"))
        for lang in enabled:
            candidates.setdefault((lang, src.path), []).append(_Entry(f, src, lang, parsed))
    return candidates


def _winners(candidates: dict[tuple[str, str], list[_Entry]], skipped: list[tuple[str, str]]
             ) -> dict[tuple[str, str], _Entry]:
    """The file Hugo uses for each page; the others are skipped as duplicates."""
    winners: dict[tuple[str, str], _Entry] = {}
    for key, group in candidates.items():
        group.sort(key=lambda e: e.rank)
        winners[key] = group[0]
    used = {e.file.rel_path for e in winners.values()}
    for (lang, _), group in candidates.items():
        w = group[0].file.rel_path
        skipped += [(e.file.rel_path, f"duplicate of {w}" + (f" in {lang!r}" if e.file.rel_path in used else "")
                     + f": Hugo uses {w}") for e in group[1:] if e.file.rel_path != w]
    return winners


def read_content(rel_path: str, path: Path, max_file_bytes: int = MAX_FILE_BYTES,
                 parse: Callable[[str, bytes], ParsedSource | Problem] = parse_source) -> ParsedSource | Problem:
    """The content file at `path` (`rel_path` in the site), parsed; a `Problem` when it is too big or
    cannot be read.

    At most `max_file_bytes` + 1 bytes are read, whatever the file's size says: a file that grows
    while it is read (a log someone writes into the content folder) is refused, not read forever."""
    limit = f"over the limit of {max_file_bytes / 1024 / 1024:g} MiB for one page (--max-file-size): skipped"
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            return Problem(rel_path, None, f"file of {size / 1024 / 1024:.1f} MiB, {limit}")
        with open(path, "rb") as file:
            data = file.read(max_file_bytes + 1)
    except OSError as e:
        return Problem(rel_path, None, f"cannot read the file: {e.strerror}")
    if len(data) > max_file_bytes:
        return Problem(rel_path, None, f"file grew while it was read, {limit}")
    return parse(rel_path, data)


def _bundle_owner(src: SourcePath, leaves: dict[str, str]) -> str | None:
    """The leaf bundle a content file sits in, if any (its own index file does not count), as the
    bundle's folder on disk. Bundles are folders of the content tree, whichever mount a file is from."""
    folder = src.dir if not src.is_leaf else posixpath.dirname(src.dir) if src.dir else None
    while folder is not None:
        if folder in leaves:
            return leaves[folder]
        folder = posixpath.dirname(folder) if folder else None
    return None


def _get(fm: dict[str, Any], key: str) -> Any:
    """A front matter value by its lower-case key (Hugo's keys are case-insensitive)."""
    return next((v for k, v in fm.items() if isinstance(k, str) and k.lower() == key), None)


def _kind(src: SourcePath, plurals: set[str]) -> str:
    segments = [s for s in src.path.split("/") if s]
    if src.is_branch:
        return ("home" if not segments else "taxonomy" if len(segments) == 1 and segments[0] in plurals
                else "term" if len(segments) == 2 and segments[0] in plurals else "section")
    return "home" if src.is_leaf and not segments else "page"


def _rules(lang: str, path: str, is_branch: bool, cascades: dict[tuple[str, str], tuple[CascadeRule, ...]],
           config: SiteConfig) -> list[CascadeRule]:
    """The cascade rules that reach a page, nearest first: its own (a branch's cascade applies to
    itself), its ancestors' up to the home page, the language's config, the site's config."""
    rules: list[CascadeRule] = []
    node = path if is_branch else posixpath.dirname(path)
    while True:
        rules += cascades.get((lang, node), ())
        if node == "/":
            break
        node = posixpath.dirname(node)
    return rules + list(config.languages[lang].cascade) + list(config.cascade)


def _dates(parsed: ParsedSource, fm: dict[str, Any]) -> dict[str, DateValue | None] | str:
    """Hugo's date chains over the front matter with cascaded keys (the file's own when none came)."""
    own = {"date": parsed.date, "publish_date": parsed.publish_date, "lastmod": parsed.lastmod,
           "expiry_date": parsed.expiry_date}
    if len(fm) == len(parsed.front_matter):
        return own
    return front_matter_dates(dict(fm))


def _page(entry: _Entry, kind: str, fm: dict[str, Any], dates: dict[str, DateValue | None], config: SiteConfig,
          plurals: set[str], tz: dt.tzinfo) -> tuple[Page, list[str]]:
    src, parsed = entry.src, entry.parsed
    lower = {k.lower(): v for k, v in fm.items() if isinstance(k, str)}
    segments = [s for s in src.path.split("/") if s]
    section = segments[0] if segments and (kind != "page" or len(segments) > 1) else ""
    taxonomies = {plural: terms for plural in config.taxonomies.values() if (terms := string_list(lower.get(plural)))}
    page = Page(
        rel_path=entry.file.rel_path, lang=entry.lang, kind=kind, section=section,
        title=go_string(lower.get("title")), permalink="", text=parsed.text, body_offset=parsed.body_offset,
        body_line=parsed.body_line, content_hash=parsed.content_hash, front_matter=fm,
        date=_in_tz(dates["date"], tz), publish_date=_in_tz(dates["publish_date"], tz),
        expiry_date=_in_tz(dates["expiry_date"], tz), lastmod=_in_tz(dates["lastmod"], tz),
        draft=go_bool(lower.get("draft")), slug=go_string(lower.get("slug")).strip("-") or None,
        url=go_string(lower.get("url")) or None, translation_key=go_string(lower.get("translationkey")) or src.path,
        taxonomies=taxonomies, term=(segments[0], posixpath.basename(src.dir)) if kind == "term" else None,
        description=go_string(lower.get("description")) or None, images=string_list(lower.get("images")),
        bundle=src.is_leaf or src.is_branch,
    )
    return page, string_list(lower.get("aliases"))


def _in_tz(value: DateValue | None, tz: dt.tzinfo) -> DateValue | None:
    """Naive front matter datetimes are in the site's timeZone (UTC by default), as Hugo reads them."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value


def _exclusion(page: Page, drafts: bool, future: bool, expired: bool, now: dt.datetime,
               tz: dt.tzinfo) -> str | None:
    if page.draft and not drafts:
        return "draft"
    if page.publish_date is not None and to_instant(page.publish_date, tz) > now and not future:
        return "future publishDate"
    if page.expiry_date is not None and to_instant(page.expiry_date, tz) < now and not expired:
        return "expired"
    return None


def _branches(all_pages: list[tuple[Page, SourcePath]], plurals: set[str],
              cascades: dict[tuple[str, str], tuple[CascadeRule, ...]], config: SiteConfig) -> dict[str, Branches]:
    """Per language, the (slug, title) of every branch page, drafts and all: Hugo 0.168 puts a
    section's slug in the URLs of the pages below it. A top-level section without an _index file
    still exists for Hugo, and can get a slug by cascade."""
    out: dict[str, dict[str, tuple[str | None, str]]] = {}
    for page, src in all_pages:
        if src.is_branch:
            out.setdefault(page.lang, {})[src.path] = (page.slug, page.title)
    for page, src in all_pages:
        top = "/" + src.path.strip("/").split("/")[0]
        known = out.setdefault(page.lang, {})
        if top != "/" and top not in known and (src.is_branch or src.path != top):
            virtual = SourcePath(top[1:], "_index", None)
            kind = _kind(virtual, plurals)
            fm = inherit({}, _rules(page.lang, top, True, cascades, config), path=top, kind=kind,
                         lang=page.lang, environment=config.environment)
            known[top] = (go_string(_get(fm, "slug")).strip("-") or None, go_string(_get(fm, "title")))
    return out
