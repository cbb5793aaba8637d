"""graph.namespaces: the one IRI shortener and local names (issue 15)."""

from __future__ import annotations

import pytest

from graph.namespaces import local_name, short_iri

SITE_IDS = "https://example.org/blog/id/"


@pytest.mark.parametrize(("iri", "short"), [
    ("https://schema.org/name", "schema:name"),
    ("https://w3id.org/postgraph/ns#features", "pg:features"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "rdf:type"),
    ("https://schema.org/a/b", "https://schema.org/a/b"),  # a slash after the namespace: no prefixed name
    (SITE_IDS + "event/scale/2025", "id:event/scale/2025"),
    (SITE_IDS, SITE_IDS),
    ("https://elsewhere.example/x", "https://elsewhere.example/x"),
])
def test_short_iri(iri: str, short: str) -> None:
    assert short_iri(iri, SITE_IDS) == short
    if not short.startswith("id:"):
        assert short_iri(iri) == short


def test_without_site_ids_site_iris_stay_whole() -> None:
    assert short_iri(SITE_IDS + "event/scale/2025") == SITE_IDS + "event/scale/2025"


@pytest.mark.parametrize(("iri", "name"), [
    ("https://schema.org/Event", "Event"), ("https://w3id.org/postgraph/ns#theme", "theme"),
    (SITE_IDS + "event/scale/2025", "2025"), (SITE_IDS + "project/kata/", "kata"), ("/", "/"),
])
def test_local_name(iri: str, name: str) -> None:
    assert local_name(iri) == name
