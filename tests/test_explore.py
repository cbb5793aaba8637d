"""Search, entity pages and the home page, through Flask's test client (osslat and content/)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from graph.build.pipeline import BuildOptions, build
from graph.query.sparql import run
from graph.store.local import LocalStore
from web.app import create_app

SCALE_2025 = "https://oss.lat/id/event/scale/2025"


@pytest.fixture(scope="module")
def client(osslat_store):
    return create_app(osslat_store).test_client()


def test_search_ranks_exact_names_first_across_languages(client) -> None:
    hits = client.get("/search.json?q=SCaLE").get_json()
    assert hits[0]["matched"] == "SCaLE" and hits[0]["kind"] == "series"
    assert {h["iri"] for h in hits[:3]} >= {"https://oss.lat/id/event/scale"}
    assert all(h["url"].startswith("/") for h in hits)
    # accents and case do not matter, and Spanish/Portuguese names find the same entity
    assert client.get("/search.json?q=pasadena").get_json()[0]["label"] == "Pasadena"
    accented = client.get("/search.json?q=Sao Paulo").get_json()
    assert accented and "São Paulo" in {accented[0]["label"], accented[0]["matched"]}
    posts = [h for h in client.get("/search.json?q=recap").get_json() if h["kind"] == "post"]
    assert posts and all(h["lang"] for h in posts)


def test_search_page_and_errors(client) -> None:
    page = client.get("/search?q=kubernetes")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="search-results"' in html and "badge" in html
    assert client.get("/search?q=kubernetes", headers={"Accept": "application/json"}).is_json
    assert client.get("/search.json?q=").status_code == 400
    assert client.get("/search?q=" + "x" * 500).status_code == 400
    assert client.get("/search?q=x&lang=fr").status_code == 400


def test_entity_page_shows_evidence_with_highlighted_mention(client) -> None:
    page = client.get("/id/event/openinfra-days-north-america/2025", headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="evidence"' in html
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)
    assert quotes and all('<mark class="mention">' in q for q in quotes)
    assert 'class="permalink" href="https://oss.lat/' in html
    assert "/graph?focus=" in html  # the small ego graph is one click away
    assert 'id="related"' in html and 'id="outgoing"' in html


def test_entity_page_language_and_links(client) -> None:
    en = client.get(SCALE_2025.replace("https://oss.lat", ""), headers={"Accept": "text/html"}).get_data(as_text=True)
    es = client.get(SCALE_2025.replace("https://oss.lat", "") + "?lang=es").get_data(as_text=True)
    assert "<th>super event</th>" in en and "<th>evento superior</th>" in es
    incoming = en[en.index('id="incoming"'):]
    assert "OpenInfra Days North America 2025" in unescape(incoming)  # the co-located event points here


def test_post_page_lists_translations(client) -> None:
    post = "https://oss.lat/en/openinfradays/openinfra-scale-2025-recap/"
    html = client.get("/describe", query_string={"iri": post}, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="translations"' in html
    section = html[html.index('id="translations"'):]
    assert "https://oss.lat/openinfradays/openinfra-scale-2025-recap/" in section  # Spanish, the default language
    assert "https://oss.lat/pt/openinfradays/openinfra-scale-2025-recap/" in section


def test_unknown_entity_is_404(client) -> None:
    assert client.get("/id/event/no-such-thing", headers={"Accept": "text/html"}).status_code == 404


def test_home_page_counts_match_sparql(client, osslat_store) -> None:
    html = client.get("/").get_data(as_text=True)
    for section in ("top-events", "top-projects", "top-themes", "recent-posts", "posts-by-year"):
        assert f'id="{section}"' in html
    snap = osslat_store.snapshot()
    n = int(next(iter(run(snap, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:BlogPosting ; "
                                "schema:datePublished ?d FILTER(YEAR(?d) = 2025) }").result))["n"].value)
    year_table = html[html.index('id="posts-by-year"'):]
    assert re.search(rf"<td>2025</td><td class=\"n\">{n}</td>", year_table)


def test_pages_escape_hostile_content(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://x.example/"\n', encoding="utf-8")
    evil = "<img src=x onerror=alert(1)>"
    (site / "content" / "posts" / "p.md").write_text(
        f'---\ntitle: "{evil}"\ntags: ["<script>alert(2)</script>"]\nauthor: "{evil}"\ndate: 2025-01-01\n---\n'
        "Kubernetes met OpenStack in Pasadena, California.\n", encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=site))
    client = create_app(store).test_client()
    for url in ("/", "/search?q=img", "/describe?iri=https://x.example/posts/p/", "/id/project/kubernetes"):
        html = client.get(url, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert evil not in html and "<script>alert" not in html, url
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get("/search?q=img").get_data(as_text=True)


COMMUNITY = "https://oss.lat/id/topic/community"  # the entity the most osslat posts mention (48)


def _count(snapshot, sparql: str) -> int:
    return int(next(iter(run(snapshot, sparql).result))["n"].value)


def test_entity_evidence_is_paged_newest_first_with_true_counts(osslat_store) -> None:
    from graph.explore.entity import EVIDENCE_PAGE, PostIndex, entity_view, mentions

    snap = osslat_store.snapshot()
    mentioned = mentions(snap, COMMUNITY, PostIndex.build(snap))
    posts = _count(snap, f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a schema:BlogPosting ; schema:mentions <{COMMUNITY}> }}")
    articles = _count(snap, f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a schema:CreativeWork ; schema:mentions <{COMMUNITY}> }}")
    assert posts > 2 * EVIDENCE_PAGE and articles
    pages = [entity_view(snap, COMMUNITY, "en", page, mentioned) for page in (1, 2, 3, 99)]
    assert all(v.evidence_posts == posts and v.evidence_articles == articles for v in pages)
    assert [v.evidence_page for v in pages] == [1, 2, 3, 3]  # past the last page: the last
    assert [len(v.evidence) for v in pages[:3]] == [EVIDENCE_PAGE, EVIDENCE_PAGE, posts - 2 * EVIDENCE_PAGE]
    shown = [e.post for v in pages[:3] for e in v.evidence]
    assert len(set(shown)) == posts  # every post once, over the pages
    dates = {r["p"].value: r["d"].value for r in run(snap, f"""SELECT ?p (MAX(?x) AS ?d) WHERE {{
        ?p a schema:BlogPosting ; schema:mentions <{COMMUNITY}> ; schema:datePublished ?x }} GROUP BY ?p""").result}
    in_order = [dates.get(p, "") for p in shown]
    assert in_order == sorted(in_order, reverse=True)  # newest first


def test_related_entities_count_shared_posts(osslat_store) -> None:
    from graph.explore import analysis
    from graph.explore.entity import PostIndex, entity_view, mentions

    snap = osslat_store.snapshot()
    mentioned = mentions(snap, COMMUNITY, PostIndex.build(snap))
    from_graph = entity_view(snap, COMMUNITY, "en", 1, mentioned, analysis.project(snap))
    sampled = entity_view(snap, COMMUNITY, "en", 1, mentioned, None)  # before the entity graph is ready
    assert from_graph.related and sampled.related_sample == 0  # 48 posts: all of them were counted
    for value, n in from_graph.related:
        assert n == _count(snap, f"""SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a schema:BlogPosting ;
                                     schema:mentions <{COMMUNITY}>, <{value.iri}> }}""")
    assert [(v.iri, n) for v, n in from_graph.related] == [(v.iri, n) for v, n in sampled.related]


def test_entity_page_pager_keeps_the_address(client) -> None:
    html = client.get("/id/topic/community?page=2", headers={"Accept": "text/html"}).get_data(as_text=True)
    pager = html[html.index('id="evidence-pages"'):]
    assert "page 2 of 3" in pager and 'href="/id/topic/community?page=1#evidence"' in pager
    assert 'href="/id/topic/community?page=3#evidence"' in pager
    assert re.search(r"Mentioned in \d+ articles \(48 posts in all languages\)", html)
    described = client.get("/describe", query_string={"iri": COMMUNITY, "page": "3", "lang": "es"},
                           headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "page 3 of 3" in described and "?iri=https%3A%2F%2Foss.lat%2Fid%2Ftopic%2Fcommunity&amp;page=2" in described
    # the language links keep the IRI and the page too (they were "?lang=es", which lost /describe's iri)
    assert 'href="/describe?iri=https%3A%2F%2Foss.lat%2Fid%2Ftopic%2Fcommunity&amp;page=3&amp;lang=pt"' in described


def test_an_address_that_is_no_iri_is_404(client) -> None:
    assert client.get("/id/a%3Eb", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/id/a%3Eb", headers={"Accept": "text/turtle"}).status_code == 404
