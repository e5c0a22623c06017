"""The plan: what is tracked, read from the plan file and checked (reference data, not uploaded).

  model.py    the plan's parts as frozen dataclasses (Plan, Indicator, Task, Route, …)
  targets.py  target texts (维持在10%左右, 5%以上, 26个) and quantities in running text
  load.py     the plan file (setting plan_file, default data/plan.toml) → Plan; faults named by line
  check.py    every consistency rule a plan must pass
  problems.py a fault and where it is in the file
  diff.py     what changed between two plans (a version judged under an earlier plan)
"""

from yzlogi.plan.diff import plan_changes
from yzlogi.plan.load import load_plan, load_plan_text, plan_path
from yzlogi.plan.model import (
    GOAL_KINDS,
    INDICATOR_KINDS,
    KIND_LABELS,
    Department,
    Discrepancy,
    FleetCategory,
    Goal,
    Group,
    Indicator,
    Milestone,
    Plan,
    Route,
    Target,
    Task,
    Thresholds,
)
from yzlogi.plan.problems import Problem, Where
from yzlogi.plan.targets import ParsedTarget, parse_quantity_in_text, parse_target_text

__all__ = [
    "GOAL_KINDS", "INDICATOR_KINDS", "KIND_LABELS", "Department", "Discrepancy", "FleetCategory", "Goal", "Group",
    "Indicator", "Milestone", "ParsedTarget", "Plan", "Problem", "Route", "Target", "Task", "Thresholds", "Where",
    "load_plan", "load_plan_text", "parse_quantity_in_text", "parse_target_text", "plan_changes", "plan_path",
]
