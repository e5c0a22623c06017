"""Calendar months, the unit of every report (统计期, 月份) and of 序时进度."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ISO = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month such as 2026-06; orders and subtracts like a count of months."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse the canonical form 'YYYY-MM' (tolerant forms are read in workbook.py)."""
        match = _ISO.match(text.strip())
        if not match:
            raise ValueError(f"not a YYYY-MM month: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        """Months since year 0, so that differences are month counts."""
        return self.year * 12 + self.month - 1

    def plus(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, other: Month) -> int:
        return self.index - other.index

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The Chinese form used on screen: 2026年6月."""
        return f"{self.year}年{self.month}月"


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from first to last, both included."""
    return [first.plus(i) for i in range(last - first + 1)]
