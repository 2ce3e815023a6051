"""Shared fixtures: a copy of the valid dataset, and a project tree to build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: content} under base; returns base."""
    for rel, content in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return base


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/valid; returns its root (holding data/)."""
    shutil.copytree(FIXTURES / "valid", tmp_path, dirs_exist_ok=True)
    return tmp_path


def make_project(base: Path, data: Path) -> Path:
    """A buildable project: the real mkdocs.yml, templates and docs over the given data/."""
    for name in ("templates", "docs"):
        shutil.copytree(ROOT / name, base / name, dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    if data != base / "data":
        shutil.copytree(data, base / "data", dirs_exist_ok=True)
    return base
