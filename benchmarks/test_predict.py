"""End-to-end throughput of `leniency predict` on 2 cores (target: at least 200 judgments per second).

Input: every ``LENIENCY_BENCH_PREDICT_STEP``-th defendant of ../shared/data/sentencing.dev.jsonl.xz (a mix of
short CAIL2018 facts and long LeCaRD judgments), written to a temporary file at run time. The run includes
process start-up of the workers, extraction, the engine with its discretion search, and the empirical model
when ``var/models/empirical.pkl`` exists (the benchmark records which). The default batch (every 4th
defendant, about 4,000) is large enough that the fixed start-up (loading the model in each worker) does not
dominate: "sustains" is about the steady rate, and a batch of 1,000 measures mostly start-up.
"""

from __future__ import annotations

import json
import lzma
import os
from pathlib import Path

import pytest

from tests.conftest import shared_data_dir

STEP = int(os.environ.get("LENIENCY_BENCH_PREDICT_STEP", "4"))
TARGET = 200.0


@pytest.fixture(scope="module")
def cases_file(tmp_path_factory) -> tuple[Path, int]:
    base = shared_data_dir()
    if base is None:
        pytest.skip("未找到 ../shared/data：基准测试需要真实裁判文书")
    path = tmp_path_factory.mktemp("predict") / "cases.jsonl"
    n = 0
    with lzma.open(base / "sentencing.dev.jsonl.xz", "rt", encoding="utf-8") as src, path.open("w") as out:
        for number, line in enumerate(src):
            if number % STEP:
                continue
            row = json.loads(line)
            inp = row["input"]
            item = {
                "id": row["id"],
                "fact": inp["fact"],
                "defendant": inp["defendant"],
                "charges": inp["charges_canonical"],
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
    return path, n


def test_predict_throughput(benchmark, cases_file, tmp_path):
    from leniency.cli import main
    from leniency.judgments.empirical.store import default_model_path

    source, n = cases_file
    output = tmp_path / "out.jsonl"

    def run() -> int:
        return main(["predict", "--input", str(source), "--output", str(output), "--workers", "2"])

    assert benchmark.pedantic(run, rounds=3, iterations=1) == 0
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n
    rate = n / benchmark.stats.stats.mean
    benchmark.extra_info["judgments"] = n
    benchmark.extra_info["judgments_per_second"] = round(rate, 1)
    benchmark.extra_info["empirical_model"] = default_model_path().exists()
    print(
        f"\nleniency predict: {n} 份 / {benchmark.stats.stats.mean:.2f} 秒 = {rate:.0f} 份/秒（经验模型：{default_model_path().exists()}）"
    )
    assert rate >= TARGET, f"吞吐量 {rate:.0f} 份/秒，低于目标 {TARGET:.0f} 份/秒"
