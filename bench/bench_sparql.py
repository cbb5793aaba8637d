#!/usr/bin/env python3
"""SPARQL latency: postgraph's store (Oxigraph, through the web app's /sparql) against rdflib's
in-memory engine on the same data, in one process.

    python bench/bench_sparql.py [--posts 10000] [--site DIR] [--runs 5] [--seed 1] [--timeout 120]
                                 [--budget 15] [--rdflib auto|yes|no] [--json FILE]

Generates a synthetic site with bench/generate_site.py (or reuses one: `--site DIR` holding a Hugo
site, or the cached `<tmp>/postgraph-bench/site-<posts>-seed<seed>`), builds it into a fresh on-disk
store, exports it as N-Quads and loads that into `rdflib.Dataset(default_union=True)`. Then, for
each example query of `ontology/queries/*.rq` and two synthetic ones (an aggregate, a text filter),
it reports the median latency of `--runs` runs on both sides:

- ours: `GET /sparql` through Flask's test client with `Accept: application/sparql-results+json`,
  response body read in full (the app's row cap and time limit raised so that every row comes
  back). Where the app has no /sparql route, `graph.query.run` on the store snapshot with every
  solution read, and the report says so. "direct" is always that in-process call, for comparison.
- rdflib: `Dataset.query(q, initNs=PREFIXES)`, every row read. A query still running after
  `--timeout` seconds is interrupted and reported as "> N s"; a query whose runs add up to more
  than `--budget` seconds is not run again (its median is over fewer runs, and the table says so).

Both sides parse the query on every run; ours also pays for HTTP handling, JSON serialisation and
the hop to the app's query worker process.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import json
import os
import platform
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import generate_site  # noqa: E402
import pyoxigraph as ox  # noqa: E402
import rdflib  # noqa: E402

from graph.build.pipeline import BuildOptions, build  # noqa: E402
from graph.namespaces import PREFIXES  # noqa: E402
from graph.query.export import export  # noqa: E402
from graph.query.sparql import run  # noqa: E402
from graph.store.local import LocalStore  # noqa: E402

QUERIES_DIR = REPO / "ontology" / "queries"
RESULTS_JSON = "application/sparql-results+json"
SYNTHETIC = [
    ("posts per language", "aggregate",
     "SELECT ?lang (COUNT(?p) AS ?n) WHERE { ?p a schema:BlogPosting ; schema:inLanguage ?lang } GROUP BY ?lang"),
    ("headlines containing kubernetes", "text filter",
     'SELECT ?p ?h WHERE { ?p schema:headline ?h FILTER(CONTAINS(LCASE(STR(?h)), "kubernetes")) }'),
]
#: What rdflib's in-memory store needs per quad of this graph (rdflib 7.6: 8.4 GB peak for the whole
#: bench at 4.4 million quads); used to skip the rdflib side where it cannot fit in memory.
RDFLIB_BYTES_PER_QUAD = 2_000
_AGGREGATE = re.compile(r"\bGROUP\s+BY\b|\b(?:COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\s*\(", re.I)
_TEXT_FILTER = re.compile(r"\b(?:CONTAINS|REGEX|STRSTARTS|STRENDS|LANGMATCHES)\s*\(|\bSTR\(\?\w+\)\s*=\s*\"", re.I)


def kind_of(query: str) -> str:
    """aggregate (GROUP BY or an aggregate function), text filter (string tests) or pattern."""
    body = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    if _AGGREGATE.search(body):
        return "aggregate"
    return "text filter" if _TEXT_FILTER.search(body) else "pattern"


@dataclass
class Measure:
    name: str
    kind: str
    query: str
    rows: int | None = None  # solutions (or triples) our side returned
    ours: list[float] = field(default_factory=list)  # seconds per run
    direct: list[float] = field(default_factory=list)
    truncated: bool = False
    ours_note: str = ""  # an error of our side
    rdflib: list[float] = field(default_factory=list)
    rdflib_rows: int | None = None
    rdflib_note: str = ""  # "> 120 s", or an error

    @property
    def ours_ms(self) -> float | None:
        return statistics.median(self.ours) * 1000 if self.ours else None

    @property
    def direct_ms(self) -> float | None:
        return statistics.median(self.direct) * 1000 if self.direct else None

    @property
    def rdflib_ms(self) -> float | None:
        return statistics.median(self.rdflib) * 1000 if self.rdflib else None

    @property
    def ratio(self) -> float | None:
        """rdflib / ours; None when either side has no time (rdflib timed out, failed or was skipped)."""
        if self.ours_ms is None or self.rdflib_ms is None:
            return None
        return self.rdflib_ms / self.ours_ms


# --- the two engines ---------------------------------------------------------------------------

def consume(answer) -> int:
    """Read every solution (every value) or triple of a graph.query answer; the number read."""
    if answer.kind == "ask":
        return int(bool(answer.result))
    n = 0
    if answer.kind == "graph":
        for _ in answer.result:
            n += 1
        return n
    names = answer.variables
    for solution in answer.result:
        for name in names:
            solution[name]
        n += 1
    return n


class OursFailed(Exception):
    """Our side did not answer: the endpoint's time limit (message "> N s") or another error."""


