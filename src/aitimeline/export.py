"""Machine-readable files published beside the site: JSON and CSV under api/v1/, the records of
the Atom feed, and the JSON Schemas of the records. Every JSON file carries `schema_version`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from pathlib import Path

from aitimeline.catalog import Catalog, Record
from aitimeline.kinds import KINDS, SINGULAR

SCHEMA_VERSION = "1.0"
API = "api/v1"
FEED_SIZE = 100
# CSV columns after id, name.zh, name.en: dotted paths into a record; lists are joined with "; ".
COLUMNS = {
    "events": ("date", "kind", "companies", "models", "chips", "funding.round", "funding.amount",
               "funding.currency", "funding.valuation", "funding.investors", "importance", "context"),
    "models": ("date", "organizations", "parameters", "modalities", "open_weights", "architecture", "paper", "importance"),
    "chips": ("date", "vendor", "kind", "process", "use", "importance"),
    "companies": ("type", "country", "founded", "headquarters", "sectors", "website", "parent", "stock"),
    "predictions": ("date", "target_year", "verdict", "verdict_by", "evidence.zh", "evidence.en"),
    "trends": ("year", "scope", "rank"),
}
_FORMULA_START = frozenset("=+-@\t\r")
COMMON = ("topics", "related", "aliases", "tags", "summary.zh", "summary.en", "note.zh", "note.en", "sources", "url")


@dataclass(frozen=True)
class Asset:
    """A generated non-Markdown file at `uri` in the site: its bytes, or a function that makes them;
    `key`, when given, makes a text that changes whenever the bytes would, cheaper than the bytes, so
    that a preview can skip making them again."""

    uri: str
    source: bytes | Callable[[], bytes]
    key: Callable[[], str] | None = None

    @property
    def deferred(self) -> bool:
        return callable(self.source)

    @property
    def content(self) -> bytes:
        return self.source() if callable(self.source) else self.source

    @property
    def version(self) -> str:
        """What the bytes are made of, made only when asked (the preview compares it between builds)."""
        return self.key() if self.key else hashlib.sha256(self.content).hexdigest()


def write_assets(assets: list[Asset], out_dir: Path) -> None:
    """Write each asset under out_dir."""
    for asset in assets:
        path = out_dir / asset.uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(asset.content)


def schema_assets() -> list[Asset]:
    """The schemas, at schemas/<name>.schema.json, so editors and tools can fetch them."""
    folder = resources.files("aitimeline.schemas")
    return [Asset(f"schemas/{f.name}", f.read_bytes())
            for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".schema.json")]


def page_url(record: Record) -> str:
    """The record page's address relative to the site root."""
    return f"{record.kind}/{record.id}/"


def record_json(record: Record) -> dict:
    """A record as published: its id, its YAML fields with the date as written, and its page."""
    data = {"id": record.id, **record.data, "url": page_url(record)}
    if record.date:
        data["date"] = record.date.iso
    return data


def _json(value) -> bytes:
    """Strict JSON: a NaN or an infinity (which the validator refuses) raises instead of being written."""
    return (json.dumps({"schema_version": SCHEMA_VERSION, **value}, ensure_ascii=False, indent=1, allow_nan=False)
            + "\n").encode()


def _source(source: dict) -> str:
    return source.get("ref") or source.get("url") or source.get("cite", "")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        value = "; ".join(_source(v) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else _inert_cell(value)


def _inert_cell(text: str) -> str:
    """Text a spreadsheet will not read as a formula: OWASP's rule, a leading apostrophe before
    = + - @ tab or carriage return."""
    return "'" + text if text[:1] in _FORMULA_START else text


def csv_rows(kind: str, records: list[Record]) -> list[list[str]]:
    """A header and one row per record; the columns are fixed per kind, whatever the data."""
    columns = ("id", "name.zh", "name.en", *COLUMNS[kind], *COMMON)
    rows = [list(columns)]
    for record in records:
        data = record_json(record)
        row = []
        for column in columns:
            value = data
            for part in column.split("."):
                value = value.get(part) if isinstance(value, dict) else _chinese(value, part)
            row.append(_cell(value))
        rows.append(row)
    return rows


def _chinese(value, part: str):
    """A plain string where `{zh, en}` may stand (a note) is the Chinese text."""
    return value if part == "zh" and isinstance(value, str) else None


def _csv(kind: str, records: list[Record]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_rows(kind, records))
    return out.getvalue().encode("utf-8")


def _kind_json(kind: str, records: list[Record]) -> bytes:
    return _json({"kind": kind, "schema": _schema(kind), "count": len(records),
                  "records": [record_json(r) for r in records]})


def _record_json_file(record: Record) -> bytes:
    referrers = {k: ids for k in KINDS if (ids := [r.id for r in record.referrers(k)])}
    return _json({"kind": record.kind, "schema": _schema(record.kind), "record": record_json(record),
                  "referenced_by": referrers})


def _catalog_json(catalog: Catalog) -> bytes:
    everything = {kind: [record_json(r) for r in catalog.kind(kind, context=True)] for kind in KINDS}
    return _json({"counts": {k: len(v) for k, v in everything.items()}, "topics": catalog.topics,
                  "sources": catalog.sources, "records": everything})


def _schema(kind: str) -> str:
    return f"schemas/{SINGULAR[kind]}.schema.json"


def _record_key(record: Record) -> str:
    """What a record's JSON file is made of, cheaper to compare than the file itself."""
    referrers = [(r.kind, r.id) for records in record.backlinks.values() for r in records]
    return repr((SCHEMA_VERSION, record.data, record.date, sorted(referrers)))


def _records_key(records: list[Record], *more) -> str:
    """What a file listing records is made of (each one's JSON, in order)."""
    return repr((SCHEMA_VERSION, [(r.kind, r.id, r.data, r.date) for r in records], *more))


def api_assets(catalog: Catalog) -> list[Asset]:
    """api/v1/<kind>.json and .csv, api/v1/<kind>/<id>.json and api/v1/catalog.json; each is made
    only when written, so that the build can write them in the background."""
    assets = []
    for kind in KINDS:
        records = catalog.kind(kind, context=True)
        key = cache(partial(_records_key, records))
        assets.append(Asset(f"{API}/{kind}.json", partial(_kind_json, kind, records), key=key))
        assets.append(Asset(f"{API}/{kind}.csv", partial(_csv, kind, records), key=key))
        assets += [Asset(f"{API}/{kind}/{r.id}.json", partial(_record_json_file, r), key=partial(_record_key, r))
                   for r in records]
    everything = [r for kind in KINDS for r in catalog.kind(kind, context=True)]
    assets.append(Asset(f"{API}/catalog.json", partial(_catalog_json, catalog),
                        key=partial(_records_key, everything, catalog.topics, catalog.sources)))
    return assets


def newest(catalog: Catalog) -> list[Record]:
    """The feed's records: the newest dated ones, newest first (templates/feed.xml.j2 writes it)."""
    dated = sorted((r for r in catalog.by_kind_all() if r.date), key=lambda r: (r.date, r.kind, r.id), reverse=True)
    return dated[:FEED_SIZE]


def export(catalog: Catalog) -> list[Asset]:
    """Every machine-readable file of the site but the feed, which is a template."""
    return schema_assets() + api_assets(catalog)
