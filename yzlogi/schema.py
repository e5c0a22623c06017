"""The progress workbook's schema: one definition of every sheet and column.

Reading (header matching), validation (kinds, choices, ranges, uniqueness), the
fill-in template, the stored tables and the data dictionary shown in the app and
in docs/workbook.md are all derived from WORKBOOK below; a test fails if any of
them drifts. Choices that come from the plan (departments, routes, fleet
categories, goals) are resolved through the Plan at validation time.

WORKBOOK holds every sheet the store has a table for, with the plan's facts left
as placeholders: month bounds are "baseline"/"start"/"end" and help texts say
{routes} or {end}. FEEDBACK (督办反馈) is read and checked like them but never stored:
its rows are answers to follow-up items, which the commit records as the items'
events; ALL_SHEETS holds every sheet an upload may hold. for_plan(plan) gives the sheets one plan uses (no routes → no
通道班次 sheet), each rendered with that plan's years, numbers and names; every
reader, template and dictionary goes through it, so none of them names a year or
an indicator of a particular plan.

Typed tables use the column `key`s below, plus `row`: the row number as the
spreadsheet shows it (1-based), so every stored value can be traced to its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from yzlogi.months import Month
from yzlogi.text import fold

if TYPE_CHECKING:
    from yzlogi.plan import Plan

# Column kinds: how a cell is read and what it becomes.
#   indicator_no  a key indicator's number         → int
#   task_no       a key task's number              → int
#   month         统计期/月份 in any accepted form  → 'YYYY-MM'
#   date_month    a date or a month (完成日期 …)    → 'YYYY-MM'
#   count         integer ≥ 0, unit suffix allowed → int
#   percent       percent points, 0.105 in a %-formatted cell = 10.5 → float
#   number        a number in the row's unit      → float
#   indicator_value  percent or count, by 指标编号  → float
#   department    the plan's name for a unit      → str
#   route         a plan route, or a new line      → str (+ is_new)
#   goal          a secondary goal by name/alias   → goal key
#   fleet_category  a plan fleet category          → str
#   choice        one of `choices` or a synonym    → the listed value
#   yesno         是/否                            → bool
#   item_no       a follow-up item's number (督办事项) → int
#   text          free text, kept as typed         → str
KINDS = (
    "indicator_no", "task_no", "month", "date_month", "count", "percent", "number",
    "indicator_value", "department", "route", "goal", "fleet_category", "choice", "yesno", "item_no", "text",
)

# Stored (DuckDB) type of each kind's typed value.
SQL_TYPES = {
    "indicator_no": "INTEGER",
    "task_no": "INTEGER",
    "month": "VARCHAR",
    "date_month": "VARCHAR",
    "count": "BIGINT",
    "percent": "DOUBLE",
    "number": "DOUBLE",
    "indicator_value": "DOUBLE",
    "department": "VARCHAR",
    "route": "VARCHAR",
    "goal": "VARCHAR",
    "fleet_category": "VARCHAR",
    "choice": "VARCHAR",
    "yesno": "BOOLEAN",
    "item_no": "INTEGER",
    "text": "VARCHAR",
}

KIND_LABELS = {
    "indicator_no": "指标编号（{indicator_range}）",
    "task_no": "任务编号（{task_range}）",
    "month": "月份",
    "date_month": "日期或月份",
    "count": "非负整数",
    "percent": "百分数",
    "number": "数值",
    "indicator_value": "百分数或整数（按指标）",
    "department": "部门名称",
    "route": "线路名称",
    "goal": "目标名称",
    "fleet_category": "船舶类别",
    "choice": "选项",
    "yesno": "是/否",
    "item_no": "督办事项编号",
    "text": "文本",
}

# Month bounds of a column, resolved against the plan (for_plan): the December
# before the plan (a baseline for the first year), its first and its last month.
BASELINE = "baseline"
START = "start"
END = "end"
REGISTER_FIRST = Month(2000, 1)  # a register lists entries opened long before the plan

# Rows after the data that start with these are notes, not data (workbook-spec).
NOTE_PREFIXES = ("注", "说明", "填报说明", "填表人", "审核人")

# How many rows above the header may hold titles, merged cells or notes.
MAX_TITLE_ROWS = 10

YES = ("是", "Y", "y", "yes", "Yes", "YES", "√", "✓", "1", "TRUE", "true", "True")
NO = ("否", "N", "n", "no", "No", "NO", "×", "✗", "0", "FALSE", "false", "False")


@dataclass(frozen=True)
class Choice:
    """An allowed value and the synonyms read as it."""

    value: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    first: Month | str | None = None  # a Month, or BASELINE/START/END until rendered for a plan
    last: Month | str | None = None
    minimum: float | None = None
    maximum: float | None = None
    units: tuple[str, ...] = ()
    required_when: str = ""
    example: str = ""
    width: int = 14
    stored: bool = True  # False: read from the upload but not kept in the version (删除)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def headers(self) -> tuple[str, ...]:
        """The header and its aliases, as written."""
        return (self.header, *self.aliases)

    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def resolve_choice(self, text: str) -> str | None:
        """The listed value for a choice or synonym typed in a cell."""
        key = fold(text)
        for choice in self.choices:
            if key in (fold(choice.value), *(fold(s) for s in choice.synonyms)):
                return choice.value
        return None


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str
    required: bool
    help: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())  # (key, sql type) added on storing
    # Columns the template fills in to save typing. A row holding nothing else is
    # a template row the official did not fill: skipped with one warning, not an error.
    prefilled: tuple[str, ...] = ()
    stored: bool = True  # False: read and checked, never a table of the store (督办反馈)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def table(self) -> str:
        """The stored table's name: p_<key> (p for progress)."""
        return f"p_{self.key}"

    def stored_columns(self) -> tuple[tuple[str, str], ...]:
        """(name, SQL type) of the typed table: the columns, extras, the provenance (yzlogi.merge),
        then the row number in the file that supplied it; none for a sheet that is not stored."""
        if not self.stored:
            return ()
        return self._values() + PROVENANCE + (("row", "INTEGER"),)

    def read_columns(self) -> tuple[tuple[str, str], ...]:
        """(name, SQL type) of the table the reader hands over: the columns kept and extras, the row
        number, then whether the row is marked 删除 (read, not stored). No provenance: the merge gives it."""
        return self._values() + (("row", "INTEGER"), (WITHDRAW, "BOOLEAN"))

    def _values(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.key, c.sql_type) for c in self.columns if c.stored) + self.extra

    @property
    def key_columns(self) -> tuple[Column, ...]:
        """The columns of the sheet's unique key (a row is merged and withdrawn by them)."""
        return tuple(self.column(k) for k in self.unique)

    def match_header(self, text: str) -> Column | None:
        """The column a header cell names, ignoring spaces, line breaks and a unit in brackets."""
        key = header_key(text)
        if not key:
            return None
        for column in self.columns:
            if key in (header_key(h) for h in column.headers):
                return column
        return None


