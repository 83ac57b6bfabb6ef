"""Okapi BM25 over character n-grams, vectorised with numpy for candidate pools of ~100 long judgments.

A text becomes the sorted array of its distinct n-gram codes (each character's code point packed into 21 bits, so
up to three characters fit one uint64) with their counts; scoring a pool is then a handful of ``searchsorted`` calls.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_WHITESPACE = re.compile(r"\s+")
_CODE_BITS = 21  # every Unicode code point fits in 21 bits


def ngram_codes(text: str, n: int) -> np.ndarray:
    """All character n-grams of ``text`` (whitespace removed) as uint64 codes, in text order."""
    if not 1 <= n <= 3:
        raise ValueError("n-gram length must be 1, 2 or 3")
    chars = np.frombuffer(_WHITESPACE.sub("", text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(chars) < n:
        return np.zeros(0, dtype=np.uint64)
    codes = chars[: len(chars) - n + 1].copy()
    for offset in range(1, n):
        codes = (codes << np.uint64(_CODE_BITS)) | chars[offset : len(chars) - n + 1 + offset]
    return codes


@dataclass(frozen=True)
class TermBag:
    """Distinct n-gram codes of one document (sorted), their counts and the document length in n-grams."""

    terms: np.ndarray
    counts: np.ndarray
    length: int

    @classmethod
    def of(cls, text: str, n: int) -> TermBag:
        codes = ngram_codes(text, n)
        terms, counts = np.unique(codes, return_counts=True)
        return cls(terms, counts.astype(np.float64), len(codes))

    def frequencies(self, query_terms: np.ndarray) -> np.ndarray:
        """Term frequency in this document of each of ``query_terms`` (0 when absent)."""
        if len(self.terms) == 0:
            return np.zeros(len(query_terms))
        at = np.minimum(np.searchsorted(self.terms, query_terms), len(self.terms) - 1)
        return np.where(self.terms[at] == query_terms, self.counts[at], 0.0)


class DocumentFrequencies:
    """Document frequencies of n-grams over a collection (the IDF statistics)."""

    def __init__(self, bags: Iterable[TermBag]) -> None:
        bags = list(bags)
        self.size = len(bags)
        if bags:
            self.terms, counts = np.unique(np.concatenate([bag.terms for bag in bags]), return_counts=True)
        else:
            self.terms, counts = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        self.counts = counts.astype(np.float64)

    def of(self, query_terms: np.ndarray) -> np.ndarray:
        if len(self.terms) == 0:
            return np.zeros(len(query_terms))
        at = np.minimum(np.searchsorted(self.terms, query_terms), len(self.terms) - 1)
        return np.where(self.terms[at] == query_terms, self.counts[at], 0.0)


def idf(document_frequency: np.ndarray, size: int) -> np.ndarray:
    """The Lucene BM25 IDF, always positive: ln(1 + (N - df + 0.5) / (df + 0.5))."""
    return np.log1p((size - document_frequency + 0.5) / (document_frequency + 0.5))


def bm25_scores(
    query_terms: np.ndarray,
    bags: Sequence[TermBag],
    frequencies: DocumentFrequencies | None = None,
    *,
    k1: float = 1.2,
    b: float = 0.75,
) -> np.ndarray:
    """BM25 score of each bag for the distinct ``query_terms`` (each query term counted once).

    The IDF comes from ``frequencies`` (a whole collection) or, when it is ``None``, from the pool ``bags`` itself.
    """
    if not bags:
        return np.zeros(0)
    query_terms = np.unique(query_terms)
    tf = np.stack([bag.frequencies(query_terms) for bag in bags]) if len(query_terms) else np.zeros((len(bags), 0))
    if frequencies is None:
        weights = idf((tf > 0).sum(axis=0).astype(np.float64), len(bags))
    else:
        weights = idf(frequencies.of(query_terms), frequencies.size)
    lengths = np.array([bag.length for bag in bags], dtype=np.float64)
    average = lengths.mean() if lengths.mean() > 0 else 1.0
    norm = k1 * (1.0 - b + b * lengths / average)
    return (tf * (k1 + 1.0) / (tf + norm[:, None])) @ weights


def standardise(scores: np.ndarray) -> np.ndarray:
    """Z-scores within one pool, so that scores of pools with different query lengths are comparable."""
    if len(scores) == 0:
        return scores
    spread = scores.std()
    if not math.isfinite(spread) or spread == 0:
        return np.zeros_like(scores)
    return (scores - scores.mean()) / spread
