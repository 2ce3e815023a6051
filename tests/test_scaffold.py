import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from aitimeline.load import SINGULAR, parse
from aitimeline.scaffold import create, scaffold
from aitimeline.schema import raw_schema


@pytest.mark.parametrize("kind", list(SINGULAR))
def test_scaffold_names_every_field_and_parses(kind: str):
    text = scaffold(kind, "new-record", datetime.date(2024, 5, 1))
    data, _, problems = parse(text, "x.yaml")
    assert problems == []
    schema = raw_schema(SINGULAR[kind])
    assert set(data) == set(schema["required"])
    for field in schema["properties"]:
        assert f"{field}:" in text
    assert (Path("src/aitimeline/schemas") / f"{SINGULAR[kind]}.schema.json").is_file()
    assert f"$schema=../../src/aitimeline/schemas/{SINGULAR[kind]}.schema.json" in text.splitlines()[0]


def test_dated_kinds_start_with_today():
    assert "date: 2024-05-01" in scaffold("events", "x", datetime.date(2024, 5, 1))


def test_create_refuses_to_overwrite(tmp_path: Path):
    path = create(tmp_path, "model", "gpt-9")
    assert path == tmp_path / "models/gpt-9.yaml"
    path.write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        create(tmp_path, "models", "gpt-9")
    assert path.read_text("utf-8") == "edited by hand\n"


@pytest.mark.parametrize("kind, record_id", [("modle", "x"), ("model", "../../etc/passwd"), ("model", "GPT 4")])
def test_create_refuses_bad_kinds_and_ids(tmp_path: Path, kind: str, record_id: str):
    with pytest.raises(ValueError):
        create(tmp_path, kind, record_id)
    assert list(tmp_path.rglob("*.yaml")) == []


def test_cli_new_exit_codes(tmp_path: Path):
    def new(*args):
        return subprocess.run([sys.executable, "-m", "aitimeline", "new", *args, "--data", str(tmp_path)],
                              capture_output=True, text=True)
    assert new("chip", "nvidia-h300").returncode == 0
    again = new("chip", "nvidia-h300")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert new("chip", "../escape").returncode == 2
