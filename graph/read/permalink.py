"""Hugo's URLs for content files: permalinks and aliases, as Hugo 0.168 computes them.

Post IRIs are the posts' permalinks, so this must match Hugo character for character. The rules
here were checked against the `hugo` binary (`hugo list all`, alias files in `public/`); where
Hugo's behaviour is surprising, a comment says what it does.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.model import DateValue, Page

if TYPE_CHECKING:
    from graph.read.config import SiteConfig

CONTENT_SUFFIXES = (".md", ".markdown", ".mdown")
_HEX = frozenset("0123456789abcdefABCDEF")
_ALLOWED = frozenset("./\\_#+~-@")
_GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B))
_VALID_ENCODED = re.compile(r"[A-Za-z0-9\-_.~$&+,/:;=@!'()*\[\]%]*")  # Go's validEncoded for paths
_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_ATTRIBUTE = re.compile(r":[0-9A-Za-z_]+(\[.+?\])?")
_PLAIN = re.compile(r"[0-9A-Za-z./\\_#+~@-]*")  # nothing for sanitize to change
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class SourcePath:
    """Where a content file sits in Hugo's content tree, and the names Hugo derives from it."""

    dir: str  # the file's folder in the content tree (mounts applied), POSIX, "" at its root
    base: str  # file name without extension and language suffix: "my-post", "index", "_index"
    lang: str | None  # language code from a "name.<lang>.md" suffix, when that language is configured

    @property
    def is_leaf(self) -> bool:
        return self.base == "index"

    @property
    def is_branch(self) -> bool:
        return self.base == "_index"

    @property
    def logical(self) -> str:
        """The page's path as written: "/blog/My Post" (bundles and sections are their folder)."""
        parts = self.dir if self.is_leaf or self.is_branch else posixpath.join(self.dir, self.base)
        return "/" + parts.strip("/")

    @functools.cached_property
    def path(self) -> str:
        """Hugo's `.Path`: lower case, spaces as hyphens; the same for every language version."""
        return go_lower(self.logical).replace(" ", "-")

    def url_path(self, config: SiteConfig) -> str:
        """The path Hugo builds the default URL from: `.Path`, or as written with disablePathToLower."""
        return self.logical if config.disable_path_to_lower else self.path

    @property
    def content_base_name(self) -> str:
        """Hugo's content base name: the bundle's folder name, else the file's base name."""
        if self.is_leaf or self.is_branch:
            return posixpath.basename(self.dir)
        return self.base


def source_path(directory: str, name: str, config: SiteConfig) -> SourcePath:
    """Name a file found in the content tree folder `directory`."""
    ext = next((s for s in CONTENT_SUFFIXES if name.lower().endswith(s)), posixpath.splitext(name)[1])
    stem = name[: len(name) - len(ext)]
    base, dot, suffix = stem.rpartition(".")
    if dot and base and suffix.lower() in config.languages:
        return SourcePath(directory, base, suffix.lower())
    return SourcePath(directory, stem, None)


#: What `relative_link` needs to know of the page's branch ancestors in its language: logical
#: path ("/blog") -> (its `slug`, if any; its title). Hugo 0.168 builds default URLs from the
#: ancestors' slugs, and `:sectionslug(s)` from slug, else title, else the folder name.
Branches = Mapping[str, tuple[str | None, str]]


# --- Hugo's string helpers -------------------------------------------------------------------


def sanitize(s: str, *, remove_accents: bool = False) -> str:
    """Hugo's UnicodeSanitize: keep letters, digits, marks, `./\\_#+~-@` and valid `%XX`; a run of
    whitespace after some output becomes one hyphen (none next to an explicit one); drop the rest.
    Accents are removed after that, so a combining accent still counts as output for the hyphen."""
    if _PLAIN.fullmatch(s):
        return s
    out: list[str] = []
    prepend = was_hyphen = False
    n = len(s)
    for i, c in enumerate(s):
        kind = _KINDS.get(c)
        if kind is None:
            kind = _KINDS[c] = _kind(c)
        if kind == _KEEP or (c == "%" and i + 2 < n and s[i + 1] in _HEX and s[i + 2] in _HEX):
            was_hyphen = c == "-"
            if prepend and not was_hyphen:
                out.append("-")
            prepend = False
            out.append(c)
        elif kind == _SPACE and out and not was_hyphen:
            prepend = True
    result = "".join(out)
    if remove_accents:
        result = unicodedata.normalize("NFC", "".join(
            c for c in unicodedata.normalize("NFD", result) if unicodedata.category(c) != "Mn"))
    return result


