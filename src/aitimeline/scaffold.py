"""`aitimeline new`: a record file with every field of its kind, each left for the editor to fill in.

Nothing in it is a fact: text fields hold the placeholder words of `text.PLACEHOLDER` and every
other field is blank with a comment saying what it takes, so the file fails validation until
every required field is filled in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from aitimeline.kinds import PLURAL, SINGULAR
from aitimeline.schema import raw_schema, resolve
from aitimeline.text import PLACEHOLDER
from aitimeline.validate import SLUG

COMMON_FIRST = ("name", "aliases")
COMMON_LAST = ("summary", "topics", "tags", "related", "figures", "sources", "note")
ZH, EN = PLACEHOLDER["zh"], PLACEHOLDER["en"]
FILLED = {  # fields whose shape the editor needs to see: placeholders inside their structure
    "name": f"\n  zh: {ZH}\n  en: {EN}",
    "summary": f"\n  zh: {ZH}：用自己的话写两三句，说明是什么、谁、何时、为何重要。\n  en: {EN}.",
    "evidence": f"\n  zh: {ZH}：结果如何，依据哪些记录。\n  en: {EN}.",
    "note": f"\n  zh: {ZH}：来源的说法与公开记录有何不同。\n  en: {EN}.",
    "sources": f"\n  - ref:  # an id in data/sources.yaml (or url: with title:, or cite:)\n    section: {ZH}",
    "funding": f" {{round: {ZH}, amount: , currency: }}",
    "figures": f"\n  - {{label: {ZH}, value: , unit: {ZH}, year: }}",
}


def _chain(spec: dict, base: str) -> Iterator[tuple[dict, str]]:
    """A field's schema and every schema its `$ref`s lead to, each with its file."""
    while True:
        yield spec, base
        if "$ref" not in spec:
            return
        spec, base = resolve(spec["$ref"], base)


def _hint(spec: dict, base: str) -> str:
    """What a field takes, in a line: its nearest description, choices, examples, kind of id or items."""
    nodes = list(_chain(spec, base))

    def first(key: str):
        return next((node[key] for node, _ in nodes if key in node), None)

    words = [first("description") or ""]
    if first("enum"):
        words.append("One of: " + ", ".join(map(str, first("enum"))) + ".")
    if first("type") == "boolean":
        words.append("true or false.")
    if first("examples"):
        words.append("E.g. " + ", ".join(map(str, first("examples"))) + ".")
    if first("x-ref") and f"{first('x-ref')} id" not in words[0]:
        words.append(f"A {first('x-ref')} id.")
    items, file = next(((node["items"], file) for node, file in nodes if "items" in node), (None, base))
    if items is not None:
        item = {key: value for node, _ in reversed(list(_chain(items, file))) for key, value in node.items()}
        if "x-ref" in item:
            words.append(f"A list of {item['x-ref']} ids: [id, …].")
        elif "enum" in item:
            words.append("A list of any of: " + ", ".join(item["enum"]) + ".")
        else:
            words.append("A list: [text, …].")
    return " ".join(w for w in words if w)


def scaffold(kind: str, record_id: str) -> str:
    """The text of a new record: required fields to fill in, optional ones commented out."""
    base = f"{SINGULAR[kind]}.schema.json"
    schema = raw_schema(SINGULAR[kind])
    properties, required = schema["properties"], set(schema["required"])
    own = [f for f in properties if f not in COMMON_FIRST + COMMON_LAST]
    lines = [f"# yaml-language-server: $schema=../../src/aitimeline/schemas/{base}",
             f"# {kind}/{record_id}: write the facts your source states in place of every {ZH} / {EN}",
             "# and every blank; the validator refuses the file until you have.",
             "# Optional fields are commented out: uncomment the ones the source states."]
    for field in (*COMMON_FIRST, *own, *COMMON_LAST):
        text = f"{field}:" + (FILLED.get(field) or f"  # {_hint(properties[field], base)}")
        if field not in required:
            text = "\n".join("# " + line for line in text.splitlines())
        lines.append(text)
    return "\n".join(lines) + "\n"


def create(data_dir: Path, kind: str, record_id: str) -> Path:
    """Write the new file; refuses an unknown kind, a bad id or an id any record already has."""
    kinds = {**{k: k for k in SINGULAR}, **PLURAL}
    if kind not in kinds:
        raise ValueError(f"unknown kind '{kind}': use one of {', '.join(SINGULAR.values())}")
    if not SLUG.match(record_id):
        raise ValueError(f"'{record_id}' is not an id: use lowercase letters, digits and single hyphens")
    taken = [file for file in (data_dir / k / f"{record_id}.yaml" for k in SINGULAR) if file.exists()]
    if taken:
        raise ValueError(f"the id '{record_id}' is taken by {taken[0].as_posix()} (ids are unique across all kinds): "
                         "choose another id")
    path = data_dir / kinds[kind] / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x" refuses to overwrite
        file.write(scaffold(kinds[kind], record_id))
    return path
