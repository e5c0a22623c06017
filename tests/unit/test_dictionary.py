"""docs/workbook.md is the schema's data dictionary: it fails when the schema changes
and the file is not regenerated (python -m yzlogi dictionary --write)."""

import subprocess
import sys
from pathlib import Path

from yzlogi.plan import load_plan
from yzlogi.dictionary import dictionary_markdown

PLAN = load_plan()

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "workbook.md"


def test_docs_workbook_md_is_the_schemas_dictionary():
    assert DOC.read_text(encoding="utf-8") == dictionary_markdown(PLAN), (
        "docs/workbook.md 与 schema 不一致：请运行 python -m yzlogi dictionary --write"
    )


def test_the_dictionary_has_a_section_per_sheet_and_a_row_per_column():
    text = dictionary_markdown(PLAN)
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == [
        "## 每月报送：合并、删除与全部替换",
        "## 指标进展（必需）", "## 通道班次（必需）", "## 船舶更新（必需）", "## 任务进展（必需）",
        "## 其他目标（可选）", "## 海外分拨仓（可选）", "## 货代备案企业（可选）", "## 督办反馈（可选）",
    ]
    assert "| 状态 | 推进状态、进展状态、完成状态 | 选项 | 必填 | 未启动；序时推进（也可写 正常推进、推进中）；滞后（也可写 滞后于序时进度）；已完成（也可写 完成、已办结） | 序时推进 |" in text
    assert "| 申请办结 | 是否申请办结、申请销号、是否办结、办结申请 | 是/否 | 选填 | 已办完、申请销号的填“是”；由区交通运输委审核后销号，填“是”不会直接办结 | 否 |" in text
    assert "| 事项编号 | 督办事项编号、督办编号、事项号、编号 | 督办事项编号 | 必填 | 督办事项的编号（见督办事项页、督办通知单）；须为尚未办结的事项 | 3 |" in text


def test_the_cli_prints_the_dictionary_exactly():
    result = subprocess.run([sys.executable, "-m", "yzlogi", "dictionary"], cwd=ROOT, capture_output=True,
                            text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert result.stdout == dictionary_markdown(PLAN)
