"""Acceptance: `load_site` on every corpus gives exactly the pages `hugo list all` printed.

Each ../shared/corpora/NAME.hugo-list.csv is Hugo 0.168's own output for corpora/NAME, run with
the config file its SOURCE.md names (`hugo list all --config X`; the site's own config when it
names none). Every row is its own test, named after the corpus and the file, so a mismatch says
which page and which field.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import pytest

from graph.model import DateValue, Page
from graph.read.front_matter import to_instant
from graph.read.site import Site, discover_sources, load_site

_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
#: How many rows each CSV has (SOURCE.md, shared/README.md): a truncated copy fails loudly.
_ROW_COUNTS = {"osslat": 123, "fluxcd": 77, "linkerd": 165, "helm": 65}

pytestmark = pytest.mark.shared


def _corpora() -> list[str]:
    return sorted(p.name.removesuffix(".hugo-list.csv") for p in _CORPORA.glob("*.hugo-list.csv")
                  if (_CORPORA / p.name.removesuffix(".hugo-list.csv")).is_dir())


def _rows(corpus: str) -> list[dict[str, str]]:
    with open(_CORPORA / f"{corpus}.hugo-list.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _config_files(corpus: str) -> list[str] | None:
    """The `--config` of the `hugo list all` command in the corpus's SOURCE.md, if any."""
    source = _CORPORA / corpus / "SOURCE.md"
    text = source.read_text(encoding="utf-8") if source.is_file() else ""
    m = re.search(r"`hugo list all --config ([^`\s]+)`", text)
    return m.group(1).split(",") if m else None


CORPORA = _corpora()
ROWS = [(corpus, row) for corpus in CORPORA for row in _rows(corpus)]
_ABSENT = f"the shared corpora are not at {_CORPORA} (../shared next to the repository)"
_SKIP = pytest.mark.skip(reason=_ABSENT)


def _row_ids() -> list[str]:
    seen: Counter[tuple[str, str]] = Counter((c, r["path"]) for c, r in ROWS)
    ids, n = [], Counter[tuple[str, str]]()
    for corpus, row in ROWS:
        key = (corpus, row["path"])
        n[key] += 1
        # a file mounted for two languages is two rows
        ids.append(f"{corpus}:{row['path']}" + (f"#{n[key]}" if seen[key] > 1 else ""))
    return ids


@functools.cache
def _site(corpus: str) -> Site:
    # `hugo list all` lists drafts, future and expired content alike.
    return load_site(_CORPORA / corpus, drafts=True, future=True, expired=True, config_files=_config_files(corpus))


def _pages(corpus: str) -> dict[tuple[str, str], Page]:
    return {(p.rel_path, p.lang): p for p in _site(corpus).pages}


def _hugo_time(value: str) -> dt.datetime | None:
    """A time as `hugo list` prints it; the zero time (0001-01-01) means "no date"."""
    return None if value.startswith("0001-01-01") else dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _instant(value: DateValue | None) -> dt.datetime | None:
    return to_instant(value) if value is not None else None


def _url_path(url: str) -> str:
    """The path of an absolute ("https://host/x/"), scheme-relative or relative URL."""
    return re.sub(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/]*", "", url)


def _language(site: Site, row: dict[str, str]) -> str:
    """The row's language, from the permalink's language prefix, checked against a file name suffix."""
    config = site.config
    base_path = _url_path(config.base_url).strip("/")
    first = _url_path(row["permalink"]).lstrip("/").removeprefix(base_path).lstrip("/").split("/", 1)[0]
    prefixed = [c for c in config.languages if c != config.default_language or config.default_in_subdir]
    lang = first if first in prefixed else config.default_language
    suffixes = Path(row["path"]).suffixes
    if len(suffixes) == 2 and suffixes[0][1:] in config.languages:
        assert suffixes[0][1:] == lang, f"{row['path']}: file suffix and URL prefix disagree"
    return lang


def test_every_corpus_has_its_rows() -> None:
    if not _CORPORA.is_dir():
        pytest.skip(_ABSENT)
    assert {c: len(_rows(c)) for c in CORPORA} == _ROW_COUNTS


@pytest.mark.parametrize(("corpus", "row"), ROWS or [pytest.param(None, None, marks=_SKIP)],
                         ids=_row_ids() or ["no-corpora"])
