"""Reading Hugo sites: front matter, config merging, languages, bundles, dates and URLs.

Expected URLs and dates come from running Hugo 0.168 (`hugo list all`, and the alias files in
`public/`) on the same fixture sites; `test_fixture_site_matches_hugo` re-checks them whenever a
`hugo` binary is at hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.model import DateValue, Page, ParsedSource, Problem
from graph.read.cascade import build_options, inherit, parse_cascade
from graph.read.config import PLACEHOLDER_BASE_URL, ConfigError, load_config
from graph.read.front_matter import parse_hugo_date, to_instant
from graph.read.globs import GlobSlice, glob_match
from graph.read.post import parse_source
from graph.read.site import Site, discover_sources, load_site

UTC = dt.UTC


def tz(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def by_path(site: Site) -> dict[str, Page]:
    return {p.rel_path: p for p in site.pages}


def parsed(data: bytes | str, rel: str = "content/x.md") -> ParsedSource:
    result = parse_source(rel, data.encode() if isinstance(data, str) else data)
    assert isinstance(result, ParsedSource), result
    return result


def problem(data: bytes | str, rel: str = "content/x.md") -> Problem:
    result = parse_source(rel, data.encode() if isinstance(data, str) else data)
    assert isinstance(result, Problem), result
    return result


# --- parse_source ----------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "fmt"), [
    ("---\ntitle: Hello\ntags: [a, b]\n---\nThe body.\n", "yaml"),
    ("+++\ntitle = 'Hello'\ntags = ['a', 'b']\n+++\nThe body.\n", "toml"),
    ('{\n  "title": "Hello",\n  "tags": ["a", "b"]\n}\nThe body.\n', "json"),
])
def test_front_matter_formats(source: str, fmt: str) -> None:
    p = parsed(source)
    assert p.format == fmt
    assert p.front_matter == {"title": "Hello", "tags": ["a", "b"]}
    assert p.body == "The body.\n"
    assert p.text[p.body_offset:] == p.body
    assert p.body_line == source.count("\n", 0, source.index("The body")) + 1
    assert p.front_matter_line == 1


def test_bom_is_dropped_and_crlf_kept_so_offsets_match() -> None:
    data = "\ufeff---\r\ntitle: CRLF\r\n---\r\nLine one\r\nLine two\r\n".encode()
    p = parsed(data)
    assert p.front_matter == {"title": "CRLF"}
    assert not p.text.startswith("\ufeff")
    assert p.body == "Line one\r\nLine two\r\n"
    assert p.text[p.body_offset:].startswith("Line one") and p.body_line == 4
    assert p.content_hash == hashlib.sha256(data).hexdigest()


def test_markdown_without_front_matter_is_still_a_page() -> None:
    # Hugo publishes it (no title, no date) silently; we keep the page and warn (non-fatal).
    p = parsed("# Heading\n\nText.\n")
    assert p.front_matter == {} and p.format is None
    assert [(w.line, w.fatal) for w in p.problems] == [(1, False)]
    assert "no front matter" in p.problems[0].reason
    assert p.body == p.text and p.body_offset == 0 and p.body_line == 1


def test_yaml_is_read_like_hugo_and_safely() -> None:
    p = parsed("---\ntitle: yes\nwhen: 10:30\ncount: 017\nratio: 1.5\nflag: true\nnothing: ~\n---\n")
    # YAML 1.2 as in Hugo: yes and 10:30 stay text (PyYAML's YAML 1.1 would say True and 630)
    assert p.front_matter == {"title": "yes", "when": "10:30", "count": 15, "ratio": 1.5, "flag": True,
                              "nothing": None}
    bad = problem("---\ntitle: !!python/object/apply:os.system ['echo hacked']\n---\n")
    assert bad.line == 2 and "constructor" in bad.reason


@pytest.mark.parametrize(("source", "line", "words"), [
    ("---\ntitle: x\ndate: 2025-01-01\ntags: [a, b\nfoo: bar\n---\nbody\n", 5, "invalid YAML front matter"),
    ("\n\n---\ntitle: x\n  bad: indent\n---\nbody\n", 5, "invalid YAML front matter"),
    ("---\ntitle: ok\ndate: 2025-01-01\ntags: [a, b\n---\nbody\n", 4, "column 7"),  # hugo: 4:7
    ("+++\ntitle = 'x'\ndate = \n+++\nbody\n", 3, "invalid TOML front matter"),
    ('{\n"title": "x",\n"date": \n}\nbody\n', 4, "invalid JSON front matter"),
    ("text\n\n---\ntitle: x\n", None, None),  # a thematic break later on is not front matter
    ("---\ntitle: x\n\nbody without a closing line\n", 1, "never closed"),
    ("---\n- a\n- b\n---\nbody\n", 1, "is a list, not a mapping"),
    ("---\njust a string\n---\n", 1, "is a string, not a mapping"),
])
def test_broken_front_matter_points_at_the_line(source: str, line: int | None, words: str | None) -> None:
    result = parse_source("content/broken.md", source.encode())
    if words is None:
        assert isinstance(result, ParsedSource)
        return
    assert isinstance(result, Problem) and result.fatal
    assert (result.path, result.line) == ("content/broken.md", line)
    assert words in result.reason


def test_unreadable_files_get_distinct_messages() -> None:
    latin1 = problem(b"---\ntitle: caf\xe9\n---\n")
    assert latin1.line == 2 and "not UTF-8" in latin1.reason and "byte offset 14" in latin1.reason
    assert "empty file" in problem(b"").reason
    assert "empty file" in problem(b"\n  \n").reason
    binary = problem(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "binary file" in binary.reason and "offset 8" in binary.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-04-18", dt.date(2025, 4, 18)),
    ("'2025-04-18'", dt.date(2025, 4, 18)),
    ("2025-04-18T10:00:00", dt.datetime(2025, 4, 18, 10)),
    ("2025-04-18 10:00:00", dt.datetime(2025, 4, 18, 10)),
    ("2025-04-18   10:00:00", dt.datetime(2025, 4, 18, 10)),
    ("2025-04-18T10:00:00Z", dt.datetime(2025, 4, 18, 10, tzinfo=UTC)),
    ("2025-04-18T10:00:00-06:00", dt.datetime(2025, 4, 18, 10, tzinfo=tz(-6))),
    ("2025-04-18T10:00:00.5+05:30", dt.datetime(2025, 4, 18, 10, 0, 0, 500000, tzinfo=dt.timezone(
        dt.timedelta(hours=5, minutes=30)))),
    ("2025-04-18T10:00:00-0700", dt.datetime(2025, 4, 18, 10, tzinfo=tz(-7))),
    ("2025-04-18 10:00:00 -0700", dt.datetime(2025, 4, 18, 10, tzinfo=tz(-7))),
    ("2025-04-18 10:00:00 -07:00", dt.datetime(2025, 4, 18, 10, tzinfo=tz(-7))),
    ("2025-04-18 10:00:00Z", dt.datetime(2025, 4, 18, 10, tzinfo=UTC)),
    ("18 Apr 2025", dt.date(2025, 4, 18)),
    ("Fri, 18 Apr 2025 10:00:00 +0200", dt.datetime(2025, 4, 18, 10, tzinfo=tz(2))),
    ("20250418", dt.datetime(1970, 8, 23, 9, 6, 58, tzinfo=UTC)),  # a number is Unix seconds
])
def test_dates_are_read_as_hugo_reads_them(text: str, expected: dt.date) -> None:
    p = parsed(f"---\ndate: {text}\n---\n")
    assert p.date == expected and type(p.date) is type(expected)
    if isinstance(expected, dt.datetime):
        assert p.date.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["2025-04-18 10:00", "2025-04-18T10:00", "2025-4-18", "2025-04-18t10:00:00z",
                                  "2025-04-18T10:00:00+01", "next friday", "true"])
def test_dates_hugo_rejects(text: str) -> None:
    bad = problem(f"---\ntitle: x\ndate: {text}\n---\n")
    assert bad.line == 3 and '"date"' in bad.reason


def test_impossible_date_names_the_key_and_line() -> None:
    bad = problem("---\ntitle: x\n\nexpiryDate: 2025-02-30\n---\n")
    assert bad.line == 4 and '"expiryDate"' in bad.reason and "impossible date" in bad.reason
    toml = problem("+++\ntitle = 'x'\npublishDate = '2025-13-01T00:00:00Z'\n+++\n")
    assert toml.line == 3 and '"publishDate"' in toml.reason


def test_hugo_date_chains() -> None:
    only_lastmod = parsed("---\nlastmod: 2024-02-03T04:05:06Z\n---\n")
    stamp = dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert (only_lastmod.date, only_lastmod.publish_date, only_lastmod.lastmod) == (stamp, stamp, stamp)
    only_publish = parsed("---\npublishDate: 2024-02-03\n---\n")
    assert only_publish.date == only_publish.publish_date == only_publish.lastmod == dt.date(2024, 2, 3)
    aliases = parsed("---\ndate: 2024-01-01\npubdate: 2024-02-01\nunpublishdate: 2030-01-01\nmodified: 2024-03-01\n---\n")
    assert aliases.publish_date == dt.date(2024, 2, 1) and aliases.expiry_date == dt.date(2030, 1, 1)
    assert aliases.lastmod == dt.date(2024, 3, 1)
    assert aliases.front_matter["pubdate"] == dt.date(2024, 2, 1)  # date keys hold parsed values
    assert parsed("---\ntitle: x\ndate: ''\n---\n").date is None


def test_to_instant() -> None:
    assert to_instant(dt.date(2025, 4, 18)) == dt.datetime(2025, 4, 18, tzinfo=UTC)
    assert to_instant(dt.datetime(2025, 4, 18, 10), tz(2)) == dt.datetime(2025, 4, 18, 8, tzinfo=UTC)
    assert parse_hugo_date(dt.date(2025, 1, 1)) == dt.date(2025, 1, 1)


# --- load_config -----------------------------------------------------------------------------


def test_config_dir_is_merged_as_hugo_merges_it(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "hugo.toml": 'baseURL = "https://root.example/"\ntitle = "Root"\n',
        "config/_default/hugo.yaml": "baseURL: https://dir.example/\ndefaultContentLanguage: es\n",
        "config/_default/languages.yaml": "en: {weight: 2, languageName: English}\n"
                                          "es: {weight: 1, label: Español}\npt: {weight: 5}\n",
        "config/_default/params.yaml": "baseurl: not-the-site-url\ndescription: x\n",
        "config/_default/permalinks.toml": "blog = '/blog/:year/:title/'\n[term]\nauthors = '/people/:slug/'\n",
        "config/_default/taxonomies.yaml": "tag: tags\nauthor: authors\n",
        "config/_default/menus.es.yaml": "---\nmain: [{name: Blog, url: /blog}]\n---\n",
        "config/production/hugo.toml": "removePathAccents = true\n",
        "config/development/hugo.toml": "baseURL = 'http://localhost:1313/'\n",
    })
    config = load_config(root)
    assert config.base_url == "https://dir.example/"  # config/_default wins over the root file
    assert config.title == "Root"
    assert config.remove_path_accents  # config/production (what `hugo list` uses) wins over _default
    assert list(config.languages) == ["es", "en", "pt"]
    assert config.languages["es"].name == "Español" and config.languages["en"].name == "English"
    assert config.default_language == "es" and not config.default_in_subdir
    assert config.languages["pt"].content_dir == Path("content")
    assert config.permalinks == {"blog": "/blog/:year/:title/"}
    assert config.kind_permalinks["term"] == {"blog": "/blog/:year/:title/", "authors": "/people/:slug/"}
    assert config.taxonomies == {"tag": "tags", "author": "authors"}
    assert config.config_files[0] == "hugo.toml" and "config/production/hugo.toml" in config.config_files
    assert "config/development/hugo.toml" not in config.config_files
    before = config.fingerprint
    (root / "config/_default/params.yaml").write_text("description: changed\n")
    assert load_config(root).fingerprint != before


def test_config_defaults_and_errors(tmp_path: Path) -> None:
    write_site(tmp_path / "a", {"config.yaml": "title: A\n", "content/x.md": "x"})
    config = load_config(tmp_path / "a")
    assert config.base_url == PLACEHOLDER_BASE_URL
    assert config.taxonomies == {"tag": "tags", "category": "categories"}  # Hugo's defaults
    assert list(config.languages) == ["en"] and config.languages["en"].content_dir == Path("content")
    write_site(tmp_path / "b", {"hugo.toml": "title = 'x\n"})
    with pytest.raises(ConfigError, match=r"hugo\.toml"):
        load_config(tmp_path / "b")
    write_site(tmp_path / "c", {"hugo.yaml": "defaultContentLanguage: fr\nlanguages: {en: {weight: 1}}\n"})
    with pytest.raises(ConfigError, match="defaultContentLanguage"):
        load_config(tmp_path / "c")


def test_bare_folder_of_markdown(tmp_path: Path) -> None:
    folder = write_site(tmp_path / "notes", {"a.md": "---\ntitle: A\n---\n", "sub/b.md": "# B\n"})
    site = load_site(folder)
    assert site.config.base_url == PLACEHOLDER_BASE_URL and site.config.default_language == "en"
    assert site.config.languages["en"].content_dir == Path(".")
    assert {p.rel_path: p.permalink for p in site.pages} == {
        "a.md": "https://example.org/a/", "sub/b.md": "https://example.org/sub/b/"}
    # with a content/ folder, that is the content dir (a Hugo site without config)
    site = load_site(write_site(tmp_path / "site", {"content/post.md": "---\ntitle: P\n---\n", "README.md": "x"}))
    assert [p.rel_path for p in site.pages] == ["content/post.md"]


# --- load_site -------------------------------------------------------------------------------

#: A small bilingual site; every URL and date below was printed by Hugo 0.168 for it.
FIXTURE = {
    "hugo.toml": """baseURL = "https://example.org/blog/"
