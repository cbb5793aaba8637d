"""A real wheel: `pip wheel .` ships the ontology, vocabulary, shapes, example queries and the web
templates, and an install of that wheel outside the repository builds a site (issue 15).

The wheel is installed with `pip install --target` into a temporary folder and run with `python -S`
(no site-packages processing: the repository's editable install cannot answer for it); the
dependencies are taken from this environment's site-packages, put on the path by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy of the sources: setuptools writes build/ and *.egg-info beside what it builds,
    # and a test must not leave them in the checkout
    source = tmp_path_factory.mktemp("source") / "postgraph"
    skipped = {".git", ".venv", ".test-deps", "build", "test-artifacts", ".hypothesis"}  # at the top only:
    # graph/build/ is a package

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == REPO
        return {n for n in names if (top and n in skipped) or n == "__pycache__" or n.endswith((".egg-info", "_cache"))}

    shutil.copytree(REPO, source, ignore=ignore)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = out.glob("postgraph-*.whl")
    return path


def test_the_wheel_holds_the_ontology_and_the_web_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    ontology = REPO / "ontology"
    expected = {f"postgraph_ontology/{p.relative_to(ontology).as_posix()}"
                for p in ontology.rglob("*") if p.suffix in (".ttl", ".rq")}
    assert expected and expected <= names, sorted(expected - names)[:5]
    web = REPO / "web"
    expected = {f"web/{p.relative_to(web).as_posix()}" for d in ("templates", "static") for p in (web / d).iterdir()}
    assert expected <= names, sorted(expected - names)[:5]


def test_an_installed_wheel_builds_a_site_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    site = tmp_path / "blog"
    shutil.copytree(REPO / "content", site / "content")
    script = (
        "import json, sys\n"
        "import graph, graph.ontology\n"
        "from graph.build.pipeline import BuildOptions, build\n"
        "from graph.store.local import MemoryStore\n"
        "store = MemoryStore()\n"
        f"build(store, BuildOptions(site=__import__('pathlib').Path({str(site)!r})))\n"
        "rows = store.snapshot().query('SELECT DISTINCT ?e WHERE { ?post <https://schema.org/mentions> ?e }')\n"
        "print(json.dumps({'graph': graph.__file__, 'ontology': str(graph.ontology.ONTOLOGY_DIR),\n"
        "                  'mentions': sorted(r[0].value for r in rows)}))\n")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(tmp_path)),
           "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"],
                                          sysconfig.get_paths()["platlib"]]),
           "POSTGRAPH_CACHE": "off"}
    done = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["graph"].startswith(str(target)), out["graph"]  # the wheel's code, not the checkout's
    assert out["ontology"].startswith(str(target)), out["ontology"]
    mentioned = " ".join(out["mentions"])
    # the founding post names the events, the foundation and the place (read from the vocabulary)
    for part in ("/id/event/scale/2025", "/id/event/openinfra-days-north-america/2025",
                 "/id/org/openinfra-foundation", "/id/place/us/ca/pasadena"):
        assert part in mentioned, part