def test_page_matches_hugo(corpus: str, row: dict[str, str]) -> None:
    site = _site(corpus)
    skipped = dict(site.skipped)
    if not row["permalink"]:  # Hugo lists it but renders nothing (build.render never): no URL, no page
        assert skipped.get(row["path"], "").startswith("build.render never")
        return
    lang = _language(site, row)
    page = _pages(corpus).get((row["path"], lang))
    assert page is not None, f"no {lang} page from {row['path']} (skipped: {skipped.get(row['path'])})"
    # a relative baseURL ("/") gives Hugo relative URLs; RDF needs absolute IRIs, so postgraph puts
    # them under the placeholder host (graph.config.absolute_base_url)
    assert page.permalink == urljoin(site.config.base_url, row["permalink"])
    assert page.title == row["title"]
    assert page.draft == (row["draft"] == "true")
    assert page.kind == row["kind"]
    assert page.section == row["section"]
    assert (page.slug or "") == row["slug"]
    # date-only front matter is midnight in the site's timeZone (UTC unless set), as Hugo reads it
    assert _instant(page.date) == _hugo_time(row["date"])
    assert _instant(page.publish_date) == _hugo_time(row["publishDate"])
    assert _instant(page.expiry_date) == _hugo_time(row["expiryDate"])


@pytest.mark.parametrize("corpus", CORPORA or [pytest.param(None, marks=_SKIP)])
def test_no_page_that_hugo_does_not_list(corpus: str) -> None:
    listed = Counter((r["path"], _language(_site(corpus), r)) for r in _rows(corpus) if r["permalink"])
    pages = Counter((p.rel_path, p.lang) for p in _site(corpus).pages)
    assert pages - listed == Counter() and listed - pages == Counter()


@pytest.mark.parametrize("corpus", CORPORA or [pytest.param(None, marks=_SKIP)])
def test_every_other_file_is_skipped_with_a_reason(corpus: str) -> None:
    site = _site(corpus)
    files = {rel for rel, _, _ in discover_sources(site.config)}
    pages = {p.rel_path for p in site.pages}
    skipped = dict(site.skipped)
    # (a file can be a page in one language and a duplicate in another)
    assert files - pages == set(skipped) - pages
    assert all(skipped.values())
    assert site.problems == []


@pytest.mark.parametrize("corpus", [c for c in CORPORA if _config_files(c)] or [pytest.param(None, marks=_SKIP)])
def test_the_sites_own_config_gives_the_same_pages(corpus: str) -> None:
    """`hugo list all` ran on a theme-free copy of the config; a user runs postgraph on the site
    folder alone, which reads the site's own config (hugo.yaml, config.toml …): same pages."""
    own = load_site(_CORPORA / corpus, drafts=True, future=True, expired=True)
    assert own.config.config_files[0] not in _config_files(corpus)
    assert sorted((p.rel_path, p.lang, p.permalink) for p in own.pages) == sorted(
        (p.rel_path, p.lang, p.permalink) for p in _site(corpus).pages)


# --- osslat (es default, en, pt): what the CSV cannot show -----------------------------------


@pytest.fixture(scope="module")
def osslat() -> Site:
    if not _CORPORA.is_dir():
        pytest.skip(_ABSENT)
    return _site("osslat")


def test_duplicates_name_the_file_hugo_uses(osslat: Site) -> None:
    skipped = dict(osslat.skipped)
    # es is the default language: index.md and index.es.md are the same page; Hugo uses index.es.md
    assert skipped["content/about/index.md"] == (
        "duplicate of content/about/index.es.md: Hugo uses content/about/index.es.md")
    # with no index.es.md, the suffix-less file is the Spanish page
    pages = {p.rel_path: p for p in osslat.pages}
    assert pages["content/blog/cncf-dei-initiatives.md"].lang == "es"


def test_term_pages_take_their_dates_from_their_pages(osslat: Site) -> None:
    pages = {p.rel_path: p for p in osslat.pages}
    term = pages["content/authors/ceph.mexico/_index.es.md"]
    assert term.kind == "term" and term.term == ("authors", "ceph.mexico")
    assert term.date == dt.date(2026, 4, 19)  # the date of the one post by ceph.mexico
    assert "content/ceph/ceph-latam-adoption.es.md" in {
        p.rel_path for p in osslat.pages if "ceph.mexico" in p.taxonomies.get("authors", [])}


def test_translations_and_aliases(osslat: Site) -> None:
    pages = {p.rel_path: p for p in osslat.pages}
    post = pages["content/ceph/ceph-latam-adoption.en.md"]
    assert post.translations == ["content/ceph/ceph-latam-adoption.es.md", "content/ceph/ceph-latam-adoption.pt.md"]
    assert post.aliases == ["https://oss.lat/en/ceph/ceph-latam-adoption/"]  # checked in hugo's public/
    assert pages["content/ceph/ceph-latam-adoption.es.md"].aliases == ["https://oss.lat/ceph/ceph-latam-adoption/"]


def test_helm_translations_across_language_content_dirs() -> None:
    if not _CORPORA.is_dir():
        pytest.skip(_ABSENT)
    pages = _pages("helm")
    ko = [p for (rel, lang), p in pages.items() if lang == "ko"]
    assert len(ko) == 9 and all(p.translations and p.translations[0].startswith("content/en/blog/") for p in ko)
