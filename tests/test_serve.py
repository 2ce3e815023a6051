"""The preview server under mistakes: it stays up, shows the error, and recovers."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from aitimeline.i18n import Messages
from aitimeline.plugin import AitimelinePlugin
from conftest import ROOT, make_project

TIMEOUT = 60
WORDS = Messages("zh")
HELD, UNMADE = WORDS.t("preview.held"), WORDS.t("preview.unmade")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, check, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, "the preview server died"
        status, body = fetch(url)
        if check(status, body):
            return body
        time.sleep(0.3)
    pytest.fail(f"{url} did not reach the expected state within {TIMEOUT}s")


@contextlib.contextmanager
def previewing(project: Path, *args: str, config: str = "mkdocs.yml", root: str = "aitimeline/"):
    """`mkdocs serve` of the project; yields the server and the address where it serves the site.
    Its verbose log (which pages each build made) is in the project's serve.log."""
    port = free_port()
    with (project / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-v", "-f", str(project / config), "-a", f"127.0.0.1:{port}", *args],
            stdout=subprocess.DEVNULL, stderr=log, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        try:
            yield server, f"http://127.0.0.1:{port}/{root}"
        finally:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture(params=[[], ["--dirty"]], ids=["full", "dirty"])
def serve(request, dataset: Path, tmp_path: Path):
    """The preview as `mkdocs serve` and as `make serve` runs it (`--dirty`: rebuild what changed)."""
    project = make_project(tmp_path / "project", dataset / "data")
    with previewing(project, *request.param) as (server, base):
        wait_for(base, lambda status, body: status == 200 and "AI 时间线" in body, server)
        yield project, base, server


def test_the_english_preview_is_where_make_serve_says(dataset: Path, tmp_path: Path):
    """`make serve` previews the English site on port 8001 at /aitimeline/en/, its published path."""
    project = make_project(tmp_path / "project", dataset / "data")
    make = (ROOT / "Makefile").read_text("utf-8")
    assert "mkdocs serve --dirty -f mkdocs.en.yml -a 127.0.0.1:8001" in make and "8001/aitimeline/en/" in make
    with previewing(project, "--dirty", config="mkdocs.en.yml", root="aitimeline/en/") as (server, base):
        page = wait_for(base + "models/gpt-4/", lambda status, body: status == 200, server)
        assert '<html lang="en"' in page and "GPT-4" in page


def problem_count(base: str) -> int:
    status, body = fetch(base + "problems.json")
    return len(json.loads(body)["problems"]) if status == 200 else -1


def built_pages(project: Path) -> list[str]:
    """The pages the last finished build made."""
    builds = (project / "serve.log").read_text("utf-8").split("Building documentation")
    done = [b for b in builds if "Documentation built in" in b]
    return re.findall(r"Building page (\S+)", done[-1]) if done else []


def test_broken_record_keeps_its_page_with_a_banner_then_recovers(serve):
    project, base, server = serve
    record = project / "data/models/gpt-4.yaml"
    good = record.read_text("utf-8")
    wait_for(base + "models/gpt-4/", lambda status, body: status == 200, server)
    record.write_text(good.replace("organizations: [openai]", "organizations: [openia]"), "utf-8")
    body = wait_for(base + "problems/", lambda status, body: status == 200, server)
    assert "data/models/gpt-4.yaml:" in body and "did you mean" in body
    page = wait_for(base + "models/gpt-4/", lambda status, body: HELD in body, server)
    assert "openia" in page and "GPT-4" in page  # the last good page, under the problem
    assert problem_count(base) == 1
    banner = f'data-banner="{WORDS.t("preview.banner")}"'
    assert "aitimeline-preview.js" in fetch(base + "about/")[1] and banner in fetch(base + "about/")[1]  # hand-written pages too
    assert fetch(base + "models/gpt-3/")[0] == 200  # what links to it stays
    if "--dirty" in server.args:  # entering the error state rebuilt only what changed
        assert "index.md" not in built_pages(project) and len(built_pages(project)) < 10
    record.write_text(good, "utf-8")
    wait_for(base + "models/gpt-4/", lambda status, body: status == 200 and HELD not in body, server)
    assert problem_count(base) == 0
    wait_for(base + "problems/", lambda status, body: status == 404, server)
    if "--dirty" in server.args:
        assert len(built_pages(project)) < 10


def test_broken_template_keeps_every_page_then_recovers(serve):
    project, base, server = serve
    template = project / "templates/model.md.j2"
    good = template.read_text("utf-8")
    template.write_text(good.replace("{{ date(record) }}", "{{ date(record) }"), "utf-8")
    body = wait_for(base + "problems/", lambda status, body: status == 200, server)
    assert "templates/model.md.j2" in body and "template-error" in body
    page = wait_for(base + "models/gpt-3/", lambda status, body: HELD in body, server)
    assert "GPT-3" in page
    assert fetch(base)[0] == 200 and fetch(base + "years/2023/")[0] == 200  # other pages are untouched
    template.write_text(good, "utf-8")
    wait_for(base + "models/gpt-3/", lambda status, body: status == 200 and HELD not in body, server)
    assert problem_count(base) == 0


def test_a_record_that_never_rendered_shows_its_problems_at_its_address(serve):
    project, base, server = serve
    new = project / "data/models/new-model.yaml"
    new.write_text("name: {zh: 新模型, en: New model}\ndate: 2023-13\n", "utf-8")
    page = wait_for(base + "models/new-model/", lambda status, body: status == 200, server)
    assert UNMADE in page and "missing-field" in page
    new.unlink()
    wait_for(base + "models/new-model/", lambda status, body: status == 404, server)


def test_deleted_record_and_editor_files_leave_nothing_behind(serve):
    project, base, server = serve
    assert fetch(base + "api/v1/models/gpt-3.json")[0] == 200
    (project / "data/models/gpt-4.yaml~").write_text("not: [a record", "utf-8")
    (project / "data/models/4913").write_text("", "utf-8")
    (project / "data/models/gpt-3.yaml").unlink()
    trend = project / "data/trends/2021-research-trend-02-large-models.yaml"
    trend.write_text(trend.read_text("utf-8").replace("related: [gpt-3]\n", ""), "utf-8")
    wait_for(base + "models/gpt-3/", lambda status, body: status == 404, server)
    assert fetch(base + "api/v1/models/gpt-3.json")[0] == 404
    assert problem_count(base) == 0


def test_search_index_is_written_again_after_each_rebuild(serve):
    project, base, server = serve
    entry = base + "pagefind/pagefind-entry.json"
    first = wait_for(entry, lambda status, body: status == 200, server)
    record = project / "data/models/gpt-4.yaml"
    record.write_text(record.read_text("utf-8").replace("  zh: GPT-4\n", "  zh: GPT-4 多模态\n", 1), "utf-8")
    wait_for(base + "models/gpt-4/", lambda status, body: "GPT-4 多模态" in body, server)
    second = wait_for(entry, lambda status, body: status == 200 and body != first, server)
    # the rebuild wrote one page, and the new index still holds every page
    assert json.loads(second)["languages"]["zh"]["page_count"] == json.loads(first)["languages"]["zh"]["page_count"] > 50
    meta = json.loads(second)["languages"]["zh"]["hash"]
    with urllib.request.urlopen(f"{base}pagefind/pagefind.{meta}.pf_meta", timeout=5) as response:
        assert response.read(2) == b"\x1f\x8b"  # gzip'd, as Pagefind writes its files


def test_a_save_under_data_or_templates_asks_for_a_rebuild_without_waiting_for_a_poll(tmp_path: Path):
    """The plugin's own watch: a server that never polls (this stand-in) still hears of the save."""
    for name in ("data/models", "templates"):
        (tmp_path / name).mkdir(parents=True)
    plugin = AitimelinePlugin()
    plugin.load_config({"data_dir": str(tmp_path / "data"), "templates_dir": str(tmp_path / "templates")})
    for saved in ("data/models/new.yaml", "templates/year.md.j2"):
        server = SimpleNamespace(_rebuild_cond=threading.Condition(), _want_rebuild=False)
        assert plugin.on_serve(server, config=None, builder=None) is server
        try:
            (tmp_path / saved).write_text("x", "utf-8")
            with server._rebuild_cond:
                assert server._rebuild_cond.wait_for(lambda s=server: s._want_rebuild, timeout=TIMEOUT), saved
        finally:
            plugin.on_shutdown()
