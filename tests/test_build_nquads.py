"""The build's fast path writes N-Quads text directly (graph.map.mentions.extraction_nquads): it must
give exactly the bytes pyoxigraph writes for the same quads, so the graph is unchanged."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.extract.extractor import Extractor
from graph.extract.places import gazetteer
from graph.extract.vocabulary import load_vocabulary
from graph.ids import default_entity_base
from graph.map.mentions import extraction_nquads, extraction_quads
from graph.read.site import load_site

ROOT = Path(__file__).resolve().parents[1]


def _check(site_dir: Path) -> int:
    site = load_site(site_dir, drafts=True)
    vocabulary = load_vocabulary(default_entity_base(site.config.base_url))
    extractor = Extractor(vocabulary, gazetteer())
    series_of = {e.iri: e.series for e in vocabulary.entries.values() if e.kind == "event" and e.series}
    total = 0
    for page in site.pages:
        extraction = extractor.extract(page)
        graph = ox.NamedNode(page.permalink)
        source = f"https://example.org/id/source/{page.rel_path}"
        quads = extraction_quads(page, extraction, graph, series_of, source=source)
        count, data = extraction_nquads(page, extraction, graph, series_of, source=source)
        assert count == len(quads), page.rel_path
        assert data == (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""), page.rel_path
        total += count
    return total


def test_same_bytes_on_the_bundled_site() -> None:
    assert _check(ROOT) > 0


@pytest.mark.shared
def test_same_bytes_on_osslat(shared_dir: Path) -> None:
    # three languages, quotes, accents, newlines in sentences: the escaping must agree everywhere
    assert _check(shared_dir / "corpora" / "osslat") > 5_000  # every page, compact evidence (data model v2)
