import json
import lzma

import pytest

from leniency.judgments.outcome import Outcome, parse_result, parse_sentence


def one(text):
    parsed = parse_result(text)
    assert len(parsed) == 1
    return parsed[0]


def test_fixed_term_with_probation_and_fine():
    d = one("被告人张某犯盗窃罪，判处有期徒刑一年，缓刑一年六个月，并处罚金人民币五千元。如不服本判决……")
    assert d.name == "张某"
    assert d.charges == ["盗窃罪"]
    assert (d.outcome.type, d.outcome.months, d.outcome.probation_months, d.outcome.fine) == (
        "fixed_term",
        12,
        18,
        5000,
    )


@pytest.mark.parametrize(
    ("sentence", "kind", "months"),
    [
        ("判处拘役三个月", "detention", 3),
        ("判处管制六个月", "control", 6),
        ("免予刑事处罚", "exempt", 0),
        ("免于刑事处罚", "exempt", 0),
        ("判处无期徒刑，剥夺政治权利终身", "life", None),
        ("判处死刑，剥夺政治权利终身", "death", None),
        ("单处罚金人民币二万元", "fine_only", 0),
    ],
)
def test_penalty_kinds(sentence, kind, months):
    d = one(f"被告人李某犯故意伤害罪，{sentence}。")
    assert d.outcome.type == kind
    assert d.outcome.months == months


def test_death_reprieve():
    d = one("被告人王某犯故意杀人罪，判处死刑，缓期二年执行，剥夺政治权利终身。")
    assert d.outcome.type == "death" and d.outcome.death_reprieve


def test_combined_sentence_takes_the_total():
    d = one(
        "被告人赵某犯寻衅滋事罪，判处有期徒刑三年；犯危险驾驶罪，判处拘役二个月，并处罚金人民币2000元；"
        "数罪并罚，决定合并执行有期徒刑三年，并处罚金人民币2000元。"
    )
    assert d.charges == ["寻衅滋事罪", "危险驾驶罪"]
    assert d.multi_charge_total
    assert (d.outcome.type, d.outcome.months, d.outcome.fine) == ("fixed_term", 36, 2000)


def test_several_defendants_and_units():
    parsed = parse_result(
        "一、被告单位某某有限公司犯虚开增值税专用发票罪，判处罚金人民币80，000元。"
        "二、被告人张明犯虚开增值税专用发票罪，判处有期徒刑二年，缓刑二年。"
    )
    assert [p.name for p in parsed] == ["某某有限公司", "张明"]
    assert parsed[0].is_unit and parsed[0].outcome.type == "fine_only" and parsed[0].outcome.fine == 80000
    assert parsed[1].outcome.probation_months == 24


def test_prior_sentence_combination_is_flagged():
    d = one(
        "被告人钱某犯盗窃罪，判处有期徒刑六个月，与前罪尚未执行完毕的有期徒刑一年并罚，决定执行有期徒刑一年三个月。"
    )
    assert d.combined_with_prior
    assert d.outcome.months == 15


def test_appeal_sentence_replaces_the_quashed_one():
    parsed = parse_result(
        "一、撤销某县人民法院刑事判决，即被告人陈某犯合同诈骗罪，判处有期徒刑十年六个月。"
        "二、上诉人陈某犯合同诈骗罪，判处有期徒刑八年，并处罚金人民币一万元。本判决为终审判决。"
    )
    assert len(parsed) == 1
    assert parsed[0].outcome.months == 96


def test_unreadable_text_gives_unknown_not_an_error():
    assert parse_result("") == []
    assert parse_sentence("本院认为").type == "unknown"


def test_outcome_roundtrip_and_description():
    o = Outcome.from_dict({"type": "fixed", "months": 42, "probation_months": 48, "fine": 20000})
    assert o.type == "fixed_term"
    assert o.describe() == "有期徒刑3年6个月，缓刑4年，并处罚金20000元"
    assert Outcome.from_dict({"type": "nonsense"}).type == "unknown"


@pytest.mark.shared_data
def test_agrees_with_the_labelled_lecard_judgments(shared_data):
    """The parse is checked against the data set's own labels on the first 1,500 LeCaRD documents."""
    agree = total = 0
    with lzma.open(shared_data / "judgments.dev.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["source"] != "lecard" or not row["result"]:
                continue
            parsed = {p.name: p for p in parse_result(row["result"])}
            for d in row["defendants"]:
                gold = Outcome.from_dict(d["outcome"])
                if gold.type == "unknown":
                    continue
                total += 1
                p = parsed.get(d["name"])
                agree += bool(p and p.outcome.type == gold.type and p.outcome.months == gold.months)
            if total >= 1500:
                break
    assert total >= 1500
    assert agree / total >= 0.95