@dataclass
class Reply:
    """One answer of our side: the endpoint's JSON body, or the rows read in process."""

    body: bytes | None = None
    read: int | None = None
    truncated: bool = False

    @property
    def rows(self) -> int:
        if self.read is not None:
            return self.read
        data = json.loads(self.body or b"{}")
        return len(data["results"]["bindings"]) if "results" in data else 1


Ours = Callable[[str], Reply]


def ours_runner(store: LocalStore, timeout: float) -> tuple[Ours, bool, Callable[[], None]]:
    """How to run one query our way, whether that way is the HTTP endpoint, and a function that
    stops the app's query workers."""
    from web import create_app

    app = create_app(store, {"POSTGRAPH_MAX_ROWS": 10**9, "POSTGRAPH_QUERY_TIMEOUT": timeout})
    client = app.test_client()
    executor = app.extensions.get("postgraph.executor")
    close = executor.close if executor is not None else (lambda: None)
    probe = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": RESULTS_JSON})
    if probe.status_code == 404:
        snapshot = store.snapshot()
        return (lambda q: Reply(read=consume(run(snapshot, q)))), False, close

    def over_http(q: str) -> Reply:
        response = client.get("/sparql", query_string={"query": q}, headers={"Accept": RESULTS_JSON})
        body = response.get_data()
        if response.status_code == 503 and b"ran longer" in body:
            raise OursFailed(f"> {timeout:g} s")
        if response.status_code != 200:
            raise OursFailed(f"/sparql answered {response.status_code}: {body[:300].decode(errors='replace')}")
        return Reply(body=body, truncated="X-Postgraph-Truncated" in response.headers)

    return over_http, True, close


class _Interrupted(Exception):
    """Raised inside a query thread that ran past the timeout."""


