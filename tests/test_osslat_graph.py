"""The osslat site (../shared/corpora/osslat) built into a real on-disk Oxigraph store.

Acceptance of the core issue: every row of Hugo's own listing is in the graph under the same
permalink, with the same title, language, draft state and date; the graph conforms to the shapes.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.query.sparql import run, stats
from graph.query.validate import validate
from graph.store.local import LocalStore


def _rows(shared_dir: Path) -> list[dict[str, str]]:
    with open(shared_dir / "corpora" / "osslat.hugo-list.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def osslat(osslat_store: LocalStore) -> tuple[ox.Store, LocalStore]:
    return osslat_store.snapshot(), osslat_store


def _graph_pages(store: ox.Store) -> dict[str, dict[str, str | None]]:
    answer = run(store, """SELECT ?page ?title ?lang ?date ?status ?path WHERE {
        GRAPH ?page { ?page prov:wasDerivedFrom/pg:sourcePath ?path }
        ?page schema:inLanguage ?lang .
        OPTIONAL { ?page schema:headline|schema:name ?title }
        OPTIONAL { ?page schema:datePublished ?date }
        OPTIONAL { ?page schema:creativeWorkStatus ?status } }""")
    out = {}
    for s in answer.result:
        out[s["page"].value] = {k: (s[k].value if s[k] is not None else None)
                                for k in ("title", "lang", "date", "status", "path")}
    return out


def _instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def test_every_hugo_listed_page_is_in_the_graph(osslat, shared_dir: Path) -> None:
    pages = _graph_pages(osslat[0])
    rows = _rows(shared_dir)
    assert len(rows) == 123
    failures = []
    for row in rows:
        page = pages.get(row["permalink"])
        if page is None:
            failures.append(f"{row['path']}: no page {row['permalink']}")
            continue
        lang = row["permalink"].removeprefix("https://oss.lat/").split("/")[0]
        lang = lang if lang in ("en", "pt") else "es"
        problems = []
        if page["path"] != row["path"]:
            problems.append(f"source {page['path']}")
        if page["title"] != row["title"]:
            problems.append(f"title {page['title']!r}")
        if page["lang"] != lang:
            problems.append(f"lang {page['lang']}")
        if (page["status"] == "draft") != (row["draft"] == "true"):
            problems.append(f"draft {page['status']}")
        dated = not row["date"].startswith("0001") and row["kind"] == "page"
        if dated and (page["date"] is None or _instant(page["date"]) != _instant(row["date"])):
            problems.append(f"date {page['date']} != {row['date']}")
        if problems:
            failures.append(f"{row['path']}: " + "; ".join(problems))
    assert not failures, "\n".join(failures)
    assert len(pages) == len(rows), "the graph has pages Hugo does not list"


def test_stats_account_for_every_page(osslat, shared_dir: Path) -> None:
    counts = stats(osslat[0])
    by_language = dict(counts["languages"])
    assert sum(by_language.values()) == 123
    assert by_language == {"es": 41, "en": 41, "pt": 41}
    info = osslat[1].info()
    assert info["pages"] == 123
    files = sum(1 for _ in (shared_dir / "corpora" / "osslat" / "content").rglob("*.md"))
    assert info["pages"] + len(info["skipped"]) == files, "every file is either a page or skipped with a reason"


def test_translations_are_linked(osslat) -> None:
    seed = "https://oss.lat/en/openinfradays/openinfra-scale-2025-recap/"
    rows = run(osslat[0], f"SELECT ?t WHERE {{ <{seed}> schema:workTranslation ?t }}").result
    assert {r["t"].value for r in rows} == {"https://oss.lat/openinfradays/openinfra-scale-2025-recap/",
                                           "https://oss.lat/pt/openinfradays/openinfra-scale-2025-recap/"}
    original = run(osslat[0], f"SELECT ?o WHERE {{ <{seed}> schema:translationOfWork ?o }}").result
    assert [r["o"].value for r in original] == ["https://oss.lat/openinfradays/openinfra-scale-2025-recap/"]


def test_author_profiles(osslat) -> None:
    rows = run(osslat[0], """SELECT ?id ?type ?name WHERE {
        ?a schema:identifier ?id ; a ?type ; schema:name ?name .
        FILTER(?type IN (schema:Person, schema:Organization)) }""").result
    authors = {r["id"].value: (r["type"].value.rsplit("/", 1)[-1], r["name"].value) for r in rows}
    assert authors["oss.lat"] == ("Organization", "OpenSource LATAM")
    assert authors["ceph.mexico"][0] == "Organization"
    assert authors["alvaro.soto"] == ("Person", "Alvaro Soto")
    profile = run(osslat[0], """SELECT ?page WHERE { ?page a schema:ProfilePage ;
        schema:mainEntity/schema:identifier "oss.lat" }""").result
    assert {r["page"].value for r in profile} == {
        "https://oss.lat/authors/oss.lat/", "https://oss.lat/en/authors/oss.lat/",
        "https://oss.lat/pt/authors/oss.lat/"}


def test_osslat_conforms_to_the_shapes(osslat) -> None:
    result = validate(osslat[0])
    assert result.conforms, "\n".join(map(str, result.violations[:20]))