_KEEP, _SPACE, _DROP = 0, 1, 2
_KINDS: dict[str, int] = {}


def _kind(c: str) -> int:
    if c in _ALLOWED or c.isalpha() or c.isdecimal() or unicodedata.category(c).startswith("M"):
        return _KEEP
    return _SPACE if c in _GO_SPACES else _DROP


def go_lower(s: str) -> str:
    """Go's strings.ToLower: per character, without Python's context rules (final sigma, dotted I)."""
    if s.isascii() or ("\u0130" not in s and "\u03a3" not in s):
        return s.lower()
    return "".join("i" if c == "\u0130" else c.lower() for c in s)


def _path_sanitized(s: str, config: SiteConfig) -> str:
    s = sanitize(s, remove_accents=config.remove_path_accents)
    return s if config.disable_path_to_lower else go_lower(s)


def _urlize(s: str, config: SiteConfig) -> str:
    """Hugo's urlize of a permalink attribute (before the second pass over the whole pattern).

    Go's URL parser takes what follows `#` as a fragment and drops an empty one: "c#" becomes "c".
    """
    head, hash_, fragment = _path_sanitized(s, config).partition("#")
    return head + hash_ + fragment if fragment else head


def _decode_escapes(raw: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes([int(m.group()[1:], 16)]), raw)


def _query_unescape(s: str) -> str:
    """Go's QueryUnescape (`+` is a space), lenient: a `%` that starts no valid escape is kept."""
    if "%" not in s and "+" not in s:
        return s
    return _decode_escapes(s.encode().replace(b"+", b" ")).decode("utf-8", errors="replace")


def escape_url_path(link: str) -> str:
    """Percent-encode a link as Go's url.URL does (Hugo escapes `#` first so it is never a fragment).

    Like Go, a path that is already a valid encoding (ASCII, `%XX`, `!'()*` …) is kept as written;
    otherwise every byte outside the unreserved and path-safe sets is encoded.
    """
    path, q, query = link.replace("#", "%23").partition("?")
    raw = path.encode()
    if b"%" in raw and not _BAD_ESCAPE.search(raw):
        raw = _decode_escapes(raw)
    escaped = urllib.parse.quote(raw, safe="$&+,/:;=@")
    if escaped != path and _VALID_ENCODED.fullmatch(path):
        escaped = path
    return escaped + q + query


def clean(p: str) -> str:
    """Go's path.Clean for rooted paths: no duplicate slashes, no `.`/`..`, no trailing slash."""
    c = posixpath.normpath("/" + p.lstrip("/"))
    return "/" + c.lstrip("/")


# --- permalinks ------------------------------------------------------------------------------


def language_prefix(lang: str, config: SiteConfig) -> str:
    """"" or "es": the path segment Hugo puts before every URL of a language."""
    if config.multihost or (lang == config.default_language and not config.default_in_subdir):
        return ""
    return lang


def base_url_for(lang: str, config: SiteConfig) -> str:
    language = config.languages.get(lang)
    base = (language.base_url if language is not None and language.base_url else None) or config.base_url
    return base if base.endswith("/") else base + "/"


def find_pattern(kind: str, path: str, lang: str, config: SiteConfig) -> str | None:
    """The `permalinks` pattern for a page of `kind` at Hugo path `path` in `lang`, if any.

    A language's own `permalinks` replace the site's. In the list form the first entry whose
    target matches wins (any kind, the home page too). In the map form a key `blog` matches
    `/blog` and everything below it, `/` top-level pages only; Hugo tries map keys in no fixed
    order, we take the most specific key.
    """
    language = config.languages.get(lang)
    if language is not None and (language.permalinks is not None or language.permalink_rules):
        kinds, rules = language.permalinks or {}, language.permalink_rules
    else:
        kinds, rules = config.kind_permalinks, config.permalink_rules
    if rules:
        return next((r.pattern for r in rules if r.target.matches(
            path=path, kind=kind, lang=lang, environment=config.environment)), None)
    if kind == "home":
        return None
    best: tuple[int, str] | None = None
    for key, pattern in kinds.get(kind, {}).items():
        key = key.strip(" /")
        matches = path.count("/") == 1 if not key else path == "/" + key or path.startswith("/" + key + "/")
        if matches and (best is None or len(key) > best[0]):
            best = (len(key), pattern)
    return best[1] if best else None


