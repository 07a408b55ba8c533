"""GONGKAI_TIMINGS=1 makes `gongkai build` print the wall time of its phases; unset, nothing is recorded."""
import time

from gongkai.runtime import timing


def test_phases_are_recorded_only_when_asked(monkeypatch):
    monkeypatch.delenv("GONGKAI_TIMINGS", raising=False)
    with timing.phase("读取"):
        pass
    assert timing.report() == ""

    monkeypatch.setenv("GONGKAI_TIMINGS", "1")
    with timing.phase("读取"):
        time.sleep(0.02)
    with timing.phase("生成"):
        pass
    lines = timing.report().splitlines()
    assert lines[0].startswith("各阶段用时")
    assert lines[1].endswith("读取") and float(lines[1].split()[0]) >= 0.02
    assert lines[2].endswith("生成")
    assert timing.report() == ""  # reported once, then forgotten
