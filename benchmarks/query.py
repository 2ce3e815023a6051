"""A search in the built site as a reader makes it: headless Chromium types into the header's box.

    .venv/bin/python benchmarks/query.py SITE_DIR QUERY...

For each query, twice in a fresh browser context (nothing cached): the page loads, the box is
focused (which starts loading Pagefind), and the query is typed
- cold: at once; ms from the keystroke to the first result shown;
- warm: once Pagefind has loaded (a reader rarely types within the first moments); ms likewise;
- bytes (cold run): everything transferred from focusing the box until the results have settled
  (Pagefind's script and WebAssembly, its metadata, the parts of the index the query needs, and the
  fragments of the results shown), as counted on the wire by Chromium, headers included, from a
  server that gzips text files as static hosts do (Pagefind's own files are gzip'd already).
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WATCH = """() => { window.firstResult = new Promise(resolve => {
  const list = document.querySelector('.md-search-result__list'), box = document.querySelector('input.md-search__input');
  let start = null;
  box.addEventListener('input', () => { start = performance.now(); }, {once: true});
  new MutationObserver((_, observer) => {
    if (start === null || !list.querySelector('.md-search-result__item')) return;
    observer.disconnect();
    resolve(performance.now() - start);
  }).observe(list, {childList: true});
}); }"""


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


def _one(browser, base: str, query: str, wait: bool) -> tuple[float, int]:
    """ms from the keystroke to the first result, and bytes from focusing the box until settled."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base, wait_until="networkidle")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: sizes.append(event["encodedDataLength"]))
    box = page.locator("input.md-search__input")
    box.click()
    if wait:
        page.wait_for_load_state("networkidle")
    page.evaluate(WATCH)
    box.fill(query)
    ms = page.evaluate("() => window.firstResult")
    page.wait_for_timeout(500)
    context.close()
    return ms, sum(sizes)


def measure(site: Path, queries: list[str]) -> list[dict]:
    """One measurement per query (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            rows = []
            for query in queries:
                cold, transferred = _one(browser, base, query, wait=False)
                warm, _ = _one(browser, base, query, wait=True)
                rows.append({"query": query, "bytes": transferred, "cold_ms": cold, "warm_ms": warm})
            return rows
        finally:
            browser.close()


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), sys.argv[2:]), ensure_ascii=False, indent=2))
