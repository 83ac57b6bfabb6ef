"""A small slice of the real development judgments through extraction, the engine and the metrics."""

from __future__ import annotations

import itertools

import pytest

from leniency.judgments.evaluation.gold import read_gold
from leniency.judgments.evaluation.metrics import NO_ANSWER, Predicted, aggregate, prosecutor_record, score_case
from leniency.judgments.predict import Pipeline

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def real_cases(shared_data):
    cases = read_gold(shared_data / "sentencing.dev.jsonl.xz")
    return list(itertools.islice(itertools.islice(cases, 0, None, 97), 120))


def test_gold_file_reads_with_sane_values(real_cases):
    assert len(real_cases) == 120
    for case in real_cases:
        assert case.charges and (not case.fact or case.defendant in case.fact)
        assert case.type == "unknown" or case.type in {
            "fixed_term",
            "detention",
            "control",
            "exempt",
            "fine_only",
            "life",
            "death",
        }
        assert case.is_term == (case.months is not None)


def test_pipeline_answers_real_slice(real_cases):
    outputs = Pipeline(model=None).predict_many([c.predict_input() for c in real_cases])
    assert [o["id"] for o in outputs] == [c.id for c in real_cases]
    scores = []
    for case, out in zip(real_cases, outputs):
        if "error" in out:
            assert set(out) == {"id", "error"} and out["error"]
            scores.append(score_case(case, NO_ANSWER))
            continue
        sentence = out["sentence"]
        low, high = sentence["range"]
        assert low <= sentence["months"] <= high or sentence["type"] in ("life", "death")
        scores.append(score_case(case, Predicted.from_sentence(sentence)))
    table = aggregate(scores)
    answered = sum("sentence" in o for o in outputs)
    assert answered >= 60, f"规则只回答了 {answered}/120"
    for key in ("cail", "winkler_s", "hit"):
        assert 0.0 <= table[key] <= 1.0
    # the rules must beat a coin: a CAIL score under 0.2 would mean the pipeline is broken
    answered_scores = [s for s, o in zip(scores, outputs) if "sentence" in o]
    assert aggregate(answered_scores)["cail"] > 0.3


def test_prosecutor_record_on_real_rows(shared_data):
    cases = [c for c in itertools.islice(read_gold(shared_data / "sentencing.dev.jsonl.xz", keep_text=False), 3000)]
    record = prosecutor_record(cases)
    assert record["n_all"] > 20
    assert 0.3 < record["inside_all"] <= 1.0
