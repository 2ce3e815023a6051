"""docs/checklists/<year>.md: every item names records that exist, so a checklist cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CHECKLISTS = ROOT / "docs" / "checklists"
PAGES = sorted(CHECKLISTS.glob("*.md"))
CATEGORIES = {"模型", "芯片", "政策", "融资", "事件"}
RECORD_ID = re.compile(r"`([^`]+)`")


def rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown table in text, as lists of stripped cells."""
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def problems(text: str, year: int, data: Path) -> list[str]:
    """What is wrong with one checklist: bad rows, dates outside its year, ids with no record."""
    found = []
    for row in rows(text):
        if len(row) != 4:
            found.append(f"{row}: expected 4 cells")
            continue
        item, date, category, records = row
        if not re.fullmatch(rf"{year}(-\d\d){{0,2}}", date):
            found.append(f"{item}: date {date!r} is not in {year}")
        if category not in CATEGORIES:
            found.append(f"{item}: unknown category {category!r}")
        ids = RECORD_ID.findall(records)
        if not ids:
            found.append(f"{item}: names no record")
        found += [f"{item}: no record {i!r}" for i in ids if not list(data.glob(f"*/{i}.yaml"))]
    return found


def test_problems_reports_a_missing_record_a_wrong_year_and_an_empty_row(tmp_path: Path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "gpt-4.yaml").write_text("name: {zh: GPT-4, en: GPT-4}\n")
    table = ("| 条目 | 日期 | 类别 | 记录 |\n| --- | --- | --- | --- |\n"
             "| GPT-4 | 2023-03-14 | 模型 | `gpt-4` |\n| Gemini | 2023-12 | 模型 | `gemini-9` |\n"
             "| Bard | 2022-02 | 模型 | `gpt-4` |\n| Claude | 2023 | 模型 | |\n")
    assert problems(table, 2023, tmp_path) == [
        "Gemini: no record 'gemini-9'", "Bard: date '2022-02' is not in 2023", "Claude: names no record"]


def test_there_is_a_checklist_for_each_year_from_2022_to_2024():
    assert [p.stem for p in PAGES] == ["2022", "2023", "2024"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_checklist_names_only_existing_records_and_covers_every_category(page: Path):
    text = page.read_text(encoding="utf-8")
    assert problems(text, int(page.stem), ROOT / "data") == []
    assert {row[2] for row in rows(text)} == CATEGORIES


@pytest.fixture(scope="module")
def milestones() -> dict[str, str]:
    """{id: date} of every record marked importance: milestone."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found = {}
    for path in (ROOT / "data").glob("*/*.yaml"):
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        if isinstance(record, dict) and record.get("importance") == "milestone":
            found[path.stem] = str(record.get("date", ""))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_milestone_of_the_year_is_on_its_checklist(page: Path, milestones: dict[str, str]):
    listed = set(RECORD_ID.findall(page.read_text(encoding="utf-8")))
    assert {i for i, date in milestones.items() if date.startswith(page.stem)} <= listed
