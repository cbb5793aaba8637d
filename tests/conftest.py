"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    from graph.build import BuildOptions, build
    from graph.store import LocalStore

    store = LocalStore(tmp_path_factory.mktemp("osslat") / "store")
    report = build(store, BuildOptions(site=shared_dir / "corpora" / "osslat", drafts=True))
    assert report.changed and not [p for p in report.problems if p.fatal]
    return store


@pytest.fixture(scope="session")
def osslat_nquads(osslat_store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An N-Quads export of the osslat graph (what ../shared/tools/score_gold.py reads)."""
    from graph.export import export

    path = tmp_path_factory.mktemp("export") / "osslat.nq"
    with open(path, "wb") as f:
        export(osslat_store.snapshot(), "nquads", f)
    return path
