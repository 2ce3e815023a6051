"""Partial dates: `2021`, `2021-06`, `2021-06-01`, sorted at the start of their period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, value) -> PartialDate:
        """Parse a YAML date value; raises ValueError with a reason."""
        parts = str(value).split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise ValueError(f"'{value}' is not a date: write 2021, 2021-06 or 2021-06-01")
        numbers = [int(p) for p in parts]
        try:
            if 0 in numbers[1:]:
                raise ValueError("month and day start at 1")
            datetime.date(*numbers, *[1] * (3 - len(numbers)))
        except ValueError as error:
            raise ValueError(f"'{value}' is not a valid date ({error})") from None
        return cls(*numbers)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def iso(self) -> str:
        return "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate((self.year, self.month, self.day)) if n)

    @property
    def zh(self) -> str:
        units = zip((self.year, self.month, self.day), "年月日", strict=True)
        return "".join(f"{n}{unit}" for n, unit in units if n)

    @property
    def en(self) -> str:
        if self.day:
            return self.start.strftime("%-d %B %Y")
        return self.start.strftime("%B %Y") if self.month else str(self.year)
