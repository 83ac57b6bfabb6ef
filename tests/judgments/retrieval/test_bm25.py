import math

import numpy as np
import pytest

from leniency.judgments.retrieval.bm25 import (
    DocumentFrequencies,
    TermBag,
    bm25_scores,
    ngram_codes,
    standardise,
)


def test_ngram_codes_skip_whitespace_and_distinguish_order():
    assert len(ngram_codes("甲 乙\n丙", 2)) == 2
    assert len(ngram_codes("甲", 2)) == 0
    assert ngram_codes("甲乙", 2)[0] != ngram_codes("乙甲", 2)[0]
    assert ngram_codes("甲乙丙", 3)[0] == ngram_codes("x甲乙丙", 3)[1]
    with pytest.raises(ValueError):
        ngram_codes("甲乙", 4)


def test_term_bag_counts():
    bag = TermBag.of("甲乙甲乙", 2)
    assert bag.length == 3
    query = np.unique(ngram_codes("甲乙丙", 2))
    assert sorted(bag.frequencies(query).tolist()) == [0.0, 2.0]


def test_bm25_against_hand_computed_scores_with_pool_idf():
    bags = [TermBag.of("甲甲乙", 1), TermBag.of("乙丙", 1)]
    scores = bm25_scores(ngram_codes("甲丙", 1), bags)
    idf = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))
    average = 2.5
    first = idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / average))
    second = idf * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / average))
    assert scores.tolist() == pytest.approx([first, second])


def test_bm25_counts_each_query_term_once_and_uses_collection_idf():
    bags = [TermBag.of("甲甲乙", 1), TermBag.of("乙丙", 1)]
    assert bm25_scores(ngram_codes("甲甲丙", 1), bags).tolist() == pytest.approx(
        bm25_scores(ngram_codes("甲丙", 1), bags).tolist()
    )
    collection = DocumentFrequencies([*bags, TermBag.of("甲丁", 1), TermBag.of("甲戊", 1)])
    scores = bm25_scores(ngram_codes("甲", 1), bags, collection)
    idf = math.log(1 + (4 - 3 + 0.5) / (3 + 0.5))
    assert scores[0] == pytest.approx(idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / 2.5)))
    assert scores[1] == 0.0


def test_bm25_of_empty_pool_or_query():
    assert len(bm25_scores(ngram_codes("甲", 1), [])) == 0
    assert bm25_scores(ngram_codes("", 1), [TermBag.of("甲", 1)]).tolist() == [0.0]


def test_standardise():
    assert standardise(np.array([1.0, 3.0])).tolist() == pytest.approx([-1.0, 1.0])
    assert standardise(np.array([2.0, 2.0])).tolist() == [0.0, 0.0]
    assert len(standardise(np.array([]))) == 0
