"""Themes over time: the articles per year that mention each of the vocabulary's themes, and a
self-contained SVG line chart to draw them (`postgraph analyze themes`, the analysis page)."""

from __future__ import annotations

from collections import Counter, defaultdict
from xml.sax.saxutils import escape

import pyoxigraph as ox

from graph.explore.analysis import pick_label
from graph.query.sparql import run


def themes_over_time(snapshot: ox.Store, top: int = 8, lang: str = "en") -> tuple[list[int], dict[str, dict[int, int]]]:
    """Articles per year (of their first version) that mention each theme of the vocabulary's themes scheme (the `top` most
    mentioned themes). Returns the years and, per theme label, posts by year."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for row in run(snapshot, """
            SELECT ?theme ?year (COUNT(?article) AS ?n) WHERE {
              ?theme skos:inScheme ?scheme FILTER(STRENDS(STR(?scheme), "/scheme/themes"))
              ?article a schema:CreativeWork ; schema:mentions ?theme .
              { SELECT ?article (MIN(?published) AS ?first) WHERE {
                  ?article schema:workExample ?post . ?post schema:datePublished ?published } GROUP BY ?article }
              BIND(YEAR(?first) AS ?year)
            } GROUP BY ?theme ?year""").result:
        counts[row["theme"].value][int(row["year"].value)] += int(row["n"].value)
    chosen = sorted(counts, key=lambda t: (-sum(counts[t].values()), t))[:top]
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if chosen:
        values = " ".join(f"<{t}>" for t in chosen)
        for row in run(snapshot, f"SELECT DISTINCT ?t ?l WHERE {{ VALUES ?t {{ {values} }} ?t skos:prefLabel ?l }}").result:
            labels[row["t"].value].append((row["l"].value, getattr(row["l"], "language", None) or ""))
    years = sorted({y for t in chosen for y in counts[t]})
    series = {(pick_label(labels[t], lang) or t): dict(counts[t]) for t in chosen}
    return years, series


_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
            "#7f7f7f", "#bcbd22")


def _legend_lines(label: str, per_line: int) -> list[str]:
    """A legend label on at most two lines of `per_line` characters, cut with "…" after that (the full
    label is the entry's tooltip)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2 or any(len(line) > per_line for line in lines):
        first = lines[0][:per_line]
        rest = " ".join(lines[1:]) if len(lines[0]) <= per_line else lines[0][per_line:] + " " + " ".join(lines[1:])
        rest = rest.strip()
        lines = [first] + ([rest if len(rest) <= per_line else rest[:per_line - 1].rstrip() + "…"] if rest else [])
    return lines or [""]


def line_chart_svg(years: list[int], series: dict[str, dict[int, int]], title: str = "",
                   width: int = 760, height: int = 360) -> str:
    """A self-contained SVG line chart (one line per series, a legend, labelled axes). Every text is
    XML-escaped: labels come from posts and the vocabulary."""
    left, right, top, bottom = 48, 200, 36 if title else 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([n for s in series.values() for n in s.values()] or [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="12">']
    if title:
        parts.append(f'<title>{escape(title)}</title><text x="{left}" y="20" font-size="14" '
                     f'font-weight="bold">{escape(title)}</text>')

    def x(year: int) -> float:
        if len(years) < 2:
            return left + plot_w / 2
        return left + plot_w * (year - years[0]) / (years[-1] - years[0])

    def y(n: float) -> float:
        return top + plot_h * (1 - n / peak)

    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#444"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>')
    for tick in sorted({0, peak // 2, peak}):
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{year}</text>')
    parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" '
                 f'text-anchor="middle">posts</text>')
    ly = top + 6
    for i, (label, by_year) in enumerate(series.items()):
        colour = _PALETTE[i % len(_PALETTE)]
        points = " ".join(f"{x(yr):.1f},{y(by_year.get(yr, 0)):.1f}" for yr in years)
        parts.append(f'<g class="series"><title>{escape(label)}</title>'
                     f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for yr in years:
            parts.append(f'<circle cx="{x(yr):.1f}" cy="{y(by_year.get(yr, 0)):.1f}" r="3" fill="{colour}"/>')
        parts.append("</g>")
        lines = _legend_lines(label, (right - 30) // 7)  # ~7 px per character at 12 px
        spans = "".join(f'<tspan x="{left + plot_w + 26}" dy="{0 if k == 0 else 14}">{escape(line)}</tspan>'
                        for k, line in enumerate(lines))
        parts.append(f'<g class="legend"><title>{escape(label)}</title>'
                     f'<rect x="{left + plot_w + 12}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + plot_w + 26}" y="{ly + 1}">{spans}</text></g>')
        ly += 14 * len(lines) + 4
    if not series:
        parts.append(f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle">'
                     'no theme is mentioned by a dated post</text>')
    parts.append("</svg>")
    return "".join(parts)
