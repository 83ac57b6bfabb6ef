"""Throughput of the sentencing engine (`make bench`): single-charge recommendations per second, trace included.

Target (issue 3): at least 20,000 single-charge recommendations per second on one core. The pool mixes the
23 guideline crimes, provinces, plea stages and circumstances, so the figure is not one cached case repeated;
facts are validated once beforehand (validation is the caller's cost, e.g. extraction or the API layer).
Rounds are timed in CPU time of this process (one core), and the check uses the fastest round: on a shared machine
wall-clock time mostly measures the other processes.
"""

from __future__ import annotations

import random
import time

import pytest

from leniency.sentencing import parse_facts, recommend

TARGET_PER_SECOND = 20_000
POOL_SIZE = 2000

CHARGES = [
    {"charge": "盗窃罪", "amount": None},
    {"charge": "诈骗罪", "amount": None},
    {"charge": "抢夺罪", "amount": None},
    {"charge": "敲诈勒索罪", "amount": None},
    {"charge": "职务侵占罪", "amount": None},
    {"charge": "合同诈骗罪", "amount": None},
    {"charge": "信用卡诈骗罪", "amount": None},
    {"charge": "集资诈骗罪", "amount": None},
    {"charge": "非法吸收公众存款罪", "amount": 2_500_000, "persons": 180},
    {"charge": "掩饰、隐瞒犯罪所得、犯罪所得收益罪", "amount": None},
    {"charge": "故意伤害罪", "injuries": ["minor_injury_2"]},
    {"charge": "故意伤害罪", "injuries": ["serious_injury_2", "minor_injury_1"]},
    {"charge": "危险驾驶罪", "driving_conduct": "drunk", "blood_alcohol": 150},
    {"charge": "交通肇事罪", "deaths": 1, "accident_responsibility": "main"},
    {"charge": "强奸罪", "persons": 1},
    {"charge": "非法拘禁罪", "persons": 2, "detention_hours": 48},
    {"charge": "抢劫罪", "acts": 1, "amount": 800},
    {"charge": "妨害公务罪", "injuries": ["slight_injury"]},
    {"charge": "聚众斗殴罪", "acts": 1},
    {"charge": "寻衅滋事罪", "acts": 2, "injuries": ["slight_injury"]},
    {"charge": "走私、贩卖、运输、制造毒品罪", "drugs": [{"type": "methamphetamine", "grams": 3.5}]},
    {"charge": "非法持有毒品罪", "drugs": [{"type": "heroin", "grams": 20}]},
    {"charge": "容留他人吸毒罪", "persons": 2, "acts": 3},
    {"charge": "引诱、容留、介绍卖淫罪", "persons": 3},
]
PROVINCES = [None, "北京", "浙江", "广东", "湖北", "上海市", "四川省"]
STAGES = ["none", "investigation", "prosecution_review", "trial"]


def _pool(size: int) -> list:
    rng = random.Random(20261122)
    pool = []
    for _ in range(size):
        charge = dict(rng.choice(CHARGES))
        if "amount" in charge and charge["amount"] is None:
            charge["amount"] = round(rng.uniform(100_000, 3_000_000), -2)
        pool.append(
            parse_facts(
                {
                    "province": rng.choice(PROVINCES),
                    "decision_date": rng.choice(["2022-05-01", "2024-06-01", "2025-03-15"]),
                    "charges": [charge],
                    "plea_stage": rng.choice(STAGES),
                    "age_at_offence": rng.choice([None, 17, 30, 45]),
                    "role": rng.choice([None, None, "principal", "accessory"]),
                    "circumstances": {
                        "surrender": rng.random() < 0.3,
                        "confession": rng.choice(["none", "ordinary"]),
                        "restitution": rng.random() < 0.3,
                        "compensation": rng.choice(["none", "compensated_forgiven"]),
                        "recidivism": rng.random() < 0.1,
                        "prior_record": rng.random() < 0.1,
                    },
                }
            )
        )
    return pool


@pytest.mark.benchmark(timer=time.process_time)
def test_single_charge_recommendations_per_second(benchmark: pytest.FixtureRequest) -> None:
    pool = _pool(POOL_SIZE)
    for facts in pool:  # warm the compiled-rule cache and prove every pooled case is valid
        assert recommend(facts).trace

    def run() -> int:
        steps = 0
        for facts in pool:
            steps += len(recommend(facts).trace)
        return steps

    steps = benchmark.pedantic(run, rounds=15, iterations=1, warmup_rounds=1)
    best = benchmark.stats.stats.min
    mean = benchmark.stats.stats.mean
    per_second_best = POOL_SIZE / best
    per_second_mean = POOL_SIZE / mean
    benchmark.extra_info["recommendations_per_second_best"] = round(per_second_best)
    benchmark.extra_info["recommendations_per_second_mean"] = round(per_second_mean)
    benchmark.extra_info["trace_steps_per_recommendation"] = round(steps / POOL_SIZE, 1)
    print(
        f"\n量刑建议吞吐：最快一轮 {per_second_best:,.0f} 条/秒，平均 {per_second_mean:,.0f} 条/秒"
        f"（单罪名，含计算过程，平均每条 {steps / POOL_SIZE:.1f} 步）"
    )
    assert per_second_best >= TARGET_PER_SECOND
