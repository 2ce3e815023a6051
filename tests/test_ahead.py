"""`mkdocs build` on two cores: pages rendered ahead by one forked process, the written site
finished by another; both give what the build would make on one core, and leave no process behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from aitimeline.ahead import Failed
from aitimeline.compact import compact
from aitimeline.pipeline import run
from conftest import ENV, ROOT, build, make_project


def children() -> set[str]:
    """This process's children, with their state (Z: a zombie)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(f"{stat.parent.name} {fields[0]}")
    return found


def test_pages_rendered_ahead_are_the_pages_rendered_in_process(dataset: Path):
    before = children()
    inline = {p.src_uri: p.markdown for p in run(dataset / "data", ROOT / "templates", dataset).pages}
    result = run(dataset / "data", ROOT / "templates", dataset, fork=True)
    assert result.ahead is not None and result.ahead.process.is_alive()
    ahead = {p.src_uri: p.markdown for p in reversed(result.pages)}  # asked for out of their order
    result.ahead.close()
    assert ahead == inline
    assert result.ahead.process.exitcode == 0 and children() == before


def test_a_template_that_fails_ahead_fails_its_pages_and_names_itself(dataset: Path):
    before = children()
    shutil.copytree(ROOT / "templates", dataset / "templates")
    path = dataset / "templates/model.md.j2"
    path.write_text(path.read_text("utf-8").replace("{{ date(record) }}", "{{ date(record) }"), "utf-8")
    result = run(dataset / "data", dataset / "templates", dataset, fork=True)
    pages = {p.src_uri: p for p in result.pages}
    assert "events/gpt-4-release.md" in pages and pages["events/gpt-4-release.md"].markdown
    with pytest.raises(Failed) as failed:
        assert pages["models/gpt-4.md"].markdown
    result.ahead.close()
    problem = failed.value.problem
    assert (problem.path, problem.line, problem.rule) == ("templates/model.md.j2", 6, "template-error")
    assert children() == before


def test_a_template_error_stops_the_build_naming_the_template(dataset: Path, tmp_path: Path):
    project = make_project(tmp_path / "project", dataset / "data")
    path = project / "templates/model.md.j2"
    path.write_text(path.read_text("utf-8").replace("{{ date(record) }}", "{{ date(record) }"), "utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "templates/model.md.j2:6:1: error[template-error]" in result.stderr
    assert "a template failed; nothing was built" in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "site").rglob("models/*/index.html"))


def test_a_build_finishes_every_page_it_writes_and_leaves_no_process(dataset: Path, tmp_path: Path, monkeypatch):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    before = children()
    project = make_project(tmp_path / "project", dataset / "data")
    site = tmp_path / "site"
    monkeypatch.setenv("SITE_URL", ENV["SITE_URL"])
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    config.plugins.on_shutdown()
    assert children() == before
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:  # the last page written too, which is finished after MkDocs is done
        html = page.read_text("utf-8")
        assert compact(html) == html, page
        assert html.count('http-equiv="Content-Security-Policy"') == 1, page
    assert (site / "pagefind/pagefind.js").is_file() and (site / "api/v1/models.json").is_file()
