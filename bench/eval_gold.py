#!/usr/bin/env python3
"""Gold scores per site, relation kind, language and confidence band, with ../shared/tools/score_gold.py.

    python bench/eval_gold.py [--build] [--json FILE] [--sites osslat,fluxcd,linkerd,helm] [--data-dir DIR]

Each site of ../shared/corpora is scored against its gold: tests/gold/*.yaml for osslat (merged into
one gold), tests/gold/new-sites/<site>-*.yaml for the others. The export scored is DIR/<site>.nq when
it exists and --build is not given; otherwise the site is built with `postgraph build` into a
temporary store and exported as N-Quads (kept as DIR/<site>.nq when --data-dir is given).
Every post is scored by score_gold.score_post (imported from its path, not copied), so the summary
equals score_gold's. Printed: (a) entity and relation recall/precision per site and overall (micro
over posts); (b) recall per relation kind, and precision for the kinds score_gold measures
(co-location, location, organizer, start, end); (c) the same as (a) per post language (from the path,
else the site's defaultContentLanguage); (d) per confidence band the precision of the pg:Claim nodes
of the measured kinds and of themes and of the pg:Mention nodes of typed entities (right when the entity's labels
are gold names or `acceptable` of the post), with the pg:method values seen in each band.
--json FILE writes all numbers. Exits 0; skips (exit 0) when ../shared is absent.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import platform
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORE_GOLD = SHARED / "tools" / "score_gold.py"
PG, RDF = "https://w3id.org/postgraph/ns#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
TYPED = {"event", "project", "organization", "place"}
MEASURED = ("colocated_with", "location", "organizer", "start", "end")
KIND_ORDER = ("about", "mentions", "series", "colocated_with", "location", "start", "end", "organizer", "theme")
BANDS = (("[0.9,1.0]", 0.9), ("[0.8,0.9)", 0.8), ("[0.7,0.8)", 0.7), ("[0.6,0.7)", 0.6), ("<0.6", -1.0))
CLAIMS = f"""SELECT ?s ?p ?o ?c ?m WHERE {{ GRAPH <%s> {{ ?x a <{PG}Claim>; <{RDF}subject> ?s;
  <{RDF}predicate> ?p; <{RDF}object> ?o . OPTIONAL {{ ?x <{PG}confidence> ?c }} OPTIONAL {{ ?x <{PG}method> ?m }} }} }}"""
MENTIONS = f"""SELECT ?b ?c ?m WHERE {{ GRAPH <%s> {{ ?x a <{PG}Mention>; <http://www.w3.org/ns/oa#hasBody> ?b .
  OPTIONAL {{ ?x <{PG}confidence> ?c }} OPTIONAL {{ ?x <{PG}method> ?m }} }} }}"""


def load_score_gold() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_gold", SCORE_GOLD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_entries(site: str) -> list[dict]:
    import yaml

    files = sorted((ROOT / "tests/gold").glob("*.yaml")) if site == "osslat" else \
        sorted((ROOT / "tests/gold/new-sites").glob(f"{site}-*.yaml"))
    posts = [e for f in files for e in yaml.safe_load(f.read_text(encoding="utf-8")).get("posts", [])]
    return [e for e in posts if e.get("site", site) == site]


def default_language(site_dir: Path) -> str:
    for f in [*site_dir.glob("hugo.*"), *site_dir.glob("config.*"), *site_dir.glob("config/_default/*")]:
        m = re.search(r"defaultContentLanguage\s*[:=]\s*[\"']?([A-Za-z-]+)", f.read_text(encoding="utf-8"))
        if m and "notheme" not in f.name:
            return m.group(1).lower()
    return "en"


def language(path: str, default: str) -> str:
    m = re.search(r"\.([a-z]{2})\.md$", path) or re.match(r"content/([a-z]{2})/", path)
    return m.group(1) if m else default


def export_site(site: str, site_dir: Path, data_dir: Path | None, build: bool, tmp: Path) -> Path:
    kept = data_dir / f"{site}.nq" if data_dir else None
    if kept and kept.exists() and not build:
        return kept
    cli = Path(sys.executable).with_name("postgraph")
    cmd = [str(cli)] if cli.exists() else [sys.executable, "-c", "from graph.cli.commands import main; main()"]
    store, out = tmp / f"{site}.store", kept or tmp / f"{site}.nq"
    subprocess.run([*cmd, "build", str(site_dir), "--store", str(store)], check=True, capture_output=True, cwd=ROOT)
    subprocess.run([*cmd, "export", "--store", str(store), "--format", "nquads", "-o", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    return out


def term(t: Any) -> str:
    return "_:" + t.value if type(t).__name__ == "BlankNode" else t.value


def band(conf: Any) -> str:
    if conf is None:
        return "no confidence"
    value = float(conf.value)
    return next(name for name, low in BANDS if value >= low)


def new_counts() -> dict[str, int]:
    return dict.fromkeys(("er_hit", "er_tot", "ep_ok", "ep_tot", "rr_hit", "rr_tot", "rp_ok", "rp_tot"), 0)


class Scorer:
    def __init__(self, sg: ModuleType) -> None:
        self.sg = sg
        self.summary: dict[str, dict[str, int]] = defaultdict(new_counts)
        self.langs: dict[str, dict[str, int]] = defaultdict(new_counts)
        self.kinds: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: dict.fromkeys(("hit", "total", "ok", "stated"), 0)))
        self.bands: dict[str, dict[str, dict[str, Any]]] = {"claims": {}, "mentions": {}}
        self.missing: list[str] = []
        self.mismatches: list[str] = []

    def right(self, entry: dict, ids: dict[str, set[str]], post: str, s: str, p: str, o: str) -> bool:
        """Whether a stated relation is one of the post's gold relations, by score_gold's rules."""
        kind = self.sg._kind_of_predicate(p)
        for gs, gr, go in entry.get("relations", []):
            if gr == kind == "colocated_with":
                a, b = ids.get(gs, set()), ids.get(go, set())
                if (s in a and o in b) or (s in b and o in a):
                    return True
            elif gr == kind and self.sg._matches(gr, s, p, o, {post} if gs == "post" else ids.get(gs, set()),
                                                 ids.get(go, set()), go):
                return True
        return False

    def tally(self, group: str, name: str, conf: Any, method: Any, ok: bool) -> None:
        b = self.bands[group].setdefault(name, {"n": 0, "ok": 0, "methods": {}})
        m = b["methods"].setdefault(method.value if method is not None else "(none)", {"n": 0, "ok": 0})
        for c in (b, m):
            c["n"] += 1
            c["ok"] += ok

    def post(self, g: Any, site: str, entry: dict, path: str, lang: str) -> None:
        sg = self.sg
        res = sg.score_post(g, entry, path)
        if not res.get("found_post"):
            self.missing.append(f"{site}:{path}")
            return
        add = {"er_hit": res["entity_recall"]["hit"], "er_tot": res["entity_recall"]["total"],
               "ep_ok": res["entity_precision"]["ok"], "ep_tot": res["entity_precision"]["total"],
               "rr_hit": res["relation_recall"]["hit"], "rr_tot": res["relation_recall"]["total"],
               "rp_ok": res["relation_precision"]["ok"], "rp_tot": res["relation_precision"]["total"]}
        for counts in (self.summary[site], self.summary["all"], self.langs[lang]):
            for key, value in add.items():
                counts[key] += value
        missed = Counter(res["relation_recall"]["missed"])
        for s_id, r, o_id in entry.get("relations", []):
            key = f"{s_id} {r} {o_id}"
            hit = missed[key] == 0
            missed[key] -= not hit
            for where in (site, "all"):
                self.kinds[where][r]["total"] += 1
                self.kinds[where][r]["hit"] += hit
        ids = {k: set(v) for k, v in res["_ids"].items()}
        graph, post = res["graph"], res["post"]
        stated = g.stated_in(graph)
        ok = total = 0
        for s, p, o in stated:
            kind = sg._kind_of_predicate(p)
            if kind is None:
                continue
            right = self.right(entry, ids, post, s, p, o)
            ok, total = ok + right, total + 1
            for where in (site, "all"):
                self.kinds[where][kind]["stated"] += 1
                self.kinds[where][kind]["ok"] += right
        # themes: score_gold does not measure their precision; a stated pg:theme is right when the
        # post's gold has that theme for that event (events and topics matched as score_gold does)
        for s, p, o in stated:
            if p != PG + "theme":
                continue
            right = any(gr == "theme" and s in ids.get(gs, set()) and o in ids.get(go, set())
                        for gs, gr, go in entry.get("relations", []))
            for where in (site, "all"):
                self.kinds[where]["theme"]["stated"] += 1
                self.kinds[where]["theme"]["ok"] += right
        if (ok, total) != (res["relation_precision"]["ok"], res["relation_precision"]["total"]):
            self.mismatches.append(f"{site}:{path} {ok}/{total} vs score_gold {res['relation_precision']}")
        claimed = set()
        for row in g.store.query(CLAIMS % graph):
            s, p, o = term(row["s"]), term(row["p"]), term(row["o"])
            if p == PG + "theme":
                self.tally("claims", band(row["c"]), row["c"], row["m"], any(
                    gr == "theme" and s in ids.get(gs, set()) and o in ids.get(go, set())
                    for gs, gr, go in entry.get("relations", [])))
                continue
            if sg._kind_of_predicate(p) is None:
                continue
            claimed.add((s, p, o))
            self.tally("claims", band(row["c"]), row["c"], row["m"], self.right(entry, ids, post, s, p, o))
        for s, p, o in stated - claimed:
            if sg._kind_of_predicate(p) is not None:
                self.tally("claims", "no claim node", None, None, self.right(entry, ids, post, s, p, o))
        ok_names = {sg.norm(n) for e in entry.get("entities", []) for n in e.get("names", [])}
        ok_names |= {sg.norm(n) for n in entry.get("acceptable", [])}
        for row in g.store.query(MENTIONS % graph):
            body = term(row["b"])
            if g.kinds_of(body) & TYPED:
                self.tally("mentions", band(row["c"]), row["c"], row["m"], bool(g.labels.get(body, set()) & ok_names))


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "-"


def table(title: str, headers: list[str], rows: list[list[str]], left: int = 1) -> None:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    print(f"\n## {title}")
    for r in [headers, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) if i < left else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))


def summary_rows(groups: dict[str, dict[str, int]], names: list[str]) -> list[list[str]]:
    return [[n, ratio(c["er_hit"], c["er_tot"]), ratio(c["ep_ok"], c["ep_tot"]), ratio(c["rr_hit"], c["rr_tot"]),
             ratio(c["rp_ok"], c["rp_tot"])] for n in names for c in [groups[n]]]


def report(sc: Scorer, sites: list[str]) -> None:
    heads = ["", "entity recall", "entity precision", "relation recall", "relation precision"]
    table("a. per site (micro over posts)", ["site", *heads[1:]], summary_rows(sc.summary, [*sites, "all"]))
    for where in ["all", *sites]:
        kinds = sc.kinds[where]
        order = [k for k in KIND_ORDER if k in kinds] + sorted(set(kinds) - set(KIND_ORDER))
        rows = [[k, ratio(kinds[k]["hit"], kinds[k]["total"]),
                 ratio(kinds[k]["ok"], kinds[k]["stated"]) if k in (*MEASURED, "theme") else "not measured"] for k in order]
        table(f"b. per relation kind: {where}", ["kind", "recall", "precision (stated)"], rows)
    table("c. per language (all sites)", ["language", *heads[1:]], summary_rows(sc.langs, sorted(sc.langs)))
    for group, what in (("claims", "claims of the measured kinds"), ("mentions", "mentions of typed entities")):
        names = [n for n, _ in BANDS] + sorted(set(sc.bands[group]) - {n for n, _ in BANDS})
        rows = []
        for name in names:
            b = sc.bands[group].get(name, {"n": 0, "ok": 0, "methods": {}})
            rows.append([name, "all", str(b["n"]), ratio(b["ok"], b["n"])])
            rows += [["", m, str(c["n"]), ratio(c["ok"], c["n"])]
                     for m, c in sorted(b["methods"].items(), key=lambda kv: (-kv[1]["n"], kv[0]))]
        table(f"d. confidence bands: {what}", ["band", "method", "count", "precision"], rows, left=2)


def header() -> list[str]:
    import pyoxigraph

    def git(*args: str) -> str:
        r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else "?"

    dirty = " (uncommitted changes in graph/ or ontology/)" if git("status", "--porcelain", "--", "graph", "ontology") else ""
    return [f"date {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
            f"commit {git('rev-parse', '--short', 'HEAD')}{dirty}",
            f"python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", action="store_true", help="build every site even when DIR/<site>.nq exists")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write all numbers to FILE as JSON")
    ap.add_argument("--sites", default="osslat,fluxcd,linkerd,helm", help="comma-separated site names")
    ap.add_argument("--data-dir", type=Path, metavar="DIR", help="read (or keep) exports as DIR/<site>.nq")
    a = ap.parse_args()
    if not SCORE_GOLD.exists():
        print(f"skipped: {SCORE_GOLD} not found (the shared corpora and tools sit beside the checkout)")
        return 0
    sg = load_score_gold()
    sc, sites = Scorer(sg), [s for s in a.sites.split(",") if s]
    lines = header()
    print("\n".join(lines))
    if a.data_dir:
        a.data_dir.mkdir(parents=True, exist_ok=True)
    scored = []
    with tempfile.TemporaryDirectory(prefix="eval-gold-") as tmp:
        for site in sites:
            site_dir, entries = SHARED / "corpora" / site, gold_entries(site)
            if not site_dir.is_dir() or not entries:
                print(f"skipped {site}: {'no corpus at ' + str(site_dir) if not site_dir.is_dir() else 'no gold'}")
                continue
            try:
                data = export_site(site, site_dir, a.data_dir, a.build, Path(tmp))
            except subprocess.CalledProcessError as e:
                print(f"skipped {site}: {' '.join(e.cmd[-5:])} failed: {e.stderr.decode(errors='replace')[-300:]}")
                continue
            g, lang = sg.Graph(data), default_language(site_dir)
            for entry in entries:
                for path in entry["paths"]:
                    sc.post(g, site, entry, path, language(path, lang))
            scored.append(site)
            print(f"{site}: {len(entries)} gold posts, {sum(len(e['paths']) for e in entries)} paths, "
                  f"data {data if a.data_dir else data.name}, default language {lang}")
    report(sc, scored)
    for m in sc.missing:
        print(f"! post not found: {m}")
    for m in sc.mismatches:
        print(f"! relation precision differs from score_gold: {m}")
    if a.json:
        kinds = {w: dict(k) for w, k in sc.kinds.items()}
        a.json.write_text(json.dumps({"header": lines, "sites": scored, "summary": sc.summary, "kinds": kinds,
                                      "languages": sc.langs, "bands": sc.bands, "posts_not_found": sc.missing,
                                      "precision_mismatches": sc.mismatches}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
