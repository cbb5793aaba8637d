#!/usr/bin/env python3
"""Precision, recall and F1 of extraction, per entity kind and per relation type, against gold files.

    python bench/eval_extraction.py GOLD SITE [--json] [--data EXPORT.nq]

GOLD is a gold file in the format of ../shared/gold/seed.yaml, or a folder of them (tests/gold/).
SITE is the Hugo site the gold describes; it is built into an in-memory store (or pass --data to
score an N-Quads export instead). Matching follows the rules written at the top of seed.yaml
(labels compared case-, accent- and space-insensitively, kinds by rdf:type); entities and
relations listed as `acceptable` are neither rewarded nor penalised. ../shared/tools/score_gold.py
scores recall the same way and is a check of these numbers.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.build.pipeline import BuildOptions, build
from graph.extract.vocabulary import kind_of
from graph.query.export import export
from graph.store.local import MemoryStore

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
          "http://www.w3.org/2004/02/skos/core#altLabel", "https://schema.org/name", "https://schema.org/alternateName"}
KINDS = ("event", "project", "organization", "place")
RELATION_PREDICATES = {
    "colocated_with": ("colocatedWith",), "series": ("superEvent",), "location": ("location",),
    "organizer": ("organizer",), "about": ("about",), "mentions": ("mentions", "about"),
    "start": ("startDate",), "end": ("endDate",),
}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'").casefold()
    return re.sub(r"\s+", " ", text).strip()


def local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


class Data:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.types: dict[str, set[str]] = defaultdict(set)
        for q in store.quads_for_pattern(None, None, None, None):
            if not isinstance(q.subject, ox.NamedNode):
                continue
            if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
                self.types[q.subject.value].add(q.object.value)
            elif q.predicate.value in LABELS and isinstance(q.object, ox.Literal):
                self.labels[q.subject.value].add(norm(q.object.value))
        self.graph_of_path: dict[str, str] = {}
        for q in store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/postgraph/ns#sourcePath"), None, None):
            if isinstance(q.graph_name, ox.NamedNode):
                self.graph_of_path[q.object.value] = q.graph_name.value

    def kind(self, iri: str) -> str | None:
        return kind_of(frozenset(self.types.get(iri, ())))

    def in_graph(self, graph: str) -> list[ox.Quad]:
        return list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def gold_files(path: Path) -> list[Path]:
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


def match(data: Data, entity: dict, pool: set[str]) -> set[str]:
    if entity["kind"] == "topic":
        rx = re.compile(entity["pattern"])
        return {i for i in data.types if "http://www.w3.org/2004/02/skos/core#Concept" in data.types[i]
                and any(rx.search(label) for label in data.labels.get(i, ()))}
    kinds = {entity["kind"], *entity.get("also", [])}
    names = {norm(n) for n in entity["names"]}
    return {i for i in pool if data.labels.get(i, set()) & names and (data.kind(i) in kinds or
                                                                       ("project" in kinds and data.kind(i) == "project"))}


def score(data: Data, golds: list[Path]) -> dict:
    ent = {k: {"tp": 0, "fp": 0, "fn": 0, "missed": [], "wrong": []} for k in KINDS}
    rel = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "missed": [], "wrong": []})
    for gold_path in golds:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        for entry in gold["posts"]:
            for path in entry["paths"]:
                graph = data.graph_of_path.get(path)
                label = f"{gold_path.stem}:{path.rsplit('/', 1)[-1]}"
                quads = data.in_graph(graph) if graph else []
                post = graph
                pool = {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
                ids = {e["id"]: match(data, e, pool) for e in entry.get("entities", [])}
                ok_names = {norm(n) for e in entry.get("entities", []) for n in e.get("names", [])}
                neutral = {norm(n) for n in entry.get("acceptable", [])}
                for e in entry.get("entities", []):
                    if e["kind"] in KINDS:
                        if ids[e["id"]]:
                            ent[e["kind"]]["tp"] += 1
                        else:
                            ent[e["kind"]]["fn"] += 1
                            ent[e["kind"]]["missed"].append(f"{label} {e['id']}")
                linked = {q.object.value for q in quads if isinstance(q.object, ox.NamedNode) and (
                    (q.subject.value == post and local(q.predicate.value) in ("about", "mentions"))
                    or q.predicate.value == "http://www.w3.org/ns/oa#hasBody")}
                for iri in linked:
                    kind = data.kind(iri)
                    if kind not in KINDS:
                        continue
                    labels = data.labels.get(iri, set())
                    if labels & ok_names:
                        continue  # counted as found above
                    if labels & neutral:
                        continue
                    ent[kind]["fp"] += 1
                    ent[kind]["wrong"].append(f"{label} {sorted(labels)[:1]}")
                _relations(data, entry, ids, quads, post, rel, label, neutral)
    return {"entities": ent, "relations": dict(rel)}


def _relations(data: Data, entry: dict, ids: dict[str, set[str]], quads: list[ox.Quad], post: str | None,
               rel: dict, label: str, neutral: set[str]) -> None:
    by_id = {e["id"]: e for e in entry.get("entities", [])}
    expected: dict[str, set[tuple[frozenset[str], object]]] = defaultdict(set)
    for s_id, r, o_id in entry.get("relations", []):
        subjects = frozenset({post} if s_id == "post" else ids.get(s_id, set()))
        objects = str(o_id) if r in ("start", "end") else frozenset(ids.get(o_id, set()))
        expected[r].add((subjects, objects))
        found = False
        for s in subjects:
            for q in data.store.quads_for_pattern(ox.NamedNode(s), None, None, None) if s else []:
                if local(q.predicate.value) not in RELATION_PREDICATES.get(r, ()) and r != "theme":
                    continue
                if r in ("start", "end"):
                    found |= q.object.value.startswith(str(o_id))
                elif r == "theme":
                    found |= q.object.value in objects and by_id.get(o_id, {}).get("kind") == "topic"
                else:
                    found |= q.object.value in objects
            if r == "colocated_with" and not found:
                found = any(s in {q.object.value for q in data.store.quads_for_pattern(ox.NamedNode(o), None, None, None)
                                  if local(q.predicate.value) == "colocatedWith"} for o in objects)
        rel[r]["tp" if found else "fn"] += 1
        if not found:
            rel[r]["missed"].append(f"{label} {s_id} {r} {o_id}")
    # precision: relation statements of these types that the post's graph asserts about its entities
    known = set().union(*ids.values()) if ids else set()
    for q in quads:
        pred = local(q.predicate.value)
        for r, preds in (("colocated_with", ("colocatedWith",)), ("location", ("location",)),
                         ("organizer", ("organizer",)), ("start", ("startDate",)), ("end", ("endDate",))):
            if pred not in preds or not isinstance(q.subject, ox.NamedNode):
                continue
            s, o = q.subject.value, q.object.value
            if data.labels.get(s, set()) & neutral or data.labels.get(o, set()) & neutral:
                continue
            hit = any((s in subj and (o.startswith(obj) if isinstance(obj, str) else (o in obj)))
                      or (r == "colocated_with" and o in subj and not isinstance(obj, str) and s in obj)
                      for subj, obj in expected.get(r, ()))
            if not hit:
                rel[r]["fp"] += 1
                rel[r]["wrong"].append(f"{label} {sorted(data.labels.get(s, {s}))[:1]} {r} "
                                       f"{sorted(data.labels.get(o, {o}))[:1]}")
    del known


def prf(c: dict) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def micro(counts: dict, keys: list[str]) -> tuple[float, float, float]:
    total = {k: sum(counts[x][k] for x in keys if x in counts) for k in ("tp", "fp", "fn")}
    return prf(total)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, help="a gold YAML file or a folder of them")
    ap.add_argument("site", type=Path, help="the Hugo site the gold describes")
    ap.add_argument("--data", type=Path, help="score this N-Quads export instead of building SITE")
    ap.add_argument("--json", action="store_true", help="print the counts as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and wrong answers")
    a = ap.parse_args()
    store = ox.Store()
    if a.data:
        store.load(path=str(a.data), format=ox.RdfFormat.N_QUADS)
    else:
        mem = MemoryStore()
        build(mem, BuildOptions(site=a.site, drafts=True))
        buf = io.BytesIO()
        export(mem.snapshot(), "nquads", buf)
        store.load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
    result = score(Data(store), gold_files(a.gold))
    if a.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{'entities':<16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
    for kind, c in result["entities"].items():
        p, r, f = prf(c)
        print(f"{kind:<16}{p:7.2f}{r:7.2f}{f:7.2f}{c['tp']:6}{c['fp']:6}{c['fn']:6}")
    p, r, f = micro(result["entities"], ["event", "project", "place"])
    print(f"{'micro ev+pr+pl':<16}{p:7.2f}{r:7.2f}{f:7.2f}")
    p, r, f = micro(result["entities"], list(KINDS))
    print(f"{'micro all':<16}{p:7.2f}{r:7.2f}{f:7.2f}")
    print(f"\n{'relations':<16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
    for r_type, c in sorted(result["relations"].items()):
        p, r, f = prf(c)
        print(f"{r_type:<16}{p:7.2f}{r:7.2f}{f:7.2f}{c['tp']:6}{c['fp']:6}{c['fn']:6}")
    p, r, f = micro(result["relations"], list(result["relations"]))
    print(f"{'micro':<16}{p:7.2f}{r:7.2f}{f:7.2f}")
    if a.verbose:
        for section in ("entities", "relations"):
            for name, c in result[section].items():
                for what in ("missed", "wrong"):
                    for item in c[what]:
                        print(f"{section[:-1]} {name} {what}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
