import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import write_tree


def aitimeline(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aitimeline", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


def break_model(root: Path) -> None:
    file = root / "data/models/gpt-4.yaml"
    file.write_text(file.read_text("utf-8").replace("organizations: [openai]", "organizations: [openia]"), "utf-8")


def test_validate_passes_on_valid_data(dataset: Path):
    result = aitimeline("validate", cwd=dataset)
    assert result.returncode == 0
    assert result.stdout == "" and "no problems" in result.stderr


def test_validate_reports_every_problem_and_fails(dataset: Path):
    break_model(dataset)
    write_tree(dataset / "data", {"companies/x.yaml": "name: [\n"})
    result = aitimeline("validate", cwd=dataset)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("data/companies/x.yaml:2:1: error[yaml-syntax]: invalid YAML: while parsing")
    assert lines[1] == "data/models/gpt-4.yaml:5:17: error[unknown-ref]: unknown company 'openia' (did you mean 'openai'?)"


def test_validate_one_file_reports_only_that_file(dataset: Path):
    break_model(dataset)
    write_tree(dataset / "data", {"companies/x.yaml": "name: [\n"})
    result = aitimeline("validate", "data/models/gpt-4.yaml", cwd=dataset)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["data/models/gpt-4.yaml"]


def test_validate_json(dataset: Path):
    break_model(dataset)
    result = aitimeline("validate", "--format", "json", cwd=dataset)
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["status"] == "fail"
    assert report["problems"][0] | {"message": ""} == {
        "path": "data/models/gpt-4.yaml", "line": 5, "column": 17, "rule": "unknown-ref", "message": "",
        "level": "error", "field": "organizations[0]", "hint": "did you mean 'openai'?"}


def test_validate_github_annotations(dataset: Path):
    break_model(dataset)
    result = aitimeline("validate", cwd=dataset, env={**__import__("os").environ, "GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=data/models/gpt-4.yaml,line=5,col=17,title=unknown-ref::")


def test_render_writes_pages_and_schemas(dataset: Path, tmp_path: Path):
    from conftest import ROOT
    out = tmp_path / "out"
    result = aitimeline("render", "--out", str(out), "--templates", str(ROOT / "templates"), cwd=dataset)
    assert result.returncode == 0, result.stderr
    assert (out / "models/gpt-3.md").read_text("utf-8").startswith("---\ntitle: \"GPT-3 · GPT-3\"")
    assert json.loads((out / "schemas/model.schema.json").read_text("utf-8"))["title"]
    assert (out / "en/models/gpt-3.md").read_text("utf-8").startswith("---\ntitle: \"GPT-3\"")
    assert 'xml:lang="en"' in (out / "en/feed.xml").read_text("utf-8")


def test_render_refuses_invalid_data(dataset: Path, tmp_path: Path):
    break_model(dataset)
    result = aitimeline("render", "--out", str(tmp_path / "out"), cwd=dataset)
    assert result.returncode == 1 and "unknown-ref" in result.stderr
    assert not (tmp_path / "out").exists()


def test_usage_error_exits_2(dataset: Path):
    assert aitimeline("frobnicate", cwd=dataset).returncode == 2


def test_version_is_the_installed_distributions(dataset: Path):
    from importlib.metadata import version
    result = aitimeline("--version", cwd=dataset)
    assert result.returncode == 0 and result.stdout == f"aitimeline {version('aitimeline')}\n"


def test_every_command_and_option_has_help():
    import argparse

    from aitimeline.cli import parser
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    assert {c.dest for c in commands._choices_actions} == set(commands.choices)
    for command in commands._choices_actions:
        assert command.help, command.dest
    for one in [top, *commands.choices.values()]:
        assert one.description, one.prog
        for action in one._actions:
            assert action.help and action.help != argparse.SUPPRESS, f"{one.prog} {action.dest}"


def test_validate_reports_exactly_the_paths_given(dataset: Path):
    for name in ("gpt-4", "gpt-3"):
        record = dataset / f"data/models/{name}.yaml"
        record.write_text(record.read_text("utf-8").replace("[openai]", "[openia]"), "utf-8")
    result = aitimeline("validate", "data/models/gpt-3.yaml", "data/events", cwd=dataset)
    assert result.returncode == 1 and "data/models/gpt-3.yaml" in result.stdout and "gpt-4.yaml" not in result.stdout


def test_validate_refuses_a_missing_path_and_a_folder_outside_the_data(dataset: Path, tmp_path: Path):
    missing = aitimeline("validate", "data/models/nonexist.yaml", cwd=dataset)
    assert missing.returncode == 2 and "does not exist" in missing.stderr and missing.stdout == ""
    (tmp_path / "elsewhere").mkdir()
    outside = aitimeline("validate", str(tmp_path / "elsewhere"), cwd=dataset)
    assert outside.returncode == 2 and "not inside the data folder" in outside.stderr and outside.stdout == ""


def test_warnings_fail_only_under_strict(dataset: Path):
    record = dataset / "data/models/gpt-3.yaml"
    text = record.read_text("utf-8")
    record.write_text(re.sub(r"note:\n  zh: (.*)\n  en: .*\n", r"note: \1\n", text), "utf-8")  # a note in Chinese only
    plain, strict = aitimeline("validate", cwd=dataset), aitimeline("validate", "--strict", cwd=dataset)
    assert plain.returncode == 0 and "warning[missing-english]" in plain.stdout and "1 warning(s)" in plain.stderr
    assert strict.returncode == 1 and "warning[missing-english]" in strict.stdout
