"""Fold assignment of the cross-validation over queries (the real-data run is in test_real_data.py)."""

import pytest

from leniency.judgments.retrieval.tuning import query_folds


def test_leave_one_out_gives_every_query_its_own_fold():
    folds = query_folds(["10", "2", "1"], None)
    assert sorted(folds.values()) == [0, 1, 2]


def test_k_folds_follow_the_query_ids_in_numeric_order():
    folds = query_folds(["10", "2", "1", "3", "11"], 2)
    # ordered 1, 2, 3, 10, 11 → folds 0, 1, 0, 1, 0
    assert folds == {"1": 0, "2": 1, "3": 0, "10": 1, "11": 0}


@pytest.mark.parametrize("folds", [1, 6])
def test_impossible_fold_counts_are_refused(folds):
    with pytest.raises(ValueError, match="折数"):
        query_folds(["1", "2", "3", "4", "5"], folds)
