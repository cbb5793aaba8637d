"""Home, search and entity pages in real Chromium: they render, link up, and load nothing from outside."""

from __future__ import annotations

from ..helpers import wait_until


def test_home_search_and_entity_page(page, osslat_server) -> None:
    page.goto(osslat_server.url + "/")
    assert page.locator("#top-events li").count() > 0
    page.fill("input[name=q]", "SCaLE")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#search-results li")
    first = page.locator("#search-results li a").first
    assert "Southern California Linux Expo" in first.inner_text()
    page.goto(osslat_server.url + "/id/event/openinfra-days-north-america/2025")
    evidence = page.locator("#evidence li")
    assert evidence.count() > 0
    mark = evidence.first.locator("mark.mention")
    assert mark.count() == 1 and mark.inner_text()
    assert evidence.first.locator("a.permalink").get_attribute("href").startswith("https://oss.lat/")
    ego = page.frame_locator("iframe.ego-graph")
    ego.locator("#graph[data-stabilized=true]").wait_for(timeout=30_000)
    frame = next(f for f in page.frames if "embed=1" in f.url)
    assert 1 < frame.evaluate("window.postgraph.nodes.length") <= 25
    page.click("#show-in-graph")
    page.wait_for_selector("#graph[data-stabilized=true]", state="attached", timeout=30_000)
    assert page.evaluate("window.postgraph.nodes.get('https://oss.lat/id/event/openinfra-days-north-america/2025') !== null")


def test_entity_page_in_spanish(page, osslat_server) -> None:
    page.goto(osslat_server.url + "/id/event/scale/2025?lang=es")
    assert "evento superior" in page.inner_text("#outgoing")


def test_analysis_page_renders_the_chart(page, osslat_server) -> None:
    page.goto(osslat_server.url + "/analysis")
    page.wait_for_load_state("networkidle")
    assert page.locator("#centrality tr").count() > 5
    assert page.evaluate("document.querySelector('#themes img').naturalWidth") > 0
    page.fill("input[name=from]", "OpenInfra Foundation")
    page.fill("input[name=to]", "SCaLE")
    page.click("#path-form button")
    page.wait_for_selector("#path li.hop")
    assert page.locator("#path li.hop").count() >= 2


def _luminance(css: str) -> float:
    r, g, b = (int(v) / 255 for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_search_badges_are_readable(page, osslat_server) -> None:
    """Each kind's badge has its own colour and text readable on it (WCAG AA, 4.5:1): they were white
    on #dde because .badge came after .kind-* in the stylesheet."""
    page.goto(osslat_server.url + "/search?q=Open")
    badges = page.locator("#search-results .badge")
    assert badges.count() > 0
    kinds = set()
    for i in range(min(badges.count(), 30)):
        fg, bg, kind = badges.nth(i).evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor, e.textContent]")
        lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (kind, fg, bg)
        assert bg != "rgb(221, 221, 238)", kind  # not the plain .badge grey
        kinds.add(kind)
    assert len(kinds) >= 2


def test_query_editor_highlights_and_completes_terms_of_the_graph(page, osslat_server) -> None:
    """The editor colours the query as it is typed and completes prefixes and the graph's own terms."""
    page.goto(osslat_server.url + "/query")
    area = page.locator("#query-text")
    area.fill("")
    area.type("SELECT ?e WHERE { ?e schema:loc")
    wait_until(page, "[...document.querySelectorAll('#query-suggestions li span')]"
                     ".some(s => s.textContent === 'schema:location')", timeout=20)
    assert page.locator("#query-suggestions").is_visible()
    page.keyboard.press("Tab")
    assert area.input_value().endswith("schema:location")
    assert page.locator("#query-highlight .tok-keyword").first.inner_text() == "SELECT"
    assert page.locator("#query-highlight .tok-var").first.inner_text() == "?e"
    assert "schema:location" in page.locator("#query-highlight .tok-pname").all_inner_texts()
    area.press("End")
    area.type(" ?p }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#row-count")
    assert "row(s)" in page.inner_text("#row-count")


def test_colocated_with_scale_2025_where_and_which_posts_from_the_query_page(page, osslat_server) -> None:
    """Issue 16's researcher task, "which events were co-located with SCaLE 2025, where, and which
    posts say so", from the query page: one click on the example, and the answer is on the page
    as labels linked to the entity pages and the posts (two actions after the page opens)."""
    page.goto(osslat_server.url + "/query")
    page.get_by_role("link", name="colocated-events").click()
    page.wait_for_selector("#row-count")
    table = page.locator("table.results")
    headers = table.locator("thead th").all_inner_texts()
    assert {"event", "with", "placeName", "post", "lang"} <= set(headers)
    rows = table.locator("tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    scale = [t for t in texts if "SCaLE" in t and "2025" in t]
    assert scale and all("OpenInfra Days North America 2025" in t and "Pasadena" in t for t in scale)
    assert {t.split("\t")[headers.index("lang")].strip() for t in scale} == {"en", "es", "pt"}
    post_links = table.locator(f"tbody td:nth-child({headers.index('post') + 1}) a")
    assert post_links.count() == len(scale)
    post_links.first.click()  # the post's own page in the graph: its headline is there
    page.wait_for_load_state()
    assert "Pasadena" in page.inner_text("body")