def header_key(text: str) -> str:
    """A header cell reduced for matching: folded, trailing （unit）/(unit) removed."""
    key = fold(text)
    while key.endswith(")") and "(" in key:
        key = key[: key.rindex("(")]
    return key


TASK_STATUS = (
    Choice("未启动"),
    Choice("序时推进", ("正常推进", "推进中")),
    Choice("滞后", ("滞后于序时进度",)),
    Choice("已完成", ("完成", "已办结")),
)
SHIP_STATUS = (
    Choice("计划", ("未开工", "计划中")),
    Choice("在建", ("建造中", "改造中")),
    Choice("已完成", ("已交付", "已投运", "完工")),
)

_NOTE = Column("备注", "note", "text", False, "说明、口径或数据来源", ("说明",), width=24)

# Every upload adds to the record (yzlogi.merge); a row marked 删除 withdraws the row of the
# record with the same key instead. Only the key columns need filling in such a row.
WITHDRAW = "withdraw"
PROVENANCE = (("first_version", "INTEGER"), ("from_version", "INTEGER"))
_WITHDRAW = Column("删除", WITHDRAW, "yesno", False,
                   "填“是”表示删除以前报送的同一行（按本表标明的唯一列找到），该行其余列可不填；正常报送请留空",
                   ("撤回", "删除本行", "是否删除"), example="", width=8, stored=False)

