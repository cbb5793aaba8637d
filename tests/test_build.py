"""Building the repository's own site (content/) and small fixture sites: mapping checked by SPARQL."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.pipeline import BuildFailed, BuildOptions, build
from graph.query.sparql import run
from graph.store.local import LocalStore, MemoryStore

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "content" / "openinfradays" / "openinfra-scale-2025-recap.md"
SEED_IRI = "https://blog.example.org/openinfradays/openinfra-scale-2025-recap/"


def select(store: ox.Store, sparql: str) -> list[dict[str, str]]:
    answer = run(store, sparql)
    names = answer.variables
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in answer.result]


def ask(store: ox.Store, sparql: str) -> bool:
    return bool(run(store, sparql).result)


@pytest.fixture(scope="module")
def content_graph(content_store) -> ox.Store:
    """The founding post's graph (conftest's content_store: built once, read-only)."""
    return content_store.snapshot()


def test_post_is_a_blog_posting_under_its_permalink(content_graph: ox.Store) -> None:
    rows = select(content_graph, f"""SELECT ?headline ?lang ?date ?url WHERE {{
        <{SEED_IRI}> a schema:BlogPosting ; schema:headline ?headline ; schema:inLanguage ?lang ;
            schema:datePublished ?date ; schema:url ?url }}""")
    assert rows == [{
        "headline": "Why OpenInfraDays NA and SCaLE Are a Perfect Match: A Pasadena Event Recap",
        "lang": "en", "date": "2025-04-18T10:00:00-06:00", "url": SEED_IRI,
    }]
    assert ask(content_graph, f"""ASK {{ <{SEED_IRI}> schema:headline ?h FILTER(lang(?h) = "en")
        <{SEED_IRI}> schema:datePublished ?d FILTER(datatype(?d) = xsd:dateTime) }}""")


def test_post_is_in_its_own_named_graph_with_provenance(content_graph: ox.Store) -> None:
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    rows = select(content_graph, f"""SELECT ?path ?hash ?version ?time WHERE {{
        GRAPH <{SEED_IRI}> {{
            <{SEED_IRI}> prov:wasDerivedFrom ?src ; prov:wasGeneratedBy ?act .
            ?src a prov:Entity ; pg:sourcePath ?path ; pg:contentHash ?hash .
            ?act a prov:Activity ; prov:used ?src ; pg:extractorVersion ?version ; prov:endedAtTime ?time }} }}""")
    assert len(rows) == 1
    assert rows[0]["path"] == "content/openinfradays/openinfra-scale-2025-recap.md"
    assert rows[0]["hash"] == digest
    assert rows[0]["version"]


def test_tags_categories_and_author(content_graph: ox.Store) -> None:
    tags = {r["label"] for r in select(content_graph, f"""SELECT ?label WHERE {{
        <{SEED_IRI}> schema:keywords ?t . ?t a skos:Concept ; skos:prefLabel ?label ;
        skos:inScheme ?scheme . ?scheme a skos:ConceptScheme }}""")}
    assert {"OpenInfra", "SCaLE", "OpenStack", "Kubernetes", "AI", "Community", "OpenInfraDays"} == tags
    categories = {r["label"] for r in select(content_graph, f"""SELECT ?label WHERE {{
        <{SEED_IRI}> schema:articleSection/skos:prefLabel ?label }}""")}
    assert categories == {"events", "OpenInfraDays"}
    authors = select(content_graph, f"""SELECT ?id ?type WHERE {{
        <{SEED_IRI}> schema:author ?a . ?a schema:identifier ?id ; a ?type }}""")
    assert authors == [{"id": "oss.lat", "type": "https://schema.org/Person"}]
    images = select(content_graph, f"SELECT ?i WHERE {{ <{SEED_IRI}> schema:image ?i }}")
    assert images == [{"i": "https://blog.example.org/images/blog/openinfradays/openinfra-scale-2025.jpg"}]


def test_site_graph_and_ontology_graph(content_graph: ox.Store) -> None:
    graphs = {r["g"] for r in select(content_graph, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert graphs == {SEED_IRI, "https://blog.example.org/id/graph/site",
                      "https://blog.example.org/id/graph/ontology", "https://blog.example.org/id/graph/vocabulary"}
    assert ask(content_graph, """ASK { <https://blog.example.org/> a schema:WebSite ;
        schema:name "postgraph demo" }""")


def test_same_input_same_iris() -> None:
    first, second = MemoryStore(), MemoryStore()
    build(first, BuildOptions(site=REPO))
    build(second, BuildOptions(site=REPO))
    drop_time = "FILTER(?p != prov:endedAtTime && !isBlank(?s) && !isBlank(?o))"
    q = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o {drop_time} }} }} ORDER BY ?g ?s ?p ?o"
    assert select(first.snapshot(), q) == select(second.snapshot(), q)


def test_base_iri_option() -> None:
    store = MemoryStore()
    build(store, BuildOptions(site=REPO, entity_base="https://kg.example.net/x/"))
    assert ask(store.snapshot(), f"""ASK {{ <{SEED_IRI}> schema:author
        <https://kg.example.net/x/author/oss.lat> }}""")


# -- incremental and atomic builds ---------------------------------------------------------------

def _write(path: Path, title: str, body: str = "Body.", date: str = "2025-01-02") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: \"{title}\"\ndate: {date}\ntags: [a]\n---\n{body}\n", encoding="utf-8")


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "t"\n', encoding="utf-8")
    for i in range(5):
        _write(site / "content" / "posts" / f"p{i}.md", f"Post {i}")
    return site


def _activity_times(store: ox.Store) -> dict[str, str]:
    """Page graph -> the extraction that made it (with its time): changes only when re-mapped."""
    return {r["g"]: r["a"] + r["t"] for r in select(store, """SELECT ?g ?a ?t WHERE { GRAPH ?g {
        ?g prov:wasGeneratedBy ?a . ?a prov:endedAtTime ?t } }""")}


def test_incremental_build(small_site: Path, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    first = build(store, BuildOptions(site=small_site))
    assert first.changed and first.mapped == 5
    gen = store.generation()
    before = _activity_times(store.snapshot())

    again = build(store, BuildOptions(site=small_site))
    assert not again.changed and again.mapped == 0 and again.unchanged == 5
    assert store.generation() == gen, "an unchanged site must not write a new generation"

    _write(small_site / "content" / "posts" / "p1.md", "Post 1 edited", body="New body.")
    edited = build(store, BuildOptions(site=small_site))
    assert edited.changed and edited.mapped == 1 and edited.unchanged == 4
    after = _activity_times(store.snapshot())
    changed = {g for g in before if before[g] != after.get(g)}
    assert changed == {"https://example.org/posts/p1/"}
    assert select(store.snapshot(), """SELECT ?h WHERE { <https://example.org/posts/p1/> schema:headline ?h }""") \
        == [{"h": "Post 1 edited"}]

    (small_site / "content" / "posts" / "p2.md").unlink()
    removed = build(store, BuildOptions(site=small_site))
    assert removed.removed == 1
    assert not ask(store.snapshot(), "ASK { GRAPH <https://example.org/posts/p2/> { ?s ?p ?o } }")
    assert len(_activity_times(store.snapshot())) == 4


def test_unreadable_file_keeps_its_last_good_graph(small_site: Path, tmp_path: Path) -> None:
    """A typo in a post's front matter is reported and must not take the post out of the graph."""
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=small_site))
    post = small_site / "content" / "posts" / "p1.md"
    good = post.read_text(encoding="utf-8")
    post.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    gen = store.generation()
    broken = build(store, BuildOptions(site=small_site))
    assert [p.path for p in broken.problems] == ["content/posts/p1.md"]
    assert broken.removed == 0 and broken.kept == ["https://example.org/posts/p1/"]
    assert select(store.snapshot(), "SELECT ?h WHERE { <https://example.org/posts/p1/> schema:headline ?h }") \
        == [{"h": "Post 1"}]
    # nothing was written, but the stored report (stats, home page) tells of the broken file
    assert not broken.changed and store.generation() == gen
    info = store.info()
    assert info["kept"] == ["https://example.org/posts/p1/"] and "content/posts/p1.md" in info["problems"][0]
    assert info["built_at"] and info["checked_at"]

    post.write_text(good.replace("Post 1", "Post 1 fixed"), encoding="utf-8")
    fixed = build(store, BuildOptions(site=small_site))
    assert fixed.mapped == 1 and fixed.kept == [] and not fixed.problems
    assert store.info()["kept"] == [] and store.info()["problems"] == []
    assert select(store.snapshot(), "SELECT ?h WHERE { <https://example.org/posts/p1/> schema:headline ?h }") \
        == [{"h": "Post 1 fixed"}]

    post.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    build(store, BuildOptions(site=small_site))
    post.unlink()  # deleting the file is what takes a post out
    gone = build(store, BuildOptions(site=small_site))
    assert gone.removed == 1 and gone.kept == []
    assert not ask(store.snapshot(), "ASK { GRAPH <https://example.org/posts/p1/> { ?s ?p ?o } }")


