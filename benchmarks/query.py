"""A search in the built site as a reader makes it: headless Chromium types into the header's box.

    .venv/bin/python benchmarks/query.py SITE_DIR [--runs 3] QUERY...

The browser first runs one search of its own, not measured (a reader's browser is not just started).
Then for each query, --runs times each way, in a fresh browser context (nothing cached): the page
loads, the box is clicked (the pointer over it starts loading Pagefind) and the query is typed
- cold: at once; ms from the keystroke to the first result shown, and from the pointer reaching
  the box (the click and the keystroke can come no sooner than that);
- warm: once Pagefind has loaded its page list, and half a second more (a reader rarely types
  within the first moments); ms from the keystroke;
- bytes (first cold run): what search transfers from the pointer reaching the box until the results
  have settled (Pagefind's script and WebAssembly, its metadata, the parts of the index the query
  needs, and the fragments of the results shown: everything under pagefind/), as counted on the
  wire by Chromium, headers included, from a server that gzips text files as static hosts do
  (Pagefind's own files are gzip'd already). The theme's own requests are left out: Material
  fetches each language's sitemap.xml after a page loads, for its language switch, which may fall
  in the same moments.
Times are medians of the runs.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import statistics
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WATCH = """() => { window.firstResult = new Promise(resolve => {
  const list = document.querySelector('.md-search-result__list'), box = document.querySelector('input.md-search__input');
  let pointer = null, typed = null;
  box.closest('form').addEventListener('pointerenter', () => { pointer = performance.now(); }, {once: true});
  box.addEventListener('input', () => { typed = performance.now(); }, {once: true});
  new MutationObserver((_, observer) => {
    if (typed === null || !list.querySelector('.md-search-result__item')) return;
    observer.disconnect();
    const now = performance.now();
    resolve([now - typed, now - (pointer === null ? typed : pointer)]);
  }).observe(list, {childList: true});
}); }"""
LOADED = "() => performance.getEntriesByType('resource').some(entry => entry.name.endsWith('.pf_meta'))"


class _Static(SimpleHTTPRequestHandler):
    """A static host as sites are served: text files gzip'd on the fly (Pagefind's own are already)."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in (".html", ".js", ".css", ".json", ".svg") or not path.is_file() \
                or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def served(site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Static, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def _one(browser, base: str, query: str, wait: bool) -> tuple[float, float, int]:
    """ms from the keystroke and from the pointer reaching the box to the first result, and the bytes
    search transferred."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base, wait_until="load")  # the page's scripts run: a large home page takes a while to parse
    page.wait_for_load_state("networkidle")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: list[int] = []
    cdp.on("Network.requestWillBeSent", lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda event: sizes.append(event["encodedDataLength"])
           if urls.get(event["requestId"], "").startswith(base + "pagefind/") else None)
    box = page.locator("input.md-search__input")
    page.evaluate(WATCH)
    box.click()
    if wait:
        for _ in range(1500):  # asked from here: the site's CSP forbids Playwright's in-page polling
            if page.evaluate(LOADED):
                break
            page.wait_for_timeout(20)
        else:
            raise TimeoutError("Pagefind did not load within 30 s of the pointer reaching the search box")
        page.wait_for_timeout(500)
    box.fill(query)
    typed, pointed = page.evaluate("() => window.firstResult")
    page.wait_for_timeout(500)
    context.close()
    return typed, pointed, sum(sizes)


def measure(site: Path, queries: list[str], runs: int = 3) -> list[dict]:
    """One measurement per query (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            _one(browser, base, queries[0], wait=True)
            rows = []
            for query in queries:
                cold = [_one(browser, base, query, wait=False) for _ in range(runs)]
                warm = [_one(browser, base, query, wait=True)[0] for _ in range(runs)]
                rows.append({"query": query, "bytes": cold[0][2], "cold_ms": statistics.median(c[0] for c in cold),
                             "cold_from_pointer_ms": statistics.median(c[1] for c in cold),
                             "warm_ms": statistics.median(warm)})
            return rows
        finally:
            browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.queries, args.runs), ensure_ascii=False, indent=2))
