"""The extractor on synthetic sentences written for these tests (no licensed text)."""

from __future__ import annotations

import pytest

from leniency.extraction import Evidence, extract
from leniency.extraction.text import to_number, to_yuan
from leniency.sentencing import Facts

HEAD = "浙江省杭州市西湖区人民法院 刑事判决书 公诉机关杭州市西湖区人民检察院。 "
TWO = (
    HEAD + "被告人张三，男，1990年3月5日出生，汉族，无业。2015年1月10日因犯盗窃罪被本院判处有期徒刑一年，"
    "2015年12月9日刑满释放。因本案于2018年5月2日被刑事拘留。 "
    "被告人李四，男，2001年7月1日出生，无业。因本案于2018年5月2日被刑事拘留。 "
    "杭州市西湖区人民检察院以起诉书指控被告人张三、李四犯盗窃罪，于2018年7月1日向本院提起公诉。"
    "本院于2018年8月1日公开开庭审理了本案。 "
    "经审理查明：1.2018年4月1日，被告人张三、李四入户盗窃被害人王某家中现金人民币一万二千元。"
    "2.2018年4月20日，被告人张三窃得被害人赵某手机一部，经鉴定价值人民币3.5万元。"
    "案发后，被告人张三主动到公安机关投案，被告人李四被抓获，二人到案后均如实供述。被告人张三已退赔全部赃款。"
)


def test_chinese_numerals_and_wan():
    assert to_number("一万二千") == 12000
    assert to_number("两千") == 2000
    assert to_number("1,200.5") == 1200.5
    assert to_yuan("3.5", "万") == 35000
    assert to_number("不是数字") is None


def test_acts_are_summed_per_defendant():
    assert extract(TWO, "张三", ["盗窃罪"]).fields["盗窃罪:amount"] == 47000
    # 李四 took part in the first act only
    assert extract(TWO, "李四", ["盗窃罪"]).fields["盗窃罪:amount"] == 12000


def test_grand_total_is_not_added_to_the_acts():
    text = (
        "公诉机关指控：1.2016年3月1日，被告人王五窃得被害人甲手机一部，价值人民币1000元。"
        "2.2016年3月5日，被告人王五窃得被害人乙电动车一辆，价值人民币2000元。"
        "综上，被告人王五共计盗窃2次，窃得财物价值人民币3000元。"
    )
    assert extract(text, "王五", ["盗窃罪"]).fields["盗窃罪:amount"] == 3000


def test_restitution_and_sale_price_are_not_the_amount():
    text = (
        "公诉机关指控：2016年3月1日，被告人王五窃得被害人甲金项链一条，价值人民币8000元，后以2000元的价格卖给他人。"
        "案发后，被告人王五退赔被害人人民币5000元。"
    )
    ex = extract(text, "王五", ["盗窃罪"])
    assert ex.fields["盗窃罪:amount"] == 8000
    assert ex.fields["restitution"] is True


def test_acts_of_another_charged_crime_are_not_this_crimes_amount():
    text = (
        "公诉机关指控：1.2016年3月1日，被告人王五入户窃得被害人甲现金人民币3000元。"
        "2.2016年3月9日，被告人王五窃取被害人乙手机一部时被发现，遂持刀威胁乙，后逃离。经鉴定，该手机价值人民币2000元。"
        "3.2016年4月2日，被告人王五持刀抢走被害人丙人民币500元。"
    )
    ex = extract(text, "王五", ["抢劫罪", "盗窃罪"])
    # the second act is theft turned robbery (刑法第269条): it counts for the robbery, not for the theft
    assert ex.fields["抢劫罪:amount"] == 2500
    assert ex.fields["盗窃罪:amount"] == 3000