def test_failed_build_leaves_previous_graph(small_site: Path, tmp_path: Path, monkeypatch) -> None:
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=small_site))
    gen = store.generation()
    _write(small_site / "content" / "posts" / "p0.md", "Changed")

    def boom(*_args, **_kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(ox.Store, "bulk_load", boom)
    monkeypatch.setattr(ox.Store, "load", boom)  # small batches go in by an ordinary transaction
    with pytest.raises(OSError, match="simulated"):
        build(store, BuildOptions(site=small_site))
    monkeypatch.undo()
    assert store.generation() == gen
    assert select(store.snapshot(), "SELECT ?h WHERE { <https://example.org/posts/p0/> schema:headline ?h }") \
        == [{"h": "Post 0"}]
    leftovers = [p for p in (tmp_path / "store").glob("gen-*") if p.is_dir()]
    assert [p.name for p in leftovers] == [gen], "the failed generation was not cleaned up"
    build(store, BuildOptions(site=small_site))
    assert select(store.snapshot(), "SELECT ?h WHERE { <https://example.org/posts/p0/> schema:headline ?h }") \
        == [{"h": "Changed"}]


def test_readers_keep_the_old_graph_until_commit(small_site: Path, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=small_site))
    reader = LocalStore(tmp_path / "store")  # as another process (the web app) would
    old = reader.snapshot()
    _write(small_site / "content" / "posts" / "p9.md", "Post 9")
    build(store, BuildOptions(site=small_site))
    assert not ask(old, "ASK { <https://example.org/posts/p9/> ?p ?o }")
    assert ask(reader.snapshot(), "ASK { <https://example.org/posts/p9/> ?p ?o }")


