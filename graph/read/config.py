"""Hugo configuration: the config files merged as Hugo merges them, and what postgraph needs of them.

Root `hugo.*`/`config.*`, then `config/_default/`, then `config/<environment>/`; a file named
after a top-level key nests under it (`languages.yaml`). Checked against Hugo 0.168.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tomllib
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from graph.read.cascade import CascadeRule, PageMatcher, parse_cascade
from graph.read.front_matter import HugoYAMLLoader
from graph.read.mounts import ContentMount, content_mounts

#: baseURL used when the site has none (a bare folder of Markdown, or a config without baseURL):
#: post IRIs must be absolute, and example.org is reserved for exactly this (RFC 2606).
log = logging.getLogger(__name__)

PLACEHOLDER_BASE_URL = "https://example.org/"
_CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
_CONFIG_FILES = [f"{name}{ext}" for name in ("hugo", "config") for ext in _CONFIG_SUFFIXES]
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
    # `languages.<code>.permalinks`: replaces the site's permalinks for this language when set
    permalinks: dict[str, dict[str, str]] | None = None
    permalink_rules: tuple[PermalinkRule, ...] = ()
    cascade: tuple[CascadeRule, ...] = ()  # `languages.<code>.cascade`


@dataclass(frozen=True)
class PermalinkRule:
    """One entry of the list form of `permalinks`: a pattern for the pages its target matches."""

    pattern: str
    target: PageMatcher


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
    ignore_files: tuple[str, ...] = ()  # Hugo's `ignoreFiles` regexes, matched against absolute paths
    mounts: tuple[ContentMount, ...] = ()  # where content comes from (see graph.mounts)
    cascade: tuple[CascadeRule, ...] = ()  # the root `cascade` config
    permalink_rules: tuple[PermalinkRule, ...] = ()  # the list form of `permalinks`
    environment: str = "production"
    disable_kinds: frozenset[str] = frozenset()  # `disableKinds`, lower case: no page of these kinds

    @property
    def multihost(self) -> bool:
        return any(lang.base_url for lang in self.languages.values())

    @property
    def tz(self) -> dt.tzinfo:
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else dt.UTC


def absolute_base_url(base_url: str, root: Path | None = None) -> str:
    """The site's baseURL as an absolute URL. Hugo accepts a relative one ("/", "/docs/"), and many
    sites use it; RDF needs absolute IRIs, so its path is kept under `PLACEHOLDER_BASE_URL`'s host,
    with a warning that says how to give the real one (or `--base-iri` for the entities)."""
    if urlsplit(base_url).scheme:
        return base_url
    absolute = urljoin(PLACEHOLDER_BASE_URL, base_url if base_url.startswith("/") else "/" + base_url)
    log.warning("%sbaseURL %r is relative; post IRIs use %s instead (set an absolute baseURL in the site's "
                "configuration to mint the real ones)", f"{root}: " if root else "", base_url, absolute)
    return absolute


def load_config(root: Path, *, environment: str = "production",
                config_files: Sequence[Path | str] | None = None) -> SiteConfig:
    """Read the site's configuration: the root config file, then config/_default/, then
    config/<environment>/ (later files win, as in Hugo; `hugo list` uses "production").

    `config_files` are what `hugo --config a.toml,b.yaml` names (relative to `root`): read
    instead of the root config file, later ones winning. A folder without any config is a bare
    folder of Markdown: its content dir is `content/` if there is one, else the folder itself;
    baseURL is `PLACEHOLDER_BASE_URL` (as Hugo's own default); the language "en".
    """
    root = Path(root).resolve()
    files = _config_paths(root, environment, config_files)
    merged: dict[str, Any] = {}
    digest = hashlib.sha256()
    config_dir = root / "config"
    for path in files:
        data = path.read_bytes()
        digest.update(_shown(path, root).encode() + b"\0" + data + b"\0")
        values = _lower_keys(_parse_config(path, data, root))
        stem = path.stem.lower()
        if path.is_relative_to(config_dir) and stem not in ("hugo", "config"):
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
    kinds, rules = _permalinks(c.get("permalinks"), "permalinks")
    taxonomies = c.get("taxonomies")
    ugly = c.get("uglyurls", False)
    try:
        mounts = content_mounts(c, list(languages), default,
                                {code: lang.content_dir.as_posix() for code, lang in languages.items()})
    except ValueError as e:
        raise ConfigError(f"module.mounts: {e}") from None
    return SiteConfig(
        root=root,
        base_url=absolute_base_url(str(c.get("baseurl") or PLACEHOLDER_BASE_URL), root),
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
        config_files=[_shown(p, root) for p in files],
        fingerprint=digest.hexdigest(),
        kind_permalinks=kinds,
        time_zone=_time_zone(c.get("timezone")),
        ignore_files=tuple(str(r) for r in c.get("ignorefiles") or ()),
        mounts=mounts,
        cascade=_cascade(c.get("cascade"), "cascade"),
        permalink_rules=rules,
        environment=environment,
        disable_kinds=frozenset(str(k).lower() for k in c.get("disablekinds") or ()),
    )


def _config_paths(root: Path, environment: str, config_files: Sequence[Path | str] | None) -> list[Path]:
    """The config files Hugo reads, in merge order (a later file wins)."""
    if config_files:
        files = [root / f for f in config_files]
        for f in files:
            if not f.is_file():
                raise ConfigError(f"config file {f} not found")
    else:
        # Only the first of these is read (hugo.toml hides config.toml).
        files = [p for p in (root / n for n in _CONFIG_FILES) if p.is_file()][:1]
    for sub in ("_default", environment):
        folder = root / "config" / sub
        if folder.is_dir():  # read recursively, as Hugo does
            files += sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix in _CONFIG_SUFFIXES),
                            key=lambda p: p.relative_to(folder).as_posix())
    return files


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _permalinks(value: Any, where: str) -> tuple[dict[str, dict[str, str]], tuple[PermalinkRule, ...]]:
    """The map form (kind -> section -> pattern; a plain `section = pattern` is for pages and
    terms) and the list form (Hugo 0.161+: patterns with page matchers, the first match wins)."""
    kinds: dict[str, dict[str, str]] = {"page": {}, "section": {}, "taxonomy": {}, "term": {}}
    if isinstance(value, list):
        rules = []
        for i, entry in enumerate(value):
            if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
                raise ConfigError(f"{where}[{i}]: each entry of the list form needs a pattern")
            try:
                rules.append(PermalinkRule(entry["pattern"], PageMatcher.parse(entry.get("target"))))
            except ValueError as e:
                raise ConfigError(f"{where}[{i}].target: {e}") from None
        return kinds, tuple(rules)
    for key, pattern in value.items() if isinstance(value, dict) else ():
        if isinstance(pattern, str):
            kinds["page"][key] = kinds["term"][key] = pattern
        elif isinstance(pattern, dict) and key in kinds:
            kinds[key].update({k: v for k, v in pattern.items() if isinstance(v, str)})
    return kinds, ()


def _cascade(value: Any, where: str) -> tuple[CascadeRule, ...]:
    try:
        return parse_cascade(value)
    except ValueError as e:
        raise ConfigError(f"{where}: {e}") from None


def _time_zone(name: Any) -> str | None:
    if not name:
        return None
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timeZone {name!r} is not a time zone name (use e.g. America/Mexico_City)") from None
    return str(name)


def _parse_config(path: Path, data: bytes, root: Path) -> dict[str, Any]:
    name = path.relative_to(root).as_posix()
    try:
        if path.suffix == ".toml":
            return tomllib.loads(data.decode("utf-8"))
        if path.suffix == ".json":
            return json.loads(data)
        # Hugo accepts several YAML documents in one config file (osslat's menus have a trailing `---`).
        docs = [d for d in yaml.load_all(data, Loader=HugoYAMLLoader) if d is not None]
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
    langs = []
    for code, v in ((str(k).lower(), v if isinstance(v, dict) else {}) for k, v in configured.items()):
        kinds, rules = _permalinks(v["permalinks"], f"languages.{code}.permalinks") if "permalinks" in v else (None, ())
        langs.append(Language(
            code=code, name=str(v.get("label") or v.get("languagename") or code),
            weight=int(v.get("weight") or 0), content_dir=Path(str(v.get("contentdir") or content_dir)),
            title=str(v["title"]) if v.get("title") else None,
            base_url=absolute_base_url(str(v["baseurl"])) if v.get("baseurl") else None,
            disabled=bool(v.get("disabled")) or code in disabled,
            permalinks=kinds, permalink_rules=rules, cascade=_cascade(v.get("cascade"), f"languages.{code}.cascade")))
    if not langs:
        langs = [Language(default, default, 0, Path(content_dir))]
    # Hugo sorts by weight; unweighted languages come last, ties by code.
    langs.sort(key=lambda lang: (lang.weight == 0, lang.weight, lang.code))
    return {lang.code: lang for lang in langs}
