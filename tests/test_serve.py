"""The preview server under mistakes: it stays up, shows the error, and recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import make_project

TIMEOUT = 60


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


@pytest.fixture(params=[[], ["--dirty"]], ids=["full", "dirty"])
def serve(request, dataset: Path, tmp_path: Path):
    """The preview as `mkdocs serve` and as `make serve` runs it (`--dirty`: rebuild what changed)."""
    project = make_project(tmp_path / "project", dataset / "data")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}",
         *request.param],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}/aitimeline/"
    try:
        wait_for(base, lambda status, body: status == 200 and "AI 时间线" in body, server)
        yield project, base, server
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_broken_data_file_is_shown_then_recovers(serve):
    project, base, server = serve
    record = project / "data/models/gpt-4.yaml"
    good = record.read_text("utf-8")
    record.write_text(good.replace("organizations: [openai]", "organizations: [openia]"), "utf-8")
    body = wait_for(base + "problems/", lambda status, body: status == 200, server)
    assert "data/models/gpt-4.yaml:5:17" in body and "did you mean" in body
    page = wait_for(base + "models/gpt-3/", lambda status, body: status == 200, server)
    assert "数据有 1 个问题" in page
    assert fetch(base + "models/gpt-4/")[0] == 404
    record.write_text(good, "utf-8")
    wait_for(base + "models/gpt-4/", lambda status, body: status == 200 and "GPT-4" in body, server)
    assert fetch(base + "problems/")[0] == 404
    assert "数据有" not in fetch(base + "models/gpt-3/")[1]


def test_broken_template_is_shown_then_recovers(serve):
    project, base, server = serve
    template = project / "templates/year.md.j2"
    good = template.read_text("utf-8")
    template.write_text(good + "\n{% if %}\n", "utf-8")
    body = wait_for(base + "problems/", lambda status, body: status == 200, server)
    assert "templates/year.md.j2" in body and "template-error" in body
    template.write_text(good, "utf-8")
    wait_for(base + "years/2023/", lambda status, body: status == 200 and "GPT-4" in body, server)
    assert fetch(base + "problems/")[0] == 404
