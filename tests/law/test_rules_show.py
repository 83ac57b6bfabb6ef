"""`leniency rules show 盗窃罪` prints the crime's rules with citations in Chinese."""

from __future__ import annotations

import pytest

from leniency.cli import main


def test_show_theft_with_province(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "盗窃罪", "--province", "浙江", "--date", "2024-06-01"]) == 0
    out = capsys.readouterr().out
    assert "法发〔2021〕21号 四(十一)" in out
    assert "在1个月至1年幅度内确定量刑起点" in out
    assert "数额较大起点：3000元" in out and "浙江省标准" in out
    assert "待校准参数" in out


def test_show_outside_crime(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "开设赌场罪"]) == 0
    assert "不属于《关于常见犯罪的量刑指导意见（试行）》" in capsys.readouterr().out


def test_show_unknown_charge(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "偷窃罪"]) == 2
    assert "错误：未知罪名“偷窃罪”" in capsys.readouterr().err


def test_show_a_dated_crime_by_the_day(capsys: pytest.CaptureFixture[str]) -> None:
    # 非法经营罪 follows 法〔2024〕132号 from 2024-07-01 and the statute alone before it
    assert main(["rules", "show", "非法经营罪", "--date", "2025-01-01"]) == 0
    out = capsys.readouterr().out
    assert "法〔2024〕132号 一(一)" in out
    assert "每10万元增加" in out  # amounts in 万元, as the interpretations write them
    assert main(["rules", "show", "非法经营罪", "--date", "2023-01-01"]) == 0
    assert "不属于《关于常见犯罪的量刑指导意见（试行）》" in capsys.readouterr().out