def rdflib_query(ds: rdflib.Dataset, query: str, timeout: float) -> tuple[float | None, int | None, str]:
    """(seconds, rows, note) of one rdflib run; seconds is None when it timed out or failed."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            started = time.perf_counter()
            result = ds.query(query, initNs=PREFIXES)
            if result.type == "ASK":
                rows = int(bool(result.askAnswer))
            else:
                rows = 0
                for row in result:  # SELECT rows are tuples of terms, CONSTRUCT ones triples
                    for _term in row:
                        pass
                    rows += 1
            outcome["seconds"], outcome["rows"] = time.perf_counter() - started, rows
        except _Interrupted:
            outcome["error"] = "interrupted"
        except Exception as exc:  # reported in the table; the bench goes on
            outcome["error"] = f"{type(exc).__name__}: {exc}"[:120]

    thread = threading.Thread(target=work, name="rdflib-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        # rdflib evaluates in Python, so an exception raised asynchronously in the thread stops it
        # at its next bytecode: no CPU is left burning behind the remaining measurements.
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Interrupted))
        thread.join(30)
        if thread.is_alive():
            print("  warning: the timed-out rdflib query is still running; later numbers may suffer", file=sys.stderr)
        return None, None, f"> {timeout:g} s"
    if "error" in outcome:
        return None, None, str(outcome["error"])
    return outcome["seconds"], outcome["rows"], ""  # type: ignore[return-value]


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_memory_gb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # ru_maxrss is in KiB on Linux


# --- the run ----------------------------------------------------------------------------------

def site_for(args: argparse.Namespace) -> Path:
    """The site to benchmark: --site if it holds one, else generated (and cached) for --posts/--seed."""
    if args.site and (args.site / "hugo.toml").exists() and not (args.site / generate_site.MARKER).exists():
        print(f"site: {args.site} (an existing Hugo site; --posts ignored)")
        return args.site
    site = args.site or Path(tempfile.gettempdir()) / "postgraph-bench" / f"site-{args.posts}-seed{args.seed}"
    wanted = generate_site.marker_text(args.posts, args.seed)
    marker = site / generate_site.MARKER
    if marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        print(f"site: {site} (reused: {args.posts} posts, seed {args.seed})")
        return site
    s = generate_site.generate(site, args.posts, args.seed, jobs=os.cpu_count() or 1)
    print(f"site: {site} (generated: {s.posts} posts, {s.drafts} drafts, in {s.seconds:.1f} s)")
    return site


def queries() -> list[tuple[str, str, str]]:
    out = [(p.stem, "", p.read_text(encoding="utf-8")) for p in sorted(QUERIES_DIR.glob("*.rq"))]
    out = [(name, kind_of(text), text) for name, _, text in out]
    return out + SYNTHETIC


def fmt_ms(ms: float | None, note: str = "") -> str:
    if ms is None:
        if not note or note == "skipped" or note.startswith("> "):
            return note or "-"
        return f"error: {note.split(':')[0]}"
    return f"{ms:,.1f}" if ms < 1000 else f"{ms:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SPARQL latency: postgraph (Oxigraph) against rdflib, one process.")
    parser.add_argument("--posts", type=int, default=10000, help="posts of the generated site (default 10000)")
    parser.add_argument("--site", type=Path, help="site to use; generated there when it holds none")
    parser.add_argument("--runs", type=int, default=5, help="runs per query; the median is reported (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated site (default 1)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before an rdflib query is given up")
    parser.add_argument("--budget", type=float, default=15,
                        help="no more rdflib runs of a query once its runs add up to this many seconds")
    parser.add_argument("--store", type=Path,
                        help="build into this store directory and keep it (default: a temporary one); "
                             "a later run on the same site finds it up to date and skips the work")
    parser.add_argument("--rdflib", choices=("auto", "yes", "no"), default="auto",
                        help="run the rdflib side: auto (default) skips it when it would not fit in memory")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    # Killed politely, still remove the temporary store (gigabytes for large sites).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    site = site_for(args)
    with tempfile.TemporaryDirectory(prefix="postgraph-bench-store-") as tmp:
        store = LocalStore(args.store or Path(tmp) / "store")
        started = time.perf_counter()
        report = build(store, BuildOptions(site=site))
        build_s = time.perf_counter() - started
        quads = len(store.snapshot())
        fatal = [p for p in report.problems if p.fatal]
        print(f"build: {report.pages:,} pages, {quads:,} quads in {build_s:.1f} s"
              + ("" if report.changed else f" (the store in {args.store} was up to date)")
              + (f" ({len(fatal)} files with problems)" if fatal else ""))

        need, available = quads * RDFLIB_BYTES_PER_QUAD, available_memory()
        ds: rdflib.Dataset | None = None
        load_s = 0.0
        if args.rdflib == "no" or (args.rdflib == "auto" and available is not None and need > 0.9 * available):
            print(f"rdflib: skipped ({'--rdflib no' if args.rdflib == 'no' else ''}"
                  + (f"it would need about {need / 2**30:.0f} GB for {quads:,} quads, "
                     f"{available / 2**30:.0f} GB are available; --rdflib yes runs it anyway"
                     if args.rdflib == "auto" else "") + ")")
        else:
            started = time.perf_counter()
            dump = Path(tmp) / "graph.nq"
            with open(dump, "wb") as f:
                export(store.snapshot(), "nquads", f)
            ds = rdflib.Dataset(default_union=True)
            ds.parse(source=str(dump), format="nquads")
            dump.unlink()
            load_s = time.perf_counter() - started
            print(f"rdflib: {len(ds):,} quads exported and loaded in {load_s:.1f} s")

        ours, http, close = ours_runner(store, args.timeout)
        if not http:
            print("NOTE: the web app has no /sparql endpoint yet (404): 'ours' is graph.query.run on the "
                  "store snapshot, without HTTP.")
        snapshot = store.snapshot()
        results: list[Measure] = []
        for name, kind, text in queries():
            m = Measure(name, kind, text)
            try:
                m.rows = ours(text).rows  # warm-up, not counted
                for _ in range(runs):
                    t = time.perf_counter()
                    reply = ours(text)
                    m.ours.append(time.perf_counter() - t)
                    m.truncated |= reply.truncated
                # In process, only once the endpoint has shown the query ends within its time limit.
                for _ in range(runs if http else 0):
                    t = time.perf_counter()
                    consume(run(snapshot, text))
                    m.direct.append(time.perf_counter() - t)
            except OursFailed as exc:
                m.ours, m.ours_note = [], str(exc)
                print(f"  {name}: {exc}", file=sys.stderr)
            if ds is None:
                m.rdflib_note = "skipped"
            for _ in range(runs if ds is not None else 0):
                seconds, rows, note = rdflib_query(ds, text, args.timeout)
                if seconds is None:
                    m.rdflib, m.rdflib_note = [], note
                    break
                m.rdflib.append(seconds)
                m.rdflib_rows = rows
                if sum(m.rdflib) > args.budget:
                    break
            results.append(m)
            print(f"  {name}: ours {fmt_ms(m.ours_ms, m.ours_note)}, direct {fmt_ms(m.direct_ms)}, "
                  f"rdflib {fmt_ms(m.rdflib_ms, m.rdflib_note)} (ms)", file=sys.stderr)
        del ds
        close()

    print_table(results, runs, http)
    summary = summarise(results)
    print(f"\nmedian ratio (rdflib / ours): aggregates {summary['aggregate']}, text filters {summary['text filter']}")
    compared = [m for m in results if m.ours and (m.rdflib or m.rdflib_note.startswith("> "))]
    slower = [m.name for m in compared if m.ratio is not None and m.ratio < 1]
    left_out = [f"{m.name} ({m.ours_note or m.rdflib_note})" for m in results
                if m not in compared and m.rdflib_note != "skipped"]
    if not compared:
        print("every query no slower than rdflib: not measured (no query ran on both sides)")
    else:
        print(f"every query no slower than rdflib: {'no' if slower else 'yes'} "
              f"({len(compared) - len(slower)} of {len(compared)} compared"
              + (f"; slower: {', '.join(slower)}" if slower else "")
              + (f"; not compared: {'; '.join(left_out)}" if left_out else "") + ")")
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}, "
          f"pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}")
    loaded = f"rdflib export + load {load_s:.1f} s" if load_s else "rdflib skipped"
    print(f"site: {report.pages:,} pages, {quads:,} quads; build {build_s:.1f} s; {loaded}; "
          f"peak memory {peak_memory_gb():.1f} GB")
    if args.json:
        args.json.write_text(json.dumps({
            "date": dt.date.today().isoformat(), "posts": args.posts, "pages": report.pages, "quads": quads,
            "build_seconds": round(build_s, 2), "rdflib_load_seconds": round(load_s, 2), "http": http, "runs": runs,
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "queries": [{"name": m.name, "kind": m.kind, "rows": m.rows, "rdflib_rows": m.rdflib_rows,
                         "ours_ms": m.ours_ms and round(m.ours_ms, 2), "direct_ms": m.direct_ms and round(m.direct_ms, 2),
                         "ours_note": m.ours_note,
                         "rdflib_runs": len(m.rdflib), "rdflib_ms": m.rdflib_ms and round(m.rdflib_ms, 2),
                         "rdflib_note": m.rdflib_note, "ratio": m.ratio and round(m.ratio, 2)} for m in results],
        }, indent=2), encoding="utf-8")
    return 0


def print_table(results: list[Measure], runs: int, http: bool) -> None:
    way = "GET /sparql" if http else "graph.query.sparql.run"
    headers = ["query", "kind", "rows", f"ours ms ({way})", "direct ms", "rdflib ms", "ratio"]
    rows = []
    for m in results:
        bound = lower_bound(m)
        ratio = f"{m.ratio:,.1f}x" if m.ratio is not None else (f"> {bound:,.0f}x" if bound else "-")
        rows_cell = (f"{m.rows:,}" if m.rows is not None else "-") + (" (cut short over HTTP)" if m.truncated else "")
        if m.rdflib_rows is not None and m.rdflib_rows != m.rows:
            rows_cell += f" (rdflib {m.rdflib_rows:,})"
        rdflib_cell = fmt_ms(m.rdflib_ms, m.rdflib_note)
        if m.rdflib and len(m.rdflib) < runs:
            rdflib_cell += f" ({len(m.rdflib)} run{'s' if len(m.rdflib) > 1 else ''})"
        rows.append([m.name, m.kind, rows_cell, fmt_ms(m.ours_ms, m.ours_note), fmt_ms(m.direct_ms), rdflib_cell, ratio])
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    print(f"\nmedian of {runs} runs")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))


def lower_bound(m: Measure) -> float | None:
    """rdflib / ours for a query rdflib did not finish: at least its time limit / ours."""
    if m.rdflib_note.startswith("> ") and m.ours_ms:
        return float(m.rdflib_note[2:-2]) * 1000 / m.ours_ms
    return None


def summarise(results: list[Measure]) -> dict[str, str]:
    """The median ratio per kind over the queries both engines finished; and, where rdflib timed
    out on some, the median with those counted at their lower bound (time limit / ours). A median
    only grows when a value grows, so that second figure is itself a lower bound of the median."""
    out = {}
    for kind in ("aggregate", "text filter"):
        ratios = [m.ratio for m in results if m.kind == kind and m.ratio is not None]
        bounds = [b for m in results if m.kind == kind and (b := lower_bound(m)) is not None]
        text = f"{statistics.median(ratios):,.1f}x" if ratios else "-"
        if bounds:
            text += (f" over {len(ratios)} finished; >= {statistics.median(ratios + bounds):,.1f}x with the "
                     f"{len(bounds)} rdflib did not finish counted at their lower bound")
        out[kind] = text
    return out


if __name__ == "__main__":
    raise SystemExit(main())
