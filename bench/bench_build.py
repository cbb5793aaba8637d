#!/usr/bin/env python3
"""Build speed and memory: postgraph's build against ../shared/tools/floor_build.py on the same
generated site, in the same run; warm and incremental rebuilds; store size; export throughput.

    .venv/bin/python bench/bench_build.py [--posts 1000] [--seed 1] [--site DIR] [--workers N]
        [--remote] [--skip-floor] [--json FILE]

Each build runs in its own child process (`postgraph build`, as a user runs it), so its time
includes start-up and its peak memory is its own: the child reports `ru_maxrss` of itself and of
its worker processes. Figures are for people, not asserted anywhere (see bench/README.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = ROOT.parent / "shared" / "tools" / "floor_build.py"
sys.path.insert(0, str(ROOT))


def _generator():
    spec = importlib.util.spec_from_file_location("generate_site", ROOT / "bench" / "generate_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the child: one build, measured from inside ------------------------------------------------------

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from graph.build.pipeline import BuildOptions, build
from graph.store.local import open_store
site, spec, workers = sys.argv[1], sys.argv[2], sys.argv[3]
report = build(open_store(spec), BuildOptions(site=Path(site), workers=int(workers) if workers else None))
# stop the page workers kept for a next build, so that their peak memory is counted below
from graph.build import workers as page_workers
page_workers.shutdown()
print(json.dumps({"seconds": time.perf_counter() - t0, "build_seconds": report.seconds, "mapped": report.mapped,
                  "unchanged": report.unchanged, "removed": report.removed, "quads": report.quads,
                  "pages": report.pages, "changed": report.changed,
                  "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run_build(site: Path, store: str, workers: int | None) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(site), store, str(workers or "")], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"build failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_floor(site: Path, tmp: Path) -> dict:
    store = tmp / "floor-store"
    shutil.rmtree(store, ignore_errors=True)
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, str(FLOOR), str(site), "--store", str(store)], capture_output=True,
                         text=True, check=False)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"floor_build.py failed:\n{out.stderr[-3000:]}")
    m = re.search(r"in ([\d.]+) s", out.stdout)
    quads = re.search(r"([\d,]+) quads", out.stdout)
    return {"seconds": wall, "own_seconds": float(m[1]) if m else None, "line": out.stdout.strip(),
            "quads": int(quads[1].replace(",", "")) if quads else None,
            "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def edit(posts: list[Path], n: int, rng: random.Random, tag: str) -> list[Path]:
    """Append a sentence to `n` posts (a real content change: the page is mapped again)."""
    chosen = rng.sample(posts, n)
    for p in chosen:
        with open(p, "a", encoding="utf-8") as f:
            f.write(f"\nEdit {tag}: we met the Kubernetes and Ceph maintainers again.\n")
    return chosen


def export_throughput(store_dir: str, tmp: Path, formats: list[str]) -> list[dict]:
    from graph.query.export import FORMATS, export
    from graph.store.local import open_store

    snap = open_store(store_dir).snapshot()
    out = []
    for name in formats:
        path = tmp / f"export.{FORMATS[name].extension}"
        t0 = time.perf_counter()
        with open(path, "wb") as f:
            export(snap, name, f)
        seconds = time.perf_counter() - t0
        size = path.stat().st_size
        path.unlink()
        out.append({"format": name, "seconds": seconds, "mb": size / 1e6, "mb_per_s": size / 1e6 / seconds})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build speed against floor_build.py, rebuilds, memory, exports.")
    parser.add_argument("--posts", type=int, default=1000, help="posts of the generated site (default 1000; try 10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated site (default 1)")
    parser.add_argument("--site", type=Path, help="generate the site here (default: a cached one under $TMPDIR)")
    parser.add_argument("--workers", type=int, default=None, help="mapping processes (default: one per core)")
    parser.add_argument("--remote", action="store_true",
                        help="also build into a local `oxigraph serve` (the remote store), cold and warm")
    parser.add_argument("--exports", default="nquads,trig,ntriples,turtle,jsonld,rdfxml",
                        help="export formats to time, comma-separated ('' for none; each reads the whole store)")
    parser.add_argument("--skip-floor", action="store_true", help="do not run floor_build.py")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    gen = _generator()
    cached = args.site or Path(tempfile.gettempdir()) / "postgraph-bench" / f"site-{args.posts}-seed{args.seed}"
    marker = cached / gen.MARKER
    if not (marker.exists() and marker.read_text(encoding="utf-8") == gen.marker_text(args.posts, args.seed)):
        gen.generate(cached, args.posts, args.seed, jobs=os.cpu_count() or 1)
    results: dict = {"posts": args.posts, "seed": args.seed, "machine": {
        "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "load_before": os.getloadavg()}}
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}; "
          f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="postgraph-bench-build-") as tmpname:
        tmp = Path(tmpname)
        site = tmp / "site"
        shutil.copytree(cached, site)  # rebuild phases edit posts: never the cached copy
        posts = sorted(p for p in (site / "content").rglob("*.md") if not p.name.startswith("_index"))
        store = str(tmp / "store")

        if not args.skip_floor and FLOOR.exists():
            floor = run_floor(site, tmp)
            results["floor"] = floor
            print(f"floor_build.py: {floor['seconds']:.2f} s wall ({floor['line']})")
        cold = run_build(site, store, args.workers)
        results["cold"] = cold
        print(f"cold build: {cold['seconds']:.2f} s wall, {cold['pages']} pages, {cold['quads']:,} quads, "
              f"{cold['seconds'] / max(1, cold['pages']) * 1000:.1f} ms/page; peak RSS main "
              f"{cold['rss_main_mb']:.0f} MB, largest worker {cold['rss_worker_mb']:.0f} MB")
        if "floor" in results:
            ratio = cold["seconds"] / results["floor"]["seconds"]
            results["ratio_cold_vs_floor"] = ratio
            print(f"  ratio cold / floor: {ratio:.1f}x (target 3x)")
        size = du(Path(store))
        results["store_bytes"] = size
        print(f"store size: {size / 1e6:.0f} MB ({size / max(1, cold['quads']):.0f} bytes/quad)")

        rng = random.Random(args.seed)
        phases = [("warm (nothing changed)", 0), ("one post edited", 1),
                  ("1% of posts edited", max(1, len(posts) // 100))]
        for label, n in phases:
            if n:
                edit(posts, n, rng, label)
            r = run_build(site, store, args.workers)
            r["edited"] = n
            results[label] = r
            print(f"{label}: {r['seconds']:.2f} s wall ({r['mapped']} mapped, {r['unchanged']} unchanged), "
                  f"{r['seconds'] / cold['seconds'] * 100:.1f}% of the cold build (target < 10%)")

        exports = export_throughput(store, tmp, [f for f in args.exports.split(",") if f])
        results["exports"] = exports
        for e in exports:
            print(f"export {e['format']:<9} {e['seconds']:6.2f} s  {e['mb']:8.1f} MB  {e['mb_per_s']:6.1f} MB/s  "
                  f"{cold['quads'] / e['seconds'] / 1e6:.2f} M quads/s")

        if args.remote:
            from tests.oxigraph_server import oxigraph_server  # ROOT is on sys.path

            with oxigraph_server(tmp / "oxigraph") as url:
                rc = run_build(site, url, args.workers)
                rw = run_build(site, url, args.workers)
                edit(posts, 1, rng, "remote")
                r1 = run_build(site, url, args.workers)
                results["remote"] = {"cold": rc, "warm": rw, "one_post": r1, "server_bytes": du(tmp / "oxigraph")}
                print(f"remote (oxigraph serve): cold {rc['seconds']:.2f} s ({rc['seconds'] / cold['seconds']:.2f}x "
                      f"the local cold build), warm {rw['seconds']:.2f} s, one post edited {r1['seconds']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
