#!/usr/bin/env python3
"""Where a cold build's time goes, stage by stage, against ../shared/tools/floor_build.py.

    python bench/bench_stages.py [--posts 10000] [--seed 1] [--site DIR] [--sample 1000]

Runs floor_build.py on the site (its wall time is the baseline), then in this one process: reads
and parses the whole site, and for a sample of pages times each stage a build does per page —
extraction (entities, places, dates), relations, turning the page and its evidence into N-Quads,
and Oxigraph's bulk load of those N-Quads into an empty on-disk store. Each stage is scaled to
the whole site and divided by the number of cores: that is the least wall time the stage could
take if it were spread perfectly over them. Printed as a ratio to the floor, so one sees which
stages alone already exceed the issue's target (a cold build within 3x the floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import FLOOR, _generator, run_floor  # noqa: E402

from graph.build.mapper import PageMapper, mapping_context, nquads, series_of_editions  # noqa: E402
from graph.extract.vocabulary import load_vocabulary  # noqa: E402
from graph.ids import default_entity_base  # noqa: E402
from graph.map.mentions import extraction_nquads  # noqa: E402
from graph.map.pages import page_quads  # noqa: E402
from graph.read.site import load_site  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A cold build's stages, each against floor_build.py.")
    parser.add_argument("--posts", type=int, default=10000, help="posts of the generated site (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated site (default 1)")
    parser.add_argument("--site", type=Path, help="generate the site here (default: a cached one under $TMPDIR)")
    parser.add_argument("--sample", type=int, default=1000, help="pages timed per stage (default 1000)")
    args = parser.parse_args(argv)
    if not FLOOR.exists():
        raise SystemExit(f"{FLOOR} not found: this benchmark needs ../shared beside the repository")
    gen = _generator()
    site_dir = args.site or Path(tempfile.gettempdir()) / "postgraph-bench" / f"site-{args.posts}-seed{args.seed}"
    marker = site_dir / gen.MARKER
    if not (marker.exists() and marker.read_text(encoding="utf-8") == gen.marker_text(args.posts, args.seed)):
        gen.generate(site_dir, args.posts, args.seed, jobs=os.cpu_count() or 1)
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="postgraph-bench-stages-") as tmpname:
        tmp = Path(tmpname)
        floor = run_floor(site_dir, tmp)["seconds"]
        shutil.rmtree(tmp / "floor-store", ignore_errors=True)
        print(f"floor_build.py: {floor:.2f} s wall; target for a cold build: {3 * floor:.2f} s (3x)")

        t0 = time.perf_counter()
        site = load_site(site_dir)
        read = time.perf_counter() - t0
        pages = [p for p in site.pages if p.body]
        n_site = len(site.pages)
        sample = pages[: args.sample]
        base = default_entity_base(site.config.base_url)
        ctx = mapping_context(site.config, base)
        series_of = series_of_editions(load_vocabulary(base))
        mapper = PageMapper(ctx, base, series_of, dt.datetime.now(dt.UTC).replace(microsecond=0))
        extractor = mapper.extractor()
        extractor.extract(sample[0])  # compile-time work (matchers) is not a per-page cost

        t0 = time.perf_counter()
        extractions = [extractor.mentions(p) for p in sample]
        extract = time.perf_counter() - t0
        t0 = time.perf_counter()
        for p, e in zip(sample, extractions, strict=True):  # what extract() adds to mentions()
            e.claims = extractor.relations.find(p, e)
        relations = time.perf_counter() - t0
        t0 = time.perf_counter()
        chunks, quads = [], 0
        for page, extraction in zip(sample, extractions, strict=True):
            knowledge, own = page_quads(page, ctx, fingerprint="bench", build_time=mapper.build_time,
                                        translations=[], profile_of=None)
            count, statements = extraction_nquads(page, extraction, ox.NamedNode(page.permalink), series_of,
                                                  source=ctx.minter.source(page.rel_path).value)
            chunks.append(nquads([*knowledge, *own]) + statements)
            quads += len(knowledge) + len(own) + count
        to_nquads = time.perf_counter() - t0
        data = b"".join(chunks)
        t0 = time.perf_counter()
        store = ox.Store(str(tmp / "store"))
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        store.flush()
        load = time.perf_counter() - t0
        del store

    scale = n_site / len(sample)
    print(f"site: {n_site} pages; sample: {len(sample)} pages, {quads:,} quads ({quads / len(sample):.0f} per page); "
          f"{cores} cores")
    print(f"{'stage':<28}{'ms/page':>9}{'site, CPU s':>13}{'÷ cores, s':>12}{'÷ floor':>9}")
    total = 0.0
    for name, seconds, per_page in (("read and parse (whole site)", read, False), ("extraction", extract, True),
                                    ("relations", relations, True), ("page + evidence to N-Quads", to_nquads, True),
                                    ("bulk load + flush", load, True)):
        site_cpu = seconds * scale if per_page else seconds
        # reading is done once, in the main process; the rest could at best be spread over the cores
        wall = site_cpu / cores if per_page else site_cpu
        total += wall
        print(f"{name:<28}{1000 * site_cpu / n_site:>9.2f}{site_cpu:>13.1f}{wall:>12.1f}{wall / floor:>8.1f}x")
    print(f"{'all stages, perfectly spread':<28}{'':>9}{'':>13}{total:>12.1f}{total / floor:>8.1f}x   (target 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
