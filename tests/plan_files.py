"""Plan files for the tests: the made-up second plan (tests/plans/second.toml), which the engine
must track from its file alone, and an edited copy of the district's plan."""

from pathlib import Path

from yzlogi.plan import load_plan, plan_path

SECOND_PLAN = Path(__file__).resolve().parent / "plans" / "second.toml"
SAMPLE_COUNTS = {"red": 8, "yellow": 7, "grey": 1, "green": 27}  # the bundled sample at 2026-10 (test_sample)


def second_plan():
    return load_plan(SECOND_PLAN)


def edited_plan(folder: Path) -> Path:
    """The district's plan with a looser yellow band and a lower target for indicator 5 in 2026."""
    text = plan_path().read_text(encoding="utf-8")
    edits = [("yellow_ratio = 0.90", "yellow_ratio = 0.80"),
             ('{ year = 2026, text = "10%以上", value = 10, unit = "%" },\n  { year = 2027, text = "10%以上", value = 10, '
              'unit = "%" },\n]\n\n[[indicators]]\nno = 6',
              '{ year = 2026, text = "7%以上", value = 7, unit = "%" },\n  { year = 2027, text = "10%以上", value = 10, '
              'unit = "%" },\n]\n\n[[indicators]]\nno = 6')]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "plan-edited.toml"
    path.write_text(text, encoding="utf-8")
    return path