def _date_parts(value: DateValue | None) -> dt.date | dt.datetime:
    return value if value is not None else dt.datetime(1, 1, 1)  # Go's zero time: year 1, a Monday


def expand_pattern(pattern: str, page: Page, src: SourcePath, config: SiteConfig,
                   section_path: str | None = None, branches: Branches | None = None) -> str:
    """Fill in a `permalinks` pattern (`:year`, `:title`, `:slug`, `:sections[1:]` …) for a page."""
    date = _date_parts(page.date)
    # Slashes in titles become hyphens, except for term pages (checked with hugo).
    title = page.title if page.kind == "term" else page.title.replace("/", "-").replace("\\", "-")

    def title_attr() -> str:
        return _urlize(title, config)

    # A slug that urlizes to nothing still wins over the title (Hugo tests the raw slug).
    slug_attr = _urlize(page.slug, config) if page.slug else None
    filename = "" if src.is_branch else posixpath.basename(src.dir) if src.is_leaf else src.base
    sections = [s for s in (section_path if section_path is not None else page.section).split("/") if s]
    branches = branches or {}
    # a section's slug, else its title, else its folder name (urlized below)
    slugs = [slug or title or name for name, (slug, title) in (
        (name, branches.get("/" + "/".join(sections[: i + 1]), (None, ""))) for i, name in enumerate(sections))]
    values: dict[str, Callable[[], str]] = {
        "year": lambda: str(date.year), "month": lambda: f"{date.month:02d}",
        "monthname": lambda: _MONTHS[date.month - 1], "day": lambda: f"{date.day:02d}",
        "weekday": lambda: str((date.weekday() + 1) % 7), "weekdayname": lambda: _DAYS[date.weekday()],
        "yearday": lambda: str(date.timetuple().tm_yday), "section": lambda: page.section,
        "sections": lambda: "/".join(sections), "title": title_attr,
        "slug": lambda: title_attr() if slug_attr is None else slug_attr,
        "filename": lambda: _urlize(filename, config),
        "slugorfilename": lambda: _urlize(filename, config) if slug_attr is None else slug_attr,
        "contentbasename": lambda: _urlize(src.content_base_name, config),
        "slugorcontentbasename": lambda: _urlize(src.content_base_name, config) if slug_attr is None else slug_attr,
        "sectionslug": lambda: _urlize(slugs[0], config) if slugs else "",
        "sectionslugs": lambda: "/".join(_urlize(s, config) for s in slugs),
    }

    def attribute(m: re.Match[str]) -> str:
        name, cut = m.group(0)[1:].partition("[")[0], m.group(1)
        if cut and name == "sections":
            return "/".join(_slice(sections, cut))
        if cut and name == "sectionslugs":
            return "/".join(_urlize(s, config) for s in _slice(slugs, cut))
        value = values.get(name)
        return value() if value is not None else m.group(0)

    pattern = pattern.replace("\\:", "\0")
    return _ATTRIBUTE.sub(attribute, pattern).replace("\0", ":")


def _slice(items: list[str], cut: str) -> list[str]:
    """Hugo's lenient `[low:high]` / `[n]` / `[last]` slicing of the sections list."""
    spec = cut[1:-1].strip().lower()

    def index(s: str, low: bool) -> int:
        if s == "":
            return 0 if low else len(items)
        n = len(items) - 1 if s == "last" else max(int(s), 0) if s.lstrip("-").isdigit() else 0
        return n if n < len(items) else (-1 if low else len(items))

    if not items:
        return []
    if ":" not in spec:
        n = index(spec, True)
        return [] if n < 0 else [items[n]]
    lo, hi = (index(part, i == 0) for i, part in enumerate(spec.split(":", 1)))
    return [] if lo < 0 or hi < 0 else items[lo:hi]