title = "Fixture"
defaultContentLanguage = "en"
[languages.en]
weight = 1
label = "English"
[languages.es]
weight = 2
label = "Español"
[taxonomies]
tag = "tags"
author = "authors"
[permalinks]
posts = "/:year/:month/:title/"
notes = "/n/:slug/"
""",
    "content/_index.md": "---\ntitle: Home\n---\n",
    "content/posts/_index.md": "---\ntitle: Posts\n---\n",
    "content/posts/hello.md": "---\ntitle: \"Ünïcode Tïtle & C++ 100%\"\ndate: 2025-04-18T23:30:00-06:00\n"
                              "tags: [Go, Rust Lang]\nauthors: [ana]\naliases: [/old/hello/, older]\n---\nHello.\n",
    "content/posts/hello.es.md": "---\ntitle: \"¿Qué tal? Año 2025\"\ndate: 2025-04-19\naliases: [/viejo/]\n"
                                 "authors: [ana]\n---\nHola.\n",
    "content/posts/slugged.md": "+++\ntitle = 'Slugged'\nslug = 'My Slug Ñ'\ndate = 2025-01-02T03:04:05+02:00\n+++\n",
    "content/posts/custom.md": '{"title": "Custom", "url": "/Custom/Path/", "date": "2024-06-01"}\n',
    "content/posts/custom.es.md": '{"title": "A medida", "url": "relativo/camino", "date": "2024-06-01"}\n',
    "content/posts/draft.md": "---\ntitle: Draft\ndraft: true\ndate: 2024-01-01\n---\n",
    "content/posts/bundle/index.md": "---\ntitle: Bundle\ndate: 2023-05-06 07:08:09\n---\n",
    "content/posts/bundle/photo.jpg": b"\xff\xd8\xff",
    "content/posts/bundle/notes.md": "---\ntitle: Notes\n---\n",
    "content/authors/ana/_index.md": "---\ntitle: Ana\n---\n",
    "content/authors/ana/_index.es.md": "---\ntitle: Ana\n---\n",
    "content/tags/_index.md": "---\ntitle: Tags\n---\n",
    "content/about.md": "# About\n\nNo front matter.\n",
    "content/notes/n1.md": "---\ntitle: Note\nslug: My Slug Ñ\ndate: 2025-03-01\n---\n",
    "content/misc/s.md": "---\ntitle: Misc\nslug: ' Spaced Slug! '\n---\n",
}
FIXTURE_PERMALINKS = {
    "content/_index.md": "https://example.org/blog/",
    "content/posts/_index.md": "https://example.org/blog/posts/",
    "content/posts/hello.md": "https://example.org/blog/2025/04/%C3%BCn%C3%AFcode-t%C3%AFtle-c-100/",
    "content/posts/hello.es.md": "https://example.org/blog/es/2025/04/qu%C3%A9-tal-a%C3%B1o-2025/",
    "content/posts/slugged.md": "https://example.org/blog/2025/01/slugged/",
    "content/posts/custom.md": "https://example.org/blog/Custom/Path/",
    "content/posts/custom.es.md": "https://example.org/blog/es/relativo/camino/",
    "content/posts/draft.md": "https://example.org/blog/2024/01/draft/",
    "content/posts/bundle/index.md": "https://example.org/blog/2023/05/bundle/",
    "content/authors/ana/_index.md": "https://example.org/blog/authors/ana/",
    "content/authors/ana/_index.es.md": "https://example.org/blog/es/authors/ana/",
    "content/tags/_index.md": "https://example.org/blog/tags/",
    "content/about.md": "https://example.org/blog/about/",
    "content/notes/n1.md": "https://example.org/blog/n/my-slug-%C3%B1/",
    "content/misc/s.md": "https://example.org/blog/misc/spaced-slug/",
}


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", FIXTURE)


def test_fixture_site(fixture_site: Path) -> None:
    seen: list[str] = []
    site = load_site(fixture_site, drafts=True, on_file=seen.append)
    pages = by_path(site)
    assert {rel: p.permalink for rel, p in pages.items()} == FIXTURE_PERMALINKS
    assert sorted(seen) == sorted(FIXTURE_PERMALINKS)  # every page file read once; bundle resources not
    assert [(p.path, p.fatal) for p in site.problems] == [("content/about.md", False)]  # no front matter
    assert dict(site.skipped) == {"content/posts/bundle/notes.md": "inside the leaf bundle content/posts/bundle/: "
                                                                   "Hugo makes it a resource of that page"}
    kinds = {rel: p.kind for rel, p in pages.items()}
    assert kinds["content/_index.md"] == "home" and kinds["content/posts/_index.md"] == "section"
    assert kinds["content/tags/_index.md"] == "taxonomy" and kinds["content/authors/ana/_index.md"] == "term"
    assert kinds["content/posts/bundle/index.md"] == "page"
    hello = pages["content/posts/hello.md"]
    assert hello.lang == "en" and hello.section == "posts" and hello.body == "Hello.\n"
    assert hello.taxonomies == {"tags": ["Go", "Rust Lang"], "authors": ["ana"]}
    assert hello.aliases == ["https://example.org/blog/old/hello/", "https://example.org/blog/2025/04/older/"]
    assert hello.translations == ["content/posts/hello.es.md"] and hello.translation_key == "/posts/hello"
    hola = pages["content/posts/hello.es.md"]
    assert hola.lang == "es" and hola.translations == ["content/posts/hello.md"]
    assert hola.aliases == ["https://example.org/blog/es/viejo/"]  # absolute aliases get the language prefix
    assert pages["content/about.md"].title == "" and pages["content/about.md"].date is None
    bundle = pages["content/posts/bundle/index.md"]
    assert bundle.bundle and bundle.resources == ["content/posts/bundle/notes.md", "content/posts/bundle/photo.jpg"]
    ana = pages["content/authors/ana/_index.md"]
    assert ana.term == ("authors", "ana")


def test_dates_keep_their_zone_and_branches_borrow_them(fixture_site: Path) -> None:
    pages = by_path(load_site(fixture_site, drafts=True))
    assert pages["content/posts/hello.md"].date == dt.datetime(2025, 4, 18, 23, 30, tzinfo=tz(-6))
    assert pages["content/posts/hello.es.md"].date == dt.date(2025, 4, 19)  # date-only stays a date
    # no offset written: the site's timeZone (UTC by default), as Hugo reads it
    assert pages["content/posts/bundle/index.md"].date == dt.datetime(2023, 5, 6, 7, 8, 9, tzinfo=UTC)
    # undated term, section, taxonomy and home pages take the latest date of their pages, per language
    for rel in ("content/authors/ana/_index.md", "content/posts/_index.md", "content/tags/_index.md",
                "content/_index.md"):
        assert pages[rel].date == dt.datetime(2025, 4, 18, 23, 30, tzinfo=tz(-6)), rel
    assert pages["content/authors/ana/_index.es.md"].date == dt.date(2025, 4, 19)


def test_drafts_future_and_expired(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "hugo.toml": "baseURL = 'https://example.org/'\n",
        "content/p/draft.md": "---\ntitle: D\ndraft: true\n---\n",
        "content/p/future.md": "---\ntitle: F\ndate: 2030-01-01\n---\n",
        "content/p/later.md": "---\ntitle: L\ndate: 2020-01-01\npublishDate: 2030-01-01T00:00:00+02:00\n---\n",
        "content/p/expired.md": "---\ntitle: E\nexpiryDate: 2021-01-01\n---\n",
        "content/p/ok.md": "---\ntitle: OK\ndate: 2020-01-01\nexpiryDate: 2030-01-01\n---\n",
        "content/p/headless/index.md": "---\ntitle: H\nheadless: true\n---\n",
    })
    now = dt.datetime(2025, 6, 1, tzinfo=UTC)
    site = load_site(root, now=now)
    assert [p.rel_path for p in site.pages] == ["content/p/ok.md"]
    assert dict(site.skipped) == {
        "content/p/draft.md": "draft", "content/p/future.md": "future publishDate",
        "content/p/later.md": "future publishDate", "content/p/expired.md": "expired",
        "content/p/headless/index.md": "headless / build options render and list never: Hugo neither renders "
                                       "nor lists it"}
    everything = load_site(root, drafts=True, future=True, expired=True, now=now)
    assert len(everything.pages) == 5 and by_path(everything)["content/p/draft.md"].draft
    assert len(load_site(root, now=dt.datetime(2035, 1, 1, tzinfo=UTC), future=True, expired=True).pages) == 4


def test_duplicate_files_for_one_page(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "hugo.yaml": "baseURL: https://example.org/\ndefaultContentLanguage: pt\n"
                     "languages: {pt: {weight: 1}, en: {weight: 2}}\n",
        "content/about/index.md": "---\ntitle: sem sufixo\n---\n",
        "content/about/index.pt.md": "---\ntitle: com sufixo\n---\n",
        "content/about/index.en.md": "---\ntitle: About\n---\n",
        "content/only.md": "---\ntitle: Só\n---\n",
    })
    site = load_site(root)
    pages = by_path(site)
    # the same page and language twice: Hugo uses the file whose name states the language
    assert pages["content/about/index.pt.md"].title == "com sufixo"
    assert dict(site.skipped)["content/about/index.md"] == (
        "duplicate of content/about/index.pt.md: Hugo uses content/about/index.pt.md")
    assert pages["content/only.md"].lang == "pt" and pages["content/only.md"].permalink == "https://example.org/only/"
    assert pages["content/about/index.en.md"].permalink == "https://example.org/en/about/"
    assert pages["content/about/index.en.md"].translations == ["content/about/index.pt.md"]


LANGUAGE_DIRS = {
    "hugo.toml": """baseURL = "https://example.org/"