INDICATORS = Sheet(
    name="指标进展",
    key="indicators",
    required=True,
    help="{indicator_list}主要指标的完成值，每个指标每月一行。完成值为统计期末的值：{value_periods}。{computed_sentence}",
    columns=(
        Column("指标编号", "indicator_no", "indicator_no", True, "{indicator_list}的序号，{indicator_range}{computed_note}",
               ("指标序号", "序号", "编号"), example="{example_indicator_no}", width=10),
        Column("指标名称", "indicator_name", "text", False, "可不填；填写时应与{indicator_list}一致",
               ("主要指标", "指标"), example="{example_indicator_name}", width=26),
        Column("统计期", "month", "month", True, "数据所属月份，{baseline} 至 {end}（{baseline} 为基数）",
               ("统计月份", "月份", "统计时间", "报告期"), first=BASELINE, last=END,
               example="{example_month}", width=12),
        Column("完成值", "value", "indicator_value", True, "{value_rule}",
               ("实际值", "完成情况", "数值", "实际完成"), minimum=None, example="{example_indicator_value}", width=12),
        Column("填报单位", "department", "department", False, "可不填；填写时应为计划中的部门",
               ("填报部门", "报送单位"), example="{example_department}", width=16),
        _NOTE,
        _WITHDRAW,
    ),
    unique=("indicator_no", "month"),
    prefilled=("indicator_no", "indicator_name", "month", "department"),
)

ROUTES = Sheet(
    name="通道班次",
    key="routes",
    required=True,
    help="{routes}每月开行班次（当月数，不是累计）。其他线路名称视为新增线路，单独列示。",
    columns=(
        Column("线路", "route", "route", True, "{routes}；其他名称作为新增线路",
               ("线路名称", "班列班车", "通道线路"), example="{example_route}", width=16),
        Column("月份", "month", "month", True, "开行月份，{start} 至 {end}",
               ("统计期", "统计月份", "开行月份"), first=START, last=END, example="{example_month}", width=12),
        Column("开行班次", "runs", "count", True, "当月开行班次，非负整数（不是累计数）",
               ("班次", "开行数", "开行数量", "当月开行班次"), minimum=0, units=("班次", "班", "列", "次"),
               example="262", width=12),
        _NOTE,
        _WITHDRAW,
    ),
    unique=("route", "month"),
    extra=(("is_new", "BOOLEAN"),),
    prefilled=("route", "month"),
)

SHIPS = Sheet(
    name="船舶更新",
    key="ships",
    required=True,
    help="船舶更新与新增，每艘船一行。状态为已完成时须填完成日期；船舶在完成日期所在月起计为完成。",
    columns=(
        Column("船名", "ship_name", "text", True, "船舶名称，表内不得重复", ("船舶名称", "船舶"), example="示例轮01", width=18),
        Column("类别", "category", "fleet_category", True, "{fleet}",
               ("更新类别", "船舶类别", "类型"), example="{example_fleet}", width=28),
        Column("状态", "status", "choice", True, "计划、在建、已完成",
               ("进展状态", "船舶状态"), choices=SHIP_STATUS, example="在建", width=10),
        Column("完成日期", "completed", "date_month", False, "已完成的船舶必填：交付或投运的日期或月份，{start} 至 {end}",
               ("交付日期", "完工日期", "投运日期", "完成时间"), first=START, last=END,
               required_when="状态为已完成", example="{example_month}", width=12),
        Column("所属企业", "company", "text", False, "船东或运营企业", ("企业", "船东", "所属公司", "运营企业"),
               example="重庆某航运有限公司", width=22),
        _NOTE,
        _WITHDRAW,
    ),
    unique=("ship_name",),
)

TASKS = Sheet(
    name="任务进展",
    key="tasks",
    required=True,
    help="{task_list}重点任务的推进情况，每个任务、每个牵头或责任单位、每月一行。",
    columns=(
        Column("任务编号", "task_no", "task_no", True, "{task_list}的序号，{task_range}", ("任务序号", "序号", "编号"),
               example="{example_task_no}", width=10),
        Column("填报单位", "department", "department", True, "该任务的牵头单位或责任单位",
               ("填报部门", "报送单位", "责任单位", "单位"), example="{example_department}", width=16),
        Column("统计期", "month", "month", True, "报告月份，{start} 至 {end}",
               ("统计月份", "月份", "报告期"), first=START, last=END, example="{example_month}", width=12),
        Column("状态", "status", "choice", True, "未启动、序时推进、滞后、已完成",
               ("推进状态", "进展状态", "完成状态"), choices=TASK_STATUS, example="序时推进", width=12),
        Column("完成进度", "progress", "percent", False, "完成百分比，0—100", ("进度", "完成比例", "完成率"),
               minimum=0, maximum=100, example="60%", width=10),
        Column("进展情况", "progress_text", "text", False, "本期推进情况", ("推进情况", "工作进展", "进展"), width=40),
        Column("存在问题", "problems", "text", False, "存在的问题和困难", ("问题", "困难和问题", "存在困难"), width=30),
        Column("下步计划", "next_steps", "text", False, "下一步工作计划",
               ("下一步计划", "下步工作", "下步打算", "下一步工作"), width=30),
        _WITHDRAW,
    ),
    unique=("task_no", "department", "month"),
    prefilled=("task_no", "department", "month"),
)

