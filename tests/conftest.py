"""Shared fixtures: a copy of the valid dataset, a project tree to build, and its site in headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SITE_URL = "https://example.org/aitimeline/"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL}


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: content} under base; returns base."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return base


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/valid; returns its root (holding data/)."""
    shutil.copytree(FIXTURES / "valid", tmp_path, dirs_exist_ok=True)
    return tmp_path


def make_project(base: Path, data: Path) -> Path:
    """A buildable project: the real configuration, templates and docs over the given data/."""
    for name in ("templates", "docs", "overrides"):
        shutil.copytree(ROOT / name, base / name, dirs_exist_ok=True)
    for config in ("mkdocs.yml", "mkdocs.en.yml", "properdocs.yml", "properdocs.en.yml"):
        shutil.copy(ROOT / config, base / config)
    if data != base / "data":
        shutil.copytree(data, base / "data", dirs_exist_ok=True)
    return base


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project into site/."""
    return subprocess.run(MKDOCS + ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, env=ENV, timeout=600)


def build_all(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`make build`: the Chinese site into site/, then the English one into site/en/; the first that fails."""
    result = build(project, site)
    if result.returncode:
        return result
    return subprocess.run(MKDOCS + ["build", "--strict", "-f", str(project / "mkdocs.en.yml"), "-d", str(site / "en")],
                          capture_output=True, text=True, env=ENV, timeout=600)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The site of tests/fixtures/valid in both languages, built once per session."""
    tmp = tmp_path_factory.mktemp("fixture-site")
    result = build_all(make_project(tmp / "project", FIXTURES / "valid" / "data"), tmp / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp / "site"


def skip_without_browser() -> None:
    """Skip the calling test module without playwright or Debian's chromium (CI fails instead)."""
    if (importlib.util.find_spec("playwright") is None or not CHROMIUM.exists()) and not os.environ.get("CI"):
        pytest.skip("needs playwright and Debian's chromium: run `make test`", allow_module_level=True)


def until(page, expression: str, tries: int = 100) -> None:
    """Wait until a JavaScript expression is true, asking from here: the site's CSP forbids Playwright's in-page polling."""
    for _ in range(tries):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path):
    """A built site, served on 127.0.0.1 from a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (Playwright drives it)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(fixture_site: Path) -> str:
    """The fixture site, served for the whole session."""
    with serve(fixture_site) as url:
        yield url


@pytest.fixture
def open_page(browser, base_url: str):
    """open_page(**context options): a fresh page, light and 1280 × 900 unless told otherwise.

    Its pages must make no request to another host (they are blocked) and log no error.
    """
    contexts, foreign, errors = [], [], []

    def route(route):  # the test servers (the fixture site's, the real site's) are all on 127.0.0.1
        if urlsplit(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    def open_page(**options):
        context = browser.new_context(**{"color_scheme": "light", "viewport": {"width": 1280, "height": 900},
                                         "locale": "zh-CN", **options})
        contexts.append(context)
        context.set_default_timeout(10_000)
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert foreign == [], "requests to other hosts"
    assert errors == [], "console errors"


@pytest.fixture
def page(open_page):
    """A fresh light-mode page at 1280 × 900."""
    return open_page()


@pytest.fixture
def shot(page, request):
    """shot("step"): a screenshot under test-artifacts/browser/, named after the test and numbered;
    shot("step", full_page=True) takes the whole page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    count, name = itertools.count(1), re.sub(r"\W+", "-", request.node.name.removeprefix("test_")).strip("-")
    return lambda step, **options: page.screenshot(path=str(ARTIFACTS / f"{name}-{next(count)}-{step}.png"), **options)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The project's real site (data/) in both languages, built once per session."""
    out = tmp_path_factory.mktemp("site")
    result = build_all(ROOT, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out