defaultContentLanguage = "de"
defaultContentLanguageInSubdir = true
[languages.de]
weight = 1
contentDir = "content/de"
[languages.fr]
weight = 2
contentDir = "content/fr"
""",
        "content/de/posts/Über Uns.md": "---\ntitle: Über uns\n---\n",
        "content/fr/posts/Über Uns.md": "---\ntitle: À propos\n---\n",
        "content/de/posts/hallo.md": "---\ntitle: Hallo\ntranslationKey: greeting\n---\n",
        "content/fr/posts/salut.md": "---\ntitle: Salut\ntranslationKey: greeting\n---\n",
        "content/fr/posts/seul.de.md": "---\ntitle: Nur Deutsch\n---\n",  # the suffix wins over the dir
}


def test_language_content_dirs_and_translation_keys(tmp_path: Path) -> None:
    root = write_site(tmp_path, LANGUAGE_DIRS)
    pages = by_path(load_site(root))
    ueber = pages["content/de/posts/Über Uns.md"]
    assert ueber.lang == "de" and ueber.permalink == "https://example.org/de/posts/%C3%BCber-uns/"
    assert ueber.translations == ["content/fr/posts/Über Uns.md"]
    assert pages["content/fr/posts/Über Uns.md"].permalink == "https://example.org/fr/posts/%C3%BCber-uns/"
    assert pages["content/de/posts/hallo.md"].translations == ["content/fr/posts/salut.md"]
    assert pages["content/fr/posts/salut.md"].translation_key == "greeting"
    assert pages["content/fr/posts/seul.de.md"].lang == "de"
    sources = discover_sources(load_config(root))
    assert ("content/fr/posts/salut.md", "fr") in {(rel, lang) for rel, lang, _ in sources}


URL_RULES = {
    "hugo.toml": """baseURL = "https://example.org/"
