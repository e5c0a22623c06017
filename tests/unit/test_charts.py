"""Chart specs: whole month labels at even steps, integer axes for things counted whole."""

import pandas as pd

from yzlogi import charts


def months(first: str, count: int) -> pd.Series:
    return pd.Series(pd.period_range(first, periods=count, freq="M").astype(str))


def test_month_axis_keeps_every_label_whole_and_steps_evenly():
    axis = charts.month_axis(months("2025-01", 22)).to_dict()
    assert axis["axis"]["labelLimit"] == 0 and axis["axis"]["labelFlush"] is False
    assert axis["axis"]["tickCount"] == {"interval": "month", "step": 2}
    assert axis["axis"]["format"] == "%Y年%-m月"
    assert charts.month_axis(months("2026-01", 10)).to_dict()["axis"]["tickCount"]["step"] == 1
    assert charts.month_axis(months("2025-01", 36)).to_dict()["axis"]["tickCount"]["step"] == 3
    assert charts.month_axis(months("2025-01", 48)).to_dict()["axis"]["tickCount"]["step"] == 6


def test_runs_and_ships_are_counted_in_whole_numbers():
    frame = pd.DataFrame({"month": ["2026-01", "2026-02"], "actual": [3.0, 5.0], "expected": [2.0, 4.0],
                          "target": [12.0, 12.0]})
    spec = charts.pace_chart(frame, "累计", "班次").to_dict()
    y_axes = [layer["encoding"]["y"]["axis"] for layer in spec["layer"] if "y" in layer.get("encoding", {})]
    assert y_axes and all(a == {"title": "班次", "format": "d", "tickMinStep": 1} for a in y_axes)
    assert spec["height"] == 380
    bars = charts.monthly_bars(pd.DataFrame({"month": ["2026-01"], "value": [250.0]}), None, "班次").to_dict()
    assert bars["encoding"]["y"]["axis"]["format"] == "d"


def test_the_fleet_chart_counts_whole_ships():
    frame = pd.DataFrame([{"category": "甲醇动力船舶更新", "done": 2, "in_progress": 1, "planned": 1,
                           "target": 4, "expected": 2.4}])
    spec = charts.fleet_chart(frame, "各类别进展").to_dict()
    bars = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "bar")
    assert bars["encoding"]["x"]["axis"] == {"title": "艘", "format": "d", "tickMinStep": 1}
