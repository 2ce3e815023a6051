"""The hand-written schema checker agrees with the reference implementation (python-jsonschema) on
whether a record has the shape its schema describes: on every fixture, on the real data and on
generated records. Rules beyond the schema (safe text, bounded numbers, placeholders) are left out."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from aitimeline.load import Document, load_data, parse
from aitimeline.schema import FILES, check_document
from conftest import FIXTURES, ROOT

SHAPE = {"missing-field", "unknown-field", "wrong-type", "bad-choice", "bad-format", "bad-length", "out-of-range",
         "too-few", "duplicate-item", "one-of", "empty-field"}


@cache
def validator(kind: str) -> jsonschema.Draft202012Validator:
    folder = resources.files("aitimeline.schemas")
    schemas = {f.name: json.loads(f.read_text("utf-8")) for f in folder.iterdir() if f.name.endswith(".schema.json")}
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in schemas.items())
    return jsonschema.Draft202012Validator(schemas[f"{FILES[kind]}.schema.json"], registry=registry)


def stripped(value):
    """The value with its text stripped: the checker measures minLength without surrounding
    whitespace (a blank name is empty), and reads a final `$` as the end of the text, as ECMAScript
    does (Python's `re`, which python-jsonschema uses, lets it match before a final newline)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [stripped(v) for v in value]
    if isinstance(value, dict):
        return {k: stripped(v) for k, v in value.items()}
    return value


def agree(document: Document) -> None:
    ours = {p.rule for p in check_document(document)[0]} & SHAPE
    theirs = [e.message for e in validator(document.kind).iter_errors(stripped(document.data))]
    assert bool(ours) == bool(theirs), (document.path, ours, theirs)


def fixture_documents() -> list[Document]:
    documents = load_data(FIXTURES / "valid" / "data", FIXTURES / "valid")[0] + load_data(ROOT / "data", ROOT)[0]
    for case in sorted((FIXTURES / "invalid").glob("*.yaml")):
        rel = case.read_text("utf-8").split("# path: ", 1)[1].split("\n", 1)[0]
        data, marks, problems = parse(case.read_text("utf-8"), rel)
        kind = rel.split("/")[0] if "/" in rel else rel.removesuffix(".yaml")
        if data is not None and kind in FILES:
            documents.append(Document(f"data/{rel}", kind, Path(rel).stem, data, marks))
    return documents


def test_the_checker_agrees_with_jsonschema_on_every_fixture_and_record():
    documents = fixture_documents()
    assert len(documents) > 1000
    for document in documents:
        agree(document)


words = st.sampled_from(["openai", "gpt-4", "GPT 4", "2023-03", "2023-13-01", "2021", "x" * 201, "", " ", "release",
                         "USD", "CN", "China", "https://example.org/a", "ftp://x", "chips", "large-models"])
scalars = st.one_of(words, st.integers(-5, 3000), st.booleans(), st.none(), st.floats(-1e6, 1e12, allow_nan=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["zh", "en", "ref", "url", "cite", "section", "round", "amount", "label", "value",
                                     "name", "x"]), inner, max_size=3)), max_leaves=12)
FIELDS = ["name", "summary", "topics", "sources", "date", "kind", "companies", "models", "organizations", "vendor",
          "parameters", "open_weights", "funding", "figures", "type", "country", "founded", "verdict", "target_year",
          "year", "scope", "rank", "importance", "context", "aliases", "related", "website"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["events", "models", "chips", "companies", "predictions", "trends"]),
       data=st.dictionaries(st.sampled_from(FIELDS), values, max_size=8))
def test_the_checker_agrees_with_jsonschema_on_generated_records(kind: str, data: dict):
    agree(Document(f"data/{kind}/x.yaml", kind, "x", data))