GOALS = Sheet(
    name="其他目标",
    key="goals",
    required=False,
    help="正文中的其他量化目标（{goals}），按目标名称和月份填写累计完成值。",
    columns=(
        Column("目标名称", "goal", "goal", True, "计划中的其他目标名称或其简称", ("目标", "指标名称", "名称"),
               example="{example_goal}", width=28),
        Column("统计期", "month", "month", True, "数据所属月份，{baseline} 至 {end}",
               ("统计月份", "月份", "报告期"), first=BASELINE, last=END, example="{example_month}", width=12),
        Column("完成值", "value", "number", True, "按目标的单位（{goal_units}）填写；排名填名次，里程碑实现填1",
               ("实际值", "数值", "完成情况"), units=("亿元", "万元", "万吨", "吨", "家", "个", "条", "项", "%", "名"),
               example="{example_goal_value}", width=12),
        _NOTE,
        _WITHDRAW,
    ),
    unique=("goal", "month"),
    prefilled=("goal", "month"),
)

WAREHOUSES = Sheet(
    name="海外分拨仓",
    key="warehouses",
    required=False,
    help="可调度使用的海外分拨仓名册，每个仓一行；按启用日期统计各月个数，与{register_indicator}对照。",
    columns=(
        Column("名称", "name", "text", True, "分拨仓名称", ("分拨仓名称", "仓库名称"), example="曼谷分拨中心", width=24),
        Column("国家", "country", "text", False, "所在国家", ("所在国家", "国家或地区"), example="泰国", width=12),
        Column("城市", "city", "text", False, "所在城市", ("所在城市",), example="曼谷", width=12),
        Column("运营企业", "operator", "text", False, "运营企业", ("企业", "运营单位"), example="重庆某物流有限公司", width=22),
        Column("启用日期", "opened", "date_month", True, "启用的日期或月份", ("启用时间", "启用月份", "投用日期"),
               first=REGISTER_FIRST, last=END, example="{example_month}", width=12),
        _WITHDRAW,
    ),
    unique=("name",),
)

FORWARDERS = Sheet(
    name="货代备案企业",
    key="forwarders",
    required=False,
    help="国际货代备案企业名册，每家企业一行；按备案日期统计各月家数，与{register_indicator}对照。",
    columns=(
        Column("企业名称", "name", "text", True, "企业全称", ("名称", "企业"), example="重庆某国际货运代理有限公司", width=30),
        Column("备案日期", "registered", "date_month", True, "备案的日期或月份", ("备案时间", "备案月份"),
               first=REGISTER_FIRST, last=END, example="{example_month}", width=12),
        Column("是否全球知名", "global_famous", "yesno", False, "是或否（全球知名国际货代物流企业）",
               ("全球知名", "是否知名"), example="否", width=12),
        _WITHDRAW,
    ),
    unique=("name",),
)