def test_strict_refuses_and_keeps_store(small_site: Path, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=small_site))
    gen = store.generation()
    (small_site / "content" / "posts" / "bad.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build(store, BuildOptions(site=small_site, strict=True))
    assert any("content/posts/bad.md" in str(p) for p in info.value.report.problems)
    assert store.generation() == gen
    report = build(store, BuildOptions(site=small_site))  # not strict: the rest is built
    assert any(p.path == "content/posts/bad.md" and p.line for p in report.problems)


def test_bare_folder_of_markdown(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    shutil.copytree(REPO / "content", folder)
    store = MemoryStore()
    report = build(store, BuildOptions(site=folder))
    assert report.mapped == 1
    assert ask(store.snapshot(), """ASK { ?p a schema:BlogPosting ; schema:headline ?h
        FILTER(STRSTARTS(STR(?h), "Why OpenInfraDays NA")) }""")


def test_worker_processes_give_the_same_graph(small_site: Path, monkeypatch) -> None:
    import graph.build.workers as workers_module

    serial, parallel = MemoryStore(), MemoryStore()
    build(serial, BuildOptions(site=small_site, page_timeout=0))  # no budgets: all in this process
    monkeypatch.setattr(workers_module, "PAGES_PER_WORKER", 1)  # two workers even for a few pages
    monkeypatch.setattr(workers_module, "CHUNK", 1)
    build(parallel, BuildOptions(site=small_site, workers=2))
    q = ("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(?p != prov:endedAtTime && !isBlank(?s) "
         "&& !isBlank(?o)) } } ORDER BY ?g ?s ?p ?o")
    assert select(serial.snapshot(), q) == select(parallel.snapshot(), q)


def test_a_parents_cascade_change_remaps_its_children(tmp_path: Path) -> None:
    """A page's graph depends on its effective front matter: a `cascade` in the section's _index.md
    changes it without touching the page's file, and the next build must map the page again."""
    site = tmp_path / "site"
    (site / "content" / "blog").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    index = site / "content" / "blog" / "_index.md"
    index.write_text("---\ntitle: Blog\ncascade:\n  description: first\n---\n", encoding="utf-8")
    (site / "content" / "blog" / "post.md").write_text("---\ntitle: Post\ndate: 2025-01-01\n---\nText.\n",
                                                        encoding="utf-8")
    store = MemoryStore()
    build(store, BuildOptions(site=site))
    index.write_text("---\ntitle: Blog\ncascade:\n  description: second\n---\n", encoding="utf-8")
    report = build(store, BuildOptions(site=site))
    assert report.mapped == 2  # the section page and the post below it
    described = select(store.snapshot(), "SELECT ?d WHERE { ?p a schema:BlogPosting ; schema:description ?d }")
    assert described == [{"d": "second"}]


def test_one_file_that_is_a_page_in_two_languages(tmp_path: Path) -> None:
    """A mount's `sites.matrix.languages` makes one file a page in each language: two posts, each the
    other's translation (the build once keyed pages by file path and kept one of them)."""
    site = tmp_path / "site"
    (site / "shared").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
        "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n"
        '[[module.mounts]]\nsource = "shared"\ntarget = "content/notes"\n'
        '[module.mounts.sites.matrix]\nlanguages = ["en", "de"]\n', encoding="utf-8")
    (site / "shared" / "note.md").write_text("---\ntitle: Note\ndate: 2025-01-01\n---\nText.\n", encoding="utf-8")
    store = MemoryStore()
    report = build(store, BuildOptions(site=site))
    assert report.mapped >= 2 and not report.problems
    links = select(store.snapshot(), "SELECT ?a ?b WHERE { ?a a schema:BlogPosting ; schema:workTranslation ?b }")
    assert sorted((r["a"], r["b"]) for r in links) == [
        ("https://example.org/de/notes/note/", "https://example.org/notes/note/"),
        ("https://example.org/notes/note/", "https://example.org/de/notes/note/")]
