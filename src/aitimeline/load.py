"""Load data/**/*.yaml safely, keeping the line and column of every value.

Scalars resolve as in YAML 1.2's core schema: `no` and `on` stay text, dates stay text,
only `true`/`false` are booleans. Tags, anchors, aliases and duplicate keys are rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aitimeline.problems import Problem

SINGULAR = {"events": "event", "models": "model", "chips": "chip", "companies": "company",
            "predictions": "prediction", "trends": "trend"}
KINDS = tuple(SINGULAR)
TABLES = ("topics", "sources")
MAX_BYTES = 1 << 20
MAX_DEPTH = 24

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$")


@dataclass
class Document:
    """One YAML file: its kind ('events' … or 'topics'/'sources'), id and value.

    `marks` maps a dotted field path (`sources[0].url`) to its 1-based (line, column).
    """

    path: str
    kind: str
    id: str
    data: Any
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)

    def mark(self, path: str) -> tuple[int, int]:
        """The position of a field, or of its nearest parent that has one."""
        while path not in self.marks and path:
            path = re.sub(r"(\[\d+\]|\.?[^.\[]+)$", "", path)
        return self.marks.get(path, (1, 1))


class _Reject(Exception):
    """Stops building a document that cannot be read at all."""


def resolve(text: str) -> Any:
    """The value of a plain scalar under the core schema."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text.replace("_", ""))
    return text


class _Builder:
    """Builds plain Python values from a YAML event stream, noting marks and problems."""

    def __init__(self, path: str):
        self.path = path
        self.marks: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def problem(self, event, rule: str, message: str, where: str | None = None) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, rule, message, field=where or None))

    def value(self, events, event, where: str, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, "yaml-alias", f"aliases (*{event.anchor}) are not allowed; write the value out", where)
            return None
        if event.anchor is not None:
            self.problem(event, "yaml-anchor", f"anchors (&{event.anchor}) are not allowed", where)
        if event.tag is not None:
            self.problem(event, "yaml-tag", f"YAML tags ({event.tag}) are not allowed", where)
        if depth > MAX_DEPTH:
            self.problem(event, "too-deep", f"values nest deeper than {MAX_DEPTH} levels")
            raise _Reject
        if isinstance(event, yaml.ScalarEvent):
            return resolve(event.value) if not event.style and event.tag is None else event.value
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not isinstance(item := next(events), yaml.SequenceEndEvent):
                here = f"{where}[{len(items)}]"
                self.marks[here] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.value(events, item, here, depth + 1))
            return items
        mapping: dict[str, Any] = {}
        while not isinstance(key := next(events), yaml.MappingEndEvent):
            if not isinstance(key, yaml.ScalarEvent):
                self.problem(key, "yaml-key", "keys must be plain words", where)
                raise _Reject
            here = f"{where}.{key.value}" if where else key.value
            value_event = next(events)
            if key.value in mapping:
                first = self.marks[here][0]
                self.problem(key, "duplicate-key", f"duplicate key '{key.value}' (first on line {first})", here)
                self.value(events, value_event, here + "#dup", depth + 1)
                continue
            at = value_event if isinstance(value_event, yaml.ScalarEvent) else key
            self.marks[here] = (at.start_mark.line + 1, at.start_mark.column + 1)
            mapping[key.value] = self.value(events, value_event, here, depth + 1)
        return mapping


def parse(text: str, path: str) -> tuple[Any, dict[str, tuple[int, int]], list[Problem]]:
    """Parse one YAML document; returns (value, marks, problems)."""
    builder = _Builder(path)
    events = yaml.parse(text, Loader=_Loader)
    data = None
    try:
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    builder.problem(event, "multiple-documents", "a file holds one record: remove the second '---'")
                    break
                builder.marks[""] = (event.end_mark.line + 1, event.end_mark.column + 1)
                data = builder.value(events, next(events), "", 0)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        builder.problems.append(Problem(path, mark.line + 1, mark.column + 1, "yaml-syntax", f"invalid YAML: {message}"))
    except yaml.YAMLError as error:
        builder.problems.append(Problem(path, 1, 1, "yaml-syntax", f"invalid YAML: {error}"))
    except _Reject:
        pass
    return data, builder.marks, builder.problems


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Strict UTF-8 (a leading BOM is dropped); a bad byte is reported where it stands."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        return None, [Problem(path, line, column, "invalid-utf8", f"not UTF-8: byte 0x{byte} at byte {error.start}")]


def load_file(file: Path, rel: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse one file; a document is returned whenever YAML could be read."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        return None, [Problem(rel, 1, 1, "file-too-large", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
    text, problems = decode(file.read_bytes(), rel)
    if text is None:
        return None, problems
    data, marks, problems = parse(text, rel)
    if not problems and data is None:
        problems = [Problem(rel, 1, 1, "empty-file", "the file holds no record")]
    if data is None:
        return None, problems
    return Document(rel, kind, file.stem, data, marks), problems


def load_data(data_dir: Path, root: Path | None = None) -> tuple[list[Document], list[Problem]]:
    """Every record file, topics.yaml and sources.yaml under data_dir, in a stable order."""
    root = root or data_dir.parent
    documents: list[Document] = []
    problems: list[Problem] = []
    for file in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        rel = _relative(file, root)
        parts = file.relative_to(data_dir).parts
        if len(parts) == 2 and parts[0] in KINDS and file.suffix == ".yaml":
            kind = parts[0]
        elif len(parts) == 1 and file.stem in TABLES and file.suffix == ".yaml":
            kind = file.stem
        elif file.name.startswith(".") or file.name == "README.md":
            continue
        else:
            expected = ", ".join(f"{k}/<id>.yaml" for k in KINDS)
            problems.append(Problem(rel, 1, 1, "unknown-file", f"not a record file; records are data/{{{expected}}}"))
            continue
        document, found = load_file(file, rel, kind)
        problems += found
        if document:
            documents.append(document)
    return documents, problems


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()
