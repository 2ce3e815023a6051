"""The milestone cap: a year names at most MAX_MILESTONES events, models and chips as milestones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aitimeline.problems import Problem

if TYPE_CHECKING:
    from aitimeline.validate import Dataset

MAX_MILESTONES = 15
RANKED = ("events", "models", "chips")  # the kinds that carry `importance`


def check_milestones(data: Dataset) -> Iterator[Problem]:
    """Each milestone past the cap of its year, the latest first to go (by date, then id)."""
    by_year: dict[int, list] = defaultdict(list)
    for document in data.records:
        date = data.dates.get(document.path)  # only records that passed their own checks have one
        if date and document.kind in RANKED and document.data.get("importance") == "milestone":
            by_year[date.year].append((date, document.id, document))
    for year, milestones in sorted(by_year.items()):
        for _, _, document in sorted(milestones, key=lambda m: m[:2])[MAX_MILESTONES:]:
            yield data.problem(document, "importance", "too-many-milestones",
                               f"too many milestones in {year}",
                               f"{len(milestones)} milestones, at most {MAX_MILESTONES} a year: "
                               "make the least essential ones `major`")
