"""Issue 14 in AppTest: 报送情况 on 数据管理 and 部门详情 (the same figures as `returns --json`),
the forms offered, and the upload's two modes (merge by default; replace with a typed
confirmation when much would go), against a real store in a fresh data folder."""

from __future__ import annotations

import json

import pytest

from builders import good_sheets, write_xlsx
from page_helpers import download, frame_with
from ui.render import escape_md
from yzlogi import cli
from yzlogi.access import hash_passcode
from yzlogi.months import Month
from yzlogi.returns import STATE_LABELS
from yzlogi.store import Store

PASSCODE = "渝中物流-2026"
OCTOBER = Month(2026, 10)


@pytest.fixture
def data_dir(app, tmp_path):
    return tmp_path / "var"


@pytest.fixture
def page(app, monkeypatch, fake_time):
    monkeypatch.setenv("YZLOGI_PASSCODE_HASH", hash_passcode(PASSCODE, n=2**10, r=8, p=1))

    def open_page(name: str = "data", query: dict | None = None):
        fake_time()
        at = app(f"pages/{name}.py", query=query)
        assert not at.exception
        return at

    return open_page


def returns_json(monkeypatch, capsys, data_dir, *args) -> dict:
    monkeypatch.setenv("YZLOGI_DATA_DIR", str(data_dir))
    assert cli.main(["returns", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def pick_month(at, key: str, month: Month):
    at.selectbox(key=key).set_value(month).run()
    assert not at.exception
    return at


def test_the_data_pages_returns_are_the_command_lines(page, data_dir, monkeypatch, capsys):
    at = pick_month(page(), "data_returns_month", OCTOBER)
    shown = frame_with(at, "单位", "状态", "应报", "已报")
    expected = returns_json(monkeypatch, capsys, data_dir, "--month", "2026-10")
    assert shown[["单位", "状态", "应报", "已报"]].values.tolist() == [
        [u["unit"], STATE_LABELS[u["state"]], u["owed"], u["sent"]] for u in expected["units"]]
    # On the sample: everyone sent October's rows (the sample's count as on time) but two units.
    assert [(row["单位"], row["状态"], row["未报事项"]) for _, row in shown.iterrows() if row["状态"] != "按时报送"] == [
        ("区发展改革委", "部分报送", "任务4 促进本地企业发展"), ("区司法局", "尚未报送", "任务12 丰富通道服务类别")]
    assert f"2026年10月进展应于 11月5日前报送（统计日期 {expected['today']}）：" \
           "按时报送 8 个单位，逾期报送 0 个单位，部分报送 1 个单位，尚未报送 1 个单位" in [c.value for c in at.caption]
    assert at.code[0].value == f"截至{int(expected['today'][5:7])}月{int(expected['today'][8:])}日，" \
                               "以下单位尚未报送2026年10月进展：区发展改革委（任务4）；区司法局（任务12）。" \
                               "报送截止日期（11月5日）已过，请尽快报送。"
    assert not download(at, "下载催报清单（xlsx）").proto.disabled


def test_the_forms_are_offered_to_everyone(page):
    at = page()
    assert download(at, "下载空白填报模板").proto.label == "下载空白填报模板（进度填报模板.xlsx）"
    record = download(at, "下载含当前全部数据的填报表")
    # The sample's last month is 2026-10: the form holds November's empty rows. Made on click, not on every run.
    assert record.proto.label == "下载含当前全部数据的填报表（预留2026年11月空行）" and record.proto.deferred_file_id
    at.selectbox(key="data_form_unit").set_value("区商务委").run()
    assert download(at, "下载区商务委").proto.deferred_file_id


def test_a_department_sees_its_own_return_and_takes_its_form(page):
    at = pick_month(page("department", {"dept": "司法局"}), "department_returns_month", OCTOBER)
    assert "2026年10月应报 1 项，尚未报送（截止 11月5日，已逾期）→ 红灯" in [c.value for c in at.caption]
    assert "未报送：任务12 丰富通道服务类别" in [m.value for m in at.markdown]
    form = download(at, "下载本单位2026年10月报送表")
    assert form.proto.label == "下载本单位2026年10月报送表（已按上次报送预填）" and form.proto.deferred_file_id


# --- the upload's two modes --------------------------------------------------------------------------------------------


def unlock(at):
    at.text_input(key="data_passcode").input(PASSCODE)
    at.button(key="data_unlock").click().run()
    assert at.file_uploader
    return at


def upload(at, tmp_path, name: str, sheets):
    data = write_xlsx(tmp_path / name, sheets).read_bytes()
    at.file_uploader[0].set_value([(name, data, "application/octet-stream")]).run()
    assert not at.exception
    return at


def confirm(at, typed: str | None = None):
    at.text_input(key="data_by").input("张三")
    if typed is not None:
        at.text_input(key="data_replace_confirm").input(typed)
    at.button(key="data_commit").click().run()
    assert not at.exception
    return at


def july_only():
    """One month of 东盟班车 and nothing else: what a hurried official sends."""
    return {"通道班次": (["线路", "月份", "开行班次", "备注"], [["东盟班车", "2026-07", 270, ""]])}


def test_an_upload_merges_by_default_and_keeps_what_it_does_not_mention(page, data_dir, tmp_path):
    store = Store(data_dir)
    at = confirm(upload(unlock(page()), tmp_path, "5月.xlsx", good_sheets()))
    assert "已替换示例数据，导入为版本 2，并已设为当前版本。各页面均显示新数据。" in [s.value for s in at.success]
    at = upload(at, tmp_path, "7月.xlsx", july_only())
    merged = next(m.value for m in at.markdown if m.value.startswith("- 指标进展"))
    assert merged.split("\n") == [f"- {escape_md(line)}" for line in (
        "指标进展：新增 0 行，修改 0 行，保留 5 行", "通道班次：新增 1 行，修改 0 行，保留 4 行",
        "船舶更新：新增 0 行，修改 0 行，保留 2 行", "任务进展：新增 0 行，修改 0 行，保留 3 行",
        "本次上传涉及单位：区交通运输委", "本次上传涉及月份：2026-07")]
    at = confirm(at)
    assert "已合并到已有数据，导入为版本 3，并已设为当前版本。各页面均显示新数据。" in [s.value for s in at.success]
    assert store.version(3).rows == {"indicators": 5, "routes": 5, "ships": 2, "tasks": 3}


def test_replacing_everything_shows_what_goes_and_wants_the_words_typed(page, data_dir, tmp_path):
    store = Store(data_dir)
    at = confirm(upload(unlock(page()), tmp_path, "5月.xlsx", good_sheets()))
    at.radio(key="data_mode").set_value("replace").run()
    sheets = good_sheets()
    sheets["通道班次"] = july_only()["通道班次"]
    at = upload(at, tmp_path, "全部.xlsx", sheets)
    removals = frame_with(at, "当前行数", "将删除")
    assert removals.values.tolist() == [
        ["指标进展", 5, 5, 0, "0%"], ["通道班次", 4, 1, 4, "100%"], ["船舶更新", 2, 2, 0, "0%"],
        ["任务进展", 3, 3, 0, "0%"]]
    assert [w.value for w in at.warning][-1] == (
        "有工作表将删除超过 20% 的已有数据。如确需全部替换，请在下方输入“全部替换”后再确认导入；只报送本月数据时，请改选“合并”。")
    at = confirm(at, typed="替换")
    assert [e.value for e in at.error] == ["全部替换将删除大量已有数据：请在确认框中输入“全部替换”后再确认导入。当前数据未改变。"]
    assert len(store.versions()) == 2
    at = confirm(at, typed="全部替换")
    assert "已替换全部数据，导入为版本 3，并已设为当前版本。各页面均显示新数据。" in [s.value for s in at.success]
    assert (store.version(3).mode, store.version(3).rows["routes"]) == ("replace", 1)