removePathAccents = true
disablePathToLower = true
[permalinks]
t = "/:year/:monthname/:day/:title/"
s = "/x/:slug/"
f = "/:section/:filename/:weekday-:yearday/"
""",
        "content/t/a.md": "---\ntitle: 'C# and C++ ~ @home 50% (x) [y] a/b 😀 日本語'\ndate: 2025-03-05T23:00:00-05:00\n---\n",
        "content/s/b.md": "---\ntitle: B\nslug: ' -Ünï Cöde- '\n---\n",
        "content/s/c.md": "---\ntitle: C\nslug: 'a+b=c'\n---\n",
        "content/f/Mÿ Fílé.md": "---\ntitle: F\ndate: 2025-03-05\n---\n",
        "content/Plain Dir/x (1).md": "---\ntitle: P\n---\n",
        "content/Plain Dir/u.md": "---\ntitle: U\nurl: '/a b/c!d/É'\n---\n",
}


def test_url_rules(tmp_path: Path) -> None:
    links = {p.rel_path: p.permalink for p in load_site(write_site(tmp_path, URL_RULES)).pages}
    assert links == {  # all printed by hugo 0.168 for this site
        "content/t/a.md": "https://example.org/2025/March/05/C%23-and-C-~-@home-50-x-y-a-b-%E6%97%A5%E6%9C%AC%E8%AA%9E/",
        "content/s/b.md": "https://example.org/x/-Uni-Code-/",
        "content/s/c.md": "https://example.org/x/a-bc/",
        "content/f/Mÿ Fílé.md": "https://example.org/f/My-File/3-64/",
        "content/Plain Dir/x (1).md": "https://example.org/Plain-Dir/x-1/",
        "content/Plain Dir/u.md": "https://example.org/a%20b/c%21d/%C3%89/",
    }


def test_problems_do_not_stop_the_site(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "hugo.toml": "baseURL = 'https://example.org/'\n",
        "content/good.md": "---\ntitle: Good\n---\n",
        "content/broken.md": "---\ntitle: Broken\ntags: [a, b\n---\n",
        "content/latin1.md": b"---\ntitle: caf\xe9\n---\n",
        "content/empty.md": b"",
        "content/image.md": b"\x89PNG\r\n\x1a\n\x00",
        "content/baddate.md": "---\ntitle: x\ndate: 2025-02-30\n---\n",
        "content/.hidden.md": "---\ntitle: Hidden\n---\n",
        "content/backup.md~": "---\ntitle: Backup\n---\n",
    })
    site = load_site(root)
    assert [p.rel_path for p in site.pages] == ["content/good.md"]
    found = {p.path: p for p in site.problems}
    assert set(found) == {"content/broken.md", "content/latin1.md", "content/empty.md", "content/image.md",
                          "content/baddate.md"}
    assert all(p.fatal for p in site.problems)
    assert found["content/broken.md"].line == 3  # where the unclosed `[` opens, as Hugo reports it
    assert found["content/baddate.md"].line == 3 and '"date"' in found["content/baddate.md"].reason
    assert str(found["content/latin1.md"]).startswith("content/latin1.md:2: not UTF-8")


def test_custom_reader_and_symlinks(tmp_path: Path) -> None:
    outside = write_site(tmp_path / "elsewhere", {"secret.md": "---\ntitle: Secret\n---\n"})
    root = write_site(tmp_path / "site", {"hugo.toml": "", "content/a.md": "---\ntitle: A\n---\n",
                                          "shared/b.md": "---\ntitle: B\n---\n"})
    try:
        os.symlink(outside, root / "content" / "linked-out")
        os.symlink(root / "shared", root / "content" / "linked-in")
    except OSError:
        pytest.skip("symlinks are not available here")
    calls: list[str] = []

    def read(rel: str, data: bytes) -> ParsedSource | Problem:
        calls.append(rel)
        return parse_source(rel, data)

    site = load_site(root, read=read)
    assert sorted(p.rel_path for p in site.pages) == ["content/a.md", "content/linked-in/b.md"]
    assert sorted(calls) == ["content/a.md", "content/linked-in/b.md"]
    assert dict(site.skipped) == {"content/linked-out": "symlink to a place outside the site: not followed"}
    assert all(path.resolve().is_relative_to(root.resolve()) for _, _, path in discover_sources(site.config))


# --- content mounts --------------------------------------------------------------------------

#: module.mounts with the 0.153+ keys; every URL below was printed by Hugo 0.168 for this site.
MOUNTS = {
    "hugo.toml": """baseURL = "https://example.org/docs/"
defaultContentLanguage = "en"
[languages.en]
weight = 1
[languages.de]
weight = 2
[languages.fr]
weight = 3
[[module.mounts]]
source = "posts/en"
target = "content/blog"
files = ["! drafts", "! *.tmp.md", "**"]
[[module.mounts]]
source = "posts/de"
target = "content/blog"
[module.mounts.sites.matrix]
languages = ["de"]
[[module.mounts]]
source = "shared"
target = "content/shared"
files = ["*.md", "! **"]
[module.mounts.sites.matrix]
languages = ["! fr", "**"]
[[module.mounts]]
source = "README.md"
target = "content/_index.md"
""",
    "README.md": "---\ntitle: Home from README\n---\n",
    "content/ignored.md": "---\ntitle: not mounted\n---\n",
    "posts/en/hello.md": "---\ntitle: Hello\ndate: 2025-01-02\n---\n",
    "posts/en/only-en.md": "---\ntitle: Only EN\n---\n",
    "posts/en/stated.de.md": "---\ntitle: Stated DE\n---\n",
    "posts/en/notes.tmp.md": "---\ntitle: tmp\n---\n",
    "posts/en/drafts/wip.md": "---\ntitle: WIP\n---\n",
    "posts/de/hello.md": "---\ntitle: Hallo\ndate: 2025-01-03\n---\n",
    "posts/en/bundle/index.md": "---\ntitle: Bundle\n---\n",
    "posts/de/bundle/extra.md": "---\ntitle: resource from another mount\n---\n",
    "shared/common.md": "---\ntitle: Common\n---\n",
    "shared/img.png": "png",
}


def links(site: Site) -> dict[tuple[str, str], str]:
    return {(p.rel_path, p.lang): p.permalink for p in site.pages}


def test_module_mounts(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, MOUNTS))
    assert links(site) == {
        ("README.md", "en"): "https://example.org/docs/",  # a single file mounted as the home page
        ("posts/en/hello.md", "en"): "https://example.org/docs/blog/hello/",
        ("posts/de/hello.md", "de"): "https://example.org/docs/de/blog/hello/",
        ("posts/en/only-en.md", "en"): "https://example.org/docs/blog/only-en/",
        # a language suffix wins over the mount's languages
        ("posts/en/stated.de.md", "de"): "https://example.org/docs/de/blog/stated/",
        ("posts/en/bundle/index.md", "en"): "https://example.org/docs/blog/bundle/",
        # one file, two languages: sites.matrix.languages ["! fr", "**"]
        ("shared/common.md", "en"): "https://example.org/docs/shared/common/",
        ("shared/common.md", "de"): "https://example.org/docs/de/shared/common/",
    }
    # content/ is not mounted once a mount targets content; `files` dropped the rest
    assert not {"content/ignored.md", "posts/en/notes.tmp.md", "posts/en/drafts/wip.md"} & {
        rel for rel, _, _ in discover_sources(site.config)}
    # bundles are folders of the content tree, whichever mount a file comes from
    assert dict(site.skipped) == {"posts/de/bundle/extra.md": "inside the leaf bundle posts/en/bundle/: "
                                                              "Hugo makes it a resource of that page"}
    pages = {(p.rel_path, p.lang): p for p in site.pages}
    assert pages["posts/en/bundle/index.md", "en"].resources == ["posts/de/bundle/extra.md"]
    # translations are pages at the same place of the content tree, across mounts
    assert pages["posts/en/hello.md", "en"].translations == ["posts/de/hello.md"]
    assert pages["shared/common.md", "de"].section == "shared"


def test_legacy_mount_keys(tmp_path: Path) -> None:
    """`lang`, `includeFiles` and `excludeFiles` (before Hugo 0.153; 0.168 refuses them) are read
    as older Hugo read them: these URLs are what Hugo 0.152 printed."""
    root = write_site(tmp_path, {
        "hugo.toml": """baseURL = "https://example.org/"
