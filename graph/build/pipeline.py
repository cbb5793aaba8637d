"""A build: read the site, map each changed page to quads, load them into the store atomically.

Incremental by design: every page's graph records a fingerprint of everything it was made from
(`mapping.page_fingerprint`). A page whose fingerprint is already in the store is not mapped
again; a changed page replaces only its own named graph; a page that is gone loses its graph.
The knowledge graph (the default graph) is then brought up to date for what changed only: the
changed pages' own facts, the site-wide facts when they changed, and the entities the changed
pages talk about, re-consolidated (graph.build.knowledge, graph.build.consolidate).
When nothing changed, no new store generation is written at all.

What to map is found by graph.build.plan (fingerprints, translations, author profiles); a page is
mapped by graph.build.mapper's `PageMapper`, in the page workers (graph.build.workers) or here.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import gc
import hashlib
import io
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import __version__
from graph.build.knowledge import KnowledgeUpdate
from graph.build.mapper import MappedPage, PageMapper, mapping_context, nquads, series_of_editions
from graph.build.plan import (
    author_profiles,
    code_fingerprint,
    existing_fingerprints,
    graphs_from_sources,
    profile_pages,
    translations_of,
)
from graph.build.reads import reader
from graph.build.workers import Budget, PagePool, Stopped
from graph.extract.matcher import entry_named, label_index
from graph.extract.places import gazetteer
from graph.extract.vocabulary import load_vocabulary
from graph.ids import default_entity_base
from graph.map.pages import page_fingerprint, site_quads
from graph.model import Problem
from graph.namespaces import RDF_TYPE, X_PG, X_PROV, X_SCHEMA
from graph.ontology import ontology_quads
from graph.read.config import load_config
from graph.read.site import MAX_FILE_BYTES, Site, load_site
from graph.store.base import GraphWriter
from graph.store.local import Store

log = logging.getLogger(__name__)

#: Serialised quads are handed to Oxigraph's bulk loader in batches of about this many bytes.
BATCH_BYTES = 32 * 1024 * 1024

#: progress(stage, done, total): stage is "read" or "map"; total may be None while unknown.
Progress = Callable[[str, int, int | None], None]


class BuildFailed(Exception):
    """The build was refused (e.g. `--strict` with problems); the store was not changed."""

    def __init__(self, message: str, report: BuildReport) -> None:
        super().__init__(message)
        self.report = report


#: Seconds per MB of a page's file (and at least that many) that reading it, and mapping it, may
#: take before the page is given up. The costliest shape of bench/bench_shapes.py maps at 4.7 s
#: per MB (a paragraph of names, places and dates; bench/README.md): three times that lets a
#: legitimate 4 MB page through on a machine three times slower, and a page that hangs costs 15 s
#: of one worker.
PAGE_TIMEOUT = 15.0
#: MB of memory one page may take beyond what its worker holds already: twice what the hungriest
#: shape needs at 4 MB (the --max-file-size default): a name repeated 400,000 times, ~500 MB.
PAGE_MEMORY = 1024.0


@dataclass
class BuildOptions:
    site: Path
    drafts: bool = False
    future: bool = False
    expired: bool = False
    strict: bool = False
    entity_base: str | None = None  # default: <baseURL>id/
    workers: int | None = None  # processes that read and map pages; default: one per core
    max_file_bytes: int = MAX_FILE_BYTES  # larger content files are skipped with a message
    # A page may take this many seconds per MB of its file (and at least this many) to be read, and
    # again to be mapped; 0: no budgets, pages are read and mapped in this process (graph.build.workers).
    page_timeout: float = PAGE_TIMEOUT
    page_memory: float | None = PAGE_MEMORY  # MB one page may use (beyond its worker's own); None: no limit


@dataclass
class BuildReport:
    """What a build did, for the summary line, the logs and the web home page."""

    site: str
    pages: int = 0  # pages in the graph after the build
    mapped: int = 0  # pages whose graph was (re)made
    unchanged: int = 0
    removed: int = 0
    kept: list[str] = field(default_factory=list)  # graphs kept from the last build: their file is now unreadable
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    problems: list[Problem] = field(default_factory=list)
    quads: int = 0  # quads written by this build
    seconds: float = 0.0
    changed: bool = False
    generation: str | None = None
    entity_base: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "site": self.site, "pages": self.pages, "mapped": self.mapped, "unchanged": self.unchanged,
            "removed": self.removed, "kept": self.kept, "skipped": [list(s) for s in self.skipped],
            "problems": [str(p) for p in self.problems], "quads": self.quads,
            "seconds": round(self.seconds, 3), "changed": self.changed, "entity_base": self.entity_base,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "version": __version__,
        }


#: A build that maps at least this fraction of the site's pages compacts the store afterwards.
COMPACT_FRACTION = 0.1

#: Allocations between two collections of young objects during a build (Python's default: 700).
YOUNG_COLLECTION = 10_000


def _fixed_mmap_threshold(threshold: int = 1 << 20) -> None:
    """Make glibc serve every allocation over `threshold` bytes with its own mmap, returned to the
    system when freed.

    A build passes many big byte strings through the main process (workers' N-Quads, the batches
    handed to the bulk loader). glibc raises its mmap threshold after such blocks are freed and then
    carves later ones out of the heap, which fragments and is never given back: the main process
    grew by about 25 MB per 1,000 pages for no live data. With a fixed threshold it stays flat
    (2,000 posts: peak 598 -> 404 MB, same time). Elsewhere than glibc this does nothing.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        return
    if mallopt is not None:
        m_mmap_threshold = -3  # from glibc's malloc.h
        mallopt(m_mmap_threshold, threshold)


