#!/usr/bin/env python3
"""Extraction speed: average time to extract entities from a 2,000-word post.

    python bench/bench_extraction.py [--posts 200] [--words 2000] [--seed 7]

Posts are generated deterministically: ordinary prose in en/es/pt with known names from the
vocabulary, places with and without context, unknown event names, code blocks, links and
headings. The baseline, run in the same process on the same posts, is the least work any
extractor must do (the yardstick of ../shared/tools/floor_build.py): one Aho-Corasick pass of
the lower-cased text. Target: < 20 ms per post on average with a vocabulary of >= 1,000 entries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import ahocorasick

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.extract.extractor import Extractor
from graph.extract.places import gazetteer
from graph.extract.vocabulary import load_vocabulary
from graph.model import Page
from graph.read.post import parse_source

WORDS = {
    "en": ["the", "community", "met", "to", "discuss", "how", "operators", "run", "clouds", "and", "why", "open", "source", "matters", "for", "teams", "building", "infrastructure", "with", "care", "while", "students", "learned", "about", "storage", "networks", "and", "security"],
    "es": ["la", "comunidad", "se", "reunió", "para", "hablar", "de", "cómo", "los", "operadores", "usan", "nubes", "y", "por", "qué", "el", "código", "abierto", "importa", "a", "los", "equipos", "que", "construyen", "infraestructura", "mientras", "estudiantes", "aprendían"],
    "pt": ["a", "comunidade", "se", "reuniu", "para", "falar", "de", "como", "os", "operadores", "usam", "nuvens", "e", "por", "que", "o", "código", "aberto", "importa", "para", "as", "equipes", "que", "constroem", "infraestrutura", "enquanto", "estudantes", "aprendiam"],
}
PLACES = {"en": ["in Pasadena", "in Bogotá", "in Guadalajara, Mexico"], "es": ["en Bogotá", "en Lima"],
          "pt": ["em São Paulo", "em Curitiba"]}


def make_post(rng: random.Random, names: list[str], lang: str, words: int) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        sentence = [rng.choice(WORDS[lang]) for _ in range(rng.randint(8, 18))]
        if rng.random() < 0.6:
            sentence.insert(rng.randrange(len(sentence)), rng.choice(names))
        if rng.random() < 0.2:
            sentence.append(rng.choice(PLACES[lang]))
        if rng.random() < 0.05:
            sentence.append(f"at the Andean Cloud Summit {rng.choice([2024, 2025])}")
        count += len(sentence)
        out.append(" ".join(sentence).capitalize() + ".")
        if rng.random() < 0.08:
            out.append("\n\n## " + rng.choice(names) + " notes\n")
        if rng.random() < 0.04:
            out.append("\n\n```sh\nkubectl get pods -n openstack\n```\n")
        if rng.random() < 0.05:
            out.append(" See https://example.org/docs for details.")
    return "---\ntitle: \"Report\"\ndate: 2025-04-18\n---\n" + " ".join(out) + "\n"


def page(text: str, lang: str) -> Page:
    parsed = parse_source("content/p.md", text.encode("utf-8"))
    return Page(rel_path="content/p.md", lang=lang, kind="page", section="blog", title="Report",
                permalink="https://example.org/p/", text=parsed.text,
                body_offset=parsed.body_offset, body_line=parsed.body_line, content_hash=parsed.content_hash,
                front_matter=parsed.front_matter, date=parsed.date)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=200, help="number of posts to time")
    ap.add_argument("--words", type=int, default=2000, help="words per post")
    ap.add_argument("--seed", type=int, default=7, help="seed of the generator")
    a = ap.parse_args()
    vocabulary = load_vocabulary("https://example.org/id/")
    names = sorted({label for e in vocabulary.entries.values() for label, _ in e.labels if len(label) > 2})
    rng = random.Random(a.seed)
    langs = ["en", "es", "pt"]
    pages = [page(make_post(rng, names, langs[i % 3], a.words), langs[i % 3]) for i in range(a.posts)]
    extractor = Extractor(vocabulary, gazetteer())
    extractor.mentions(pages[0])  # warm caches (fold table, wordfreq)

    floor = ahocorasick.Automaton()
    for i, name in enumerate(names):
        floor.add_word(name.lower(), i)
    floor.make_automaton()

    ours, base, mentions = [], [], 0
    for p in pages:
        t0 = time.perf_counter()
        sum(1 for _ in floor.iter(p.text.lower()))
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        mentions += len(extractor.mentions(p).mentions)  # mentions only, as before claims joined extract()
        ours.append(time.perf_counter() - t0)
    mean = statistics.mean(ours) * 1000
    print(f"vocabulary: {len(vocabulary.entries)} entries ({extractor.matcher.size} surface forms), "
          f"gazetteer: {len(gazetteer().places)} places")
    print(f"posts: {len(pages)} of {a.words} words (en/es/pt), {mentions / len(pages):.0f} mentions per post")
    print(f"extract: mean {mean:.2f} ms, median {statistics.median(ours) * 1000:.2f} ms, "
          f"p95 {sorted(ours)[int(len(ours) * 0.95)] * 1000:.2f} ms per post (target < 20 ms)")
    print(f"baseline (one Aho-Corasick pass): mean {statistics.mean(base) * 1000:.2f} ms; "
          f"ratio {statistics.mean(ours) / statistics.mean(base):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
