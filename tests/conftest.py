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
