"""Check documents in two phases: each against its schema, then across the records that passed.

A record that failed its own checks still counts as known by its id, so references to it do not
cascade; its content is not read again. A file's own problems come before their consequences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from aitimeline.dates import PartialDate
from aitimeline.kinds import KINDS, PLURAL, SINGULAR, YEARS
from aitimeline.load import Document
from aitimeline.milestones import check_milestones
from aitimeline.problems import Problem, Suggestions
from aitimeline.schema import Reference, check_document

EVENT_YEARS = (YEARS[0], YEARS[-1])
DATE_YEARS = (1940, 2025)
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MIN_SUMMARY_ZH = 60  # characters, whitespace not counted
RESERVED = {"index": "the site's list pages use it"}


@dataclass
class Dataset:
    """What the cross-record checks read: documents by id, which passed their own checks, and the
    references each valid one makes."""

    documents: list[Document]
    refs: dict[str, tuple[Reference, ...]] = field(default_factory=dict)
    dates: dict[str, PartialDate] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.records = [d for d in self.documents if d.kind in KINDS]
        self.tables = {d.kind: d.data for d in self.documents if d.kind not in KINDS and isinstance(d.data, dict)}
        self.by_id: dict[str, Document] = {}
        for document in self.records:
            self.by_id.setdefault(document.id, document)
        self._suggestions: dict[str | None, Suggestions] = {}

    def holding(self, failed: set[str], last_good: dict[str, Document]) -> Dataset:
        """What the catalog shows: the files without errors, and each file in `failed` that was good
        before in its last good version (the preview's: the rest of the site shows it as it was and
        nothing cascades); the others are failed. `last_good` (the caller's, kept between rebuilds)
        is brought up to date."""
        shown = Dataset([last_good.get(d.path, d) if d.path in failed else d for d in self.documents])
        for document in shown.documents:
            if document.path in failed and document.path not in last_good:
                shown.failed.add(document.path)
                continue
            if document.path not in failed:
                shown.refs[document.path] = self.refs.get(document.path, ())
                date = self.dates.get(document.path)
            else:  # its last good version: what was found of it then
                shown.refs[document.path] = _own_checks(document)[1]
                date = PartialDate.parse(document.data["date"]) if "date" in document.data else None
            if date:
                shown.dates[document.path] = date
        present = {d.path for d in self.documents}
        for path in last_good.keys() - present:
            del last_good[path]
        last_good.update((d.path, d) for d in self.documents if d.path not in failed)
        return shown

    def valid(self, document: Document) -> bool:
        return document.path not in self.failed

    def suggest(self, kind: str | None, word: str, exclude: str | None = None) -> str | None:
        """A did-you-mean hint among the ids of one kind of record (all kinds for None)."""
        if kind not in self._suggestions:
            self._suggestions[kind] = Suggestions(d.id for d in self.records if kind is None or d.kind == kind)
        return self._suggestions[kind].hint(word, exclude)

    def problem(self, document: Document, where: str, rule: str, message: str, hint=None,
                level: str = "error") -> Problem:
        line, column = document.mark(where)
        return Problem(document.path, line, column, rule, message, level, field=where or None, hint=hint)

    def warning(self, document: Document, where: str, rule: str, message: str, hint=None) -> Problem:
        return self.problem(document, where, rule, message, hint, level="warning")


def check_ids(data: Dataset):
    groups: dict[str, list[Document]] = {}
    for document in data.records:
        groups.setdefault(document.id, []).append(document)
        if not SLUG.fullmatch(document.id):
            yield data.problem(document, "", "bad-id",
                               f"file name '{document.id}' is not an id: use lowercase letters, digits and hyphens")
        elif document.id in RESERVED:
            yield data.problem(document, "", "bad-id", f"'{document.id}' cannot be an id: {RESERVED[document.id]}")
    for rid, documents in groups.items():
        for document in documents if len(documents) > 1 else []:
            others = ", ".join(d.path for d in documents if d is not document)
            yield data.problem(document, "", "duplicate-id", f"id '{rid}' is also used by {others}",
                               "ids are unique across all kinds: rename the new file")
    topics = data.tables.get("topics", {})
    for name in RESERVED.keys() & topics.keys():
        table = next(d for d in data.documents if d.kind == "topics")
        yield data.problem(table, name, "bad-id", f"'{name}' cannot be a topic id: {RESERVED[name]}")


def check_refs(data: Dataset):
    broken = {d.kind for d in data.documents if d.kind not in KINDS and not data.valid(d)}
    for document in data.documents:
        for ref in data.refs.get(document.path, []):
            if ref.kind in ("topic", "source"):
                known = data.tables.get(ref.kind + "s")
                if known is None or ref.kind + "s" in broken:
                    continue  # the table itself is broken: that is the problem to report, not each use
                if ref.id not in known:
                    yield data.problem(document, ref.field, "unknown-ref", f"unknown {ref.kind} '{ref.id}'",
                                       Suggestions(known).hint(ref.id))
                continue
            target = data.by_id.get(ref.id)
            wanted = PLURAL.get(ref.kind)
            if ref.id == document.id:
                yield data.problem(document, ref.field, "self-ref", f"the record links to itself ('{ref.id}')")
            elif target is None or (wanted and target.kind != wanted):
                yield data.problem(document, ref.field, "unknown-ref", f"unknown {ref.kind} '{ref.id}'",
                                   data.suggest(wanted, ref.id, exclude=document.id))


def check_cycles(data: Dataset):
    for document in data.records:
        if document.kind != "companies" or not data.valid(document):
            continue
        chain, current = [document.id], document.data.get("parent")
        while current in data.by_id and current not in chain and data.valid(data.by_id[current]):
            chain.append(current)
            current = data.by_id[current].data.get("parent")
        if current == document.id and len(chain) > 1:
            yield data.problem(document, "parent", "ref-cycle", "parent companies form a cycle: "
                               + " → ".join(chain + [document.id]))


def check_dates(data: Dataset):
    for document in data.records:
        if not data.valid(document) or "date" not in document.data:
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
        if not data.valid(document):
            continue
        names = [(f"name.{lang}", document.data["name"][lang]) for lang in ("zh", "en")]
        names += [(f"aliases[{i}]", a) for i, a in enumerate(document.data.get("aliases") or [])]
        for where, value in names:
            first = owner.setdefault(" ".join(value.casefold().split()), document)
            if first is not document:
                yield data.problem(document, where, "duplicate-name",
                                   f"'{value}' already names {SINGULAR[first.kind]} '{first.id}' ({first.path})",
                                   "use a more specific name, or merge the two records")


def check_quality(data: Dataset):
    """Warnings: what a reader would miss, though nothing breaks (`--strict` makes them fail)."""
    for document in data.records:
        if not data.valid(document):
            continue
        summary = document.data["summary"]
        if len(re.sub(r"\s", "", summary["zh"])) < MIN_SUMMARY_ZH:
            yield data.warning(document, "summary.zh", "thin-summary",
                               f"the summary says little: under {MIN_SUMMARY_ZH} characters",
                               "say what it is, when, who, and why it matters")
        if isinstance(document.data.get("note"), str):
            yield data.warning(document, "note", "missing-english",
                               "the note has no English: the English page shows it in Chinese", "write note: {zh: …, en: …}")
        importance, date = document.data.get("importance"), data.dates.get(document.path)
        outside = date and not EVENT_YEARS[0] <= date.year <= EVENT_YEARS[1]
        if importance and document.data.get("context") or importance == "milestone" and outside:
            yield data.warning(document, "importance", "importance-outlier",
                               f"'{importance}' on a record that no year in review of 2021–2024 shows",
                               "context records are not ranked, and milestones belong to 2021–2024: use major or nothing")


CHECKS = {
    "ids": check_ids,
    "refs": check_refs,
    "cycles": check_cycles,
    "dates": check_dates,
    "names": check_names,
    "quality": check_quality,
    "milestones": check_milestones,
}


@lru_cache(maxsize=16384)
def _own_checks(document: Document) -> tuple[tuple[Problem, ...], tuple[Reference, ...]]:
    """A document's schema checks, kept while it is (`load` keeps a file's document by its bytes,
    so a preview's rebuild checks only the files that changed)."""
    problems, refs = check_document(document)
    return tuple(problems), tuple(refs)


def validate(data: Dataset, found: list[Problem] = ()) -> list[Problem]:
    """Every problem in the dataset: each file's own (with `found`, the loader's) sorted by file and
    position, then those across records; fills `data.refs` and `data.failed`."""
    own = list(found)
    unread = {p.path for p in found if p.level == "error"}
    data.failed |= unread
    for document in data.documents:
        if document.path in unread:  # the loader's problems say why; its id is still known
            continue
        problems, refs = _own_checks(document)
        if any(p.level == "error" for p in problems):
            data.failed.add(document.path)
        else:
            data.refs[document.path] = refs
        own += problems
    across = [p for check in CHECKS.values() for p in check(data)]
    return sorted(own) + sorted(across)
