"""The values that pass from one stage of the pipeline to the next, as plain dataclasses.

read (graph.read) gives `ParsedSource` (one file by itself), `Page` (a page as Hugo sees it) and
`Problem` (a file the build reports); extract (graph.extract) gives an `Extraction` of `Mention`s
and `NewEntity`s, and the relation finder its `Claim`s; build (graph.build.plan) gives each page its
`Translation`s; map (graph.map) turns them all into statements. A stage's own working types stay in
the stage; what crosses a boundary is here, so reading this module tells what each stage hands on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.extract.places import Place
    from graph.extract.text import Prose

#: a date as front matter writes it: a day, or an instant (its timezone as written)
DateValue = dt.datetime | dt.date


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


@dataclass(frozen=True)
class Mention:
    """A span of the source file that refers to an entity."""

    iri: str
    kind: str
    start: int
    end: int
    confidence: float
    method: str
    block: str = "paragraph"
    sentence: tuple[int, int] | None = None


@dataclass
class NewEntity:
    """An entity the vocabulary does not define (edition, place, unknown name): defined in the post's graph."""

    iri: str
    kind: str
    types: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)
    series: str | None = None  # editions: their series
    year: int | None = None
    place: Place | None = None
    repository: str | None = None
    aliases: set[tuple[str, str]] = field(default_factory=set)  # (label, language), e.g. an acronym
    confidence: float = 0.9
    method: str = "vocabulary"


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, NewEntity] = field(default_factory=dict)
    about: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # iri -> kind of every entity referenced
    tag_links: list[tuple[str, str, str]] = field(default_factory=list)  # (taxonomy, term, entity iri)
    prose: Prose | None = None
    claims: list[Claim] = field(default_factory=list)  # the relations the post asserts (graph.extract.relations)

    def referenced(self) -> list[str]:
        return list(dict.fromkeys(m.iri for m in self.mentions))


@dataclass(frozen=True)
class Claim:
    """One relation a post asserts, with the span of the source file that supports it."""

    subject: str
    predicate: str
    object: str  # an IRI, or an ISO date for startDate/endDate
    start: int
    end: int
    confidence: float
    method: str
    literal: bool = False


@dataclass(frozen=True)
class Translation:
    """Another language version of a page; `is_original` marks the default-language version."""

    permalink: str
    lang: str
    is_original: bool