def _record_if_news(store: Store, report: BuildReport, options: BuildOptions) -> None:
    """A build with nothing to write still replaces the stored report when what it has to tell
    differs (a file that broke or was fixed, a page now kept or skipped): `stats` and the home
    page must not go on saying "0 problems" about a site that has one."""
    old = store.info()
    new = report.as_dict()
    if not old or all(old.get(k, []) == new[k] for k in ("problems", "kept", "skipped")):
        return
    # the graph is the last writing build's: its time and counts stay; what was found now is added
    new.update({k: old[k] for k in ("seconds", "quads", "mapped", "changed", "built_at") if k in old})
    new["checked_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    new["options"] = old.get("options") or _options_info(options)
    store.update_info(new)


def _options_info(options: BuildOptions) -> dict[str, Any]:
    """What `postgraph diff` needs to redo this build's planning later (see graph.build.diff)."""
    return {"drafts": options.drafts, "future": options.future, "expired": options.expired,
            "entity_base": options.entity_base}


def _fingerprint_quads(quads: list[ox.Quad]) -> str:
    return hashlib.sha256(b"".join(sorted(nquads(quads).splitlines()))).hexdigest()


def build(store: Store, options: BuildOptions, progress: Progress | None = None, *,
          into: GraphWriter | None = None) -> BuildReport:
    """Build (or bring up to date) the graph of `options.site` in `store`.

    Raises `BuildFailed` when `options.strict` and some file had a problem; the store is then
    left as it was. With `into`, a dry run: what the build would write goes to that writer (graph.
    build.diff's record of it) and `store` is only read, never written.
    """
    # The cyclic garbage collector, quieter while a build runs: what lives for the whole build is
    # frozen out of its reach (here the modules and whatever the caller holds; below the site, the
    # extractor...), and young objects are collected after 10,000 allocations instead of 700. At
    # 1,000 posts it took 0.2 s of a ~1 s one-post rebuild, now 0.03 s. Frozen objects are still
    # freed as usual by reference counting; all is given back to the collector at the end.
    frozen_before = gc.get_freeze_count()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG_COLLECTION), *threshold[1:])
    gc.freeze()
    # Pages are read and mapped in worker processes, each page under a budget (graph.build.workers); the
    # first worker starts now, while this process reads the configuration and lists the files.
    pool = PagePool(Budget(options.page_timeout, options.page_memory or None), options.workers) \
        if options.page_timeout > 0 else None
    try:
        return _build(store, options, progress, pool, into)
    finally:
        if pool is not None:
            pool.close()
        gc.set_threshold(*threshold)
        if not frozen_before:  # a caller that froze objects itself keeps them frozen
            gc.unfreeze()


