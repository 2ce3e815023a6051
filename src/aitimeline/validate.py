"""Check documents: each against its schema (shape and safe text), then across records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aitimeline.dates import PartialDate
from aitimeline.load import KINDS, SINGULAR, Document
from aitimeline.milestones import check_milestones
from aitimeline.problems import Problem, did_you_mean
from aitimeline.schema import Reference, check_document

EVENT_YEARS = (2021, 2024)
DATE_YEARS = (1940, 2025)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KIND_OF = {kind: kinds for kinds, kind in SINGULAR.items()}


@dataclass
class Dataset:
    """What the cross-record checks read: documents by id and the references each makes."""

    documents: list[Document]
    refs: dict[str, list[Reference]] = field(default_factory=dict)
    dates: dict[str, PartialDate] = field(default_factory=dict)

    def __post_init__(self):
        self.records = [d for d in self.documents if d.kind in KINDS]
        self.tables = {d.kind: d.data for d in self.documents if d.kind not in KINDS and isinstance(d.data, dict)}
        self.by_id: dict[str, Document] = {}
        for document in self.records:
            self.by_id.setdefault(document.id, document)

    def problem(self, document: Document, where: str, rule: str, message: str, hint=None) -> Problem:
        line, column = document.mark(where)
        return Problem(document.path, line, column, rule, message, field=where or None, hint=hint)


def check_ids(data: Dataset):
    seen: dict[str, Document] = {}
    for document in data.records:
        if not SLUG.match(document.id):
            yield data.problem(document, "", "bad-id",
                               f"file name '{document.id}' is not an id: use lowercase letters, digits and hyphens")
        elif document.id in seen:
            yield data.problem(document, "", "duplicate-id",
                               f"id '{document.id}' is already used by {seen[document.id].path}")
        seen.setdefault(document.id, document)


def check_refs(data: Dataset):
    for document in data.documents:
        for ref in data.refs.get(document.path, []):
            if ref.kind in ("topic", "source"):
                known = data.tables.get(ref.kind + "s", {})
                if ref.id not in known:
                    yield data.problem(document, ref.field, "unknown-ref", f"unknown {ref.kind} '{ref.id}'",
                                       did_you_mean(ref.id, known))
                continue
            target = data.by_id.get(ref.id)
            wanted = KIND_OF.get(ref.kind)
            if ref.id == document.id:
                yield data.problem(document, ref.field, "self-ref", f"the record links to itself ('{ref.id}')")
            elif target is None or (wanted and target.kind != wanted):
                choices = [d.id for d in data.records if not wanted or d.kind == wanted]
                yield data.problem(document, ref.field, "unknown-ref", f"unknown {ref.kind} '{ref.id}'",
                                   did_you_mean(ref.id, choices))


def check_cycles(data: Dataset):
    for document in data.records:
        if document.kind != "companies" or not isinstance(document.data, dict):
            continue
        chain, current = [document.id], document.data.get("parent")
        while isinstance(current, str) and current in data.by_id and current not in chain:
            chain.append(current)
            current = getattr(data.by_id[current], "data", {}).get("parent")
        if current == document.id and len(chain) > 1:
            yield data.problem(document, "parent", "ref-cycle", "parent companies form a cycle: "
                               + " → ".join(chain + [document.id]))


def check_dates(data: Dataset):
    for document in data.records:
        if not isinstance(document.data, dict) or "date" not in document.data:
            continue
        try:
            date = PartialDate.parse(document.data["date"])
        except ValueError as error:
            yield data.problem(document, "date", "bad-date", str(error))
            continue
        data.dates[document.path] = date
        low, high = EVENT_YEARS if document.kind == "events" else DATE_YEARS
        if not low <= date.year <= high:
            what = "events" if document.kind == "events" else "dates"
            yield data.problem(document, "date", "date-out-of-range", f"{what} must fall within {low}–{high}, not {date.iso}")


def check_names(data: Dataset):
    owner: dict[str, Document] = {}
    for document in data.records:
        if not isinstance(document.data, dict):
            continue
        name = document.data.get("name") if isinstance(document.data.get("name"), dict) else {}
        names = [(f"name.{lang}", name.get(lang)) for lang in ("zh", "en")]
        names += [(f"aliases[{i}]", a) for i, a in enumerate(document.data.get("aliases") or [])]
        for where, value in names:
            if not isinstance(value, str):
                continue
            first = owner.setdefault(" ".join(value.casefold().split()), document)
            if first is not document:
                yield data.problem(document, where, "duplicate-name",
                                   f"'{value}' already names {SINGULAR[first.kind]} '{first.id}' ({first.path})",
                                   "use a more specific name, or merge the two records")


CHECKS = {
    "ids": check_ids,
    "refs": check_refs,
    "cycles": check_cycles,
    "dates": check_dates,
    "names": check_names,
    "milestones": check_milestones,
}


def validate(data: Dataset) -> list[Problem]:
    """Every problem in the dataset, sorted by file and position; fills `data.refs`."""
    problems: list[Problem] = []
    for document in data.documents:
        found, data.refs[document.path] = check_document(document)
        problems += found
    for check in CHECKS.values():
        problems += check(data)
    return sorted(problems)
