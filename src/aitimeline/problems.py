"""Problems as values: what is wrong, where, and how to say it."""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass

RULES = {  # every rule the checks report, and what it guards; warnings fail only under --strict
    # reading the file
    "file-too-large": "a file over 1 MiB is not read", "unreadable-file": "the file cannot be read",
    "symlink": "links are not followed", "unknown-file": "a file that is not a record",
    "invalid-utf8": "text must be UTF-8", "yaml-syntax": "the YAML does not parse",
    "multiple-documents": "one record per file", "empty-file": "the file holds nothing",
    "duplicate-key": "a key given twice", "yaml-key": "keys are plain words", "yaml-tag": "no YAML tags",
    "yaml-anchor": "no anchors", "yaml-alias": "no aliases", "too-deep": "nesting is bounded",
    # the record's own shape
    "missing-field": "a required field is missing", "unknown-field": "a field the kind does not have",
    "empty-field": "a field left blank", "wrong-type": "a value of the wrong type",
    "bad-choice": "a value outside its list", "bad-format": "a value not of its form",
    "bad-length": "text too short or too long", "out-of-range": "a number out of bounds",
    "too-few": "a list with too few items", "duplicate-item": "an item listed twice",
    "one-of": "exactly one of several fields", "bad-date": "a date that is not one",
    "date-out-of-range": "a date outside the years covered",
    # the record's text
    "raw-html": "no HTML in text", "unsafe-link": "links only to http(s)", "control-character": "no invisible characters",
    "placeholder": "no placeholder left", "bad-id": "an id that cannot be one",
    # across records
    "duplicate-id": "an id used twice", "unknown-ref": "a reference to nothing", "self-ref": "a record naming itself",
    "ref-cycle": "parents in a circle", "duplicate-name": "a name used twice",
    "too-many-milestones": "at most 15 milestones a year",
    # warnings
    "thin-summary": "a summary that says little", "missing-english": "a note in Chinese only",
    "importance-outlier": "importance where no year in review shows it",
    # the preview
    "template-error": "a template that fails",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file; positions are 1-based; `rule` is one of RULES."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    level: str = "error"
    field: str | None = None
    hint: str | None = None

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}: add it to RULES")

    def describe(self) -> str:
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        return text.encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate prints as \\ud800


def did_you_mean(word: str, choices) -> str | None:
    """A hint naming the closest of a few choices (field names, list values), if any is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class Suggestions:
    """Did-you-mean over many ids at a bounded cost: the same id written without hyphens or case,
    else the closest of at most 2 × `POOL` ids that begin or end alike."""

    POOL = 48

    def __init__(self, choices):
        self.exact: dict[str, str] = {}
        self.pools: dict[str, list[str]] = defaultdict(list)
        for choice in choices:
            key = _squash(choice)
            self.exact.setdefault(key, choice)
            for pool in (self.pools["^" + key[:2]], self.pools[key[-3:] + "$"]):
                if len(pool) < self.POOL:
                    pool.append(choice)
        self.cache: dict[str, list[str]] = {}

    def hint(self, word: str, exclude: str | None = None) -> str | None:
        """'did you mean …?' for a close id other than `exclude`, or None when nothing is close."""
        if word not in self.cache:
            key = _squash(word)
            found = [self.exact[key]] if key in self.exact else []
            pool = set(self.pools.get("^" + key[:2], ())) | set(self.pools.get(key[-3:] + "$", ()))
            self.cache[word] = found + difflib.get_close_matches(word, sorted(pool), n=3, cutoff=0.8)
        close = [c for c in self.cache[word] if c not in (word, exclude)]
        return f"did you mean '{close[0]}'?" if close else None


def _squash(word: str) -> str:
    return re.sub(r"[-_\s]", "", str(word).casefold())


def format_parsable(problems: list[Problem]) -> str:
    return "".join(
        f"{p.path}:{p.line}:{p.column}: {p.level}[{p.rule}]: {p.describe()}\n" for p in problems
    )


def format_github(problems: list[Problem]) -> str:
    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    return "".join(
        f"::{p.level} file={p.path},line={p.line},col={p.column},title={p.rule}::{esc(p.describe())}\n"
        for p in problems
    )


def format_json(problems: list[Problem]) -> str:
    status = "fail" if any(p.level == "error" for p in problems) else "pass"
    return json.dumps(
        {"status": status, "problems": [asdict(p) for p in problems]}, ensure_ascii=False, indent=2
    ) + "\n"


FORMATS = {"parsable": format_parsable, "github": format_github, "json": format_json}
