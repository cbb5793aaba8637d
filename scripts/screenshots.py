#!/usr/bin/env python3
"""Take the README's screenshots in real Chromium: the graph page and an entity page of a site.

    .venv/bin/python scripts/screenshots.py [SITE] [--store DIR] [--out docs]

SITE defaults to ../shared/corpora/osslat. Needs Debian's chromium and the `test` extra (Playwright).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph.build.pipeline import BuildOptions, build  # noqa: E402
from graph.store.local import LocalStore  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO.parent / "shared" / "corpora" / "osslat")
    parser.add_argument("--store", type=Path, help="store directory (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="where the PNG files go (default docs/)")
    parser.add_argument("--entity", default="/id/event/openinfra-days-north-america/2025",
                        help="path of the entity page to capture")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="postgraph-shots-")
    store = LocalStore(args.store or Path(tmp.name) / "store")
    build(store, BuildOptions(site=args.site, drafts=True))

    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from web.app import create_app

    server = create_server(create_app(store), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/graph")
        page.wait_for_selector("#graph[data-stabilized=true]", timeout=120_000)
        page.evaluate("window.postgraph.focus(window.postgraph.nodes.get().find(n => n.label.startsWith('OpenInfra Days North America')).id)")
        page.wait_for_timeout(800)
        page.screenshot(path=str(args.out / "graph.png"))
        page.goto(base + args.entity)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(args.out / "entity.png"), full_page=False)
        # the query page: a result table of labels, and the editor completing a term of the graph
        query = ("SELECT ?event ?other ?place WHERE {\n  ?event seo:colocatedWith ?other .\n"
                 "  OPTIONAL { ?event schema:location ?place }\n}")
        page.goto(f"{base}/query?" + __import__("urllib.parse").parse.urlencode({"query": query}))
        page.wait_for_load_state("networkidle")
        area = page.locator("#query-text")
        area.click()
        area.press("Control+End")
        area.type("\n# schema:orga")
        page.wait_for_function("[...document.querySelectorAll('#query-suggestions li span')]"
                               ".some(s => s.textContent.startsWith('schema:orga'))", timeout=20_000)
        page.screenshot(path=str(args.out / "query.png"), full_page=False)
        browser.close()
    server.close()
    print(f"wrote {args.out / 'graph.png'}, {args.out / 'entity.png'} and {args.out / 'query.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
