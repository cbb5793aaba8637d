#!/usr/bin/env python3
"""Adversarial page shapes: does a build take time linear in the size of what it is given?

    .venv/bin/python bench/bench_shapes.py [--shapes a,b,...] [--scale 1.0] [--limit 300]
        [--page-timeout S] [--page-memory MB] [--json FILE]

Each shape is something no real post looks like but a broken or malicious one might: a very long
line, a name repeated 10^5 times, thousands of headings, a huge table, deeply nested lists and
quotes, a 1 MB front matter, 10^4 tags, thousands of tiny files, unclosed markup... For each, a
one-page site (or, for the file counts, a site of many pages) is generated at size n, 2n and 4n
and built in a child process, as `postgraph build` would (each build pays the same start-up).
Printed per shape: the time at each size, the cost of each MB added from n to 4n, and how the
second doubling's added time compares with the first's (2x when linear, 4x when quadratic; the
start-up and fixed costs cancel out of both). A build of a one-line post is timed first, for
reference. A shape whose
page is stopped by the per-page budget says so, with the build's message. `growing-file` is
different: a file that another process keeps appending to while the build runs; the build must
end, and say what it did with the file.

--page-timeout 0 turns the budgets off (pages are mapped in the main process), to see a shape's
raw cost. A build that runs past --limit seconds is stopped and the shape's larger sizes are not
tried. Figures are for people (see bench/README.md); nothing asserts them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONFIG = 'baseURL = "https://shapes.example/"\ntitle = "Shapes"\n'
FRONT = '---\ntitle: "Shape"\ndate: 2025-04-01\n---\n'
SENTENCE = "OpenStack was co-located with KubeCon in Paris, France on November 12, 2024. "


def _fit(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _deep(size: int, line: Callable[[int], str]) -> str:
    """Lines nested one level deeper each, as many as fit in `size` bytes (depth ~ sqrt(size))."""
    out, used, depth = [], 0, 0
    while used < size:
        text = line(depth)
        out.append(text)
        used += len(text)
        depth += 1
    return "".join(out)


#: name -> (what it is, size of n in bytes (file shapes: in files), files of the site at size n)
Shape = tuple[str, int, Callable[[int], dict[str, str]]]
SHAPES: dict[str, Shape] = {
    "long-line": ("one line of letters with no space, a name at its end", 512 * 1024,
                  lambda n: {"p.md": FRONT + "x" * n + " OpenStack\n"}),
    "long-paragraph": ("one paragraph of sentences (names, places, dates), no blank line", 256 * 1024,
                       lambda n: {"p.md": FRONT + _fit(SENTENCE + "\n", n)}),
    "repeated-name": ("a project name repeated (10^5 times at 2n)", 512 * 1024,
                      lambda n: {"p.md": FRONT + _fit("Kubernetes ", n) + "\n"}),
    "headings": ("thousands of headings, each naming a project", 128 * 1024,
                 lambda n: {"p.md": FRONT + _fit("## Heading about Kubernetes\n\nSome text.\n\n", n)}),
    "table": ("a huge table whose cells name projects", 128 * 1024,
              lambda n: {"p.md": FRONT + "| a | b | c |\n|---|---|---|\n" + _fit("| Ceph | OpenStack | x |\n", n)}),
    "nested-list": ("a list nested one level deeper on each line", 256 * 1024,
                    lambda n: {"p.md": FRONT + _deep(n, lambda d: "  " * d + "- OpenStack level\n")}),
    "nested-quotes": ("a quote nested one level deeper on each line", 256 * 1024,
                      lambda n: {"p.md": FRONT + _deep(n, lambda d: ">" * d + " Kubernetes quote\n")}),
    "front-matter-string": ("a front matter with one 1 MB string (at 4n)", 256 * 1024,
                            lambda n: {"p.md": '---\ntitle: "Shape"\ndate: 2025-04-01\ndescription: "'
                                       + _fit("lorem ipsum ", n) + '"\n---\nBody about OpenStack.\n'}),
    "front-matter-keys": ("a front matter with tens of thousands of keys", 128 * 1024,
                          lambda n: {"p.md": '---\ntitle: "Shape"\ndate: 2025-04-01\n'
                                     + "".join(f"k{i}: v{i}\n" for i in range(n // 12))
                                     + "---\nBody about OpenStack.\n"}),
    "tags": ("a post with 10^4 tags (at 4n)", 32 * 1024,
             lambda n: {"p.md": '---\ntitle: "Shape"\ndate: 2025-04-01\ntags: ['
                        + ", ".join(f"tag number {i}" for i in range(n // 16)) + "]\n---\nBody about OpenStack.\n"}),
    "abbreviations": ("a paragraph of abbreviations that end no sentence ('e.g. No. 5 vs. St.')", 128 * 1024,
                      lambda n: {"p.md": FRONT + _fit("e.g. No. 5 vs. St. OpenStack ", n) + "\n"}),
    "open-brackets": ("'[' after '[' on one line, never closed", 128 * 1024,
                      lambda n: {"p.md": FRONT + _fit("[OpenStack ", n) + "\n"}),
    "open-backticks": ("backticks that open inline code and never close", 128 * 1024,
                       lambda n: {"p.md": FRONT + _fit("`OpenStack ", n) + "\n"}),
    "open-shortcodes": ("'{{<' shortcode openers that never close", 128 * 1024,
                        lambda n: {"p.md": FRONT + _fit("{{< OpenStack ", n) + "\n"}),
    "dotted-word": ("one word of dot-separated letters ('a.b.c…', a domain that never ends)", 128 * 1024,
                    lambda n: {"p.md": FRONT + "see " + _fit("ab.", n) + " OpenStack\n"}),
    "emphasis": ("runs of '*' and '_' around a name", 128 * 1024,
                 lambda n: {"p.md": FRONT + _fit("**_OpenStack_** ", n) + "\n"}),
    "tiny-files": ("many tiny posts (n files)", 250,
                   lambda n: {f"p{i:06d}.md": f'---\ntitle: "Tiny {i}"\ndate: 2025-04-01\n---\nOpenStack.\n'
                              for i in range(n)}),
}

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from graph.build.pipeline import BuildOptions, build
from graph.store.local import open_store
site, store, extra = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
report = build(open_store(store), BuildOptions(site=Path(site), **extra))
# stop the page workers kept for a next build, so that their peak memory is counted below
from graph.build import workers as page_workers
page_workers.shutdown()
print(json.dumps({"seconds": time.perf_counter() - t0, "mapped": report.mapped, "pages": report.pages,
                  "problems": [str(p) for p in report.problems if p.fatal],
                  "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def write_site(root: Path, files: dict[str, str]) -> int:
    """The site's content bytes."""
    shutil.rmtree(root, ignore_errors=True)
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    size = 0
    for name, text in files.items():
        data = text.encode("utf-8")
        (posts / name).write_bytes(data)
        size += len(data)
    return size


