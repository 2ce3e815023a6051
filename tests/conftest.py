"""Shared fixtures: a copy of the valid dataset, and a project tree to build."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
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
    for config in ("mkdocs.yml", "properdocs.yml"):
        shutil.copy(ROOT / config, base / config)
    if data != base / "data":
        shutil.copytree(data, base / "data", dirs_exist_ok=True)
    return base


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project into site/."""
    return subprocess.run(MKDOCS + ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, env=ENV, timeout=600)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The site of tests/fixtures/valid, built once per session."""
    tmp = tmp_path_factory.mktemp("fixture-site")
    result = build(make_project(tmp / "project", FIXTURES / "valid" / "data"), tmp / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp / "site"


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