def _build(store: Store, options: BuildOptions, progress: Progress | None, pool: PagePool | None,
           into: GraphWriter | None) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport(site=str(options.site.resolve()))

    def on_file(_path: str) -> None:
        report.pages += 1
        if progress:
            progress("read", report.pages, None)

    config = load_config(options.site)
    entity_base = options.entity_base or default_entity_base(config.base_url)
    if pool is not None:  # a build usually maps something: the workers get ready for it when not reading
        pool.expect(entity_base, config.title)
    # what does not depend on the pages, while the first worker starts
    vocabulary = load_vocabulary(entity_base)
    ctx = mapping_context(config, entity_base)
    config_fp = hashlib.sha256("\0".join((config.fingerprint, entity_base, vocabulary.fingerprint,
                                          code_fingerprint())).encode()).hexdigest()
    site: Site = load_site(options.site, drafts=options.drafts, future=options.future,
                           expired=options.expired, on_file=on_file, max_file_bytes=options.max_file_bytes,
                           read_files=reader(pool, options.max_file_bytes, options.site) if pool is not None else None,
                           config=config)
    report.pages = len(site.pages)
    report.problems = list(site.problems)
    report.skipped = list(site.skipped)
    report.entity_base = entity_base
    if options.strict and any(p.fatal for p in site.problems):
        report.seconds = time.perf_counter() - started
        raise BuildFailed(f"{sum(p.fatal for p in site.problems)} file(s) could not be read (--strict)", report)

    translations = translations_of(site.pages, config.default_language)
    profiles = author_profiles(site.pages)
    wanted = {
        p.permalink: (p, page_fingerprint(p, config_fp, [*(t.permalink for t in translations[p.permalink]),
                                                         profiles.get(p.rel_path, "")]))
        for p in site.pages
    }
    snapshot = store.snapshot()
    old = existing_fingerprints(snapshot)
    to_map = [(p, fp) for iri, (p, fp) in wanted.items() if old.get(iri) != fp]
    build_time = dt.datetime.now(dt.UTC).replace(microsecond=0)
    series_of = series_of_editions(vocabulary)
    mapper = PageMapper(ctx, entity_base, series_of, build_time)
    if pool is not None and to_map:
        pool.prepare(mapper)  # the workers get ready to map (modules, extractor) while this process goes on
    # The site and the vocabulary stay alive for the whole build: out of the collector's reach, its
    # full collections (set off by extraction's allocations, and the store's commit) stop walking them.
    gc.freeze()

    # which known entity a tag or category names: a dictionary lookup (building the matcher, with
    # its everyday-word checks, cost a second on every build, even one with nothing to do)
    labels = label_index(vocabulary.entries.values())

    def term_entity(term: str) -> tuple[str, str] | None:
        entry = entry_named((), term, labels)
        return (entry.iri, entry.kind) if entry is not None else None

    site_facts = site_quads(site.pages, ctx, profiles=profile_pages(site.pages), term_entity=term_entity)
    site_graph = ctx.minter.graph("site")
    agent = ctx.minter.agent(ctx.extractor_version)
    extra_graphs = {
        # bookkeeping of the site-wide facts (which live in the default graph): the agent that made
        # them, and (below) a fingerprint that changes whenever they do
        site_graph.value: [ox.Quad(agent, RDF_TYPE, X_PROV.SoftwareAgent, site_graph),
                           ox.Quad(agent, X_SCHEMA.name, ox.Literal("postgraph"), site_graph),
                           ox.Quad(agent, X_SCHEMA.softwareVersion, ox.Literal(ctx.extractor_version), site_graph)],
        ctx.minter.graph("ontology").value: ontology_quads(ctx.minter.graph("ontology")),
        ctx.minter.graph("vocabulary").value: vocabulary.quads(ctx.minter.graph("vocabulary")),
    }
    extra_fps = {g: _fingerprint_quads(q) for g, q in extra_graphs.items()}
    extra_fps[site_graph.value] = _fingerprint_quads([*extra_graphs[site_graph.value], *site_facts])

    stale_pages = [iri for iri in old if iri not in wanted and iri not in extra_graphs]
    unreadable = {p.path for p in site.problems if p.fatal}
    if stale_pages and unreadable:
        # A typo in a post's front matter must not take the post out of the graph: its last good
        # graph stays (stale, and reported) until the file reads again or is deleted.
        kept = graphs_from_sources(snapshot, unreadable) & set(stale_pages)
        stale_pages = [iri for iri in stale_pages if iri not in kept]
        report.kept = sorted(kept)
        for iri in report.kept:
            log.warning("kept the last good graph of %s: its file could not be read this time", iri)
    stale_extra = [g for g, fp in extra_fps.items() if old.get(g) != fp]
    report.unchanged = len(wanted) - len(to_map)
    report.removed = len(stale_pages)
    if not to_map and not stale_pages and not stale_extra:
        report.seconds = time.perf_counter() - started
        report.generation = store.generation()
        log.info("nothing changed since the last build: %d pages already in the graph", report.unchanged)
        if into is None:
            _record_if_news(store, report, options)
        return report

    # Compacting the database makes later reads fast after big loads, but costs seconds whatever was
    # written: skip it when a build changes only a few pages (the database compacts in the background).
    compact = not old or len(to_map) + len(stale_pages) >= COMPACT_FRACTION * max(1, len(wanted))
    info = report.as_dict()
    info["options"] = _options_info(options)
    _fixed_mmap_threshold()
    rewritten = {*stale_pages, *(p.permalink for p, _ in to_map)}
    # what the pages about to be replaced or removed talked about, before the build
    update = KnowledgeUpdate.start(snapshot, entity_base, rewritten, set(old))
    transaction = store.transaction(info, compact=compact) if into is None else contextlib.nullcontext(into)
    with transaction as writable:
        # a page mapped again loses its old graph when its new one is loaded (below): one given up
        # keeps it
        writable.remove_graphs([*stale_pages, *stale_extra])
        extra = [q for graph in stale_extra for q in (
            *extra_graphs[graph],
            ox.Quad(ox.NamedNode(graph), X_PG.fingerprint, ox.Literal(extra_fps[graph]), ox.NamedNode(graph)))]
        report.quads += len(extra)
        # lenient: every term in these N-Quads was a pyoxigraph NamedNode or Literal, which checked
        # its IRI or language tag when it was made; parsing them again spent ~10% of the bulk load.
        writable.add_rdf(nquads(extra), ox.RdfFormat.N_QUADS)
        update.forget_pages(writable, set(stale_pages))
        # Pages are mapped and loaded in batches, so memory stays bounded whatever the site's size;
        # the mapping (extraction above all) runs in the worker processes, one per core at most.
        jobs = [(page, fp, translations.get(page.permalink, ()), profiles.get(page.rel_path)) for page, fp in to_map]
        if pool is not None:
            answers: Iterable[MappedPage | Stopped] = pool.map(
                jobs, [len(job[0].text) for job in jobs], lambda i: jobs[i][0].rel_path)
        else:
            answers = map(mapper, jobs)
        buffer = io.BytesIO()
        loaded: list[str] = []  # pages in `buffer`
        stopped: set[str] = set()  # pages given up

        def load() -> None:
            nonlocal buffer
            writable.remove_graphs(loaded)
            update.forget_pages(writable, set(loaded))
            writable.add_rdf(buffer.getvalue(), ox.RdfFormat.N_QUADS)
            buffer = io.BytesIO()
            loaded.clear()

        for done, ((page, _fp, _t, _a), mapped) in enumerate(zip(jobs, answers, strict=True), 1):
            if isinstance(mapped, Stopped):
                report.problems.append(Problem(page.rel_path, None, f"skipped, {mapped.reason}"))
                stopped.add(page.permalink)
                log.warning("%s: skipped, %s", page.rel_path, mapped.reason)
            else:
                report.quads += mapped.count
                buffer.write(mapped.own)
                buffer.write(mapped.knowledge)  # N-Triples lines: the default graph's, in the same load
                loaded.append(mapped.graph)
                update.add(mapped.graph, mapped.statements, mapped.mentioned, mapped.links)
                if buffer.tell() > BATCH_BYTES:
                    load()
            if progress:
                progress("map", done, len(jobs))
        load()
        if stopped:
            update.keep(stopped)  # their last graph stays, and counts as it was
            report.kept = sorted({*report.kept, *(iri for iri in stopped if iri in old)})
            if options.strict:
                raise BuildFailed(f"{len(stopped)} page(s) over their budget (--strict)", report)
        gc.freeze()  # likewise the extractor (vocabulary matcher, gazetteer) and what the pages said
        # the knowledge graph: the changed pages' facts, the site's, and the entities they touch
        report.quads += update.apply(
            writable, pages=site.pages, mapped=[p for p, _ in to_map if p.permalink not in stopped], minter=ctx.minter,
            vocabulary=vocabulary, gazetteer=gazetteer, other_graphs=set(extra_graphs),
            site_facts=site_facts if site_graph.value in stale_extra else None)
        report.mapped = len(to_map) - len(stopped)
        report.changed = True
        report.seconds = time.perf_counter() - started
        info.update(report.as_dict())
    report.generation = store.generation()
    log.info("%s %d pages (%d unchanged, %d removed), %d quads %s in %.2f s",
             "built" if into is None else "dry run: would build", report.mapped, report.unchanged,
             report.removed, report.quads, "written" if into is None else "made", report.seconds)
    return report
