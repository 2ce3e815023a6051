"""The project's own records in data/ pass every check, warnings included (`validate --strict`)."""

from __future__ import annotations

from aitimeline.pipeline import check
from conftest import ROOT


def test_the_data_has_no_problem_and_no_warning():
    _, problems = check(ROOT / "data", ROOT)
    assert problems == []