def test_per_victim_subtotals_are_added_and_a_total_equal_to_the_rest_is_taken():
    subtotals = (
        "经审理查明：1、2015年春节前，甲为得到被告人王五的关照，先后三次给王五送现金合计9000元。"
        "2、2016年春节前，乙先后两次给王五送现金合计4000元。"
        "3、2016年5月，丙到王五家送现金2000元。"
    )
    assert extract(subtotals, "王五", ["受贿罪"]).fields["受贿罪:amount"] == 15000
    listed_total = (
        "公诉机关指控，被告人王五分别骗得二人现金人民币6000元和3000元，具体事实如下：1.2015年3月，被告人王五虚构事实，"
        "先后两次骗得被害人甲现金共计人民币6000元。2.2015年5月，被告人王五先后两次骗得被害人乙现金共计人民币3000元。"
    )
    assert extract(listed_total, "王五", ["诈骗罪"]).fields["诈骗罪:amount"] == 9000


def test_a_total_written_without_its_wan_is_read_at_the_scale_of_its_items():
    text = "经审理查明，被告人王五利用职务便利，将客户交纳的购房款：甲12.5万元、乙30万元、丙5万元，共计人民币47.5元截留，占为己有。"
    assert extract(text, "王五", ["职务侵占罪"]).fields["职务侵占罪:amount"] == 475000


def test_card_fraud_amount_is_the_principal_and_unpaid_is_not_repaid():
    text = (
        "经审理查明：被告人王五申领信用卡一张，信用额度为2万元，后提升至5万元。王五透支消费后无法归还，"
        "经银行多次催收仍不归还，截至案发，欠款本金共计48000元，利息及滞纳金6000元，合计54000元。"
    )
    assert extract(text, "王五", ["信用卡诈骗罪"]).fields["信用卡诈骗罪:amount"] == 48000


def test_each_and_a_repeated_demand():
    each = "公诉机关指控，被告人王五谎称能办理驾驶证，骗取被害人甲、乙人民币各2000元。"
    assert extract(each, "王五", ["诈骗罪"]).fields["诈骗罪:amount"] == 4000
    demand = (
        "经审理查明：2013年4月12日上午，被告人王五以言语威胁，向被害人甲索要人民币一万元，被他人劝离。"
        "次日下午，被告人王五再次以言语威胁，继续向甲索要人民币一万元，被民警抓获。"
    )
    assert extract(demand, "王五", ["敲诈勒索罪"]).fields["敲诈勒索罪:amount"] == 10000


def test_figures_that_are_not_money_taken():
    # a pseudonym's digit written against the figure, a figure of the lie, an IOU, a stall that sells shoes
    glued = (
        "经审理查明，被告人王五通过微信结识被害人李某2，后虚构其表弟被抓需要钱打点等事实，骗取被害人李某25700元。"
        "另查明，李某2微信名为李雯。"
    )
    assert extract(glued, "王五", ["诈骗罪"]).fields["诈骗罪:amount"] == 5700
    lie = (
        "公诉机关指控：2012年4月13日，被告人王五谎称要去朋友那边借500元钱付房租，需要借骑被害人叶某的电动三轮车，"
        "后将该车骗走（价值人民币2580元）。"
    )
    assert extract(lie, "王五", ["诈骗罪"]).fields["诈骗罪:amount"] == 2580
    iou = (
        "经审理查明，2015年10月15日，被告人王五以举报相要挟，逼迫被害人李某写下20000元的欠条，李某"
        "又于当日给王五现金4600元，次日给现金400元。后王五多次到李某家中索要剩余的15000元。"
    )
    assert extract(iou, "王五", ["敲诈勒索罪"]).fields["敲诈勒索罪:amount"] == 20000
    stall = "公诉机关指控：2016年11月27日，被告人王五至一卖鞋摊位前，趁人不备，窃得被害人邬某双肩包内的1个小包，内有人民币1100元。"
    assert extract(stall, "王五", ["盗窃罪"]).fields["盗窃罪:amount"] == 1100


def test_attribution_in_multi_defendant_text():
    zhang = extract(TWO, "张三", ["盗窃罪"]).fields
    li = extract(TWO, "李四", ["盗窃罪"]).fields
    assert zhang["surrender"] is True and "surrender" not in li
    assert zhang["confession"] is True and li["confession"] is True  # "二人到案后均如实供述"
    assert zhang["recidivism"] is True and "recidivism" not in li
    assert zhang["restitution"] is True and "restitution" not in li
    assert li["age_at_offence"] == 16 and zhang["age_at_offence"] == 28


