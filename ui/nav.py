"""The pages of the dashboard, in menu order. app.py registers exactly these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/plan.py", "计划总览", ":material/menu_book:", "plan"),
)