# A unit's answers to its follow-up items (yzlogi.followups): not progress data, never merged or
# stored as rows; each becomes an `answered` event of its item when the upload is committed.
_PREFILLED = "报送表预填，仅供参考，可不填；导入时不读取"
FEEDBACK = Sheet(
    name="督办反馈",
    key="feedback",
    required=False,
    help="本单位对督办事项的办理反馈，每个事项一行：反馈记入该事项的办理记录，不改变进度数据。申请办结由{office}审核后销号。",
    columns=(
        Column("事项编号", "item_no", "item_no", True, "督办事项的编号（见督办事项页、督办通知单）；须为尚未办结的事项",
               ("督办事项编号", "督办编号", "事项号", "编号"), example="3", width=10),
        Column("督办事项", "subject", "text", False, _PREFILLED, ("事项", "所涉事项", "事项名称"), width=28, stored=False),
        Column("督办要求", "requirement", "text", False, _PREFILLED, ("要求", "交办要求", "办理要求"), width=30,
               stored=False),
        Column("截止日期", "due", "text", False, _PREFILLED, ("办理期限", "期限", "截止时间"), width=12, stored=False),
        Column("办理情况", "answer", "text", True, "办理进展或结果，2000字以内",
               ("反馈情况", "办理结果", "办理进展", "落实情况", "反馈内容"), example="已制定追赶方案，7月起每周加开1班", width=40),
        Column("申请办结", "request_close", "yesno", False, "已办完、申请销号的填“是”；由{office}审核后销号，填“是”不会直接办结",
               ("是否申请办结", "申请销号", "是否办结", "办结申请"), example="否", width=10),
        Column("填报单位", "department", "department", False, "可不填；填写时应为该督办事项的办理单位",
               ("填报部门", "报送单位", "反馈单位", "办理单位"), example="{example_department}", width=16),
    ),
    unique=("item_no",),
    prefilled=("item_no", "subject", "requirement", "due", "department"),
    stored=False,
)

WORKBOOK: tuple[Sheet, ...] = (INDICATORS, ROUTES, SHIPS, TASKS, GOALS, WAREHOUSES, FORWARDERS)
ALL_SHEETS: tuple[Sheet, ...] = (*WORKBOOK, FEEDBACK)  # what an upload may hold
SHEETS = {sheet.key: sheet for sheet in WORKBOOK}


# --- one plan's workbook ------------------------------------------------------------


def sheet_keys(plan: Plan) -> tuple[str, ...]:
    """The sheets a plan's workbook has: indicators, tasks and 督办反馈 always, routes, ships,
    goals and each register only when the plan has them."""
    used = {"indicators", "tasks", FEEDBACK.key}
    if plan.routes:
        used.add("routes")
    if plan.fleet:
        used.add("ships")
    if plan.goals:
        used.add("goals")
    used.update(plan.registers)
    return tuple(sheet.key for sheet in ALL_SHEETS if sheet.key in used)


_RENDERED: dict[str, tuple[Sheet, ...]] = {}


def for_plan(plan: Plan) -> tuple[Sheet, ...]:
    """The sheets of this plan's workbook, help texts and month bounds filled in from the plan."""
    found = _RENDERED.get(plan.digest)
    if found is None:
        if len(_RENDERED) > 32:  # many plans (tests): start afresh rather than grow
            _RENDERED.clear()
        words = placeholders(plan)
        found = _RENDERED[plan.digest] = tuple(
            _render_sheet(sheet, plan, words) for sheet in ALL_SHEETS if sheet.key in sheet_keys(plan)
        )
    return found


def sheet_for(plan: Plan, key: str) -> Sheet:
    """One sheet of the plan's workbook by key (KeyError when the plan has no such sheet)."""
    for sheet in for_plan(plan):
        if sheet.key == key:
            return sheet
    raise KeyError(key)


def sheet_by_name(name: str, plan: Plan) -> Sheet | None:
    """The plan's sheet for a sheet name in a workbook, ignoring surrounding spaces."""
    key = fold(name)
    for sheet in for_plan(plan):
        if fold(sheet.name) == key:
            return sheet
    return None


def known_sheet_name(name: str) -> bool:
    """Whether a workbook sheet's name is one of any plan's sheets (what the reading process keeps)."""
    key = fold(name)
    return any(fold(sheet.name) == key for sheet in ALL_SHEETS)


def kind_label(column: Column, plan: Plan) -> str:
    return KIND_LABELS[column.kind].format_map(placeholders(plan))


def month_bounds(column: Column, plan: Plan) -> tuple[Month | None, Month | None]:
    """A column's first and last accepted month for this plan (BASELINE/START/END resolved)."""
    bounds = {BASELINE: plan.baseline, START: plan.start, END: plan.deadline}
    return bounds.get(column.first, column.first), bounds.get(column.last, column.last)


