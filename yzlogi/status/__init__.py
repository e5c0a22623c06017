"""序时进度 and the lights: pure functions from (plan, one version's data, as-of) to status.

The rules are design.md «Status rules», with every threshold read from the plan.
Let the as-of month be (Y, m). Data dated after as-of is ignored, so any earlier
month can be replayed exactly. Each light carries a one-line Chinese explanation
of how it was computed, shown beside it on screen. Nothing here does I/O or knows
about Streamlit: pages and the command line call compute_status() and render it.

One module per part of the plan:
  rules.py        the Light, the ratio/floor/band rules, 序时进度, number formatting
  rows.py         a version's typed tables as plain rows; the default as-of month
  indicators.py   the key indicators and the registers beside them
  routes.py       route runs per year and over the plan; new lines
  fleet.py        fleet renewal by category
  tasks.py        key tasks and each unit's report
  goals.py        the secondary goals
  summary.py      compute_status() and Status: counts, exceptions, JSON
  department.py   one department's view
"""

from yzlogi.status.department import DepartmentStatus, DepartmentTask, Missing, department_status
from yzlogi.status.fleet import FleetStatus, ShipState
from yzlogi.status.goals import GoalStatus
from yzlogi.status.indicators import IndicatorStatus, RegisterMonth
from yzlogi.status.routes import MonthRuns, NewLine, RouteStatus, RouteYear
from yzlogi.status.rows import column_values, default_as_of, latest_month, month_of, records
from yzlogi.status.rules import (
    NOT_REPORTED, NOT_STARTED, PENDING, SHIP_BUILDING, SHIP_DONE, SHIP_PLANNED, TASK_DONE, TASK_STATUS_LEVELS,
    TOLERANCE, Light, band_level, floor_level, fmt, fmt_ratio, ratio_level,
)
from yzlogi.status.summary import ROLE_LABELS, SECTION_LABELS, SECTIONS, Alert, Status, compute_status
from yzlogi.status.tasks import TaskStatus, UnitReport

__all__ = [
    "NOT_REPORTED", "NOT_STARTED", "PENDING", "ROLE_LABELS", "SECTIONS", "SECTION_LABELS", "SHIP_BUILDING",
    "SHIP_DONE", "SHIP_PLANNED", "TASK_DONE", "TASK_STATUS_LEVELS", "TOLERANCE", "Alert", "DepartmentStatus",
    "DepartmentTask", "FleetStatus", "GoalStatus", "IndicatorStatus", "Light", "Missing", "MonthRuns", "NewLine",
    "RegisterMonth", "RouteStatus", "RouteYear", "ShipState", "Status", "TaskStatus", "UnitReport", "band_level",
    "column_values", "compute_status", "default_as_of", "department_status", "floor_level", "fmt", "fmt_ratio",
    "latest_month", "month_of", "ratio_level", "records",
]