def run_build(site: Path, store: Path, extra: dict, limit: float) -> dict | None:
    """One build in a child process; None when it ran past `limit` seconds (and was killed)."""
    shutil.rmtree(store, ignore_errors=True)
    started = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-c", _CHILD, str(site), str(store), json.dumps(extra)],
                             cwd=ROOT, capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        raise SystemExit(f"build failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def growing_file(tmp: Path, extra: dict, limit: float) -> dict:
    """A post appended to, 64 KiB every 10 ms (about 6 MiB/s, like a log), for as long as its build
    runs (at most 256 MiB)."""
    site = tmp / "growing"
    write_site(site, {"good.md": FRONT + SENTENCE + "\n", "growing.md": FRONT + SENTENCE + "\n"})
    path = site / "content" / "posts" / "growing.md"
    stop = threading.Event()
    chunk = (SENTENCE * (65536 // len(SENTENCE))).encode()

    def grow() -> None:
        with open(path, "ab") as f:
            while not stop.is_set() and f.tell() < 256 * 1024 * 1024:
                f.write(chunk)
                f.flush()
                time.sleep(0.01)

    writer = threading.Thread(target=grow, daemon=True)
    writer.start()
    try:  # with the build's own --max-file-size, which the file soon outgrows
        result = run_build(site, tmp / "store", {k: v for k, v in extra.items() if k != "max_file_bytes"}, limit)
    finally:
        stop.set()
        writer.join()
    if result is not None:
        result["final_mb"] = path.stat().st_size / 1024 / 1024
    return result or {"wall": None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build time of adversarial page shapes at n, 2n and 4n.")
    parser.add_argument("--shapes", default=",".join([*SHAPES, "growing-file"]),
                        help="comma-separated shapes (default: all): " + ", ".join([*SHAPES, "growing-file"]))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every shape's n by this")
    parser.add_argument("--limit", type=float, default=300, help="stop a build after this many seconds")
    parser.add_argument("--page-timeout", type=float, default=None,
                        help="BuildOptions.page_timeout (seconds per MB; 0: no budgets); default: the build's")
    parser.add_argument("--page-memory", type=float, default=None, help="BuildOptions.page_memory (MB)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    # the file size limit is not what is measured here: shapes up to 4n pass it
    extra: dict = {"max_file_bytes": 256 * 1024 * 1024}
    if args.page_timeout is not None:
        extra["page_timeout"] = args.page_timeout
    if args.page_memory is not None:
        extra["page_memory"] = args.page_memory
    wanted = [s.strip() for s in args.shapes.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SHAPES and s != "growing-file"]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}; "
          f"load average {os.getloadavg()[0]:.2f}; options {extra}", flush=True)
    results: dict = {"options": extra, "shapes": {}}
    with tempfile.TemporaryDirectory(prefix="postgraph-bench-shapes-") as tmpname:
        tmp = Path(tmpname)
        write_site(tmp / "base", {"p.md": FRONT + "A short post about OpenStack.\n"})
        base = min(run_build(tmp / "base", tmp / "store", extra, args.limit)["wall"] for _ in range(3))
        results["base_seconds"] = base
        print(f"a one-line post: {base:.2f} s (start-up and fixed costs)", flush=True)
        for name in wanted:
            if name == "growing-file":
                r = growing_file(tmp, extra, args.limit)
                results["shapes"][name] = r
                said = "; ".join(p for p in r.get("problems", []) if "growing" in p) or "read whole"
                print(f"{name:<20} a post appended to while the build runs: "
                      + (f"built in {r['wall']:.2f} s; the file was {r['final_mb']:.0f} MiB at the end; {said}"
                         if r["wall"] is not None else f"did not end within {args.limit:g} s"), flush=True)
                continue
            what, n0, make = SHAPES[name]
            n0 = max(1, int(n0 * args.scale))
            rows = []
            for factor in (1, 2, 4):
                size = write_site(tmp / name, make(n0 * factor))
                r = run_build(tmp / name, tmp / "store", extra, args.limit)
                if r is None:
                    rows.append({"n": n0 * factor, "bytes": size, "wall": None})
                    break
                rows.append({"n": n0 * factor, "bytes": size, "wall": r["wall"], "own": max(0.0, r["wall"] - base),
                             "problems": r["problems"], "rss_worker_mb": r["rss_worker_mb"],
                             "rss_main_mb": r["rss_main_mb"]})
            results["shapes"][name] = {"what": what, "sizes": rows}
            cells = " ".join(f"{row['bytes'] / 1e6:6.2f} MB {row['wall']:6.2f} s" if row["wall"] is not None
                             else f"{row['bytes'] / 1e6:6.2f} MB  > {args.limit:g} s" for row in rows)
            done = [row for row in rows if row["wall"] is not None]
            note = ""
            if len(done) == 3:
                t1, t2, t4 = (row["wall"] for row in done)
                # per MB added, and how the second doubling compares with the first: the start-up
                # and fixed costs cancel out in both (linear: 2; n log n: a little over 2; quadratic: 4)
                per_mb = (t4 - t1) / ((done[2]["bytes"] - done[0]["bytes"]) / 1e6)
                step = (t4 - t2) / (t2 - t1) if t2 - t1 >= 0.15 else None
                verdict = "too fast to tell" if step is None else "linear" if step < 3 else "SUPERLINEAR"
                results["shapes"][name].update(doubling=step, seconds_per_mb=per_mb)
                note = (f"{per_mb:5.2f} s/MB, " + (f"second doubling {step:4.1f}x the first" if step is not None
                                                   else "each doubling < 0.15 s") + f" ({verdict})")
                if name == "tiny-files":
                    note += f", {(t4 - t1) / (done[2]['n'] - done[0]['n']) * 1000:.1f} ms/file"
            else:
                note = "stopped: too slow"
            stopped = [p for row in done for p in row["problems"]]
            if stopped:
                note += f"; stopped by the budget: {stopped[-1]}"
            print(f"{name:<20} {cells}  {note}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
