import subprocess
import sys
from pathlib import Path

import pytest

from aitimeline.kinds import SINGULAR
from aitimeline.load import parse
from aitimeline.pipeline import check
from aitimeline.scaffold import create, scaffold
from aitimeline.schema import raw_schema


def new(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aitimeline", "new", *args, "--data", str(data)],
                          capture_output=True, text=True)


def files(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize("kind", list(SINGULAR))
def test_scaffold_names_every_field_and_parses(kind: str):
    text = scaffold(kind, "new-record")
    data, _, problems = parse(text, "x.yaml")
    assert problems == []
    schema = raw_schema(SINGULAR[kind])
    assert set(data) == set(schema["required"])
    for field in schema["properties"]:
        assert f"{field}:" in text
    assert (Path("src/aitimeline/schemas") / f"{SINGULAR[kind]}.schema.json").is_file()
    assert f"$schema=../../src/aitimeline/schemas/{SINGULAR[kind]}.schema.json" in text.splitlines()[0]


@pytest.mark.parametrize("kind", list(SINGULAR))
def test_a_new_record_holds_no_fact_so_every_required_field_is_refused(kind: str, dataset: Path):
    create(dataset / "data", kind, "brand-new")
    _, problems = check(dataset / "data", dataset)
    assert {p.path for p in problems} == {f"data/{kind}/brand-new.yaml"}
    assert {p.rule for p in problems} <= {"placeholder", "empty-field", "bad-date"}
    reported = {p.field.split(".")[0].split("[")[0] for p in problems}
    assert reported == set(raw_schema(SINGULAR[kind])["required"])


def test_create_refuses_to_overwrite(tmp_path: Path):
    path = create(tmp_path, "model", "gpt-9")
    assert path == tmp_path / "models/gpt-9.yaml"
    path.write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(ValueError, match="taken by"):
        create(tmp_path, "models", "gpt-9")
    assert path.read_text("utf-8") == "edited by hand\n"


@pytest.mark.parametrize("kind, record_id", [("modle", "x"), ("model", "../../etc/passwd"), ("model", "GPT 4")])
def test_create_refuses_bad_kinds_and_ids(tmp_path: Path, kind: str, record_id: str):
    with pytest.raises(ValueError):
        create(tmp_path, kind, record_id)
    assert list(tmp_path.rglob("*.yaml")) == []


@pytest.mark.parametrize("kind", list(SINGULAR.values()))
def test_cli_refuses_an_id_any_record_has_and_writes_nothing(kind: str, dataset: Path):
    before = files(dataset)
    result = new(dataset / "data", kind, "gpt-4")  # the fixture's model gpt-4
    assert result.returncode == 2
    assert "the id 'gpt-4' is taken by" in result.stderr and "models/gpt-4.yaml" in result.stderr
    assert "nothing was written" in result.stderr and result.stdout == ""
    assert files(dataset) == before


def test_cli_new_prints_the_file_and_the_next_step(tmp_path: Path):
    result = new(tmp_path, "chip", "nvidia-h300")
    assert result.returncode == 0
    assert result.stdout == f"{(tmp_path / 'chips/nvidia-h300.yaml').as_posix()}\n"
    assert "next:" in result.stderr and "make validate" in result.stderr
    assert new(tmp_path, "chip", "../escape").returncode == 2
    assert new(tmp_path, "chipz", "x").returncode == 2
