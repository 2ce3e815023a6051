"""The catalog: valid records indexed by id, kind, year and topic, with back-links. No I/O."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aitimeline.dates import PartialDate
from aitimeline.kinds import KINDS
from aitimeline.milestones import RANKED
from aitimeline.validate import Dataset


@dataclass(eq=False)
class Record:
    """One record with what the catalog derives from it; the YAML data is never changed."""

    kind: str
    id: str
    data: dict[str, Any]
    path: str
    date: PartialDate | None = None
    links: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    backlinks: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))

    @property
    def src_uri(self) -> str:
        return f"{self.kind}/{self.id}.md"

    @property
    def name(self) -> dict[str, str]:
        return self.data["name"]

    @property
    def year(self) -> int | None:
        if self.date:
            return self.date.year
        return self.data.get("year")

    @property
    def context(self) -> bool:
        """Wider technology context of its period, not AI: kept out of every AI count."""
        return self.data.get("context") is True

    @property
    def sort_key(self) -> tuple:
        return (self.date or PartialDate(9999), self.name["zh"], self.id)

    def referrers(self, kind: str) -> list[Record]:
        """Records of a kind that link here, oldest first."""
        found = {r for records in self.backlinks.values() for r in records if r.kind == kind}
        return sorted(found, key=lambda r: r.sort_key)

    def neighbours(self, *skip_kinds: str) -> list[Record]:
        """Records this one names as `related`, and those of other kinds that link here."""
        found = set(self.links.get("related", []))
        found |= {r for records in self.backlinks.values() for r in records if r.kind not in skip_kinds}
        return sorted(found, key=lambda r: r.sort_key)


@dataclass
class Catalog:
    """The records by id, kind, year and topic. Context records (`context: true`) have pages but stay
    out of the AI views: `kind()` and `year()` leave them out, `by_topic` never holds them."""

    records: dict[str, Record]
    topics: dict[str, dict]
    sources: dict[str, dict]
    by_kind: dict[str, list[Record]]
    by_year: dict[int, list[Record]]
    by_topic: dict[str, list[Record]]

    def kind(self, kind: str, context: bool = False) -> list[Record]:
        """Records of a kind; context records only when asked for."""
        return [r for r in self.by_kind.get(kind, []) if context or not r.context]

    def year(self, year: int, kind: str) -> list[Record]:
        """The AI records of a kind dated in a year: never context records."""
        return [r for r in self.by_year.get(year, []) if r.kind == kind and not r.context]

    def milestones(self, year: int) -> list[Record]:
        """The milestones of a year (events, models and chips) in date order; those known only to
        the year come last, as on the year page."""
        found = [r for r in self.by_year.get(year, [])
                 if r.kind in RANKED and not r.context and r.data.get("importance") == "milestone"]
        return sorted(found, key=lambda r: not (r.date and r.date.month))

    def context(self, year: int) -> list[Record]:
        """The context records of a year, oldest first."""
        return [r for r in self.by_year.get(year, []) if r.context]

    def cited(self, source_id: str) -> list[Record]:
        return [r for r in self.by_kind_all() if any(s.get("ref") == source_id for s in r.data["sources"])]

    def by_kind_all(self) -> list[Record]:
        return [r for kind in KINDS for r in self.kind(kind, context=True)]


def _role(field_path: str) -> str:
    """The field a reference stands in, without list positions: `funding.investors`."""
    return ".".join(part.split("[")[0] for part in field_path.split("."))


def build_catalog(data: Dataset, skip: set[str] = frozenset()) -> Catalog:
    """Index the valid records of a validated dataset; files in `skip` are left out."""
    records: dict[str, Record] = {}
    for document in data.records:
        if document.path in skip or not data.valid(document) or document.id in records:
            continue
        date = data.dates.get(document.path)
        records[document.id] = Record(document.kind, document.id, document.data, document.path, date)
    for record in records.values():
        for ref in data.refs.get(record.path, []):
            target = records.get(ref.id)
            if target is None or target is record:
                continue
            role = _role(ref.field)
            record.links[role].append(target)
            target.backlinks[role].append(record)
    by_kind: dict[str, list[Record]] = defaultdict(list)
    by_year: dict[int, list[Record]] = defaultdict(list)
    by_topic: dict[str, list[Record]] = defaultdict(list)
    for record in sorted(records.values(), key=lambda r: r.sort_key):
        by_kind[record.kind].append(record)
        if record.year:
            by_year[record.year].append(record)
        if not record.context:
            for topic in record.data.get("topics", []):
                by_topic[topic].append(record)
    return Catalog(records, data.tables.get("topics", {}), data.tables.get("sources", {}),
                   dict(by_kind), dict(by_year), dict(by_topic))
