import pytest

from leniency.judgments.retrieval.charges import charge_bigrams, charge_coverage, charge_text, charges_in_text


def test_charge_bigrams_stay_within_parts():
    assert charge_bigrams("盗窃罪") == {"盗窃"}
    assert charge_bigrams("走私、贩卖、运输、制造毒品罪") == {"走私", "贩卖", "运输", "制造", "造毒", "毒品"}
    assert "私贩" not in charge_bigrams("走私、贩卖、运输、制造毒品罪")


def test_charge_coverage_of_selective_and_unrelated_charges():
    assert charge_coverage(["盗窃罪"], "张三盗窃一案") == 1.0
    assert charge_coverage(["走私、贩卖、运输、制造毒品罪"], "李四贩卖毒品一案") == pytest.approx(2 / 6)
    assert charge_coverage(["盗伐林木罪"], "王五滥伐林木一案") == pytest.approx(2 / 3)
    assert charge_coverage(["敲诈勒索罪"], "赵六串通投标罪一案") == 0.0


def test_charge_coverage_is_the_mean_over_query_charges():
    charges = ["容留他人吸毒罪", "走私、贩卖、运输、制造毒品罪"]
    both = charge_coverage(charges, "甲走私、贩卖、运输、制造毒品、容留他人吸毒一案")
    one = charge_coverage(charges, "乙走私、贩卖、运输、制造毒品一案")
    assert both == 1.0
    assert one == pytest.approx(0.5)
    assert charge_coverage([], "丙盗窃一案") == 0.0


def test_charge_text_adds_the_charge_phrases_of_the_facts():
    text = charge_text("张三一案", "公诉机关认为，被告人张三的行为已构成故意伤害罪，应当以故意伤害罪追究其刑事责任。")
    assert "故意伤害罪" in text
    assert charge_coverage(["故意伤害罪"], text) == 1.0
    assert charge_coverage(["故意伤害罪"], charge_text("张三一案", "")) == 0.0


def test_charges_in_text_for_queries_without_charges():
    lexicon = ["盗窃罪", "故意伤害罪", "诈骗罪"]
    assert charges_in_text("被告人入户盗窃现金", lexicon) == ["盗窃罪"]
    assert charges_in_text("被告人驾驶车辆", lexicon) == []
