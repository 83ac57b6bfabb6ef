import pytest

from leniency.judgments.numerals import parse_duration_months, parse_int, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十五", 15),
        ("二十三", 23),
        ("一百零五", 105),
        ("一万二千", 12000),
        ("两万", 20000),
        ("1.5万", 15000),
        ("5000", 5000),
        ("５０００", 5000),
        ("三千五百", 3500),
        ("十万零五百", 100500),
        ("二〇一八", 2018),
        ("壹仟", 1000),
    ],
)
def test_parse_number(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["", "abc", "三x", "元"])
def test_not_a_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("三年六个月", 42),
        ("三年六月", 42),
        ("六个月", 6),
        ("一年零三个月", 15),
        ("二年又六个月", 30),
        ("十五年", 180),
        ("一个月十五日", 1),
    ],
)
def test_duration(text, months):
    assert parse_duration_months(text) == months


def test_duration_rejects_text():
    assert parse_duration_months("缓刑") is None
