"""The empirical model on tiny synthetic data: learns the signal, keeps its promises, survives a round trip."""

from __future__ import annotations

import numpy as np
import pytest

from leniency.judgments.empirical.facts_features import FACT_FEATURE_NAMES, fact_features
from leniency.judgments.empirical.features import NUMERIC_NAMES, focus_text, numeric_features
from leniency.judgments.empirical.model import EmpiricalModel
from leniency.judgments.evaluation.crossval import blind_case
from tests.judgments.evaluation.synthetic import synthetic_cases


@pytest.fixture(scope="module")
def trained():
    cases = synthetic_cases(420, seed=3)
    train, test = cases[:330], cases[330:]
    model = EmpiricalModel(rounds=60).fit(train)
    return model, test


def test_opinions_follow_the_text(trained):
    model, test = trained
    opinions = model.opinions([blind_case(c) for c in test])
    assert len(opinions) == len(test)
    for opinion in opinions:
        assert opinion.type in model.type_classes
        assert opinion.low <= opinion.months <= opinion.high
    # 重伤 cases (40+ months) must come out above 轻伤 ones (8–13 months)
    serious = [o.months for c, o in zip(test, opinions) if "重伤" in c.fact]
    minor = [o.months for c, o in zip(test, opinions) if "轻伤" in c.fact]
    assert serious and minor and np.median(serious) > 2 * np.median(minor)
    inside = np.mean([o.low <= c.months <= o.high for c, o in zip(test, opinions)])
    assert inside >= 0.6


def test_save_and_load_give_the_same_opinions(trained, tmp_path):
    model, test = trained
    path = model.save(tmp_path / "models" / "empirical.pkl")
    again = EmpiricalModel.load(path)
    assert [o.to_json() for o in again.opinions(test[:10])] == [o.to_json() for o in model.opinions(test[:10])]
    assert not list(tmp_path.glob("models/*.tmp"))


def test_bad_model_file_is_refused(tmp_path):
    import pickle

    path = tmp_path / "m.pkl"
    path.write_bytes(pickle.dumps({"version": 999}))
    with pytest.raises(ValueError, match="重新运行"):
        EmpiricalModel.load(path)


def test_too_little_data_is_a_chinese_error():
    with pytest.raises(ValueError, match="训练数据太少"):
        EmpiricalModel().fit(synthetic_cases(10))


def test_feature_vectors_have_their_names():
    case = synthetic_cases(3)[1]
    assert numeric_features(case.fact, case.defendant, case.charges).shape == (len(NUMERIC_NAMES),)
    assert fact_features(None).shape == (len(FACT_FEATURE_NAMES),)
    facts = {
        "charges": [{"charge": "盗窃罪", "amount": 9999, "injuries": ["minor_injury_2", "serious_injury_1"]}],
        "circumstances": {"surrender": True, "compensation": "compensated_forgiven"},
        "plea_stage": "prosecution_review",
        "age_at_offence": 17,
    }
    values = dict(zip(FACT_FEATURE_NAMES, fact_features(facts)))
    assert values["f_log_amount"] == pytest.approx(np.log1p(9999))
    assert values["f_minor_injuries"] == 1 and values["f_serious_injuries_1"] == 1
    assert values["f_surrender"] == 1 and values["f_compensation"] == 1 and values["f_forgiveness"] == 1
    assert values["f_plea"] == 1 and values["f_plea_stage"] == 2 and values["f_minor"] == 1


def test_focus_text_keeps_the_defendants_sentences():
    others = "被告人甲某另案处理。" * 400
    text = "公诉机关指控：案情如下。" + others + "被告人乙某盗窃现金五千元。" + others
    focus = focus_text(text, "乙某", limit=300)
    assert "乙某盗窃现金五千元" in focus and len(focus) <= 300
