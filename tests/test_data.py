"""Invariants of the project's own records in data/, beyond what the validator checks."""

from __future__ import annotations

import re

from aitimeline.load import load_data
from conftest import ROOT

MIN_SUMMARY_ZH = 60  # characters of text, whitespace not counted


def summary_length(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def test_summary_length_ignores_whitespace():
    assert summary_length("英伟达 成立于\n1993 年。") == len("英伟达成立于1993年。")


def test_every_chinese_summary_says_enough():
    documents, problems = load_data(ROOT / "data", ROOT)
    assert problems == []
    short = [f"{d.path}: {summary_length(d.data['summary']['zh'])}"
             for d in documents if isinstance(d.data, dict) and "summary" in d.data
             and summary_length(d.data["summary"]["zh"]) < MIN_SUMMARY_ZH]
    assert short == [], f"summary.zh under {MIN_SUMMARY_ZH} characters:\n" + "\n".join(short)
