"""graph.explore.analysis, `postgraph analyze` and the /analysis pages, on the osslat site and content/."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.build.pipeline import BuildOptions, build
from graph.cli.commands import main
from graph.explore import analysis, theme_trends
from graph.store.local import LocalStore
from web.app import create_app

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def snapshot(osslat_store):
    return osslat_store.snapshot()


@pytest.fixture(scope="module")
def eg(snapshot) -> analysis.EntityGraph:
    return analysis.project(snapshot)


def test_projection_has_typed_labelled_entities_and_stated_relations(eg) -> None:
    g = eg.graph
    assert g.number_of_nodes() > 100
    kinds = {d["kind"] for _n, d in g.nodes(data=True)}
    assert {"event", "series", "project", "organization", "place", "topic"} <= kinds
    colocated = [(a, b) for a, b, d in g.edges(data=True)
                 if any(p.endswith("#colocatedWith") for _s, p, _o in d["relations"])]
    assert colocated, "a co-location stated in a post must become an edge"
    # every co-mention edge is backed by at least two posts (the threshold)
    assert all(d["posts"] >= 2 for _a, _b, d in g.edges(data=True) if not d["relations"])


def test_projection_counts_articles(eg, snapshot) -> None:
    """An entity's weight is the articles that mention it: three language versions count once."""
    from graph.query.sparql import run
    iri = analysis.resolve(eg, "Kubernetes")
    n = int(next(iter(run(snapshot, f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a schema:CreativeWork ; "
                                    f"schema:mentions <{iri}> }}").result))["n"].value)
    versions = int(next(iter(run(snapshot, f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a schema:BlogPosting ; "
                                           f"schema:mentions <{iri}> }}").result))["n"].value)
    assert eg.graph.nodes[iri]["posts"] == n > 5 and versions > n


def test_centrality_ranks_hubs_first_and_filters_kinds(eg) -> None:
    ranked = analysis.centrality(eg, top=10)
    assert [r.pagerank for r in ranked] == sorted((r.pagerank for r in ranked), reverse=True)
    assert ranked[0].degree >= 10
    events = analysis.centrality(eg, top=5, kinds={"event"})
    assert events and all(r.kind == "event" for r in events)


def test_cooccurrence_pairs_projects_with_themes_and_events(eg) -> None:
    themes = analysis.cooccurrence(eg, "project", "topic", 10)
    assert themes and all(eg.kind(p.a) == "project" and eg.kind(p.b) == "topic" for p in themes)
    assert [p.posts for p in themes] == sorted((p.posts for p in themes), reverse=True)
    events = analysis.cooccurrence(eg, "project", "event", 50)
    assert any(s.endswith("#features") for p in events for s in p.stated)


def test_communities_partition_into_nontrivial_groups(eg) -> None:
    found = analysis.communities(eg, min_size=3)
    assert len(found) >= 2
    assert sum(c.size for c in found) <= eg.graph.number_of_nodes()
    assert all(len({iri for iri, _l, _k in c.members}) == len(c.members) for c in found)


def test_path_from_the_openinfra_foundation_to_scale_has_evidence_for_every_hop(eg, snapshot) -> None:
    hops = analysis.shortest_path(eg, snapshot, "OpenInfra Foundation", "SCaLE")
    assert hops[0].source == analysis.resolve(eg, "OpenInfra Foundation")
    assert hops[-1].target == analysis.resolve(eg, "SCaLE")
    for a, b in itertools.pairwise(hops):
        assert a.target == b.source
    assert all(h.evidence for h in hops)
    predicates = {p.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for h in hops for _s, p, _o in h.statements}
    assert "colocatedWith" in predicates  # the link runs through the co-located editions
    sentences = [e.text for h in hops for e in h.evidence if e.text]
    assert any("co-locat" in s or "alongside" in s for s in sentences)


def test_path_errors_name_the_problem(eg, snapshot) -> None:
    with pytest.raises(analysis.AnalysisError, match="no entity is called"):
        analysis.shortest_path(eg, snapshot, "Zuul", "no such thing at all")
    with pytest.raises(analysis.AnalysisError, match="same"):
        analysis.shortest_path(eg, snapshot, "SCaLE", "Southern California Linux Expo")


def test_themes_over_time_and_svg_chart(snapshot) -> None:
    years, series = theme_trends.themes_over_time(snapshot, top=5)
    assert years == sorted(years) and len(series) == 5
    svg = ET.fromstring(theme_trends.line_chart_svg(years, series, "Themes <over> time"))
    assert len(svg.findall(f".//{SVG}polyline")) == 5
    assert svg.find(f"{SVG}title").text == "Themes <over> time"  # escaped in the markup, intact as text


