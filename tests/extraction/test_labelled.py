"""Extraction quality on the hand-labelled development defendants (texts read from ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leniency.extraction.scoring import BARS, FIELDS, load_inputs, load_labels, score

LABELS = Path(__file__).parent / "labels"
# Amounts are below the issue's bar on the whole labelled set (0.921 / 0.911 with the fresh batches v6-v9; the
# batches scored before any change made with them in view gave 0.65-0.72): this floor guards against regressions.
AMOUNT_FLOOR = (0.90, 0.89)
# Fields without a bar in the issue: floors a little under the measured values, against regressions.
FLOORS = {
    "prior_record": (0.95, 0.90),
    "deaths": (0.90, 0.90),
    "plea_stage": (0.95, 0.90),
    "drug_type": (0.95, 0.90),
    "drug_weight": (0.85, 0.80),
}

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def scored(shared_data):
    labels = load_labels(LABELS)
    inputs = load_inputs(shared_data, (r["id"] for r in labels))
    assert len(inputs) == len(labels), "标注引用的裁判文书在 ../shared/data 中找不到"
    counts, _errors, _spent = score(labels, inputs)
    return labels, counts


def test_labelled_set_is_large_and_covers_the_fields(scored):
    labels, counts = scored
    assert len(labels) >= 300
    assert len({r["id"].split("#")[0] for r in labels}) >= 300  # distinct judgments
    charges = {c for r in labels for c in r["charges"]}
    assert {"盗窃罪", "故意伤害罪", "危险驾驶罪", "诈骗罪", "交通肇事罪", "走私、贩卖、运输、制造毒品罪"} <= charges
    for field in FIELDS:
        assert counts[field].labelled > 0, field
    # enough positives that precision and recall mean something
    for field in ("surrender", "confession", "plea", "recidivism", "blood_alcohol", "injury", "amount"):
        assert counts[field].tp + counts[field].fn >= 20, field


def test_labels_are_annotations_not_text():
    for record in load_labels(LABELS):
        assert set(record) == {"id", "defendant", "charges", "labels"}
        for label in record["labels"].values():
            assert set(label) <= {"value", "span", "charge", "skip"}
            if label.get("span"):
                start, end = label["span"]
                assert 0 <= start < end


@pytest.mark.parametrize("field", sorted(f for f in BARS if f != "amount"))
def test_issue_bar(scored, field):
    _labels, counts = scored
    c = counts[field]
    precision_bar, recall_bar = BARS[field]
    assert c.precision >= precision_bar, f"{field} precision {c.precision:.3f} (tp={c.tp}, fp={c.fp})"
    assert c.recall >= recall_bar, f"{field} recall {c.recall:.3f} (tp={c.tp}, fn={c.fn})"


@pytest.mark.xfail(strict=True, reason="犯罪数额尚未达到议题要求的精确率 0.95 / 召回率 0.90（实测见报告）")
def test_issue_bar_amount(scored):
    _labels, counts = scored
    c = counts["amount"]
    assert c.precision >= BARS["amount"][0] and c.recall >= BARS["amount"][1]


def test_amount_does_not_regress(scored):
    _labels, counts = scored
    c = counts["amount"]
    assert c.precision >= AMOUNT_FLOOR[0] and c.recall >= AMOUNT_FLOOR[1], (c.precision, c.recall)


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_other_fields_do_not_regress(scored, field):
    _labels, counts = scored
    c = counts[field]
    assert c.precision >= FLOORS[field][0] and c.recall >= FLOORS[field][1], (field, c)