[languages.en]
weight = 1
[languages.de]
weight = 2
[[module.mounts]]
source = "content/en"
target = "content"
lang = "en"
excludeFiles = ["blog/skip*.md"]
[[module.mounts]]
source = "content/de"
target = "content"
lang = "de"
[[module.mounts]]
source = "other"
target = "content/extra"
includeFiles = "x/**"
""",
        **{f: f"---\ntitle: {f}\n---\n" for f in (
            "content/en/blog/a.md", "content/en/blog/skip1.md", "content/de/blog/a.md", "content/de/blog/b.en.md",
            "other/x/o.md", "other/y.md", "content/en/blog/c.de.md")},
    })
    assert links(load_site(root)) == {
        ("content/de/blog/a.md", "de"): "https://example.org/de/blog/a/",
        ("content/de/blog/b.en.md", "en"): "https://example.org/blog/b/",
        ("content/en/blog/a.md", "en"): "https://example.org/blog/a/",
        ("content/en/blog/c.de.md", "de"): "https://example.org/de/blog/c/",
        ("other/x/o.md", "en"): "https://example.org/extra/x/o/",
    }


def test_the_first_mount_wins_a_page(tmp_path: Path) -> None:
    root = write_site(tmp_path, {
        "hugo.toml": """baseURL = "https://example.org/"
[languages.en]
weight = 1
[languages.de]
weight = 2
[[module.mounts]]
source = "a"
target = "content"
sites.matrix.languages = ["en", "de"]
[[module.mounts]]
source = "b"
target = "content"
sites.matrix.languages = ["de"]
""",
        "a/one.md": "---\ntitle: a-one\n---\n", "b/one.de.md": "---\ntitle: b-one-de\n---\n",
        "a/two.md": "---\ntitle: a-two\n---\n", "a/two.de.md": "---\ntitle: a-two-de\n---\n",
    })
    site = load_site(root)
    # English content fills the gaps of the German site; within one mount, the stated language wins
    assert {(p.rel_path, p.lang) for p in site.pages} == {
        ("a/one.md", "en"), ("a/one.md", "de"), ("a/two.md", "en"), ("a/two.de.md", "de")}
    assert dict(site.skipped) == {"b/one.de.md": "duplicate of a/one.md: Hugo uses a/one.md",
                                  "a/two.md": "duplicate of a/two.de.md in 'de': Hugo uses a/two.de.md"}


FRONT_MATTER_SITES = {
    "hugo.toml": "baseURL = 'https://example.org/'\n[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n"
                 "[languages.fr]\nweight = 3\n",
    "content/a.md": "---\ntitle: a\nsites:\n  matrix:\n    languages: ['**']\n---\n",
    "content/b.de.md": "---\ntitle: b\nsites:\n  matrix:\n    languages: ['en', 'fr']\n---\n",
    "content/c.md": "---\ntitle: c\nsites:\n  matrix:\n    languages: ['! en', '**']\n---\n",
    "content/c.fr.md": "---\ntitle: c fr\n---\n",
}


def test_front_matter_sites_name_the_languages(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, FRONT_MATTER_SITES))
    # Hugo 0.153+: a page's own sites.matrix.languages wins over its suffix and its mount
    assert sorted((p.rel_path, p.lang) for p in site.pages) == [
        ("content/a.md", "de"), ("content/a.md", "en"), ("content/a.md", "fr"), ("content/b.de.md", "en"),
        ("content/b.de.md", "fr"), ("content/c.fr.md", "fr"), ("content/c.md", "de")]


def test_mount_outside_the_site_is_not_read(tmp_path: Path) -> None:
    write_site(tmp_path / "elsewhere", {"secret.md": "---\ntitle: Secret\n---\n"})
    root = write_site(tmp_path / "site", {
        "hugo.yaml": "module:\n  mounts:\n    - {source: ../elsewhere, target: content}\n"
                     "    - {source: content, target: content}\n",
        "content/a.md": "---\ntitle: A\n---\n",
    })
    site = load_site(root)
    assert [p.rel_path for p in site.pages] == ["content/a.md"]
    assert dict(site.skipped) == {"../elsewhere": "content mount outside the site: not read"}


#: Nested language content dirs are each mounted, and both mounts read the inner files (Hugo 0.168).
NESTED_DIRS = {
    "hugo.toml": """baseURL = "https://example.org/"
defaultContentLanguage = "de"
[languages.en]
weight = 1
contentDir = "content/en"
[languages.de]
weight = 2
[languages.fr]
weight = 3
""",
    "content/en/a.md": "---\ntitle: A en\n---\n",
    "content/a.md": "---\ntitle: A de\n---\n",
    "content/b.fr.md": "---\ntitle: B fr\n---\n",
}


def test_nested_content_dirs(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, NESTED_DIRS))
    assert [m.source for m in site.config.mounts] == ["content", "content/en"]  # the default language first
    assert links(site)["content/en/a.md", "de"] == "https://example.org/en/a/"
    assert sorted((p.rel_path, p.lang, p.section) for p in site.pages) == [
        ("content/a.md", "de", ""), ("content/b.fr.md", "fr", ""),
        ("content/en/a.md", "de", "en"),  # de page at /en/a, from the content/ mount
        ("content/en/a.md", "en", "")]


def test_glob_slices() -> None:
    files = GlobSlice.parse(["! docs/*", "**/*.md"])
    assert not files.matches("docs/a.md") and files.first_match("docs/sub") is False  # the folder is dropped
    assert files.matches("x/y/z.MD") and not files.matches("top.md")  # `**/` needs a folder; case ignored
    assert GlobSlice.parse(["**", "! docs/*.md"]).matches("docs/a.md")  # the first match decides
    assert GlobSlice.parse(["! fr"]).select(["en", "fr", "de"]) == ("en", "de")
    assert glob_match("{/books,/books/**}", "/books/a/b") and not glob_match("/books/*", "/books/a/b")
    assert glob_match("t?p.[a-m]d", "top.md") and not glob_match("[!t]op.md", "top.md")
    with pytest.raises(ValueError, match="unclosed"):
        GlobSlice.parse(["{a,b"])


# --- cascade and build options ---------------------------------------------------------------

#: Hugo 0.168 printed the same pages, URLs, titles, drafts and dates for this site.
CASCADE = {
    "hugo.toml": """baseURL = "https://example.org/"
