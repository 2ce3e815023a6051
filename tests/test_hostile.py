"""Hostile and broken input: each case names its error, and nothing else is lost or changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from aitimeline.pipeline import check, run
from conftest import ROOT, write_tree


def problems_in(root: Path, files: dict) -> list:
    write_tree(root / "data", files)
    _, problems = check(root / "data", root)
    assert all(p.path in {f"data/{name}" for name in files} for p in problems), problems
    return problems


def test_ten_megabyte_file_is_refused_without_reading_it(dataset: Path):
    problems = problems_in(dataset, {"events/huge.yaml": b"name: " + b"x" * 10_000_000 + b"\n"})
    assert [(p.rule, p.line) for p in problems] == [("file-too-large", 1)]


def test_billion_laughs_is_refused_at_the_first_alias(dataset: Path):
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))
    problems = problems_in(dataset, {"companies/bomb.yaml": bomb})
    assert {"yaml-anchor", "yaml-alias"} <= {p.rule for p in problems}
    assert min(p.line for p in problems if p.rule == "yaml-alias") == 2


def test_tab_indentation_is_a_syntax_error_on_its_line(dataset: Path):
    problems = problems_in(dataset, {"companies/tabs.yaml": "name:\n\tzh: 甲\n"})
    assert [(p.rule, p.line) for p in problems] == [("yaml-syntax", 2)]


def test_a_reference_that_tries_a_path_is_refused(dataset: Path):
    file = dataset / "data/models/gpt-3.yaml"
    file.write_text(file.read_text("utf-8") + "related: [../../etc/passwd]\n", "utf-8")
    _, problems = check(dataset / "data", dataset)
    assert [(p.path, p.rule, p.field) for p in problems] == [("data/models/gpt-3.yaml", "bad-format", "related[0]")]


def test_related_cycles_are_allowed_and_render(dataset: Path):
    for name, other in (("gpt-3", "gpt-4"), ("gpt-4", "gpt-3")):
        file = dataset / f"data/models/{name}.yaml"
        file.write_text(file.read_text("utf-8") + f"related: [{other}]\n", "utf-8")
    result = run(dataset / "data", ROOT / "templates", dataset)
    assert result.problems == []
    pages = {p.src_uri: p.markdown for p in result.pages}
    assert "../models/gpt-4.md" in pages["models/gpt-3.md"] and "../models/gpt-3.md" in pages["models/gpt-4.md"]


def test_validating_and_rendering_never_change_a_data_file(dataset: Path):
    write_tree(dataset / "data", {"companies/broken.yaml": "name: [\n", "events/crlf.yaml": b"name: x\r\n"})

    def snapshot():
        return {p: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
                for p in sorted((dataset / "data").rglob("*")) if p.is_file()}

    before = snapshot()
    check(dataset / "data", dataset)
    run(dataset / "data", ROOT / "templates", dataset, keep_going=True)
    assert snapshot() == before
