"""Acceptance: `load_site` on the osslat corpus gives exactly the pages `hugo list all` printed.

/work/shared/corpora/osslat.hugo-list.csv is Hugo 0.168's own output for that site; every row is
its own test, so a mismatch names the file and the field.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from graph.post import to_instant
from graph.site import Site, load_site

_CSV = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "osslat.hugo-list.csv"
_LANGUAGES = ("es", "en", "pt")  # es is the default language: no URL prefix


def _rows() -> list[dict[str, str]]:
    if not _CSV.is_file():
        return []
    with open(_CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ROWS = _rows()
pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def osslat(shared_dir: Path) -> Site:
    # `hugo list all` lists drafts, future and expired content alike.
    return load_site(shared_dir / "corpora" / "osslat", drafts=True, future=True, expired=True)


def _hugo_time(value: str) -> dt.datetime | None:
    """A time as `hugo list` prints it; the zero time (0001-01-01) means "no date"."""
    return None if value.startswith("0001-01-01") else dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _language(row: dict[str, str]) -> str:
    """The row's language, from the permalink's prefix, cross-checked against the file name suffix."""
    first = row["permalink"].split("/", 3)[3].split("/", 1)[0]
    lang = first if first in _LANGUAGES[1:] else _LANGUAGES[0]
    suffix = Path(row["path"]).suffixes
    if len(suffix) == 2:
        assert suffix[0][1:] == lang, f"{row['path']}: file suffix and URL prefix disagree"
    return lang


def test_csv_has_every_row() -> None:
    if not ROWS:
        pytest.skip(f"{_CSV} not found")
    assert len(ROWS) == 123


@pytest.mark.parametrize("row", ROWS or [pytest.param(None, marks=pytest.mark.skip(reason=f"{_CSV} not found"))],
                         ids=[r["path"] for r in ROWS] or ["no-csv"])
def test_page_matches_hugo(osslat: Site, row: dict[str, str]) -> None:
    pages = {p.rel_path: p for p in osslat.pages}
    page = pages.get(row["path"])
    skipped = dict(osslat.skipped)
    assert page is not None, f"no page from {row['path']} (skipped: {skipped.get(row['path'])})"
    assert page.permalink == row["permalink"]
    assert page.title == row["title"]
    assert page.draft == (row["draft"] == "true")
    assert page.kind == row["kind"]
    assert page.section == row["section"]
    assert page.lang == _language(row)
    assert (page.slug or "") == row["slug"]
    expected = _hugo_time(row["date"])
    if expected is not None:
        assert page.date is not None, "Hugo has a date for this page"
        # date-only front matter is midnight UTC for Hugo (the site sets no timeZone)
        assert to_instant(page.date) == expected
    expiry = _hugo_time(row["expiryDate"])
    assert (to_instant(page.expiry_date) if page.expiry_date else None) == expiry


def test_no_page_that_hugo_does_not_list(osslat: Site) -> None:
    listed = {r["path"] for r in ROWS}
    if not listed:
        pytest.skip(f"{_CSV} not found")
    assert sorted(p.rel_path for p in osslat.pages if p.rel_path not in listed) == []


def test_every_other_file_is_skipped_with_a_reason(osslat: Site, shared_dir: Path) -> None:
    root = shared_dir / "corpora" / "osslat"
    files = {p.relative_to(root).as_posix() for p in (root / "content").rglob("*.md")}
    pages = {p.rel_path for p in osslat.pages}
    skipped = dict(osslat.skipped)
    assert files - pages == set(skipped)
    assert all(skipped.values())
    assert osslat.problems == []


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
