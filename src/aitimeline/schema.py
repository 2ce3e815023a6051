"""The record schema: JSON Schema files shipped in `schemas/`, compiled once into checks.

Only the keywords in `KEYWORDS` are used by the files; `x-ref` marks a field whose value is
the id of another record, which `validate` resolves.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from aitimeline.kinds import SINGULAR, TABLES
from aitimeline.load import Document
from aitimeline.problems import Problem, did_you_mean
from aitimeline.text import unfinished, unsafe

FILES = {**SINGULAR, **{table: table for table in TABLES}}
KEYWORDS = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "examples", "type", "enum",
    "pattern", "minLength", "maxLength", "minimum", "maximum", "required", "properties",
    "additionalProperties", "propertyNames", "items", "minItems", "uniqueItems", "oneOf", "x-ref",
}
_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
          "array": (list,), "object": (dict,)}
_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true/false",
          "array": "a list", "object": "a mapping"}
NUMBER_LIMIT = 10**18  # far above any count or amount, far below what a float or a template mishandles
_PY_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true/false",
             list: "a list", dict: "a mapping", type(None): "nothing"}


@dataclass
class Reference:
    """A field that names another record: where it stands, what kind, which id."""

    field: str
    kind: str
    id: str


@dataclass
class _Run:
    document: Document
    problems: list[Problem] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)

    def report(self, where: str, rule: str, message: str, hint: str | None = None) -> None:
        line, column = self.document.mark(where)
        self.problems.append(Problem(self.document.path, line, column, rule, message, field=where or None, hint=hint))


Check = Callable[[Any, str, _Run], bool]


def raw_schema(name: str) -> dict:
    """One schema file, parsed."""
    return json.loads(resources.files("aitimeline.schemas").joinpath(f"{name}.schema.json").read_text("utf-8"))


@cache
def _file(file: str) -> dict:
    return raw_schema(file.removesuffix(".schema.json"))


def resolve(ref: str, base: str) -> tuple[dict, str]:
    """The node a `$ref` points to, and its file; `base` is the file the `$ref` stands in."""
    file, _, pointer = ref.partition("#")
    file = file or base
    node = _file(file)
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node, file


def _label(where: str) -> str:
    return where or "record"


class _Compiler:
    def __init__(self):
        self.compiled: dict[int, Check] = {}

    def compile(self, schema: dict, base: str) -> Check:
        key = id(schema)
        if key not in self.compiled:
            self.compiled[key] = lambda v, w, r: self.compiled[key](v, w, r)  # recursion guard
            self.compiled[key] = self._build(schema, base)
        return self.compiled[key]

    def _build(self, schema: dict, base: str) -> Check:
        unknown = set(schema) - KEYWORDS
        if unknown:
            raise ValueError(f"{base}: unsupported schema keywords {sorted(unknown)}")
        checks: list[Check] = []
        if "$ref" in schema:
            target, file = resolve(schema["$ref"], base)
            checks.append(self.compile(target, file))
        if "type" in schema:
            checks.append(self._type(schema))
        for keywords, build in self.BUILDERS:
            if not keywords.isdisjoint(schema):
                checks.append(build(self, schema, base))
        if "x-ref" in schema:
            kind = schema["x-ref"]
            checks.append(lambda v, w, r: r.refs.append(Reference(w, kind, v)) or True)

        if len(checks) == 1:
            return checks[0]

        def check(value: Any, where: str, run: _Run) -> bool:
            for one in checks:
                if not one(value, where, run):
                    return False
            return True

        return check

    @staticmethod
    def _type(schema: dict) -> Check:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        types = tuple(t for name in names for t in _TYPES[name])
        no_bool = "boolean" not in names  # in Python a bool is an int
        wanted = " or ".join(_WORDS[name] for name in names)

        def check(value, where, run):
            if isinstance(value, types) and not (no_bool and (value is True or value is False)):
                if value.__class__ is str:
                    for rule, message in (*unsafe(value), *unfinished(value)):
                        run.report(where, rule, message)
                elif value.__class__ in (int, float) and not (math.isfinite(value) and abs(value) < NUMBER_LIMIT):
                    run.report(where, "out-of-range", f"{_label(where)}: numbers must be finite and below {NUMBER_LIMIT:.0e}")
                    return False
                return True
            got = _PY_WORDS.get(type(value), type(value).__name__)
            run.report(where, "wrong-type", f"{_label(where)}: expected {wanted}, got {got}")
            return False

        return check

    def _enum(self, schema: dict, base: str) -> Check:
        choices = schema["enum"]

        def check(value, where, run):
            if value in choices:
                return True
            run.report(where, "bad-choice", f"{_label(where)}: '{value}' is not one of {', '.join(map(str, choices))}",
                       did_you_mean(value, map(str, choices)))
            return False

        return check

    def _pattern(self, schema: dict, base: str) -> Check:
        # as in JSON Schema (ECMAScript), a final `$` is the end of the text, not before a last newline
        pattern = re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", schema["pattern"]))
        explain = schema.get("description", f"expected the form {schema['pattern']}")

        def check(value, where, run):
            if not isinstance(value, str) or pattern.search(value):
                return True
            run.report(where, "bad-format", f"{_label(where)}: '{value}' is not valid: {explain}")
            return False

        return check

    def _length(self, schema: dict, base: str) -> Check:
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10**9)

        def check(value, where, run):
            if not isinstance(value, str) or low <= len(value.strip()) and len(value) <= high:
                return True
            run.report(where, "bad-length", f"{_label(where)}: text must be {low} to {high} characters long (it is {len(value)})")
            return False

        return check

    def _range(self, schema: dict, base: str) -> Check:
        low, high = schema.get("minimum", float("-inf")), schema.get("maximum", float("inf"))

        def check(value, where, run):
            if low <= value <= high:
                return True
            run.report(where, "out-of-range", f"{_label(where)}: {value} is outside {low}–{high}")
            return False

        return check

    def _properties(self, schema: dict, base: str) -> Check:
        properties = {name: self.compile(sub, base) for name, sub in schema.get("properties", {}).items()}
        required = schema.get("required", [])
        closed = schema.get("additionalProperties") is False

        def check(value, where, run):
            ok = True
            for name in required:
                if name not in value:
                    run.report(where, "missing-field", f"{_label(where)}: missing required field '{name}'")
                    ok = False
            for name, item in value.items():
                here = f"{where}.{name}" if where else name
                if item in (None, "") and name in properties:
                    run.report(here, "empty-field", f"{here} is empty",
                               "fill it in" if name in required else "fill it in, or delete the line")
                    ok = False
                elif name in properties:
                    ok = properties[name](item, here, run) and ok
                elif closed:
                    run.report(here, "unknown-field", f"unknown field '{name}'", did_you_mean(name, properties))
                    ok = False
            return ok

        return check

    def _table(self, schema: dict, base: str) -> Check:
        names = self.compile(schema.get("propertyNames", {}), base)
        values = self.compile(schema.get("additionalProperties") or {}, base)

        def check(value, where, run):
            ok = True
            for name, item in value.items():
                here = f"{where}.{name}" if where else name
                ok = names(name, here, run) and values(item, here, run) and ok
            return ok

        return check

    def _items(self, schema: dict, base: str) -> Check:
        items = self.compile(schema["items"], base)
        least, unique = schema.get("minItems", 0), schema.get("uniqueItems", False)

        def check(value, where, run):
            ok = True
            if len(value) < least:
                run.report(where, "too-few", f"{_label(where)}: needs at least {least} item{'s' if least > 1 else ''}")
                ok = False
            seen = set()
            for index, item in enumerate(value):
                here = f"{where}[{index}]"
                key = item if isinstance(item, (str, int, float)) else json.dumps(item, sort_keys=True, default=str)
                if unique and key in seen:
                    run.report(here, "duplicate-item", f"{_label(where)}: '{item}' is listed twice")
                    ok = False
                seen.add(key)
                ok = items(item, here, run) and ok
            return ok

        return check

    def _oneof(self, schema: dict, base: str) -> Check:
        names = [name for sub in schema["oneOf"] for name in sub.get("required", [])]
        if all(set(sub) == {"required"} for sub in schema["oneOf"]):  # "exactly one of these fields"
            groups = [set(sub["required"]) for sub in schema["oneOf"]]

            def passing(value, where, run):
                return sum(group <= value.keys() for group in groups)
        else:
            options = [self.compile(sub, base) for sub in schema["oneOf"]]

            def passing(value, where, run):
                passed = [option for option in options if option(value, where, _Run(run.document))]
                if len(passed) == 1:  # the branch that holds reports what it finds (unsafe text, placeholders)
                    passed[0](value, where, run)
                return len(passed)

        def check(value, where, run):
            if passing(value, where, run) == 1:
                return True
            run.report(where, "one-of", f"{_label(where)}: needs exactly one of {', '.join(names)}")
            return False

        return check


_Compiler.BUILDERS = [
    ({"enum"}, _Compiler._enum),
    ({"pattern"}, _Compiler._pattern),
    ({"minLength", "maxLength"}, _Compiler._length),
    ({"minimum", "maximum"}, _Compiler._range),
    ({"properties", "required"}, _Compiler._properties),
    ({"propertyNames"}, _Compiler._table),
    ({"items"}, _Compiler._items),
    ({"oneOf"}, _Compiler._oneof),
]


@cache
def _checker(kind: str) -> Check:
    name = FILES[kind] + ".schema.json"
    return _Compiler().compile(*resolve(name, name))


def check_document(document: Document) -> tuple[list[Problem], list[Reference]]:
    """Check one document against its kind's schema; returns problems and references."""
    run = _Run(document)
    _checker(document.kind)(document.data, "", run)
    return run.problems, run.refs
