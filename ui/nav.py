"""The pages of the dashboard, in menu order. app.py registers those of the plan's parts (pages_for)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str  # the page's name in code and in meeting mode's walk
    default: bool = False  # the home page: Streamlit serves it at "/" only

    @property
    def address(self) -> str:
        """The page's URL path: "" for the home page, which has no other address."""
        return "" if self.default else self.url_path


OVERVIEW = PageSpec("pages/overview.py", "总览", ":material/dashboard:", "overview", default=True)
INDICATORS = PageSpec("pages/indicators.py", "年度指标", ":material/monitoring:", "indicators")
ROUTES = PageSpec("pages/routes.py", "通道班次", ":material/train:", "routes")
FLEET = PageSpec("pages/fleet.py", "船舶更新", ":material/directions_boat:", "fleet")
TASKS = PageSpec("pages/tasks.py", "部门任务", ":material/grid_view:", "tasks")
DEPARTMENT = PageSpec("pages/department.py", "部门详情", ":material/apartment:", "department")
FOLLOWUPS = PageSpec("pages/followups.py", "督办事项", ":material/assignment_late:", "followups")
PLAN = PageSpec("pages/plan.py", "计划总览", ":material/menu_book:", "plan")
DATA = PageSpec("pages/data.py", "数据管理", ":material/upload_file:", "data")

PAGES: tuple[PageSpec, ...] = (OVERVIEW, INDICATORS, ROUTES, FLEET, TASKS, DEPARTMENT, FOLLOWUPS, PLAN, DATA)


def pages_for(plan) -> tuple[PageSpec, ...]:
    """The pages of the parts a plan has: no routes → no 通道班次, no fleet → no 船舶更新."""
    absent = {ROUTES} if not plan.routes else set()
    if not plan.fleet:
        absent.add(FLEET)
    return tuple(spec for spec in PAGES if spec not in absent)


def page_name(address: str) -> str:
    """The url_path of the page at a URL path ("" is the home page)."""
    return address or next(spec.url_path for spec in PAGES if spec.default)