[languages.en]
weight = 1
[languages.de]
weight = 2
[languages.de.cascade]
slug = "von-sprache"
[languages.de.cascade.target]
kind = "page"
[cascade]
title = "From config"
draft = true
[cascade.target]
path = "/news/**"
""",
    "content/_index.md": "---\ntitle: Home\ncascade:\n  draft: false\n  target:\n    path: '/news/**'\n---\n",
    "content/news/_index.md": "---\ntitle: News\ncascade:\n  date: 2024-05-06\n  expiryDate: 2030-01-01\n"
                              "  tags: [cascaded]\n  build:\n    list: never\n  target:\n    kind: page\n---\n",
    "content/news/a.md": "---\ntitle: A\n---\n",
    "content/news/b.md": "---\ndate: 2025-01-01\nbuild:\n  render: link\n---\n",
    "content/news/a.de.md": "---\ntitle: A de\nbuild: {list: always}\n---\n",
    "content/news/sub/_index.md": "---\ntitle: Sub\ncascade:\n  - title: Nearer\n    build: {list: always}\n"
                                  "    target: {kind: page}\n---\n",
    "content/news/sub/c.md": "---\nslug: own\n---\n",
    "content/docs/_index.md": "---\ntitle: Docs\ncascade:\n  headless: true\n  target:\n"
                              "    path: '{/docs/hidden,/docs/hidden/**}'\n---\n",
    "content/docs/hidden/_index.md": "---\ntitle: Hidden\n---\n",
    "content/docs/hidden/p.md": "---\ntitle: P\n---\n",
    "content/docs/shown.md": "---\ntitle: Shown\n---\n",
    "content/docs/only-de.de.md": "---\ntitle: Nur DE\ncascade:\n  title: ignored, not a branch\n---\n",
}


def test_cascade(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, CASCADE), drafts=True)
    pages = by_path(site)
    b, c = pages["content/news/b.md"], pages["content/news/sub/c.md"]
    # the home page's cascade (en only) is nearer than the config's: draft false; title from config
    assert (b.title, b.draft, b.date, b.expiry_date) == ("From config", False, dt.date(2025, 1, 1), dt.date(2030, 1, 1))
    assert b.taxonomies == {"tags": ["cascaded"]} and b.front_matter["tags"] == ["cascaded"]
    # a nearer cascade wins key by key; the farther one still gives the keys it alone has
    assert (c.title, c.date, c.slug, c.permalink) == ("Nearer", dt.date(2024, 5, 6), "own",
                                                      "https://example.org/news/sub/own/")
    # German pages get the language's cascade, and the config's (the home page's is English)
    de = pages["content/news/a.de.md"]
    assert (de.slug, de.draft, de.permalink) == ("von-sprache", True, "https://example.org/de/news/von-sprache/")
    assert pages["content/docs/only-de.de.md"].title == "Nur DE"  # a regular page's cascade goes nowhere
    skipped = dict(site.skipped)
    # its own `build` map replaces the cascaded one whole, so a.de.md and c.md are listed, a.md is not
    assert skipped["content/news/a.md"].startswith("build.list never")
    assert skipped["content/docs/hidden/_index.md"].startswith("headless")  # a branch targets itself too
    assert skipped["content/docs/hidden/p.md"].startswith("headless")
    assert pages["content/news/sub/_index.md"].date == dt.date(2024, 5, 6)  # from c.md's cascaded date


def test_cascade_rules_and_targets() -> None:
    rules = parse_cascade([{"title": "T", "target": {"path": "{/a,/a/**}", "kind": "page"}},
                           {"_target": {"lang": "{en,de}", "environment": "production"}, "Slug": "s", "title": "U"},
                           {"sites": {"matrix": {}}, "target": {"sites": {"matrix": {"languages": ["! fr"]}}},
                            "draft": True}])
    assert [r.values for r in rules] == [(("title", "T"),), (("Slug", "s"), ("title", "U")),
                                         (("sites", {"matrix": {}}), ("draft", True))]
    page = {"path": "/a/x", "kind": "page", "lang": "en", "environment": "production"}
    # nearest rule first; a key the page has, or a nearer rule gave, is not replaced
    assert inherit({"SLUG": "own"}, list(rules), **page) == {"title": "T", "sites": {"matrix": {}}, "draft": True}
    assert inherit({}, list(rules), **{**page, "lang": "fr", "environment": "development"}) == {"title": "T"}
    assert inherit({}, list(rules), **{**page, "path": "/b", "kind": "section"}) == {
        "Slug": "s", "title": "U", "sites": {"matrix": {}}, "draft": True}
    assert parse_cascade("not a map") == ()


@pytest.mark.parametrize(("front_matter", "options"), [
    ({}, ("always", "always")), ({"headless": True}, ("never", "never")),
    ({"build": {"render": "link", "list": "local"}}, ("link", "local")),
    ({"Build": {"Render": "Never"}}, ("never", "always")),
    ({"_build": {"render": False, "list": True}}, ("never", "always")),  # before Hugo 0.145
    ({"build": {"list": "sometimes"}}, ("always", "always")),
])
def test_build_option_values(front_matter: dict[str, object], options: tuple[str, str]) -> None:
    assert build_options(front_matter) == options


BUILD = {
    "hugo.toml": "baseURL = 'https://example.org/'\n",
    "content/a/leaf/index.md": "---\ntitle: Leaf\nheadless: true\n---\n",
    "content/a/leaf/inner.md": "---\ntitle: resource\n---\n",
    "content/a/never.md": "---\ntitle: Never\nbuild:\n  render: never\n---\n",
    "content/a/unlisted.md": "---\ntitle: Unlisted\nbuild:\n  list: never\n---\n",
    "content/a/local.md": "---\ntitle: Local\nbuild:\n  list: local\n---\n",
    "content/a/link.md": "---\ntitle: Link\nbuild:\n  render: link\n  publishResources: false\n---\n",
    "content/b/_index.md": "---\ntitle: B\nheadless: true\n---\n",
    "content/b/child.md": "---\ntitle: Child of a headless section\n---\n",
}


def test_build_options(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**BUILD, "content/a/old.md": "---\ntitle: Old\n_build:\n  render: false\n---\n",
                                 "content/a/old2.md": "---\ntitle: Old2\n_build: {list: false}\n---\n"})
    site = load_site(root)
    # `hugo list all` prints link.md and child.md with their URLs, never.md without one; the rest not at all
    assert sorted(p.rel_path for p in site.pages) == ["content/a/link.md", "content/b/child.md"]
    reasons = {rel: reason.split(":")[0] for rel, reason in site.skipped}
    assert reasons == {
        "content/a/leaf/index.md": "headless / build options render and list never",
        "content/a/leaf/inner.md": "inside the leaf bundle content/a/leaf/",
        "content/a/never.md": "build.render never", "content/a/old.md": "build.render never",
        "content/a/unlisted.md": "build.list never", "content/a/old2.md": "build.list never",
        "content/a/local.md": "build.list local", "content/b/_index.md": "headless / build options render and list never",
    }


DISABLED_KINDS = {
    "hugo.toml": "baseURL = 'https://example.org/'\ndisableKinds = ['Taxonomy', 'term', 'section', 'RSS']\n",
    "content/_index.md": "---\ntitle: Home\n---\n",
    "content/tags/_index.md": "---\ntitle: Tags\n---\n",
    "content/tags/go/_index.md": "---\ntitle: Go\n---\n",
    "content/blog/_index.md": "---\ntitle: Blog\nslug: bl\n---\n",
    "content/blog/a.md": "---\ntitle: A\ntags: [go]\n---\n",
}


def test_disabled_kinds(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, DISABLED_KINDS))
    # a disabled section makes no page, but its slug is still in the URLs below it
    assert {p.rel_path: p.permalink for p in site.pages} == {"content/_index.md": "https://example.org/",
                                                            "content/blog/a.md": "https://example.org/bl/a/"}
    assert dict(site.skipped) == {
        "content/blog/_index.md": "disableKinds has 'section': Hugo makes no page of this kind",
        "content/tags/_index.md": "disableKinds has 'taxonomy': Hugo makes no page of this kind",
        "content/tags/go/_index.md": "disableKinds has 'term': Hugo makes no page of this kind"}


# --- URLs ------------------------------------------------------------------------------------

#: Hugo 0.168 puts section slugs in the URLs below them (0.152 ignored a section's slug).
SLUGS = {
    "hugo.toml": """baseURL = "https://example.org/"