def _render_sheet(sheet: Sheet, plan: Plan, words: dict[str, str]) -> Sheet:
    sheet_words = dict(words)
    indicator = plan.register_indicator(sheet.key)
    sheet_words["register_indicator"] = f"指标{indicator.no}" if indicator else ""
    columns = tuple(
        replace(
            column,
            help=column.help.format_map(sheet_words),
            example=column.example.format_map(sheet_words),
            first=month_bounds(column, plan)[0],
            last=month_bounds(column, plan)[1],
        )
        for column in sheet.columns
    )
    return replace(sheet, help=sheet.help.format_map(sheet_words), columns=columns)


def _numbers(items) -> str:
    return "、".join(str(i.no) for i in items)


def value_periods(plan: Plan) -> str:
    """What 完成值 means for each kind of the plan's reported indicators (统计期末的值)."""
    reported = plan.reported_indicators
    parts = []
    rates = [i for i in reported if i.is_percent]
    flows = [i for i in reported if i.kind == "annual_flow" and not i.is_percent]
    levels = [i for i in reported if i.kind == "level" and not i.is_percent]
    if rates:
        parts.append(f"指标{_numbers(rates)}为年初至该月的累计增速或比重")
    if flows:
        parts.append(f"指标{_numbers(flows)}为年初至该月的累计新增数")
    if levels:
        parts.append(f"指标{_numbers(levels)}为该月末的存量")
    return "；".join(parts)


def placeholders(plan: Plan) -> dict[str, str]:
    """The plan's facts that help texts name: years, numbers, names, examples."""
    reported = plan.reported_indicators
    composite = plan.composite
    percent = [i for i in reported if i.is_percent]
    counts = [i for i in reported if not i.is_percent]
    rule = []
    if percent:
        rule.append(f"指标{_numbers(percent)}填百分数（如 10.5 或 10.5%）")
    if counts:
        rule.append(f"指标{_numbers(counts)}填整数（如 26）")
    example_indicator = counts[-1] if counts else reported[-1] if reported else plan.indicators[0]
    example_year = plan.first_year + 1 if plan.last_year > plan.first_year else plan.first_year
    goal_units = []
    for goal in plan.goals:
        if goal.unit not in goal_units and goal.kind not in ("rank", "milestone"):
            goal_units.append(goal.unit)
    target = example_indicator.target(example_year).value
    cumulative = [g for g in plan.goals if g.kind == "cumulative"]
    example_goal = max(cumulative, key=lambda g: g.target) if cumulative else plan.goals[0] if plan.goals else None
    if example_goal is None:
        example_goal_value = ""
    elif plan.counts_whole(example_goal.unit):
        example_goal_value = str(max(1, int(example_goal.target) // 2))
    else:
        example_goal_value = f"{example_goal.target / 2:g}"
    return {
        "baseline": str(plan.baseline),
        "start": str(plan.start),
        "end": str(plan.deadline),
        "indicator_list": plan.indicator_list,
        "task_list": plan.task_list,
        "indicator_range": f"1—{len(plan.indicators)}",
        "task_range": f"1—{len(plan.tasks)}",
        "computed_note": f"（{composite.no}由通道班次计算，填写将被忽略）" if composite else "",
        "computed_sentence": f"指标{composite.no}由“通道班次”计算，无需填写。" if composite else "",
        "value_rule": "；".join(rule),
        "value_periods": value_periods(plan),
        "routes": "、".join(r.name for r in plan.routes),
        "fleet": "、".join(f.category for f in plan.fleet),
        "goals": "、".join(g.name for g in plan.goals[:3]) + ("等" if len(plan.goals) > 3 else ""),
        "goal_units": "、".join(goal_units) or "按目标",
        "register_indicator": "",
        "office": plan.office,
        "example_month": str(Month(example_year, 6)),
        "example_indicator_no": str(example_indicator.no),
        "example_indicator_name": example_indicator.name,
        "example_indicator_value": f"{target:g}" if target is not None else "",
        "example_department": plan.tasks[0].lead[0] if plan.tasks else plan.departments[0].name,
        "example_task_no": str(plan.tasks[(len(plan.tasks) - 1) // 2].no) if plan.tasks else "",
        "example_route": plan.routes[0].name if plan.routes else "",
        "example_fleet": plan.fleet[0].category if plan.fleet else "",
        "example_goal": example_goal.name if example_goal else "",
        "example_goal_value": example_goal_value,
    }
