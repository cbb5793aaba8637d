"""The graph page in real Chromium: it draws, searches, opens the panel, filters, focuses, expands."""

from __future__ import annotations

import urllib.parse

from ..helpers import wait_until

WAIT = 30_000  # ms: a loaded 2-core CI machine lays out a few hundred nodes in seconds


def _open(page, server, query: str = "") -> None:
    page.goto(f"{server.url}/graph{query}")
    page.wait_for_selector("#graph[data-stabilized=true]", state="attached", timeout=WAIT)


def _labels(page) -> list[str]:
    return page.evaluate("window.postgraph.nodes.get().map(n => n.label)")


def test_graph_draws_the_founding_posts_entities(page, content_server) -> None:
    _open(page, content_server)
    labels = _labels(page)
    for expected in ("OpenInfra Days North America 2025", "Pasadena", "Zuul"):
        assert expected in labels
    assert any(label.startswith("Southern California Linux Expo") for label in labels)
    assert page.evaluate("window.postgraph.edges.length") > 0
    # the legend lists every kind, and nothing was left out on this small graph
    assert page.locator("#type-filters input[type=checkbox]").count() >= 6
    assert page.locator("#graph-notice").is_hidden()


def test_search_focuses_a_node_and_click_opens_the_panel(page, content_server) -> None:
    _open(page, content_server)
    page.fill("#graph-search", "zuu")
    page.wait_for_selector("#search-suggestions li")
    assert page.locator("#search-suggestions li").first.inner_text().startswith("Zuul")
    selected = page.evaluate("window.postgraph.network.getSelectedNodes()")
    assert selected == [page.evaluate("window.postgraph.nodes.get().find(n => n.label === 'Zuul').id")]
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-title") == "Zuul"
    page.wait_for_selector("#panel-facts dt")
    assert "articles mentioning it" in page.inner_text("#panel-facts")
    # a real click on a node's drawn position opens the panel too
    page.click("#panel-close")
    page.evaluate("window.postgraph.network.fit({animation: false})")  # the focus animation has moved the view
    iri = page.evaluate("window.postgraph.nodes.get().find(n => n.label === 'Pasadena').id")
    pos = page.evaluate(f"""(() => {{ const p = window.postgraph.network.getPositions([{iri!r}])[{iri!r}];
                                     return window.postgraph.network.canvasToDOM(p); }})()""")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-title") == "Pasadena"
    href = page.get_attribute("#panel-link", "href")
    assert urllib.parse.unquote(href).endswith(iri)


def test_type_filter_hides_nodes_and_slider_hides_weak_ones(page, content_server) -> None:
    _open(page, content_server)
    visible = "window.postgraph.nodes.get({filter: n => !n.hidden}).length"
    places = "window.postgraph.nodes.get({filter: n => n.group === 'place' && !n.hidden}).length"
    before = page.evaluate(visible)
    assert page.evaluate(places) > 0
    page.uncheck("#type-filters input[data-kind=place]")
    assert page.evaluate(places) == 0 and page.evaluate(visible) < before
    page.check("#type-filters input[data-kind=place]")
    assert page.evaluate(visible) == before
    page.locator("#min-degree").fill("5")
    assert page.evaluate("window.postgraph.nodes.get({filter: n => !n.hidden && n.degree < 5}).length") == 0


def test_focus_and_double_click_expand(page, osslat_server) -> None:
    iri = "https://oss.lat/id/event/scale/2025"
    _open(page, osslat_server, "?" + urllib.parse.urlencode({"focus": iri, "depth": 1, "limit": 15}))
    assert page.evaluate(f"window.postgraph.nodes.get({iri!r}) !== null")
    before = page.evaluate("window.postgraph.nodes.length")
    assert before <= 15
    page.evaluate(f"window.postgraph.network.emit('doubleClick', {{nodes: [{iri!r}], edges: []}})")
    wait_until(page, f"window.postgraph.nodes.length > {before}")


def test_bounded_view_says_what_was_left_out(page, osslat_server) -> None:
    _open(page, osslat_server, "?limit=20")
    assert page.evaluate("window.postgraph.nodes.length") == 20
    assert "most central" in page.inner_text("#graph-notice")


def test_construct_query_drawn_as_a_network(page, osslat_server) -> None:
    query = "CONSTRUCT { ?a seo:colocatedWith ?b . ?a schema:location ?p } WHERE { ?a seo:colocatedWith ?b . OPTIONAL { ?a schema:location ?p } }"
    _open(page, osslat_server, "?" + urllib.parse.urlencode({"query": query}))
    edges = page.evaluate("window.postgraph.edges.get().map(e => e.label)")
    assert "co-located with" in edges
    # one link per co-located pair (the graph states it both ways), without arrows
    pairs = page.evaluate("window.postgraph.edges.get().filter(e => e.label === 'co-located with')"
                          ".map(e => [e.from, e.to].sort().join(' '))")
    assert len(pairs) == len(set(pairs)) and pairs
    # the query page offers the same view
    page.goto(f"{osslat_server.url}/query?" + urllib.parse.urlencode({"query": query}))
    link = page.locator("#show-as-graph")
    assert link.count() == 1 and "/graph?query=" in link.get_attribute("href")


