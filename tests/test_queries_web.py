"""The example queries in ontology/queries/ and the minimal web app."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ontology import QUERIES_DIR
from graph.query.sparql import run
from graph.store.local import LocalStore, MemoryStore
from web import create_app

REPO = Path(__file__).resolve().parents[1]
QUERIES = sorted(QUERIES_DIR.glob("*.rq"))


@pytest.fixture(scope="module")
def store(content_store) -> LocalStore:
    return content_store


def test_there_are_example_queries() -> None:
    assert len(QUERIES) >= 3


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_example_query_is_documented_and_answers_on_content(store: LocalStore, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#"), "each example query starts with a comment saying what it answers"
    answer = run(store.snapshot(), text)
    rows = list(answer.result)
    if path.stem in ("translations", "featured-projects-by-event"):
        # content/ is English only, and its post says no event showed a project ("a session on
        # Zuul" would): tests/test_relations.py runs both on osslat
        assert rows == []
    else:
        assert rows, f"{path.name} returns nothing on content/"


def test_home_page_shows_counts(store: LocalStore) -> None:
    client = create_app(store).test_client()
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "schema:BlogPosting" in html and "What the graph holds" in html
    assert client.get("/no/such/page").status_code == 404


def test_home_page_without_graph() -> None:
    client = create_app(MemoryStore()).test_client()
    page = client.get("/")
    assert page.status_code == 503
    assert "postgraph build" in page.get_data(as_text=True)


def test_query_page_shows_labels_linked_to_entity_pages_and_pages_long_results(store: LocalStore) -> None:
    """Result cells read as labels in the page's language, link to the entity's page and keep the
    IRI on hover; long results come 100 rows a page with the page in the URL."""
    import html
    import re

    client = create_app(store).test_client()
    q = ("SELECT ?e ?kind WHERE { ?post <https://schema.org/mentions> ?e . ?e a ?kind }")
    body = client.get("/query", query_string={"query": q, "lang": "en"}).get_data(as_text=True)
    cells = re.findall(r'<a href="([^"]+)" title="([^"]+)">([^<]+)</a>', body)
    events = [(href, iri, text) for href, iri, text in cells if "/id/event/scale/2025" in iri]
    assert events, cells[:5]
    href, iri, text = events[0]
    assert href.startswith("/id/event/scale/2025") and "Southern California Linux Expo" in html.unescape(text)
    assert iri.startswith("https://") and text != iri
    many = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 250"
    first = client.get("/query", query_string={"query": many}).get_data(as_text=True)
    assert "page 1 of 3" in first and 'rel="next"' in first and first.count('<td class="n">') == 100
    third = client.get("/query", query_string={"query": many, "page": 3}).get_data(as_text=True)
    assert "page 3 of 3" in third and third.count('<td class="n">') == 50 and 'rel="next"' not in third
