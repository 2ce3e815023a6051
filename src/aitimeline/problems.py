"""Problems as values: what is wrong, where, and how to say it."""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file; positions are 1-based."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    level: str = "error"
    field: str | None = None
    hint: str | None = None

    def describe(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


def did_you_mean(word: str, choices) -> str | None:
    """A hint naming the closest choice, if any is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


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