def test_spans_are_exact():
    ex = extract(TWO, "张三", ["盗窃罪"])
    assert ex.evidence
    for ev in ex.evidence:
        assert isinstance(ev, Evidence)
        assert TWO[ev.start : ev.end] == ev.text
    surrender = ex.evidence_for("surrender")[0]
    assert "投案" in surrender.text


def test_spans_point_into_the_callers_text_even_with_full_width_digits():
    text = "公诉机关指控：２０１８年４月１日，被告人王五窃得被害人甲现金人民币１２００元。"
    ex = extract(text, "王五", ["盗窃罪"])
    assert ex.fields["盗窃罪:amount"] == 1200
    ev = ex.evidence_for("amount")[0]
    assert text[ev.start : ev.end] == ev.text == "１２００元"


def test_negated_surrender_and_defence_claims_are_not_facts():
    text = (
        "公诉机关指控：2017年2月1日，被告人王五持刀将被害人甲砍伤，经鉴定，甲的损伤程度为轻伤二级。"
        "被告人王五被公安机关抓获。 辩护人提出，被告人王五系自首。 经审理查明，被告人王五不构成自首。"
    )
    ex = extract(text, "王五", ["故意伤害罪"])
    assert "surrender" not in ex.fields
    assert ex.fields["故意伤害罪:injury"] == "minor_2"


def test_graded_injury_wins_over_an_ungraded_mention():
    text = "公诉机关指控：被告人王五致一人轻伤。经鉴定，被害人甲的损伤程度为轻伤一级，被害人乙为轻微伤。"
    ex = extract(text, "王五", ["故意伤害罪"])
    assert ex.fields["故意伤害罪:injury"] == "minor_1"
    assert ex.to_facts().charges[0].injuries[0].value == "minor_injury_1"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("血液中乙醇含量为152.3mg/100ml", 152.3),
        ("血液中乙醇含量为1.49mg/ml", 149),
        ("血样中乙醇浓度为98毫克／100毫升", 98),
    ],
)
def test_blood_alcohol_units(written, expected):
    text = f"公诉机关指控：2019年1月1日，被告人王五醉酒后驾驶小型轿车在道路上行驶，被民警查获。经鉴定，王五{written}。"
    ex = extract(text, "王五", ["危险驾驶罪"])
    assert ex.fields["危险驾驶罪:blood_alcohol"] == pytest.approx(expected)
    facts = ex.to_facts()
    assert facts.charges[0].driving_conduct.value == "drunk"


def test_blood_test_wins_over_breath_test():
    text = (
        "公诉机关指控：2019年1月1日，被告人王五驾驶小型轿车被民警查获，经呼气酒精测试，结果为95mg/100ml。"
        "经抽血鉴定，王五血液中乙醇含量为113mg/100ml。"
    )
    assert extract(text, "王五", ["危险驾驶罪"]).fields["blood_alcohol"] == 113


def test_plea_and_its_stage():
    text = (
        "公诉机关指控：2019年1月1日，被告人王五窃得现金人民币500元。"
        "被告人王五在侦查阶段即自愿认罪认罚，并在审查起诉阶段签署了认罪认罚具结书。"
    )
    ex = extract(text, "王五", ["盗窃罪"])
    assert ex.fields["plea"] is True and ex.fields["plea_stage"] == "investigation"
    facts = ex.to_facts()
    assert facts.plea and facts.plea_stage.value == "investigation"


def test_juvenile_record_is_not_prior_record():
    text = (
        HEAD + "被告人王五，男，1996年11月23日出生，无业。曾因犯盗窃罪于2013年12月30日被本院判处有期徒刑六个月。"
        "因本案于2017年5月27日被刑事拘留。 杭州市西湖区人民检察院以起诉书指控被告人王五犯诈骗罪，向本院提起公诉。"
        "经审理查明：2017年5月1日，被告人王五骗取被害人甲人民币8000元。"
    )
    fields = extract(text, "王五", ["诈骗罪"]).fields
    assert "prior_record" not in fields and "recidivism" not in fields