[permalinks.page]
p = "/:sectionslugs/:sections[1:]/:sectionslug/:slug/"
[permalinks.section]
p = "/sec/:sectionslugs[last]/"
""",
    "content/s/_index.md": "---\ntitle: S\nslug: Über Slug\n---\n",
    "content/s/a.md": "---\ntitle: A\n---\n",
    "content/s/sub/_index.md": "---\ntitle: Sub\nslug: subslug\ndraft: true\n---\n",
    "content/s/sub/b.md": "---\ntitle: B\nslug: bslug\n---\n",
    "content/s/sub/leaf/index.md": "---\ntitle: Leaf\n---\n",
    "content/s/nosec/c.md": "---\ntitle: C\n---\n",
    "content/u/_index.md": "---\ntitle: U\nurl: /elsewhere/\n---\n",
    "content/u/d.md": "---\ntitle: D\n---\n",
    "content/tags/_index.md": "---\ntitle: Tags\nslug: topics\n---\n",
    "content/tags/go/_index.md": "---\ntitle: Go\nslug: golang\n---\n",
    "content/p/_index.md": "---\ntitle: P Title\n---\n",
    "content/p/q/_index.md": "---\ntitle: Q Title\nslug: qslug\n---\n",
    "content/p/q/e.md": "---\ntitle: E\n---\n",
}


def test_section_slugs_shape_the_urls_below_them(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, SLUGS))  # drafts left out: s/sub's slug still counts
    assert {p.rel_path: p.permalink for p in site.pages} == {
        "content/s/_index.md": "https://example.org/%C3%BCber-slug/",
        "content/s/a.md": "https://example.org/%C3%BCber-slug/a/",
        "content/s/nosec/c.md": "https://example.org/%C3%BCber-slug/nosec/c/",
        "content/s/sub/b.md": "https://example.org/%C3%BCber-slug/subslug/bslug/",
        "content/s/sub/leaf/index.md": "https://example.org/%C3%BCber-slug/subslug/leaf/",
        "content/u/_index.md": "https://example.org/elsewhere/",
        "content/u/d.md": "https://example.org/u/d/",  # a section's `url` is its own
        "content/tags/_index.md": "https://example.org/topics/",
        "content/tags/go/_index.md": "https://example.org/topics/golang/",
        # :sectionslug(s): slug, else title; :sections: folder names
        "content/p/_index.md": "https://example.org/sec/p-title/",
        "content/p/q/_index.md": "https://example.org/sec/qslug/",
        "content/p/q/e.md": "https://example.org/p-title/qslug/q/p-title/e/",
    }


PERMALINKS = {
    "hugo.toml": """baseURL = "https://example.org/"
[languages.en]
weight = 1
[languages.de]
weight = 2
[languages.de.permalinks.page]
b = "/artikel/:slug/"
[permalinks.page]
b = "/x/:slug/"
c = "/cc/:slug/"
""",
    "content/b/p.md": "---\ntitle: P\n---\n",
    "content/b/p.de.md": "---\ntitle: PD\n---\n",
    "content/c/q.md": "---\ntitle: Q\n---\n",
    "content/c/q.de.md": "---\ntitle: QD\n---\n",
}
PERMALINK_LIST = {
    "hugo.toml": """baseURL = "https://example.org/"
[languages.en]
weight = 1
[languages.de]
weight = 2
[[permalinks]]
pattern = "/x/:slug/"
[permalinks.target]
path = "{/b/**}"
[permalinks.target.sites.matrix]
languages = ["en"]
[[permalinks]]
pattern = "/any/:section/:slug/"
""",
    "content/_index.md": "---\ntitle: Home\n---\n",
    "content/b/_index.md": "---\ntitle: B\n---\n",
    "content/b/p.md": "---\ntitle: P\n---\n",
    "content/b/p.de.md": "---\ntitle: PD\n---\n",
    "content/c/q.md": "---\ntitle: Q\n---\n",
}


def test_language_permalinks_replace_the_sites(tmp_path: Path) -> None:
    assert {p.rel_path: p.permalink for p in load_site(write_site(tmp_path, PERMALINKS)).pages} == {
        "content/b/p.md": "https://example.org/x/p/", "content/b/p.de.md": "https://example.org/de/artikel/pd/",
        "content/c/q.md": "https://example.org/cc/q/", "content/c/q.de.md": "https://example.org/de/c/q/"}


def test_permalinks_list_form(tmp_path: Path) -> None:
    # the first entry whose target matches; without a target, every page (the home page too)
    assert {p.rel_path: p.permalink for p in load_site(write_site(tmp_path, PERMALINK_LIST)).pages} == {
        "content/_index.md": "https://example.org/any/home/", "content/b/_index.md": "https://example.org/any/b/b/",
        "content/b/p.md": "https://example.org/x/p/", "content/b/p.de.md": "https://example.org/de/any/b/pd/",
        "content/c/q.md": "https://example.org/any/c/q/"}


@pytest.mark.parametrize(("base", "expected"), [
    ("/", "https://example.org/de/blog/x/"), ("/sub", "https://example.org/sub/de/blog/x/"),
    ("//cdn.example/x/", "https://cdn.example/x/de/blog/x/"), ("", "https://example.org/de/blog/x/")])
def test_relative_base_url(tmp_path: Path, base: str, expected: str) -> None:
    """Hugo prints relative URLs for a relative baseURL ("/de/blog/x/"); postgraph keeps Hugo's path
    and puts it under the placeholder host, since RDF needs absolute IRIs."""
    root = write_site(tmp_path, {
        "hugo.yaml": f"baseURL: '{base}'\nlanguages: {{en: {{weight: 1}}, de: {{weight: 2}}}}\n",
        "content/blog/x.de.md": "---\ntitle: X\naliases: [/alt/]\n---\n"})
    page = load_site(root).pages[0]
    assert page.permalink == expected  # `hugo list`'s path, made absolute
    assert page.aliases == [expected.replace("/blog/x/", "/alt/")]


#: Several rules at once, as a real multilingual site combines them (checked with hugo 0.168).
MIXED = {
    "hugo.yaml": """baseURL: https://example.org/site/
defaultContentLanguage: es
defaultContentLanguageInSubdir: true
languages:
  es: {weight: 1}
  en: {weight: 2}
  pt: {weight: 3, disabled: true}
permalinks:
  page:
    blog: /:sections/:year/:slug/
module:
  mounts:
    - source: content/es
      target: content
      sites: {matrix: {languages: [es]}}
    - source: content/en
      target: content
      sites: {matrix: {languages: [en]}}
    - source: content/pt
      target: content
      sites: {matrix: {languages: [pt]}}
    - source: content/es/blog/shared
      target: content/blog/shared
      sites: {matrix: {languages: [en]}}
