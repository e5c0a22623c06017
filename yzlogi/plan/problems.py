"""A fault of a plan file and where it is: a [section] or the n-th [[section]], and a key in it.

Loading (yzlogi.plan.load) turns each place into the line of the file it is on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Where:
    """A place in the plan file: a [section] or the index-th [[section]], and a key in it."""

    section: str
    index: int | None = None
    key: str | None = None


@dataclass(frozen=True)
class Problem:
    """One fault of a plan, in Chinese, with where it is."""

    message: str
    where: Where | None = None
