"""Real `mkdocs build --strict` runs: of the project's own site, and of small projects."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, make_project

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + ["build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, env=ENV, timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The project's real site, built once."""
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_year_topic_index_and_record_pages_exist(site: Path):
    for page in ["index.html", "years/2021/index.html", "years/2024/index.html", "topics/index.html",
                 "topics/large-models/index.html", "models/index.html", "chips/index.html",
                 "companies/index.html", "events/index.html", "models/wudao-2/index.html",
                 "companies/baai/index.html", "schemas/event.schema.json"]:
        assert (site / page).is_file(), page
    for kind in ["models", "chips", "companies", "events"]:
        assert len(list((site / kind).glob("*/index.html"))) >= 1, kind


def test_internal_links_resolve(site: Path):
    broken = []
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="([^"]+)"', page.read_text("utf-8")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


def test_company_page_links_back_to_its_records(site: Path):
    html = (site / "companies/baai/index.html").read_text("utf-8")
    assert 'href="../../models/wudao-2/"' in html
    assert 'href="../../events/wudao-2-release/"' in html


def test_edit_link_opens_the_yaml_file(site: Path):
    html = (site / "models/wudao-2/index.html").read_text("utf-8")
    assert "https://github.com/aitimeline/aitimeline/edit/main/data/models/wudao-2.yaml" in html


def test_navigation_lists_years_and_topics_not_records(site: Path):
    html = (site / "about/index.html").read_text("utf-8")  # a page whose own text links to no record
    assert "years/2021/" in html and "topics/large-models/" in html and "models/" in html
    assert "models/wudao-2/" not in html and "companies/baai/" not in html


def test_search_index_segments_chinese_words(site: Path):
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    page = next(d for d in index["docs"] if d["location"] == "models/wudao-2/")
    words = set(re.split(r"[\s\u200b\-]+", page["title"] + " " + page["text"]))
    assert "悟道" in words
    assert "智源" in words or "智源研究院" in words


def test_script_in_a_summary_fails_the_build_and_reaches_no_html(dataset: Path, tmp_path: Path):
    file = dataset / "data/events/gpt-4-release.yaml"
    file.write_text(file.read_text("utf-8").replace("支持图像输入", "<script>alert(1)</script>"), "utf-8")
    project = make_project(tmp_path / "project", dataset / "data")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "data/events/gpt-4-release.yaml:9:7: error[raw-html]" in result.stderr
    assert "1 problem(s); nothing was built" in result.stderr
    assert not any("alert(1)" in p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html"))


def test_render_out_builds_without_the_plugin(dataset: Path, tmp_path: Path):
    out = tmp_path / "pages"
    run = subprocess.run([sys.executable, "-m", "aitimeline", "render", "--out", str(out),
                          "--templates", str(ROOT / "templates")], cwd=dataset,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    project = make_project(tmp_path / "plain", dataset / "data")
    config = (project / "mkdocs.yml").read_text("utf-8").replace("  - aitimeline\n", "")
    (project / "mkdocs.yml").write_text(config + f"\ndocs_dir: {out}\n", "utf-8")
    for page in (project / "docs").rglob("*"):
        if page.is_file():
            target = out / page.relative_to(project / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.read_bytes())
    site = tmp_path / "site"
    result = subprocess.run(MKDOCS + ["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    assert "GPT-4" in (site / "models/gpt-4/index.html").read_text("utf-8")


def test_build_is_byte_for_byte_reproducible(dataset: Path, tmp_path: Path):
    project = make_project(tmp_path / "project", dataset / "data")
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(project, first).returncode == 0 and build(project, second).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    # MkDocs stamps the build date into the sitemap; nothing else may differ.
    stamped = {Path("sitemap.xml"), Path("sitemap.xml.gz")}
    differ = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert set(differ) <= stamped
