"""Fixtures shared by the test modules: the graphs most tests read, each built once a session.

The built stores are shared, so a test must not build into them, edit their site or remove
anything: such a test builds a store of its own (`tmp_path`). Their snapshots are read-only
(LocalStore), so a write fails loudly rather than leaking into the next test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .helpers import REPO, site_generator

#: ../shared next to the repository: the osslat corpus, `hugo list` output and gold files.
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared read-only test data; tests that need it are skipped where it is absent."""
    if not (SHARED_DIR / "corpora").is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DIR} (expected ../shared next to the repository)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def osslat_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The osslat site (drafts included) built once into a real on-disk store for the whole session."""
    from graph.build.pipeline import BuildOptions, build
    from graph.store.local import LocalStore

    store = LocalStore(tmp_path_factory.mktemp("osslat") / "store")
    report = build(store, BuildOptions(site=shared_dir / "corpora" / "osslat", drafts=True))
    assert report.changed and not [p for p in report.problems if p.fatal]
    return store


@pytest.fixture(scope="session")
def osslat_nquads(osslat_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An N-Quads export of the osslat graph (what ../shared/tools/score_gold.py reads)."""
    from graph.query.export import export

    path = tmp_path_factory.mktemp("export") / "osslat.nq"
    with open(path, "wb") as f:
        export(osslat_store.snapshot(), "nquads", f)
    return path


@pytest.fixture(scope="session")
def content_store(tmp_path_factory: pytest.TempPathFactory):
    """The repository's own content/ (the founding post) built once into an on-disk store."""
    from graph.build.pipeline import BuildOptions, build
    from graph.store.local import LocalStore

    store = LocalStore(tmp_path_factory.mktemp("content") / "store")
    report = build(store, BuildOptions(site=REPO))
    assert report.changed and report.mapped == 1 and not report.problems
    return store


@pytest.fixture(scope="session")
def generated_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    """A site of 60 posts from bench/generate_site.py (seed 1), built once:
    (the generator's summary, the build report, the graph's snapshot)."""
    from graph.build.pipeline import BuildOptions, build
    from graph.store.local import LocalStore

    root = tmp_path_factory.mktemp("generated")
    summary = site_generator().generate(root / "site", 60, seed=1)
    store = LocalStore(root / "store")
    report = build(store, BuildOptions(site=root / "site"))
    return summary, report, store.snapshot()
