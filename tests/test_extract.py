"""Entity extraction: text handling, matching rules, places, editions, unknown names, evidence.

Fixture posts here are written for the tests (not taken from the corpus); the osslat site and the
gold files check the same code on real posts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph.extract.extractor import Extraction, Extractor
from graph.extract.matcher import key_of
from graph.extract.places import gazetteer
from graph.extract.text import prose
from graph.extract.vocabulary import load_vocabulary
from graph.map.mentions import parse_span
from graph.model import Page
from graph.query.sparql import candidates, run
from graph.read.post import parse_source

BASE = "https://example.org/id/"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_vocabulary(BASE), gazetteer())


def page_of(markdown: str, lang: str = "en", date: str = "2025-04-18") -> Page:
    data = f"---\ntitle: \"{markdown.splitlines()[0]}\"\ndate: {date}\n---\n" + "\n".join(markdown.splitlines()[1:])
    parsed = parse_source("content/post.md", data.encode("utf-8"))
    assert not hasattr(parsed, "reason"), parsed
    return Page(rel_path="content/post.md", lang=lang, kind="page", section="blog", title=markdown.splitlines()[0],
                permalink="https://example.org/post/", text=parsed.text,
                body_offset=parsed.body_offset, body_line=parsed.body_line, content_hash=parsed.content_hash,
                front_matter=parsed.front_matter, date=parsed.date)


def found(ext: Extraction, page: Page) -> dict[str, str]:
    """exact text -> entity IRI (without the base) of every mention."""
    return {page.text[m.start:m.end]: m.iri.removeprefix(BASE) for m in ext.mentions}


# -- text handling -------------------------------------------------------------------------------

def test_prose_masks_everything_that_is_not_prose() -> None:
    text = ("---\ntitle: \"Kubernetes at FOSDEM\"\ntags: [Ceph]\n---\n"
            "Intro about OpenStack. See `Zuul` and https://github.com/ceph/ceph for code.\n\n"
            "```yaml\nimage: Kubernetes\n```\n\n<!-- Prometheus hidden -->\n{{< youtube Kafka >}}\n"
            "![Kata Containers logo](/img/kata.png)\n\n## Heading with Helm\n")
    doc = prose(text, text.index("Intro"))
    assert len(doc.masked) == len(text)
    kept = doc.masked
    for visible in ("Kubernetes at FOSDEM", "Intro about OpenStack", "Kata Containers logo", "Heading with Helm"):
        assert visible in kept
    for hidden in ("Zuul", "github.com", "image: Kubernetes", "Prometheus", "Kafka", "tags", "/img/kata.png"):
        assert hidden not in kept
    assert [b.kind for b in doc.blocks][:2] == ["title", "paragraph"]
    assert "heading" in {b.kind for b in doc.blocks} and "alt" in {b.kind for b in doc.blocks}


def test_unclosed_code_fence_hides_the_rest() -> None:
    text = "Before OpenStack.\n\n```\ncode Kubernetes\nmore\n"
    assert "Kubernetes" not in prose(text).masked


# -- matching rules ------------------------------------------------------------------------------

def test_longest_match_wins(extractor: Extractor) -> None:
    page = page_of("Recap\nWe met at the Southern California Linux Expo last week.")
    got = found(extractor.extract(page), page)
    assert any(text == "Southern California Linux Expo" for text in got)
    assert "Linux" not in got


def test_case_rules_accents_and_possessives(extractor: Extractor) -> None:
    page = page_of("Notes\nThe Fundacion OpenInfra runs OpenStack's CI. We scale out K8s clusters; "
                   "k8s in lower case is not the acronym.")
    ext = extractor.extract(page)
    got = found(ext, page)
    assert got["Fundacion OpenInfra"] == "org/openinfra-foundation"
    assert got["OpenStack"] == "project/openstack"
    assert got["K8s"] == "project/kubernetes"
    assert "k8s" not in got and "scale" not in got  # SCaLE matches only in its own case


def test_everyday_words_need_context(extractor: Extractor) -> None:
    plain = page_of("Tempo\nThe Tempo of the talk was fast and the Swift river was cold.", lang="en")
    assert not {v for v in found(extractor.extract(plain), plain).values() if v.startswith("project/")}
    listed = page_of("Tools\nWe compared k3s, MicroK8s, Kind, & Minikube on a laptop.")
    assert found(extractor.extract(listed), listed).get("Kind") == "project/kind"


# -- places --------------------------------------------------------------------------------------

def test_places_need_context_and_are_disambiguated(extractor: Extractor) -> None:
    page = page_of("Recap\nThe Southern California Linux Expo took place in Pasadena this year.")
    ext = extractor.extract(page)
    assert found(ext, page)["Pasadena"] == "place/us/ca/pasadena"  # California named: not Texas
    city = ext.entities[BASE + "place/us/ca/pasadena"]
    assert city.place.country == "place/us" and city.place.geonames
    no_context = page_of("Notes\nPasadena is a word we only mention here.")
    assert "Pasadena" not in found(extractor.extract(no_context), no_context)


def test_places_in_spanish_and_portuguese(extractor: Extractor) -> None:
    es = page_of("Crónica\nNos vimos en Bogotá con la comunidad de Colombia.", lang="es")
    got = found(extractor.extract(es), es)
    assert got["Bogotá"].startswith("place/co/") and got["Colombia"] == "place/co"
    pt = page_of("Resumo\nO evento foi em São Paulo, Brasil.", lang="pt")
    got = found(extractor.extract(pt), pt)
    assert got["São Paulo"].startswith("place/br/") and got["Brasil"] == "place/br"
    verb = page_of("Guía\nUsa el comando para instalar.", lang="es")
    assert "Usa" not in found(extractor.extract(verb), verb)  # the verb, not the USA


# -- editions ------------------------------------------------------------------------------------

def test_editions_from_year_number_and_this_year(extractor: Extractor) -> None:
    page = page_of("Trip report\nKCD Colombia 2025 was great. SCaLE 22x had many talks. "
                   "OpenInfra Days North America is held this year too.", date="2025-05-01")
    got = found(extractor.extract(page), page)
    assert got["KCD Colombia 2025"] == "event/kcd-colombia/2025"
    assert got["SCaLE 22x"] == "event/scale/2025"
    assert got["OpenInfra Days North America"] == "event/openinfra-days-north-america/2025"


def test_series_without_year_stays_a_series(extractor: Extractor) -> None:
    page = page_of("Notes\nWe often talk about FOSDEM in general.", date="2025-05-01")
    assert found(extractor.extract(page), page)["FOSDEM"] == "event/fosdem"


# -- names nobody listed ---------------------------------------------------------------------------

def test_unknown_event_acronym_and_repository(extractor: Extractor) -> None:
    page = page_of("News\nJoin the Andean Cloud Summit 2026 in Quito. It runs with the Cumbre de "
                   "Desarrolladores Libres (CDL). See you at CDL! The code is on "
                   "[Frobnicator](https://github.com/example/frobnicator).", date="2026-01-10")
    ext = extractor.extract(page)
    got = found(ext, page)
    assert got["Andean Cloud Summit 2026"] == "event/andean-cloud-summit/2026"
    assert got["CDL"] == "event/cdl"
    project = ext.entities[BASE + "project/frobnicator"]
    assert project.repository == "https://github.com/example/frobnicator" and project.confidence < 0.9


def test_every_mention_points_at_a_name_of_its_entity(osslat_store) -> None:
    """One pg:Mention per post and entity: its first span is exactly a name of the entity (or of the
    series of an edition) in the source file, and it counts at least one occurrence."""
    answer = run(osslat_store.snapshot(), """SELECT ?path ?span ?e ?method ?n WHERE {
        GRAPH ?post { ?a a pg:Mention ; oa:hasBody ?e ; pg:method ?method ; pg:occurrences ?n ; oa:hasTarget ?span .
                      ?post prov:wasDerivedFrom ?source . ?source pg:sourcePath ?path .
                      FILTER(STRSTARTS(STR(?span), CONCAT(STR(?source), "#char="))) } }""")
    rows = list(answer.result)
    assert len(rows) > 500
    labels: dict[str, set[str]] = {}
    for row in run(osslat_store.snapshot(), """SELECT ?e ?l WHERE {
            { ?e schema:name|skos:prefLabel|skos:altLabel ?l }
            UNION { ?e schema:superEvent/(schema:name|skos:altLabel) ?l } }""").result:
        labels.setdefault(row["e"].value, set()).add(key_of(row["l"].value))
    root = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "osslat"
    texts: dict[str, str] = {}
    checked = 0
    for row in rows:
        path = row["path"].value
        if path not in texts:
            texts[path] = (root / path).read_bytes().decode("utf-8").removeprefix("\ufeff")
        _source, start, end = parse_span(row["span"].value)
        text = texts[path][start:end]
        assert text and text == text.strip() and int(row["n"].value) >= 1, (path, text)
        if row["method"].value == "vocabulary":
            bare = re.sub(r"[*_`]+", " ", text)  # a name may span emphasis markup ("the **Linux Foundation")
            assert key_of(bare) in labels.get(row["e"].value, set()), (path, text, row["e"].value)
            checked += 1
    assert checked > 300


# -- measured against gold -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_founding_post_gold_and_relations_hold_in_each_language(shared_dir: Path, osslat_nquads: Path, lang: str,
                                                   tmp_path: Path) -> None:
    import yaml

    gold = yaml.safe_load((shared_dir / "gold" / "seed.yaml").read_text(encoding="utf-8"))
    entry = gold["posts"][0]
    entry["paths"] = [p for p in entry["paths"] if p.endswith(f".{lang}.md")]
    one = tmp_path / f"seed-{lang}.yaml"
    one.write_text(yaml.safe_dump(gold), encoding="utf-8")
    out = subprocess.run([sys.executable, str(shared_dir / "tools" / "score_gold.py"), "--gold", str(one),
                          "--data", str(osslat_nquads), "--min-entity-recall", "1.0",
                          "--min-entity-precision", "0.95", "--min-relation-recall", "1.0"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_same_entities_in_all_three_languages(shared_dir: Path, osslat_nquads: Path) -> None:
    out = subprocess.run([sys.executable, str(shared_dir / "tools" / "score_gold.py"), "--gold",
                          str(shared_dir / "gold" / "seed.yaml"), "--data", str(osslat_nquads)],
                         capture_output=True, text=True, check=False)
    assert "not one IRI" not in out.stdout and "translations not linked" not in out.stdout
    assert "must not be entities" not in out.stdout


def test_own_gold_micro_f1(shared_dir: Path, osslat_nquads: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import eval_extraction as ev
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(osslat_nquads), format=ox.RdfFormat.N_QUADS)
    result = ev.score(ev.Data(store), ev.gold_files(REPO / "tests" / "gold"))
    _p, _r, f1 = ev.micro(result["entities"], ["event", "project", "place"])
    assert f1 >= 0.9, result["entities"]


def test_candidates_lists_unknown_events_and_organizations(osslat_store) -> None:
    found_names = {(c.kind, c.name) for c in candidates(osslat_store.snapshot())}
    events = {n for k, n in found_names if k == "event"}
    assert any("Cloud Summit" in n for n in events)
    assert {"event", "project", "organization"} <= {k for k, _ in found_names}
    assert all(c.example for c in candidates(osslat_store.snapshot()))


@pytest.mark.parametrize(("text", "lang", "edition"), [
    ("Last year we were at FOSDEM and loved it.", "en", "event/fosdem/2024"),
    ("Next year FOSDEM will surely be bigger.", "en", "event/fosdem/2026"),
    ("FOSDEM took place in Brussels as always.", "en", "event/fosdem/2025"),
    ("El FOSDEM se celebró en Bruselas.", "es", "event/fosdem/2025"),
    ("O FOSDEM acontecerá em Bruxelas.", "pt", "event/fosdem/2025"),
])
def test_editions_from_relative_years_and_tense(extractor: Extractor, text: str, lang: str, edition: str) -> None:
    page = page_of("Notes\n" + text, lang=lang, date="2025-05-01")
    assert found(extractor.extract(page), page)["FOSDEM"] == edition
