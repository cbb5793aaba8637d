"""One content file of a Hugo site: its front matter, body and the facts Hugo derives from them.

INTERFACE NOTE (kept stable, mapping.py and build.py depend on it): `Page` and `Problem`.

`parse_source` reads one file's bytes the way Hugo's page parser does (YAML `---`, TOML `+++` or
JSON `{` front matter, Hugo's date formats and date chains: the values are read by
`graph.read.front_matter`); the site-wide facts (kind, language, permalink, translations) are
added by `graph.site`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from graph.read.front_matter import DateValue, front_matter_dates, key_line, kind_of_value, load_front_matter


@dataclass(frozen=True)
class Problem:
    """Something wrong with one source file; the build reports it and goes on with the rest."""

    path: str  # relative to the site root, POSIX separators
    line: int | None  # 1-based line in the source file, when known
    reason: str
    fatal: bool = True  # True: the file was skipped; False: a warning, the page was kept

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}" if self.line else f"{self.path}: {self.reason}"


@dataclass
class Page:
    """A page of the site as Hugo sees it (after language, bundle and duplicate resolution)."""

    rel_path: str  # source file relative to the site root, POSIX: "content/blog/x.es.md" (a file
    # mounted for several languages is one page per language: (rel_path, lang) is what is unique)
    lang: str  # language code ("es", "en", "pt")
    kind: str  # "page" (regular), "section" (_index.md of a section), "term", "taxonomy", "home"
    section: str  # first path segment of the content tree ("blog"); "" for home
    title: str
    permalink: str  # URL exactly as Hugo prints it (percent-encoded; relative, "/blog/x/", when baseURL is)
    text: str  # the whole decoded source file (offsets of mentions point into it)
    body_offset: int  # character offset of the body (the Markdown after the front matter) in `text`
    body_line: int  # 1-based line where the body starts
    content_hash: str  # sha256 hex of the file's bytes
    # as written, plus the keys the page inherits by `cascade` (Hugo's .Params): a parent's
    # _index.md or the site config can change a page whose own file did not change
    front_matter: dict[str, Any] = field(default_factory=dict)
    date: DateValue | None = None
    publish_date: DateValue | None = None
    expiry_date: DateValue | None = None
    lastmod: DateValue | None = None
    draft: bool = False
    slug: str | None = None
    url: str | None = None
    aliases: list[str] = field(default_factory=list)  # absolute URLs
    translation_key: str = ""  # shared by every language version of the page
    taxonomies: dict[str, list[str]] = field(default_factory=dict)  # plural name -> terms ("tags": [...])
    term: tuple[str, str] | None = None  # for term pages: (taxonomy plural, term), e.g. ("authors", "oss.lat")
    description: str | None = None
    images: list[str] = field(default_factory=list)  # as written in front matter
    resources: list[str] = field(default_factory=list)  # bundle resources, relative to the site root
    bundle: bool = False  # a leaf bundle (index.md) or branch bundle (_index.md)
    translations: list[str] = field(default_factory=list)  # rel_paths of the other language versions

    @property
    def body(self) -> str:
        """The Markdown after the front matter (a slice made on demand: a site's pages are all held in
        memory during a build, and keeping the body beside the text doubled that)."""
        return self.text[self.body_offset:]


# ---------------------------------------------------------------------------------------------
# Reading a source file: a pure function of its bytes, so it can run in worker processes and be
# cached by content hash.


@dataclass(frozen=True)
class ParsedSource:
    """What one content file says by itself, before the site (config, languages, tree) is known."""

    front_matter: dict[str, Any]  # as written (keys keep their case); date keys hold parsed DateValues
    text: str  # the decoded file, BOM removed, line endings kept
    body_offset: int  # character offset of the body (the Markdown after the front matter) in `text`
    body_line: int  # 1-based line where the body starts
    content_hash: str  # sha256 hex of the raw bytes
    format: str | None = None  # "yaml", "toml", "json", or None when the file has no front matter
    front_matter_line: int | None = None  # 1-based line of the opening delimiter
    # Hugo's date chains (front matter keys only; `:git` and `:filename` are not defaults)
    date: DateValue | None = None
    publish_date: DateValue | None = None
    lastmod: DateValue | None = None
    expiry_date: DateValue | None = None
    problems: tuple[Problem, ...] = ()  # non-fatal warnings about this file

    @property
    def body(self) -> str:
        """The Markdown after the front matter."""
        return self.text[self.body_offset:]


_DELIMITERS = {"-": ("---", "yaml"), "+": ("+++", "toml")}


def parse_source(rel_path: str, data: bytes) -> ParsedSource | Problem:
    """Decode one content file and split off its front matter, the way Hugo's page parser does.

    Errors come back as a `Problem` with the line in the file where the parser found them, so the
    build can report "content/x.md:7: ..." and carry on with the other files.
    """
    content_hash = hashlib.sha256(data).hexdigest()
    nul = data.find(0)
    if nul >= 0:
        return Problem(rel_path, data.count(b"\n", 0, nul) + 1,
                       f"binary file (NUL byte at byte offset {nul}): not Markdown text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return Problem(rel_path, line, f"not UTF-8: invalid byte 0x{data[e.start]:02x} at byte offset "
                                       f"{e.start}; re-save the file as UTF-8")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Problem(rel_path, None, "empty file: no front matter and no content (Hugo would publish "
                                       "an empty page without a title)")
    start = len(text) - len(text.lstrip(" \t\r\n"))
    opener = text[start]
    if opener not in "-+{" or (opener != "{" and not text.startswith(_DELIMITERS[opener][0], start)):
        # No front matter: Hugo still makes it a page (no title, no date) and says nothing; we
        # keep the page too, but tell the user, since it is usually a mistake.
        warning = Problem(rel_path, 1, "no front matter: built as a page without title or date (start the file "
                                       "with '---', '+++' or '{' to give it one)", fatal=False)
        return ParsedSource({}, text, 0, 1, content_hash, problems=(warning,))
    fm_line = text.count("\n", 0, start) + 1
    split = _split_json(text, start) if opener == "{" else _split_delimited(text, start, *_DELIMITERS[opener])
    if len(split) == 2:
        return Problem(rel_path, *split)
    raw, fmt, raw_line, body_offset = split
    loaded = load_front_matter(raw, fmt, raw_line)
    if isinstance(loaded, tuple):
        return Problem(rel_path, loaded[0], loaded[1])
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return Problem(rel_path, fm_line, f"front matter is a {kind_of_value(loaded)}, not a mapping of keys to "
                                          "values")
    dates = front_matter_dates(loaded)
    if isinstance(dates, str):
        return Problem(rel_path, key_line(text, body_offset, fm_line, dates.split('"')[1]), dates)
    seen: dict[str, str] = {}
    warnings = []
    for key in (k for k in loaded if isinstance(k, str)):
        if (first := seen.setdefault(key.lower(), key)) != key:
            # Hugo lower-cases keys, so one of the two silently wins
            warnings.append(Problem(rel_path, key_line(text, body_offset, fm_line, key), f"front matter keys "
                                    f"{first!r} and {key!r} are the same key for Hugo; keep one", fatal=False))
    return ParsedSource(loaded, text, body_offset, text.count("\n", 0, body_offset) + 1,
                        content_hash, fmt, fm_line, **dates, problems=tuple(warnings))


def _split_delimited(text: str, start: int, delim: str, fmt: str) -> tuple[str, str, int, int] | tuple[int, str]:
    """(front matter text, format, its first line, body offset), or (line, error message)."""
    pos = start + 3
    pos += _newline_len(text, pos)
    raw_line = text.count("\n", 0, pos) + 1
    # Like Hugo, any line that starts with the delimiter closes the front matter.
    match = re.compile(rf"^{re.escape(delim)}", re.MULTILINE).search(text, pos)
    if match is None:
        return (text.count("\n", 0, start) + 1, f"front matter opened with '{delim}' is never closed: add a "
                f"line with '{delim}' after the last front matter line")
    end = match.start()
    return text[pos:end], fmt, raw_line, end + 3 + _newline_len(text, end + 3)


def _split_json(text: str, start: int) -> tuple[str, str, int, int] | tuple[int, str]:
    """JSON front matter is the first complete object; a syntax error is reported at its line."""
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as e:
        return e.lineno, f"invalid JSON front matter: {e.msg} (column {e.colno})"
    return text[start:end], "json", text.count("\n", 0, start) + 1, end + _newline_len(text, end)


def _newline_len(text: str, pos: int) -> int:
    return 2 if text.startswith("\r\n", pos) else 1 if text.startswith("\n", pos) else 0