""",
    "content/es/_index.md": "---\ntitle: Inicio\ncascade:\n  - slug: desde-inicio\n    target: {path: '/blog/eventos/**', kind: page}\n---\n",
    "content/es/blog/_index.md": "---\ntitle: Blog\nslug: bitácora\n---\n",
    "content/es/blog/eventos/_index.md": "---\ntitle: Eventos\n---\n",
    "content/es/blog/eventos/kubecon.md": "---\ntitle: KubeCon\ndate: 2025-03-01T10:00:00-06:00\ntranslationKey: kc\n---\n",
    "content/en/blog/events/kubecon-en.md": "---\ntitle: KubeCon EN\ndate: 2025-03-01\ntranslationKey: kc\n---\n",
    "content/en/blog/_index.md": "---\ntitle: Blog EN\n---\n",
    "content/es/blog/shared/comun.md": "---\ntitle: Común\ndate: 2024-02-02\n---\n",
    "content/pt/blog/x.md": "---\ntitle: PT\n---\n",
    "content/es/blog/borrador.md": "---\ntitle: Borrador\ndraft: true\npublishDate: 2099-01-01\n---\n",
}


def test_rules_combined(tmp_path: Path) -> None:
    site = load_site(write_site(tmp_path, MIXED))
    pages = {(p.rel_path, p.lang): p for p in site.pages}
    kubecon = pages["content/es/blog/eventos/kubecon.md", "es"]
    # the home page's cascade gives the slug; :sections are folder names, not slugs
    assert kubecon.permalink == "https://example.org/site/es/blog/eventos/2025/desde-inicio/"
    assert kubecon.translations == ["content/en/blog/events/kubecon-en.md"]
    # a Spanish folder mounted again for English: one file, two pages
    assert {lang for rel, lang in pages if rel == "content/es/blog/shared/comun.md"} == {"es", "en"}
    assert pages["content/es/blog/_index.md", "es"].permalink == "https://example.org/site/es/bit%C3%A1cora/"
    assert dict(site.skipped) == {"content/es/blog/borrador.md": "draft", "content/pt/blog/x.md": "language 'pt' is disabled"}


# --- which config files ----------------------------------------------------------------------

CONFIG_ORDER = {
    "hugo.toml": "baseURL = 'https://root.example/'\ntitle = 'Root'\n[permalinks.page]\np = '/root/:slug/'\n",
    "config.toml": "baseURL = 'https://hidden.example/'\nuglyURLs = true\n",
    "config/_default/params.toml": "x = 1\n",
    "config/_default/nested/permalinks.toml": "[page]\np = '/nested/:slug/'\n",
    "content/p/a.md": "---\ntitle: A\n---\n",
}


def test_config_files_in_hugos_order(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**CONFIG_ORDER, "a.toml": "baseURL = 'https://a.example/'\ntitle = 'A'\n",
                                 "b.toml": "baseURL = 'https://b.example/'\n"})
    site = load_site(root)
    # hugo.toml hides config.toml; config/_default (read recursively) wins over it
    assert site.config.config_files == ["hugo.toml", "config/_default/nested/permalinks.toml",
                                        "config/_default/params.toml"]
    assert [p.permalink for p in site.pages] == ["https://root.example/nested/a/"]
    # like `hugo --config a.toml,b.toml`: instead of the root file, the later one winning
    config = load_site(root, config_files=["a.toml", "b.toml"]).config
    assert (config.base_url, config.title, config.config_files[:2]) == ("https://b.example/", "A", ["a.toml", "b.toml"])
    with pytest.raises(ConfigError, match="not found"):
        load_config(root, config_files=["missing.toml"])


def test_ignore_files_match_absolute_paths(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"hugo.toml": "ignoreFiles = ['/site/content/skip', '\\.tmp\\.md$']\n",
                                          "content/skip/a.md": "---\ntitle: A\n---\n",
                                          "content/b.tmp.md": "---\ntitle: B\n---\n",
                                          "content/c.md": "---\ntitle: C\n---\n"})
    assert [p.rel_path for p in load_site(root).pages] == ["content/c.md"]


# --- against the real thing ------------------------------------------------------------------


def _hugo() -> str | None:
    local = Path(sys.executable).parent / "hugo"
    return shutil.which("hugo") or (str(local) if local.exists() else None)


UGLY_TERMS = {
    "hugo.yaml": "baseURL: https://example.org/\nuglyURLs: true\ntaxonomies: {tag: tags}\n"
                 "permalinks: {page: {p: /p/:slug/}, term: {tags: /t/:slug/}, section: {s: /sec/:title/}}\n",
    "content/p/a.md": "---\ntitle: a/b c\ntags: [X Y]\ndate: 2025-01-01T10:00:00+01:00\naliases: [old, /older/]\n---\n",
    "content/tags/x-y/_index.md": "---\ntitle: x/y z\n---\n",
    "content/tags/_index.md": "---\ntitle: All tags\n---\n",
    "content/s/_index.md": "---\ntitle: S/s\n---\n",
    "content/s/b.md": "---\ntitle: B\nslug: ' -x- '\n---\n",
}


SITES = {"bilingual": FIXTURE, "url-rules": URL_RULES, "language-dirs": LANGUAGE_DIRS, "ugly-terms": UGLY_TERMS,
         "mounts": MOUNTS, "nested-dirs": NESTED_DIRS, "cascade": CASCADE, "build-options": BUILD,
         "section-slugs": SLUGS, "language-permalinks": PERMALINKS, "permalink-list": PERMALINK_LIST,
         "config-order": CONFIG_ORDER, "disabled-kinds": DISABLED_KINDS, "front-matter-sites": FRONT_MATTER_SITES,
         "mixed": MIXED}


def _hugo_date(value: str) -> dt.datetime | None:
    return None if value.startswith("0001") else dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.mark.skipif(_hugo() is None, reason="no hugo binary on PATH or in the virtualenv")
@pytest.mark.parametrize("name", SITES)
def test_sites_match_hugo(name: str, tmp_path: Path) -> None:
    """Every fixture site above, against `hugo list all`: the same pages (a file mounted for two
    languages is two rows), URLs, kinds, titles, slugs, drafts and dates; a page Hugo lists
    without a URL (build.render never) is skipped with that reason."""
    root = write_site(tmp_path / "site", SITES[name])
    out = subprocess.run([_hugo(), "list", "all", "--noBuildLock", "--source", str(root)], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    # hugo-python-distributions prints a coloured banner before the CSV
    rows = list(csv.DictReader(out[out.index("path,slug,title"):].splitlines()))
    site = load_site(root, drafts=True, future=True, expired=True)

    def instant(value: DateValue | None) -> dt.datetime | None:
        return to_instant(value) if value is not None else None

    assert sorted((p.rel_path, p.permalink, p.kind, p.section, p.title, p.slug or "", str(p.draft).lower(),
                   instant(p.date), instant(p.expiry_date), instant(p.publish_date)) for p in site.pages) == sorted(
        (r["path"], r["permalink"], r["kind"], r["section"], r["title"], r["slug"], r["draft"],
         _hugo_date(r["date"]), _hugo_date(r["expiryDate"]), _hugo_date(r["publishDate"])) for r in rows if r["permalink"])
    skipped = dict(site.skipped)
    assert all(skipped[r["path"]].startswith("build.render never") for r in rows if not r["permalink"])


def test_keys_differing_in_case_warn_but_keep_the_page(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"hugo.toml": "", "content/a.md": "---\ntags: [a]\ntitle: A\nTags: [b]\n---\n"})
    site = load_site(root)
    assert [p.rel_path for p in site.pages] == ["content/a.md"]
    assert [(p.line, p.fatal) for p in site.problems] == [(4, False)]
    assert "'tags' and 'Tags'" in site.problems[0].reason


@pytest.mark.parametrize(("base", "expected"), [("/", "https://example.org/"), ("/docs/", "https://example.org/docs/"),
                                                ("docs", "https://example.org/docs")])
def test_relative_base_url_gives_absolute_iris_and_says_so(tmp_path: Path, base: str, expected: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    """Hugo accepts `baseURL: /` (many sites use it); RDF needs absolute IRIs. It used to crash the
    build ("Invalid base IRI '/id/'")."""
    from graph.build.pipeline import BuildOptions, build
    from graph.store.local import MemoryStore

    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "hugo.yaml").write_text(f"baseURL: {base}\n", encoding="utf-8")
    (tmp_path / "content" / "posts" / "a.md").write_text("---\ntitle: A\ndate: 2025-01-01\n---\nText.\n",
                                                          encoding="utf-8")
    assert load_config(tmp_path).base_url == expected
    assert "is relative" in caplog.text
    store = MemoryStore()
    report = build(store, BuildOptions(site=tmp_path))
    assert report.mapped == 1 and not report.problems
    assert report.entity_base.startswith(expected.rstrip("/"))


def test_module_mounts_give_the_content_folders(tmp_path: Path) -> None:
    """`module.mounts` with `target: content` replace contentDir: for every language, or (with
    `lang`) for one; a page's section and permalink come from where the mount puts it."""
    (tmp_path / "docs" / "en" / "blog").mkdir(parents=True)
    (tmp_path / "docs" / "de" / "blog").mkdir(parents=True)
    (tmp_path / "hugo.yaml").write_text(
        "baseURL: https://example.org/\ndefaultContentLanguage: en\n"
        "languages:\n  en: {weight: 1}\n  de: {weight: 2}\n"
        "permalinks:\n  blog: /:section/:slug/\n"
        "module:\n  mounts:\n    - {source: docs/en, target: content}\n    - {source: docs/de, target: content, lang: de}\n",
        encoding="utf-8")
    for lang in ("en", "de"):
        (tmp_path / "docs" / lang / "blog" / "post.md").write_text(
            f"---\ntitle: Post {lang}\ndate: 2025-01-01\nslug: post-{lang}\n---\nText.\n", encoding="utf-8")
    from graph.read.site import load_site

    pages = {p.rel_path: p for p in load_site(tmp_path).pages if p.kind == "page"}
    en, de = pages["docs/en/blog/post.md"], pages["docs/de/blog/post.md"]
    assert (en.lang, en.section, en.permalink) == ("en", "blog", "https://example.org/blog/post-en/")
    assert (de.lang, de.section, de.permalink) == ("de", "blog", "https://example.org/de/blog/post-de/")
