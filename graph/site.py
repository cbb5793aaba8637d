"""A Hugo site as Hugo sees it: its configuration, its content files and the pages they become.

`load_config` merges the config files the way Hugo does; `load_site` reads every content file and
applies Hugo's rules (languages, bundles, duplicates, drafts and dates, term pages, translations).
The rules were checked against Hugo 0.168 (`hugo list all`); see tests/test_hugo_list.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
import re
import tomllib
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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
    _HugoYAMLLoader,
    go_bool,
    go_string,
    parse_source,
    string_list,
    to_instant,
)

#: baseURL used when the site has none (a bare folder of Markdown, or a config without baseURL):
#: post IRIs must be absolute, and example.org is reserved for exactly this (RFC 2606).
PLACEHOLDER_BASE_URL = "https://example.org/"
_CONFIG_FILES = [f"{name}{ext}" for name in ("hugo", "config") for ext in (".toml", ".yaml", ".yml", ".json")]
_DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}


class ConfigError(ValueError):
    """A config file Hugo would refuse; the message names the file (and line, when known)."""


@dataclass(frozen=True)
class Language:
    """One language of the site, from `languages.<code>` (or the single default language)."""

    code: str
    name: str
    weight: int
    content_dir: Path  # relative to the site root; Path(".") for a bare folder of Markdown
    title: str | None = None
    base_url: str | None = None  # only in multihost sites, where each language has its own host
    disabled: bool = False


@dataclass(frozen=True)
class SiteConfig:
    """The settings that decide which pages exist and what their URLs are."""

    root: Path
    base_url: str
    title: str | None
    default_language: str
    default_in_subdir: bool
    languages: dict[str, Language]  # ordered by weight, as Hugo orders them
    permalinks: dict[str, str]  # section -> pattern, for regular pages
    taxonomies: dict[str, str]  # singular -> plural
    disable_path_to_lower: bool = False
    remove_path_accents: bool = False
    ugly_urls: dict[str, bool] = field(default_factory=dict)  # section -> flag; "" is the site default
    config_files: list[str] = field(default_factory=list)  # relative to root, in merge order
    fingerprint: str = ""  # sha256 over the config files: a changed config means a full rebuild
    kind_permalinks: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> section -> pattern
    time_zone: str | None = None  # IANA name; dates without an offset are read in it (UTC if None)
    ignore_files: tuple[str, ...] = ()  # regexes, as Hugo's `ignoreFiles`

    @property
    def multihost(self) -> bool:
        return any(lang.base_url for lang in self.languages.values())

    @property
    def tz(self) -> dt.tzinfo:
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else dt.UTC


@dataclass
class Site:
    """Everything `load_site` found: the pages Hugo would publish, and why other files are not pages."""

    config: SiteConfig
    pages: list[Page]
    problems: list[Problem]
    skipped: list[tuple[str, str]]  # (rel_path, reason): drafts, duplicates, bundle resources …


# --- configuration ---------------------------------------------------------------------------


def load_config(root: Path, *, environment: str = "production") -> SiteConfig:
    """Read the site's configuration: the root config file, then config/_default/, then
    config/<environment>/ (later files win, as in Hugo; `hugo list` uses "production").

    A folder without any config is a bare folder of Markdown: its content dir is `content/` if
    there is one, else the folder itself; baseURL is `PLACEHOLDER_BASE_URL`; the language "en".
    """
    root = Path(root).resolve()
    files = [p for p in (root / n for n in _CONFIG_FILES) if p.is_file()][:1]
    for sub in ("_default", environment):
        folder = root / "config" / sub
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".toml", ".yaml",
                                                                                            ".yml", ".json"))
    merged: dict[str, Any] = {}
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + data + b"\0")
        values = _lower_keys(_parse_config(path, data, root))
        stem = path.stem.lower()
        if path.parent != root and stem not in ("hugo", "config"):
            if "." in stem:
                continue  # per-language files (menus.es.yaml …) say nothing about URLs
            values = {stem: values}
        _merge(merged, values)
    c = merged
    content_dir = str(c.get("contentdir") or ("content" if files or (root / "content").is_dir() else "."))
    default = str(c.get("defaultcontentlanguage") or "en").lower()
    languages = _languages(c, default, content_dir)
    if default not in languages:
        raise ConfigError(f"defaultContentLanguage {default!r} is not one of the configured languages "
                          f"{sorted(languages)}")
    kinds: dict[str, dict[str, str]] = {"page": {}, "section": {}, "taxonomy": {}, "term": {}}
    for key, value in (c.get("permalinks") or {}).items() if isinstance(c.get("permalinks"), dict) else ():
        if isinstance(value, str):  # the classic form applies to pages and terms
            kinds["page"][key] = kinds["term"][key] = value
        elif isinstance(value, dict) and key in kinds:
            kinds[key].update({k: v for k, v in value.items() if isinstance(v, str)})
    taxonomies = c.get("taxonomies")
    ugly = c.get("uglyurls", False)
    return SiteConfig(
        root=root,
        base_url=str(c.get("baseurl") or PLACEHOLDER_BASE_URL),
        title=str(c["title"]) if c.get("title") is not None else None,
        default_language=default,
        default_in_subdir=bool(c.get("defaultcontentlanguageinsubdir", False)),
        languages=languages,
        permalinks=kinds["page"],
        taxonomies={str(k): str(v).lower() for k, v in (
            taxonomies if isinstance(taxonomies, dict) else _DEFAULT_TAXONOMIES).items()},
        disable_path_to_lower=bool(c.get("disablepathtolower", False)),
        remove_path_accents=bool(c.get("removepathaccents", False)),
        ugly_urls={str(k): bool(v) for k, v in ugly.items()} if isinstance(ugly, dict) else {"": bool(ugly)},
        config_files=[p.relative_to(root).as_posix() for p in files],
        fingerprint=digest.hexdigest(),
        kind_permalinks=kinds,
        time_zone=str(c["timezone"]) if c.get("timezone") else None,
        ignore_files=tuple(str(r) for r in c.get("ignorefiles") or ()),
    )


def _parse_config(path: Path, data: bytes, root: Path) -> dict[str, Any]:
    name = path.relative_to(root).as_posix()
    try:
        if path.suffix == ".toml":
            return tomllib.loads(data.decode("utf-8"))
        if path.suffix == ".json":
            return json.loads(data)
        # Hugo accepts several YAML documents in one config file (osslat's menus have a trailing `---`).
        docs = [d for d in yaml.load_all(data, Loader=_HugoYAMLLoader) if d is not None]
        out: dict[str, Any] = {}
        for d in docs:
            if not isinstance(d, dict):
                raise ConfigError(f"{name}: the file holds a {type(d).__name__}, not a mapping of settings")
            _merge(out, d)
        return out
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError) as e:
        raise ConfigError(f"{name}: {e}") from None


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _languages(c: dict[str, Any], default: str, content_dir: str) -> dict[str, Language]:
    configured = c.get("languages") if isinstance(c.get("languages"), dict) else {}
    disabled = {str(x).lower() for x in c.get("disablelanguages") or ()}
    langs = [
        Language(code=code, name=str(v.get("label") or v.get("languagename") or code),
                 weight=int(v.get("weight") or 0), content_dir=Path(str(v.get("contentdir") or content_dir)),
                 title=str(v["title"]) if v.get("title") else None,
                 base_url=str(v["baseurl"]) if v.get("baseurl") else None,
                 disabled=bool(v.get("disabled")) or code in disabled)
        for code, v in ((str(k).lower(), v if isinstance(v, dict) else {}) for k, v in configured.items())
    ] or [Language(default, default, 0, Path(content_dir))]
    # Hugo sorts by weight; unweighted languages come last, ties by code.
    langs.sort(key=lambda lang: (lang.weight == 0, lang.weight, lang.code))
    return {lang.code: lang for lang in langs}


# --- content files ---------------------------------------------------------------------------


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
            if entry.name.startswith((".", "#")) or entry.name.endswith("~") or any(r.search(child_rel) for r in ignore):
                continue
            if entry.is_symlink() and not path.resolve().is_relative_to(root):
                outside.append(child_rel)
            elif entry.is_dir():
                if Path(child_rel) not in dirs:  # another language's content dir nested in this one
                    visit(path, child_rel)
            elif entry.is_file():
                files.append((child_rel, path))

    for d in dirs:
        if (root / d).is_dir():
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


def load_site(root: Path, *, drafts: bool = False, future: bool = False, expired: bool = False,
              now: dt.datetime | None = None,
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
        text=parsed.text, body=parsed.body, body_offset=parsed.body_offset, body_line=parsed.body_line,
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