def test_hostile_titles_are_text_everywhere(page, tmp_path) -> None:
    from graph.build.pipeline import BuildOptions, build
    from graph.store.local import LocalStore

    from .conftest import LiveServer

    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://x.example/"\n', encoding="utf-8")
    evil = "<img src=x onerror=window.__xss=1>"
    for i in range(3):
        (site / "content" / "posts" / f"p{i}.md").write_text(
            f'---\ntitle: "{evil} {i}"\ntags: ["<script>window.__xss=2</script>"]\ndate: 2025-0{i + 1}-01\n---\n'
            f'The <b onmouseover="window.__xss=3">Kubernetes</b> and OpenStack teams met in Pasadena, California.\n',
            encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build(store, BuildOptions(site=site))
    server = LiveServer(store)
    try:
        for path in ("/graph", "/", "/analysis",
                     "/analysis/path?from=Kubernetes&to=OpenStack", "/describe?iri=" +
                     urllib.parse.quote("https://x.example/posts/p0/")):
            page.goto(server.url + path)
            page.wait_for_load_state("networkidle")
            if path == "/graph":
                page.wait_for_selector("#graph[data-stabilized=true]", state="attached", timeout=WAIT)
                for label in _labels(page):
                    page.fill("#graph-search", label[:6])
                page.hover("#graph")
            assert page.evaluate("window.__xss === undefined"), path
            assert page.locator("img[src=x]").count() == 0, path
    finally:
        server.close()


def test_opening_view_draws_stated_relations_with_labels_and_co_mentions_on_request(page, osslat_server) -> None:
    """The graph opens on what posts state (labelled links, sized by articles), not on the hairball of
    co-mentions, which a checkbox adds."""
    _open(page, osslat_server)
    edges = page.evaluate("window.postgraph.edges.get()")
    assert edges and all(e.get("label") and not e.get("dashes") for e in edges), edges[:3]
    assert any(e["label"] == "co-located with" for e in edges)
    assert page.locator("input[name=comention]").is_checked() is False
    _open(page, osslat_server, "?comention=1")
    assert page.evaluate("window.postgraph.edges.get({filter: e => e.dashes}).length") > 0


def test_legend_shapes_match_the_drawing(page, content_server) -> None:
    """Topics are stars in the graph, and a star in the legend (it was a triangle)."""
    _open(page, content_server)
    star = page.evaluate("getComputedStyle(document.querySelector('.swatch.kind-topic')).clipPath")
    triangle = page.evaluate("getComputedStyle(document.querySelector('.swatch.kind-place')).clipPath")
    assert star.count(",") == 9 and triangle.count(",") == 2  # ten points against three


def test_embedded_ego_graph_is_whole_and_quiet(page, osslat_server) -> None:
    """The ego graph inside an entity page shows all of itself and does not open its side panel."""
    iri = "https://oss.lat/id/event/scale/2025"
    _open(page, osslat_server, "?" + urllib.parse.urlencode({"focus": iri, "embed": 1, "limit": 25}))
    page.wait_for_timeout(300)
    assert page.locator("#panel").is_hidden()
    box = page.evaluate("(() => { const r = document.getElementById('graph').getBoundingClientRect(); "
                        "return [r.width, r.height]; })()")
    inside = page.evaluate("""(() => { const net = window.postgraph.network; const pos = net.getPositions();
        return Object.values(pos).map(p => net.canvasToDOM(p)); })()""")
    assert inside and all(0 <= p["x"] <= box[0] and 0 <= p["y"] <= box[1] for p in inside)


def test_side_panel_reads_relations_in_words(page, osslat_server) -> None:
    """The panel names each relation the way the link reads, from this entity's side ("part of",
    "has edition", "co-located with"), not by the property's local name."""
    iri = "https://oss.lat/id/event/scale/2025"
    _open(page, osslat_server, "?" + urllib.parse.urlencode({"focus": iri, "limit": 25}))
    page.evaluate(f"window.postgraph.network.emit('click', {{nodes: [{iri!r}], edges: []}})")
    page.wait_for_selector("#panel:not([hidden]) #panel-facts dt")
    terms = page.locator("#panel-facts dt").all_inner_texts()
    assert "part of" in terms and "co-located with" in terms, terms
    assert not any(t in ("superEvent", "colocatedWith") for t in terms)
