"""`aitimeline new`: a record file with every field of its kind, ready to fill in."""

from __future__ import annotations

import datetime
from pathlib import Path

from aitimeline.load import SINGULAR
from aitimeline.schema import raw_schema
from aitimeline.validate import SLUG

COMMON_FIRST = ("name", "aliases")
COMMON_LAST = ("summary", "topics", "tags", "related", "figures", "sources", "note")
PLACEHOLDERS = {
    "name": "\n  zh: 待填写\n  en: To fill in",
    "summary": "\n  zh: 待填写：用自己的话写两三句，说明是什么、谁、何时、为何重要。\n  en: To fill in.",
    "evidence": "\n  zh: 待填写：结果如何，依据哪些记录。",
    "sources": "\n  - ref: seed-2021-report\n    section: 第一章 / 小节标题",
    "funding": " {round: A, amount: 100_000_000, currency: CNY}",
    "figures": "\n  - {label: 指标, value: 0, unit: 单位, year: 2021}",
}


def _placeholder(field: str, spec: dict, today: str) -> str:
    if field in PLACEHOLDERS:
        return PLACEHOLDERS[field]
    ref = spec.get("$ref", "")
    if field == "date" or ref.endswith("/date"):
        return f" {today}"
    if "enum" in spec:
        return f" {spec['enum'][0]}"
    if spec.get("type") == "array" or "refs" in ref or ref.endswith(("/aliases", "/tags", "/related", "/topics")):
        return " []"
    if spec.get("type") == "boolean":
        return " false"
    if spec.get("type") in ("number", "integer") or ref.endswith("/year"):
        return f" {today[:4]}" if "year" in field or ref.endswith("/year") else " 0"
    return " 待填写"


def scaffold(kind: str, record_id: str, today: datetime.date | None = None) -> str:
    """The text of a new record: required fields filled with placeholders, optional ones commented out."""
    schema = raw_schema(SINGULAR[kind])
    properties, required = schema["properties"], set(schema["required"])
    own = [f for f in properties if f not in COMMON_FIRST + COMMON_LAST]
    today_iso = (today or datetime.date.today()).isoformat()
    lines = [f"# yaml-language-server: $schema=../../src/aitimeline/schemas/{SINGULAR[kind]}.schema.json",
             f"# {kind}/{record_id}: fill in every field; optional fields are commented out."]
    for field in (*COMMON_FIRST, *own, *COMMON_LAST):
        text = f"{field}:{_placeholder(field, properties[field], today_iso)}"
        if field not in required:
            text = "\n".join("# " + line for line in text.splitlines())
        lines.append(text)
    return "\n".join(lines) + "\n"


def create(data_dir: Path, kind: str, record_id: str) -> Path:
    """Write the new file; refuses a bad id, an unknown kind or an existing file."""
    kinds = {**{k: k for k in SINGULAR}, **{v: k for k, v in SINGULAR.items()}}
    if kind not in kinds:
        raise ValueError(f"unknown kind '{kind}': use one of {', '.join(SINGULAR.values())}")
    if not SLUG.match(record_id):
        raise ValueError(f"'{record_id}' is not an id: use lowercase letters, digits and single hyphens")
    path = data_dir / kinds[kind] / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x" refuses to overwrite
        file.write(scaffold(kinds[kind], record_id))
    return path
