"""Issue 12: a version committed under another plan is shown under its own plan, and every
data page says plainly that the plan file has changed since, and how."""

from plan_files import edited_plan

from yzlogi.store import Store


def test_pages_keep_the_old_lights_and_state_the_plan_change(app, tmp_path, monkeypatch):
    Store(tmp_path / "var").ensure_ready()  # version 1, the sample, committed under the district's plan
    monkeypatch.setenv("YZLOGI_PLAN", str(edited_plan(tmp_path)))
    at = app("pages/overview.py")
    assert not at.exception
    # The markdown source escapes . and % (the change lines come from the plan file): read it as shown.
    (notice,) = [w.value.replace("\\", "") for w in at.warning if "计划数据文件已修改" in w.value]
    assert notice.startswith("此版本导入后，计划数据文件已修改：本页灯号仍按该版本导入时的计划（渝中区现代物流业高质量发展三年行动计划（2025—2027年））计算，未按新计划重新评判。")
    assert notice.endswith("计划的变化：灯号阈值 yellow_ratio：0.9 → 0.8；指标5 西部陆海新通道运量增速：2026年目标 “10%以上” → “7%以上”")
    assert {m.label: m.value for m in at.metric} == {"■ 红灯": "8", "▲ 黄灯": "7", "○ 灰灯": "1", "● 绿灯": "27"}
    for page in ("indicators", "routes", "tasks"):
        at = app(f"pages/{page}.py")
        assert any("计划数据文件已修改" in w.value for w in at.warning), page
