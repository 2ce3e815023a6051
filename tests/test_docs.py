"""What README.md and CONTRIBUTING.md tell an editor is what the tools do."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aitimeline.kinds import SINGULAR
from aitimeline.scaffold import COMMON_FIRST, COMMON_LAST
from aitimeline.schema import raw_schema
from conftest import ROOT

DOCS = ("README.md", "CONTRIBUTING.md", "Makefile")


def read(name: str) -> str:
    return (ROOT / name).read_text("utf-8")


def aitimeline(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aitimeline", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def real_data(tmp_path: Path) -> Path:
    """A writable copy of the project's data/; returns its parent."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def samples(text: str, path: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"{path}:")]


def test_example_ids_of_new_records_are_free():
    text = "\n".join(map(read, DOCS))
    ids = re.findall(r"make new KIND=\w+ ID=([a-z0-9-]+)", text) + re.findall(r"aitimeline new \w+ ([a-z0-9-]+)", text)
    assert ids
    for record_id in ids:
        assert not list((ROOT / "data").glob(f"*/{record_id}.yaml")), f"the docs' example id '{record_id}' is taken"


def test_quick_start_shows_what_the_validator_says_of_a_new_record(real_data: Path):
    record_id = re.search(r"make new KIND=event ID=([a-z0-9-]+)", read("CONTRIBUTING.md")).group(1)
    assert aitimeline("new", "event", record_id, cwd=real_data).returncode == 0
    result = aitimeline("validate", cwd=real_data)
    shown = samples(read("CONTRIBUTING.md"), f"data/events/{record_id}.yaml")
    assert shown and set(shown) <= set(result.stdout.splitlines())


def test_readme_sample_error_is_what_the_validator_prints(real_data: Path):
    model = real_data / "data/models/gpt-4.yaml"
    model.write_text(model.read_text("utf-8").replace("organizations: [openai]", "organizations: [openia]"), "utf-8")
    result = aitimeline("validate", cwd=real_data)
    shown = samples(read("README.md"), "data/models/gpt-4.yaml")
    assert shown and result.stdout.splitlines() == shown


@pytest.mark.parametrize("kind", list(SINGULAR))
def test_contributing_table_of_each_kind_marks_exactly_its_required_fields(kind: str):
    section = read("CONTRIBUTING.md").split(f"\n### {kind}\n", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (yes)? ?\|", section, re.M)
    schema = raw_schema(SINGULAR[kind])
    own = [field for field in schema["properties"] if field not in COMMON_FIRST + COMMON_LAST]
    assert sorted(field for field, _ in rows) == sorted(own)
    assert {field for field, required in rows if required} == set(schema["required"]) - set(COMMON_FIRST + COMMON_LAST)


def test_contributing_table_of_common_fields_marks_exactly_the_required_ones():
    section = read("CONTRIBUTING.md").split("## Fields every record has", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (yes)? ?\|", section, re.M)
    assert [field for field, _ in rows] == [*COMMON_FIRST, *COMMON_LAST]
    required = set.intersection(*(set(raw_schema(kind)["required"]) for kind in SINGULAR.values()))
    assert {field for field, yes in rows if yes} == required
