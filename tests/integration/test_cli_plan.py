"""python -m yzlogi plan --json, run as a real process."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "yzlogi", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", **kwargs)


def test_plan_json_has_the_documented_shape():
    result = run_cli("plan", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"indicators", "tasks", "departments", "routes", "fleet", "goals"}
    first = data["indicators"][0]
    assert set(first) >= {"no", "name", "unit", "kind", "targets", "lead", "responsible"}
    assert first["targets"]["2025"] == {"text": "维持在10%左右", "kind": "band", "value": 10.0, "unit": "%"}
    assert data["indicators"][6]["targets"]["2027"]["value"] == 30.0
    assert data["indicators"][5]["targets"]["2026"]["parts"] == {"东盟班车": 3000, "渝甬班列": 300, "渝穗班列": 100}
    assert [t["no"] for t in data["tasks"]] == list(range(1, 17))
    assert data["tasks"][14]["lead"] == ["区交通运输委"]
    assert data["tasks"][14]["responsible"] == ["区科技局", "区大数据发展局"]
    assert {r["name"]: r["annual_target"] for r in data["routes"]} == {"东盟班车": 3000, "渝甬班列": 300, "渝穗班列": 100}
    assert {f["category"]: f["target"] for f in data["fleet"]} == {
        "LNG动力船舶更新": 4, "甲醇动力船舶更新": 4, "滚装船LNG-柴油混合动力改造": 2, "新增海运船舶": 4}
    assert "区发改委" in next(d["aliases"] for d in data["departments"] if d["name"] == "区发展改革委")


def test_plan_without_json_prints_a_chinese_summary():
    result = run_cli("plan")
    assert result.returncode == 0
    assert "主要指标 8 项，重点任务 16 项，部门 11 个" in result.stdout


def test_an_unknown_command_is_refused_in_chinese_without_traceback():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "命令行参数有误" in result.stderr
    assert "Traceback" not in result.stderr