def test_svg_escapes_hostile_labels() -> None:
    text = theme_trends.line_chart_svg([2024, 2025], {"<script>alert(1)</script>": {2024: 1, 2025: 2}})
    assert "<script>" not in text
    ET.fromstring(text)


def test_cli_analyze(osslat_store) -> None:
    runner = CliRunner()
    store = str(osslat_store.path)
    result = runner.invoke(main, ["analyze", "path", "Zuul", "SCaLE", "--store", store, "--format", "json"])
    assert result.exit_code == 0, result.output
    hops = json.loads(result.stdout)
    assert hops[0]["from"] == "Zuul" and all(h["evidence"] for h in hops)
    result = runner.invoke(main, ["analyze", "centrality", "--store", store, "--format", "csv", "--top", "3"])
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 4
    result = runner.invoke(main, ["analyze", "path", "Zuul", "nothing like this", "--store", store])
    assert result.exit_code == 1 and "no entity is called" in result.output
    for cmd in ("communities", "cooccurrence", "themes"):
        result = runner.invoke(main, ["analyze", cmd, "--store", store, "--format", "json"])
        assert result.exit_code == 0 and json.loads(result.stdout), cmd


def test_analysis_pages(osslat_store) -> None:
    client = create_app(osslat_store).test_client()
    page = client.get("/analysis")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for section in ("centrality", "communities", "project-theme", "project-event", "themes", "path-form"):
        assert f'id="{section}"' in html
    data = client.get("/analysis?format=json").get_json()
    assert data["centrality"] and data["communities"]
    path = client.get("/analysis/path?from=Zuul&to=SCaLE")
    assert path.status_code == 200 and 'class="hop"' in path.get_data(as_text=True)
    assert client.get("/analysis/path?from=Zuul&to=SCaLE&format=json").get_json()[0]["evidence"]
    assert client.get("/analysis/path?from=Zuul&to=nothing like this").status_code == 404
    assert client.get("/analysis/path?from=Zuul").status_code == 400
    assert client.get("/analysis?lang=xx").status_code == 400
    assert client.get("/analysis?top=0").status_code == 400
    svg = client.get("/analysis/themes.svg")
    assert svg.mimetype == "image/svg+xml"
    ET.fromstring(svg.data)


def test_analysis_page_escapes_post_content(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://x.example/"\n', encoding="utf-8")
    evil = "<img src=x onerror=alert(1)>"
    for i in range(3):
        (site / "content" / "posts" / f"p{i}.md").write_text(
            f'---\ntitle: "{evil} {i}"\ndate: 2025-0{i + 1}-01\n---\n'
            "Kubernetes and OpenStack met at KubeCon in Pasadena, California.\n", encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=site))
    client = create_app(store).test_client()
    html = client.get("/analysis/path?from=Kubernetes&to=OpenStack").get_data(as_text=True)
    assert evil not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_warm_up_projects_the_entity_graph_in_advance(osslat_store) -> None:
    from web.analysis import warm_up

    app = create_app(osslat_store)
    warm_up(app).join(60)
    cache = app.extensions.get("postgraph.analysis", {})
    assert (osslat_store.generation(), "en") in cache
    app.extensions["postgraph.executor"].close()


def test_theme_chart_legend_fits_its_margin() -> None:
    """Long theme names wrap to two lines and end in "…" instead of running off the chart."""
    import re as _re

    from graph.explore.theme_trends import line_chart_svg

    label = "Mentoring and the next generation of open source contributors everywhere"
    svg = line_chart_svg([2024, 2025], {label: {2024: 1, 2025: 3}, "Security": {2025: 2}}, "Themes")
    width = int(_re.search(r'width="(\d+)"', svg).group(1))
    legend = _re.findall(r'<g class="legend">.*?</g>', svg)
    assert len(legend) == 2
    lines = [(x, text) for g in legend for x, text in _re.findall(r'<tspan x="([\d.]+)"[^>]*>([^<]*)</tspan>', g)]
    assert len(lines) == 3  # the long name on two lines, "Security" on one
    for x, text in lines:
        assert float(x) + 7 * len(text) <= width, text  # about 7 px per character at 12 px
    assert f"<title>{label}</title>" in svg  # the whole name is the tooltip