def test_detention_only_offence_cannot_make_a_recidivist():
    text = (
        HEAD + "被告人王五，男，1975年5月12日出生。曾因犯抢劫罪于2002年12月16日被本院判处有期徒刑十三年，"
        "2015年3月19日刑满释放。因本案于2019年10月16日被取保候审。 杭州市西湖区人民检察院以起诉书指控被告人王五犯危险驾驶罪。"
        "经审理查明：2019年10月15日，被告人王五醉酒驾驶机动车，经鉴定血液中乙醇含量为242.1mg/100ml。"
    )
    fields = extract(text, "王五", ["危险驾驶罪"]).fields
    assert fields["prior_record"] is True
    assert "recidivism" not in fields


def test_province_and_decision_date():
    fields = extract(TWO, "张三", ["盗窃罪"]).fields
    assert fields["province"] == "浙江省"
    assert fields["decision_date"] == "2018-08-01"


@pytest.mark.parametrize(
    ("text", "defendant", "charges"),
    [
        ("", "张三", ["盗窃罪"]),
        (None, None, None),
        ("被告人", "", []),
        ("。。。；；；" * 50, "张三", ["盗窃罪"]),
        ("被告人张三" + "价值人民币元" * 100, "张三", ["盗窃罪", "故意伤害罪", "危险驾驶罪", "交通肇事罪"]),
        ("１２３４５６７８９" * 1000, "某", ["走私、贩卖、运输、制造毒品罪"]),
    ],
)
def test_odd_input_never_raises_and_still_gives_valid_facts(text, defendant, charges):
    ex = extract(text, defendant, charges)
    Facts.model_validate(ex.facts)


def test_to_facts_returns_the_engines_model():
    facts = extract(TWO, "张三", ["盗窃罪"]).to_facts()
    assert isinstance(facts, Facts)
    assert facts.circumstances.surrender and facts.circumstances.recidivism
    assert facts.charges[0].situations[0].value == "burglary"
    assert facts.province == "浙江省"


def test_drug_weight_in_a_sentence_naming_no_drug_and_stated_totals():
    text = (
        "公诉机关指控：2017年7月10日，被告人王五以人民币250元的价格将一包净重0.51克的白色粉末贩卖给甲，"
        "后被民警当场抓获。经鉴定，从查获的白色粉末中检出海洛因成分。"
    )
    ex = extract(text, "王五", ["走私、贩卖、运输、制造毒品罪"])
    assert ex.fields["drug_type"] == "海洛因" and ex.fields["drug_weight_g"] == pytest.approx(0.51)
    assert ex.to_facts().charges[0].drugs[0].type.value == "heroin"
    summed = (
        "公诉机关指控：2016年3月14日，被告人王五向李某贩卖海洛因0.17克，另从其身上缴获海洛因5.59克。"
        "被告人王五贩卖海洛因共计5.76克。"
    )
    assert extract(summed, "王五", ["走私、贩卖、运输、制造毒品罪"]).fields["drug_weight_g"] == pytest.approx(5.76)


def test_persuading_another_to_surrender_is_not_surrender():
    persuaded = "公诉机关指控：2015年10月1日，被告人王五伙同李四盗窃。到案后，被告人王五劝说李四投案。"
    assert "surrender" not in extract(persuaded, "王五", ["盗窃罪"]).fields
    talked_into = (
        "公诉机关指控：2015年10月1日，被告人王五盗窃。2015年10月29日，王五经公安人员劝导前往公安机关投案自首。"
    )
    assert extract(talked_into, "王五", ["盗窃罪"]).fields["surrender"] is True


def test_bribe_amounts_are_read_for_the_bribery_crimes_outside_the_guideline():
    # their statutory ranges turn on the amount (法释〔2016〕9号 第八条、第十一条), so the engine needs it
    giving = (
        "经审理查明：2014年至2016年，被告人王五为承揽工程，先后三次送给某局局长李某现金共计人民币120万元。"
        "案发后，被告人王五主动投案。"
    )
    assert extract(giving, "王五", ["行贿罪"]).fields["行贿罪:amount"] == 1_200_000
    taking = "经审理查明：被告人王五利用担任某公司采购经理的职务便利，收受供应商给予的好处费人民币8万元。"
    assert extract(taking, "王五", ["非国家工作人员受贿罪"]).fields["非国家工作人员受贿罪:amount"] == 80_000
