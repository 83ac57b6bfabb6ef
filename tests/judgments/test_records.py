import pytest

from leniency.judgments.charges import canonical_charge
from leniency.judgments.records import JudgmentRecord, court_level_of, procedure_of, province_of


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("贩卖毒品罪", "走私、贩卖、运输、制造毒品罪"),
        ("贩卖、运输毒品罪", "走私、贩卖、运输、制造毒品罪"),
        ("走私、贩卖、运输、制造毒品罪", "走私、贩卖、运输、制造毒品罪"),
        ("非法持有毒品罪", "非法持有毒品罪"),
        ("盗窃罪", "盗窃罪"),
    ],
)
def test_canonical_charge(written, canonical):
    assert canonical_charge(written) == canonical


@pytest.mark.parametrize(
    ("court", "case_number", "province"),
    [
        ("浙江省杭州市西湖区人民法院", "", "浙江省"),
        ("内蒙古自治区包头市中级人民法院", "", "内蒙古自治区"),
        ("某某县人民法院", "（2018）赣0111刑初485号", "江西省"),
        ("", "（2016）粤03刑终1号", "广东省"),
        ("", "", ""),
    ],
)
def test_province(court, case_number, province):
    assert province_of(court, case_number) == province


def test_court_level_and_procedure():
    assert court_level_of("最高人民法院") == "supreme"
    assert court_level_of("云南省高级人民法院") == "high"
    assert court_level_of("苏州市中级人民法院") == "intermediate"
    assert court_level_of("镇平县人民法院") == "basic"
    assert procedure_of("本院依法适用速裁程序，公开开庭") == "fast_track"
    assert procedure_of("适用简易程序") == "summary"
    assert procedure_of("本院依法组成合议庭") == "ordinary"
    assert procedure_of("无") == ""


def test_header_fallback_fills_court_year_and_plea():
    r = JudgmentRecord(
        doc_id="x",
        source="t",
        source_format="leniency",
        facts="被告人甲自愿认罪认罚。",
        text_before_reasoning="河南省镇平县人民法院 刑事判决书 （2017）豫1324刑初923号 本院适用简易程序。被告人甲自愿认罪认罚。",
    )
    r.fill_header()
    assert (r.court, r.case_number, r.year, r.province, r.court_level, r.procedure) == (
        "河南省镇平县人民法院",
        "（2017）豫1324刑初923号",
        2017,
        "河南省",
        "basic",
        "summary",
    )
    assert r.mentions_plea
