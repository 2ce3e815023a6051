"""Load data/**/*.yaml safely, keeping the line and column of every value.

Scalars resolve as in YAML 1.2's core schema: `no` and `on` stay text, dates stay text,
only `true`/`false` are booleans. Tags, anchors, aliases and duplicate keys are rejected.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from aitimeline.kinds import KINDS, TABLES
from aitimeline.problems import Problem

MAX_BYTES = 1 << 20
MAX_DEPTH = 24
MAX_DIGITS = 64

_EDITOR_FILE = re.compile(r"~$|^#.*#$|^4913$|\.(?:sw[a-p]|bak|orig|tmp)$")  # backups and probes editors leave
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$")


@dataclass(eq=False)
class Document:
    """One YAML file: its kind ('events' … or 'topics'/'sources'), id and value. Never changed once
    read, and equal only to itself, so that what is found of it can be kept by it.

    `marks` maps a dotted field path (`sources[0].url`) to its YAML mark (0-based line and column).
    """

    path: str
    kind: str
    id: str
    data: Any
    marks: dict[str, Any] = field(default_factory=dict)

    def mark(self, path: str) -> tuple[int, int]:
        """The 1-based (line, column) of a field, or of its nearest parent that has one."""
        while path not in self.marks and path:
            path = re.sub(r"(\[\d+\]|\.?[^.\[]+)$", "", path)
        mark = self.marks.get(path)
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)


class _Reject(Exception):
    """Stops building a document that cannot be read at all."""


def resolve(text: str) -> Any:
    """The value of a plain scalar under the core schema."""
    if not text or text[0] not in _SPECIAL_START:
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text.replace("_", "")) if len(text) <= MAX_DIGITS else text  # too long to be a number
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text.replace("_", ""))
    return text


_SPECIAL_START = frozenset("0123456789+-.~nNtTfF")
_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_SeqStart, _SeqEnd, _MapEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent, yaml.MappingEndEvent


class _Builder:
    """Builds plain Python values from a YAML event stream, noting marks and problems."""

    def __init__(self, path: str):
        self.path = path
        self.marks: dict[str, Any] = {}
        self.problems: list[Problem] = []

    def problem(self, event, rule: str, message: str, where: str | None = None) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, rule, message, field=where or None))

    def value(self, events, event, where: str, depth: int) -> Any:
        kind = type(event)
        if kind is _Alias:
            self.problem(event, "yaml-alias", f"aliases (*{event.anchor}) are not allowed; write the value out", where)
            return None
        if event.anchor is not None or event.tag is not None:
            self.refuse(event, where)
        if kind is _Scalar:
            return resolve(event.value) if not event.style and event.tag is None else event.value
        if depth > MAX_DEPTH:
            self.problem(event, "too-deep", f"values nest deeper than {MAX_DEPTH} levels")
            raise _Reject
        marks = self.marks
        if kind is _SeqStart:
            items = []
            while type(item := next(events)) is not _SeqEnd:
                here = f"{where}[{len(items)}]"
                marks[here] = item.start_mark
                if type(item) is _Scalar and item.anchor is None and item.tag is None:  # the common case, inline
                    items.append(item.value if item.style else resolve(item.value))
                else:
                    items.append(self.value(events, item, here, depth + 1))
            return items
        mapping: dict[str, Any] = {}
        while type(key := next(events)) is not _MapEnd:
            if type(key) is not _Scalar:
                self.problem(key, "yaml-key", "keys must be plain words", where)
                raise _Reject
            name = key.value
            here = f"{where}.{name}" if where else name
            value_event = next(events)
            if name in mapping:
                self.problem(key, "duplicate-key", f"duplicate key '{name}' (first on line {marks[here].line + 1})", here)
                self.value(events, value_event, here + "#dup", depth + 1)
                continue
            if type(value_event) is _Scalar and value_event.anchor is None and value_event.tag is None:
                mark = value_event.start_mark
                mapping[name] = value_event.value if value_event.style else resolve(value_event.value)
            else:
                mark = key.start_mark
                mapping[name] = self.value(events, value_event, here, depth + 1)
            marks[here] = mark
        return mapping

    def refuse(self, event, where: str) -> None:
        """Report the anchor or tag an event carries."""
        if event.anchor is not None:
            self.problem(event, "yaml-anchor", f"anchors (&{event.anchor}) are not allowed", where)
        if event.tag is not None:
            self.problem(event, "yaml-tag", f"YAML tags ({event.tag}) are not allowed", where)


def parse(text: str, path: str) -> tuple[Any, dict[str, Any], list[Problem]]:
    """Parse one YAML document; returns (value, marks, problems)."""
    builder = _Builder(path)
    loader = _Loader(text)
    events = iter(loader.get_event, None)  # libyaml's own calls, no generator in between
    data = None
    try:
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    builder.problem(event, "multiple-documents", "a file holds one record: remove the second '---'")
                    break
                builder.marks[""] = event.end_mark
                data = builder.value(events, next(events), "", 0)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        builder.problems.append(Problem(path, mark.line + 1, mark.column + 1, "yaml-syntax", f"invalid YAML: {message}"))
    except yaml.YAMLError as error:
        builder.problems.append(Problem(path, 1, 1, "yaml-syntax", f"invalid YAML: {error}"))
    except _Reject:
        pass
    finally:
        loader.dispose()
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


def load_file(file: Path, rel: str, kind: str) -> tuple[Document, list[Problem]]:
    """Read and parse one file. A document is always returned, with data None when the file could
    not be read or parsed (its problems say why)."""
    unread = Document(rel, kind, file.stem, None)  # its id is still known, so nothing that names it cascades
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return unread, [Problem(rel, 1, 1, "file-too-large", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        raw = file.read_bytes()
    except OSError as error:
        return unread, [Problem(rel, 1, 1, "unreadable-file", f"cannot read the file: {error.strerror or error}")]
    document, problems = _read(raw, rel, kind, file.stem)
    return document, list(problems)


@lru_cache(maxsize=16384)
def _read(raw: bytes, rel: str, kind: str, id: str) -> tuple[Document, tuple[Problem, ...]]:
    """The document in a file's bytes. Kept by its bytes, so that a preview's rebuild parses only
    the files that changed (nothing changes a document once read)."""
    text, problems = decode(raw, rel)
    if text is None:
        return Document(rel, kind, id, None), tuple(problems)
    data, marks, problems = parse(text, rel)
    if not problems and data is None:
        problems = [Problem(rel, 1, 1, "empty-file", "the file holds no record")]
    return Document(rel, kind, id, data, marks), tuple(problems)


def load_data(data_dir: Path, root: Path | None = None) -> tuple[list[Document], list[Problem]]:
    """Every record file, topics.yaml and sources.yaml under data_dir, in a stable order."""
    root = (root or data_dir.parent).resolve()
    base = data_dir.resolve()
    prefix = base.relative_to(root).as_posix() + "/" if base.is_relative_to(root) else base.as_posix() + "/"
    documents: list[Document] = []
    problems: list[Problem] = []
    for rel, file in _walk(base):
        parts = rel.split("/")
        if file is None:
            problems.append(Problem(prefix + rel, 1, 1, "symlink",
                                    "links are not followed: put the file or folder itself here"))
            continue
        if len(parts) == 2 and parts[0] in KINDS and file.suffix == ".yaml":
            kind = parts[0]
        elif len(parts) == 1 and file.stem in TABLES and file.suffix == ".yaml":
            kind = file.stem
        elif file.name.startswith(".") or file.name == "README.md" or _EDITOR_FILE.search(file.name):
            continue
        else:
            expected = ", ".join(f"{k}/<id>.yaml" for k in KINDS)
            problems.append(Problem(prefix + rel, 1, 1, "unknown-file", f"not a record file; records are data/{{{expected}}}"))
            continue
        document, found = load_file(file, prefix + rel, kind)
        problems += found
        documents.append(document)
    return documents, problems


def _walk(folder: Path, rel: str = ""):
    """(relative path, path) of every file below folder, sorted; a symbolic link is not followed
    but yielded with None for its path."""
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_symlink():
                yield f"{rel}{entry.name}", None
            elif entry.is_dir():
                yield from _walk(Path(entry.path), f"{rel}{entry.name}/")
            elif entry.is_file():
                yield f"{rel}{entry.name}", Path(entry.path)