def relative_link(page: Page, config: SiteConfig, src: SourcePath, *, section_path: str | None = None,
                  branches: Branches | None = None) -> str:
    """The page's link below the base URL, before percent-encoding: "/es/blog/2025/04/título/".

    `branches` (see `Branches`) are the page's branch ancestors in its language: their slugs
    replace their folder names in the default URL, as Hugo 0.168 does.
    """
    prefix = language_prefix(page.lang, config)
    ugly = config.ugly_urls.get(page.section, config.ugly_urls.get("", False))
    if page.kind != "home" and page.url:
        # `url` is used as written (not even cleaned); a language prefix only when it is relative.
        link = "/" + page.url.lstrip("/")
        if page.url.endswith("/") or "." not in page.url:
            link = link.rstrip("/") + "/"
        return "/" + prefix + link if prefix and not page.url.startswith("/") else link
    pattern = find_pattern(page.kind, src.path, page.lang, config)
    if pattern is not None:
        # Hugo decodes the expanded pattern (`+` and %XX too) and sanitises it a second time.
        expanded = clean("/" + prefix + "/" + expand_pattern(pattern, page, src, config, section_path, branches))
        body = clean(_path_sanitized(_query_unescape(expanded), config))
    else:
        segments = _default_segments(page, src, config, branches or {})
        if page.kind == "page":
            # Hugo joins these without cleaning: a slug of "." stays a "." segment.
            body = re.sub("/+", "/", _path_sanitized(f"/{prefix}/" + "/".join(segments), config)).rstrip("/") or "/"
        else:
            body = _path_sanitized(clean(f"/{prefix}/" + "/".join(segments)), config).rstrip("/") or "/"
    if ugly:  # uglyURLs: pages and terms become "x.html", sections and the home page "x/index.html"
        return body + ".html" if page.kind in ("page", "term") and body != "/" else body.rstrip("/") + "/index.html"
    return body if body == "/" else body + "/"


def _default_segments(page: Page, src: SourcePath, config: SiteConfig, branches: Branches) -> list[str]:
    """The folders and name of the default URL: an ancestor's slug replaces its folder name, the
    page's own slug (sanitised on its own first) its file or folder name."""
    if page.kind == "home":
        return []
    segments = src.url_path(config).strip("/").split("/")
    keys = src.path.strip("/").split("/")
    for i in range(len(segments) - 1):
        slug = branches.get("/" + "/".join(keys[: i + 1]), (None, ""))[0]
        if slug:
            segments[i] = _path_sanitized(slug, config)
    if page.slug:
        segments[-1] = _path_sanitized(page.slug, config)
    return segments


def permalink(page: Page, config: SiteConfig, link: str) -> str:
    """The absolute URL Hugo gives the page (for `link`, from `relative_link`), percent-encoded
    as `hugo list` prints it; relative when baseURL is ("/blog/x/" for baseURL "/")."""
    return base_url_for(page.lang, config) + escape_url_path(link).lstrip("/")


def alias_urls(page: Page, aliases: list[str], config: SiteConfig, *, link: str) -> list[str]:
    """Absolute URLs of the redirect pages Hugo writes for the page's `aliases`.

    Absolute aliases get the language prefix (always, even when they already start with it);
    relative ones resolve against the parent of the page's own URL (`link`, from `relative_link`).
    """
    prefix = language_prefix(page.lang, config)
    base = base_url_for(page.lang, config)
    ugly = config.ugly_urls.get(page.section, config.ugly_urls.get("", False))
    out: list[str] = []
    for alias in aliases:
        if not alias or alias.startswith(("http://", "https://")):
            continue  # Hugo refuses http(s) aliases
        if alias.startswith("/"):
            target = clean("/" + prefix + alias)
        else:
            target = clean(posixpath.join(posixpath.dirname(link.rstrip("/")) or "/", alias))
        if not target.endswith(".html") and target != "/":
            target += ".html" if ugly else "/"
        url = base + escape_url_path(target).lstrip("/")
        if url not in out:
            out.append(url)
    return out
