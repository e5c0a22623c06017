"""The workbook's data dictionary: one row per column of the plan's sheets, in Chinese.

Shown on 数据管理, in the template's 填报说明 sheet and in docs/workbook.md (a test keeps
that file in step); all of it comes from yzlogi.schema rendered for the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yzlogi.schema import for_plan, kind_label

if TYPE_CHECKING:
    from yzlogi.plan import Plan


def dictionary_rows(plan: Plan) -> list[dict[str, str]]:
    """The data dictionary of the plan's workbook: one row per sheet column, in Chinese (app and docs)."""
    rows = []
    for sheet in for_plan(plan):
        for column in sheet.columns:
            if column.required:
                required = "必填"
            elif column.required_when:
                required = f"{column.required_when}时必填"
            else:
                required = "选填"
            allowed = column.help
            if column.choices:
                allowed = "；".join(
                    c.value + (f"（也可写 {'、'.join(c.synonyms)}）" if c.synonyms else "") for c in column.choices
                )
            rows.append(
                {
                    "工作表": sheet.name + ("" if sheet.required else "（可选）"),
                    "列名": column.header,
                    "也可写作": "、".join(column.aliases),
                    "类型": kind_label(column, plan),
                    "是否必填": required,
                    "填写要求": allowed,
                    "示例": column.example,
                }
            )
    return rows


def dictionary_markdown(plan: Plan) -> str:
    """docs/workbook.md: the data dictionary of the plan's workbook as Markdown (a test keeps the file in step)."""
    lines = [
        "# 进度填报工作簿 数据字典",
        "",
        f"本文件由 `python -m yzlogi dictionary` 根据 `yzlogi/schema.py` 和计划数据文件（{plan.short_title}，"
        f"{plan.period}）生成，请勿手工修改。",
        "",
        "## 每月报送：合并、删除与全部替换",
        "",
        "- 上传的工作簿**合并**到已有数据：每个工作表按其唯一列（见各表“只能有一行”一句）找行，已有的行更新为新填的内容，"
        "新的行加入，工作簿中没有的行原样保留。因此各单位每月只需报送本月的行（或只含本单位的行），以前各月的数据不会丢失。",
        "- **删除**以前报送的某一行：在任一工作表另起一行，填好唯一列，并在「删除」列填“是”，其余列可不填。"
        "要删除的行不在已有数据中时，上传报告会列出并忽略它。",
        "- **全部替换**只在有意时使用：数据管理页的“全部替换”选项或命令行 `import --replace`。"
        "替换后只保留本次上传的数据；任一工作表将删除超过五分之一的行时，须输入“全部替换”确认。",
        "- 示例数据不与真实数据合并：第一次上传真实数据时，示例数据整体被替换。",
        "- 可下载三种表：空白模板；含当前全部数据并预留下月空行的填报表；某单位的月度报送表"
        "（只含该单位应报的行，按其最近一次报送预填，只需改动有变化的单元格）。",
        "- **督办反馈**（可选）：各单位对督办事项的办理反馈，每个事项一行。反馈不是进度数据，不参与合并：导入时记入该督办事项的"
        "办理记录（注明随哪个版本报送）。事项编号须为已有且尚未办结的督办事项，否则整个上传不导入；“申请办结”填“是”"
        "不会直接办结，由督办协调人审核后销号。只有督办反馈的上传也生成一个新版本（进度数据不变）；与该事项最近一次反馈"
        "完全相同的反馈不重复记录。单位报送表已列出本单位尚未办结的督办事项，只需填写办理情况。",
        "",
    ]
    rows = dictionary_rows(plan)
    for sheet in for_plan(plan):
        lines += [f"## {sheet.name}（{'必需' if sheet.required else '可选'}）", "", sheet.help, ""]
        if sheet.unique:
            names = "、".join(f"「{sheet.column(k).header}」" for k in sheet.unique)
            lines += [f"同一{names}只能有一行。", ""]
        lines += ["| 列名 | 也可写作 | 类型 | 是否必填 | 填写要求 | 示例 |", "| --- | --- | --- | --- | --- | --- |"]
        for row in rows:
            if row["工作表"].startswith(sheet.name):
                cells = [row["列名"], row["也可写作"], row["类型"], row["是否必填"], row["填写要求"], row["示例"]]
                lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
