#!/usr/bin/env python3
"""Load test: many concurrent clients against a real `postgraph serve`, throughput and latency per route.

    python bench/load.py [--posts 10000] [--site DIR] [--store DIR] [--clients 50] [--seconds 60]
                         [--threads 16] [--query-workers 2] [--url URL]

Starts `postgraph serve --no-build` on a free loopback port over the store in --store (built from the
synthetic site first if needed; a store built before is reused), unless --url points at a server
already running. Then --clients threads, each with its own keep-alive connection, pick requests at
random (seeded) from a mix for --seconds:

- /sparql: small SELECTs (counts, lookups with LIMIT, a text filter) as JSON,
- entity pages (/id/…) as HTML and as Turtle, /describe for a post,
- /search?q=… and /search.json,
- /graph/data.json (the bounded view) and /graph,
- the home page.

The entity IRIs and search words come from the store itself. Prints requests per second, p50 and
p99 latency per route and every error (any status other than 200). A route that answers 404 (a
server without it) is dropped from the mix, with a note.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

SMALL_QUERIES = [
    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a schema:BlogPosting }",
    "SELECT ?lang (COUNT(?p) AS ?n) WHERE { ?p a schema:BlogPosting ; schema:inLanguage ?lang } GROUP BY ?lang",
    "SELECT ?p ?h WHERE { ?p schema:headline ?h } LIMIT 20",
    "SELECT DISTINCT ?e ?name WHERE { ?e a schema:Event ; schema:name ?name } LIMIT 50",
    'SELECT ?p ?h WHERE { ?p schema:headline ?h FILTER(CONTAINS(LCASE(STR(?h)), "kubernetes")) } LIMIT 20',
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pick_targets(store_path: Path) -> tuple[list[str], list[str], list[str]]:
    """Entity paths under /id/, post IRIs and search words, read from the store."""
    from graph.query.sparql import run
    from graph.store.local import open_store

    store = open_store(str(store_path))
    snap = store.snapshot()
    base = store.info().get("entity_base", "")
    entities = [r["e"].value[len(base):] for r in run(snap, f"""
        SELECT ?e (COUNT(?p) AS ?n) WHERE {{ ?p schema:mentions ?e FILTER(STRSTARTS(STR(?e), "{base}")) }}
        GROUP BY ?e ORDER BY DESC(?n) LIMIT 200""").result]
    posts = [r["p"].value for r in run(snap, "SELECT ?p WHERE { ?p a schema:BlogPosting } LIMIT 200").result]
    words = ["kubernetes", "openstack", "pasadena", "scale", "ceph", "são paulo", "linux", "cloud", "summit", "zuul"]
    return entities, posts, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts of the synthetic site (default 10000)")
    parser.add_argument("--site", type=Path, help="a Hugo site, or where to generate/cache the synthetic one")
    parser.add_argument("--store", type=Path, required=True, help="store directory (built if missing, else reused)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator and of the request mix")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to drive the load (default 60)")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads of the server (default 16)")
    parser.add_argument("--query-workers", type=int, default=2, help="SPARQL worker processes (default 2)")
    parser.add_argument("--url", help="a server already running (default: start one)")
    args = parser.parse_args()

    from bench_sparql import site_for

    from graph.build.pipeline import BuildOptions, build
    from graph.store.local import LocalStore

    if not (args.store / "CURRENT").exists():
        site = site_for(args)
        t = time.perf_counter()
        build(LocalStore(args.store), BuildOptions(site=site))
        print(f"built {args.store} in {time.perf_counter() - t:.0f} s")
    entities, posts, words = _pick_targets(args.store)
    proc = None
    url = args.url
    if url is None:
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "web.cli", "-q", "serve", "--no-build", "--store",
                                 str(args.store), "--port", str(port), "--threads", str(args.threads),
                                 "--query-workers", str(args.query_workers)], cwd=REPO)
        url = f"http://127.0.0.1:{port}"
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port or 80
    for _ in range(600):  # the server warms its entity graph in the background; wait until it answers
        try:
            c = http.client.HTTPConnection(host, port, timeout=120)
            c.request("GET", "/graph/data.json?limit=50")
            first = c.getresponse()
            first.read()
            if first.status == 200:
                c.request("GET", "/")  # and the home page's whole-store counts
                home = c.getresponse()
                home.read()
                if home.status == 200:
                    break
        except OSError:
            pass
        time.sleep(0.5)

    def route(name: str, path: str, accept: str = "text/html") -> tuple[str, str, str]:
        return name, path, accept

    def mix(rng: random.Random) -> tuple[str, str, str]:
        roll = rng.random()
        if roll < 0.30:
            q = rng.choice(SMALL_QUERIES)
            return route("/sparql", "/sparql?" + urllib.parse.urlencode({"query": q}), "application/sparql-results+json")
        if roll < 0.50:
            return route("/id/ (HTML)", "/id/" + rng.choice(entities))
        if roll < 0.55:
            return route("/id/ (Turtle)", "/id/" + rng.choice(entities), "text/turtle")
        if roll < 0.60:
            return route("/describe (post)", "/describe?" + urllib.parse.urlencode({"iri": rng.choice(posts)}))
        if roll < 0.75:
            return route("/search", "/search?" + urllib.parse.urlencode({"q": rng.choice(words)}))
        if roll < 0.80:
            return route("/search.json", "/search.json?" + urllib.parse.urlencode({"q": rng.choice(words)[:4]}),
                         "application/json")
        if roll < 0.90:
            return route("/graph/data.json", "/graph/data.json?limit=" + str(rng.choice([100, 300])), "application/json")
        if roll < 0.95:
            return route("/graph", "/graph")
        return route("/", "/")

    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(host, port, timeout=120)
        while time.monotonic() < deadline:
            name, path, accept = mix(rng)
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": accept, "Accept-Language": "en"})
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status, body = f"{type(exc).__name__}", b""
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
            took = time.perf_counter() - t
            with lock:
                if status == 200:
                    latencies[name].append(took)
                else:
                    said = " ".join(body[:2000].decode("utf-8", "replace").split())
                    errors.append(f"{status} {name} {path[:100]} after {took:.1f} s: {said[-160:]}")

    threads = [threading.Thread(target=client, args=(args.seed * 1000 + i,)) for i in range(args.clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    if proc is not None:
        proc.terminate()
        proc.wait(30)

    total = sum(len(v) for v in latencies.values())
    print(f"\n{args.clients} clients for {elapsed:.0f} s against {url} ({args.threads} server threads, "
          f"{args.query_workers} query workers): {total:,} answers, {total / elapsed:,.1f} per second, "
          f"{len(errors)} errors")
    print(f"{'route':<20} {'answers':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name in sorted(latencies):
        values = sorted(latencies[name])
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"{name:<20} {len(values):>8,} {statistics.median(values) * 1000:>8.0f} {p99 * 1000:>8.0f}")
    for e in errors[:20]:
        print("error:", e)
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
