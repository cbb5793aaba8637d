#!/usr/bin/env python3
"""The graph page on a large site: server time for its data and time to a drawn graph in Chromium.

    python bench/bench_graph_page.py [--posts 10000] [--site DIR] [--store DIR] [--seed 1] [--runs 5]
                                     [--limit 300]

In one process: generate the synthetic site (or reuse it, as bench_sparql.py does), bring the
store in `--store` up to date (a store built before is reused in seconds), serve the app with
waitress on a loopback port, and measure

- the projection of the entity graph (once per store generation; the first request pays it),
- `GET /graph/data.json` afterwards (the bounded subgraph, median of --runs),
- the baseline: pyvis' own `Network` (the way pyvis users build a page) given the same nodes and
  edges and asked for its HTML, in the same process (ratio baseline / ours),
- in headless Chromium (Debian's /usr/bin/chromium through Playwright): from navigation to the
  first drawn network, and to the end of the physics stabilisation (median of --runs; the
  projection is already cached). Target: under 2 s to a drawn graph.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_sparql import site_for  # noqa: E402

from graph.build.pipeline import BuildOptions, build  # noqa: E402
from graph.explore import analysis, network  # noqa: E402
from graph.store.local import LocalStore  # noqa: E402

CHROMIUM = os.environ.get("POSTGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def pyvis_baseline(data: dict) -> float:
    """Seconds for pyvis to build the same network and write its HTML."""
    from pyvis.network import Network

    t = time.perf_counter()
    net = Network(height="800px", width="100%", cdn_resources="remote")
    for n in data["nodes"]:
        net.add_node(n["id"], label=n["label"], color=n["color"], shape=n["shape"], value=n["value"])
    for e in data["edges"]:
        net.add_edge(e["from"], e["to"])
    net.generate_html()
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts of the synthetic site (default 10000)")
    parser.add_argument("--site", type=Path, help="a Hugo site, or where to generate/cache the synthetic one")
    parser.add_argument("--store", type=Path, help="store directory, kept and reused (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure; medians reported (default 5)")
    parser.add_argument("--limit", type=int, default=network.DEFAULT_LIMIT, help="nodes drawn (default 300)")
    args = parser.parse_args()

    site = site_for(args)
    tmp = None
    if args.store is None:
        tmp = tempfile.TemporaryDirectory(prefix="postgraph-bench-graph-")
        args.store = Path(tmp.name) / "store"
    store = LocalStore(args.store)
    t = time.perf_counter()
    report = build(store, BuildOptions(site=site))
    print(f"store: {args.store}: {report.pages:,} pages, up to date in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    eg = analysis.project(store.snapshot())
    eg.pagerank()
    projection_s = time.perf_counter() - t
    print(f"entity graph: {eg.graph.number_of_nodes():,} entities, {eg.graph.number_of_edges():,} links, "
          f"projected with PageRank in {projection_s:.2f} s")

    from waitress.server import create_server

    from web.app import create_app

    app = create_app(store)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/graph/data.json?limit={args.limit}"

    t = time.perf_counter()
    body = urllib.request.urlopen(url, timeout=600).read()
    first_s = time.perf_counter() - t
    timings = []
    for _ in range(args.runs):
        t = time.perf_counter()
        body = urllib.request.urlopen(url, timeout=600).read()
        timings.append(time.perf_counter() - t)
    import json

    data = json.loads(body)
    ours_s = statistics.median(timings)
    baseline = [pyvis_baseline(data) for _ in range(max(1, min(args.runs, 3)))]
    base_s = statistics.median(baseline)
    print(f"/graph/data.json ({len(data['nodes'])} nodes, {len(data['edges']):,} edges, {len(body) / 1e6:.2f} MB): "
          f"first request {first_s:.2f} s (projection included), then {ours_s * 1000:.0f} ms (median of {args.runs})")
    print(f"pyvis Network + HTML for the same nodes and edges: {base_s * 1000:.0f} ms "
          f"-> pyvis / ours = {base_s / ours_s:.1f}x")

    if not Path(CHROMIUM).exists():
        print(f"browser: skipped (no Chromium at {CHROMIUM})")
        return 0
    from playwright.sync_api import sync_playwright

    drawn, stable = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(args.runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t = time.perf_counter()
            page.goto(f"{base}/graph?limit={args.limit}")
            page.wait_for_selector("#graph[data-drawn]", timeout=120_000)
            drawn.append(time.perf_counter() - t)
            page.wait_for_selector("#graph[data-stabilized=true]", timeout=300_000)
            stable.append(time.perf_counter() - t)
            page.close()
        browser.close()
    server.close()
    print(f"Chromium: graph drawn {statistics.median(drawn):.2f} s, layout stabilised {statistics.median(stable):.2f} s "
          f"after navigation (median of {args.runs}; target < 2 s to a drawn graph)")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
