"""Similar cases (类案检索): rank judgments by text relevance and closeness of the key facts.

Two stages. Retrieval takes a pool of candidates from the index (same charge required when the query has
one; the bigrams of the facts and the injury grade as scoring clauses, and, for a query without text, the
amount band and the circumstances).
Re-ranking then scores each candidate's best-matching defendant: ``TEXT_WEIGHT`` × normalised BM25 +
(1 − ``TEXT_WEIGHT``) × fact closeness, the weighted mean of charge overlap, amount ratio, injury grade
and shared circumstances. The sentences of the comparable defendants in the pool give the empirical
distribution shown next to a recommendation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from leniency.judgments.index import MAX_RESULT_WINDOW, CorpusIndex, Hit, IndexedDefendant, SearchFilters
from leniency.judgments.outcome import Outcome, clean_charge
from leniency.judgments.summary import CIRCUMSTANCE_LABELS, INJURY_LABELS, FactSummary, summarize_facts
from leniency.sentencing.result import TERM_TYPES

TEXT_WEIGHT = 0.5
FACT_WEIGHTS = {"charge": 0.4, "amount": 0.25, "injury": 0.15, "circumstances": 0.2}
POOL_SIZE = 100
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
# retrieval-stage boosts of the structured clauses relative to one bigram's BM25 contribution
AMOUNT_BOOST = 3.0
INJURY_BOOST = 3.0
CIRCUMSTANCE_BOOST = 1.0
# the query's key facts are read from its first characters only: extraction time grows with the text (about
# 0.6 ms per 1,000 characters) and a pasted whole judgment of 50,000 characters would dominate the answer time.
# Measured on the 12,314 facts of judgments.dev.jsonl.xz: 1,172 are longer, and for 377 of them (3 %) the cut
# changes the summary (largest amount, worst injury or circumstances) that re-ranking compares.
MAX_EXTRACT_CHARS = 10_000


@dataclass
class SimilarQuery:
    """What a similar-case search is about: the facts text and/or structured key facts."""

    text: str = ""
    charges: list[str] = field(default_factory=list)
    summary: FactSummary = field(default_factory=FactSummary)


@dataclass
class SimilarCase:
    doc_id: str
    title: str
    defendant: str
    charges: list[str]
    sentence: dict
    sentence_text: str
    score: float
    text_score: float
    fact_score: float
    reason: str
    year: int | None = None
    province: str = ""
    court_level: str = ""
    source: str = ""


@dataclass
class SentenceDistribution:
    count: int = 0
    term_count: int = 0
    quantiles: dict[str, float] = field(default_factory=dict)
    mean_months: float | None = None
    probation_share: float | None = None
    probation_known: int = 0
    types: dict[str, int] = field(default_factory=dict)


@dataclass
class SimilarCases:
    query_charges: list[str]
    cases: list[SimilarCase]
    distribution: SentenceDistribution
    pool: int
    # the query named no charge: it is the prevailing charge of the textually closest judgments
    charges_inferred: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


_CHARGE_IN_TEXT = re.compile(r"(?:犯|以|构成|涉嫌)([\u4e00-\u9fff、]{2,30}?罪)")


def charges_in_text(text: str) -> list[str]:
    """Charges a facts text names (犯盗窃罪, 以诈骗罪, 构成故意伤害罪): the thin fallback when none are given."""
    from leniency.judgments.charges import canonical_charge

    found: list[str] = []
    for match in _CHARGE_IN_TEXT.finditer(text or ""):
        charge = canonical_charge(clean_charge(match.group(1)))
        if len(charge) >= 3 and charge not in found and "××" not in charge:
            found.append(charge)
    return found[:3]


_DEFENDANT_IN_TEXT = re.compile(r"被告人([\u4e00-\u9fff×xX某甲乙丙丁]{1,5}?)(?=[，,。（(的在于因])")


def build_query(
    query: Any, charges: list[str] | None = None, text: str | None = None, extract: bool = True
) -> SimilarQuery:
    """A `SimilarQuery` from text, a `Facts` model, a facts dict or a `SimilarQuery`."""
    if isinstance(query, SimilarQuery):
        return query
    if isinstance(query, str):
        found = list(charges or []) or charges_in_text(query)
        facts = _extract(query, found) if extract else {}
        return SimilarQuery(text=query, charges=found, summary=summarize_facts(facts))
    if hasattr(query, "model_dump"):
        query = query.model_dump(mode="json")
    if isinstance(query, dict):
        found = list(charges or []) or [
            c.get("charge") for c in query.get("charges") or [] if isinstance(c, dict) and c.get("charge")
        ]
        return SimilarQuery(text=text or "", charges=found, summary=summarize_facts(query))
    raise TypeError("similar_cases 需要案情文字、Facts 或事实字典")


def _extract(text: str, charges: list[str]) -> dict:
    """Structured facts of a query text via the extraction package, when it is installed."""
    try:
        from leniency.extraction import extract
    except ImportError:
        return {}
    text = text[:MAX_EXTRACT_CHARS]
    match = _DEFENDANT_IN_TEXT.search(text)
    try:
        return extract(text, match.group(1) if match else "", charges).facts
    except Exception:  # the extractor promises not to raise; a query must not fail if it does
        return {}


def _injury_family(grade: str) -> str:
    return "serious" if grade.startswith("serious") else "minor" if grade.startswith("minor") else grade


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def fact_closeness(query: SimilarQuery, defendant: IndexedDefendant) -> tuple[float, list[str]]:
    """Closeness in [0, 1] of one defendant's key facts to the query, and the Chinese phrases of what they share."""
    parts: dict[str, float] = {}
    shared: list[str] = []
    qc, dc = set(query.charges), set(defendant.charges)
    if qc:
        parts["charge"] = _jaccard(qc, dc)
        common = [c for c in query.charges if c in dc]
        if common:
            shared.append("同为" + "、".join(common))
    qa, da = query.summary.amount, defendant.summary.amount
    if qa:
        ratio = min(qa, da) / max(qa, da) if da else 0.0
        parts["amount"] = ratio
        if ratio >= 0.5:
            shared.append(f"数额相近（{_money(qa)}与{_money(da)}）")
    qi, di = query.summary.injury, defendant.summary.injury
    if qi:
        parts["injury"] = 1.0 if qi == di else 0.5 if di and _injury_family(qi) == _injury_family(di) else 0.0
        if qi == di:
            shared.append(f"同为{INJURY_LABELS.get(qi, qi)}")
    qs, ds = set(query.summary.circumstances), set(defendant.summary.circumstances)
    if qs:
        parts["circumstances"] = _jaccard(qs, ds)
        common_c = [CIRCUMSTANCE_LABELS[c] for c in sorted(qs & ds) if c in CIRCUMSTANCE_LABELS]
        if common_c:
            shared.append("均有" + "、".join(common_c))
    if not parts:
        return 0.0, shared
    weight = sum(FACT_WEIGHTS[k] for k in parts)
    return sum(FACT_WEIGHTS[k] * v for k, v in parts.items()) / weight, shared


def _money(amount: float | None) -> str:
    if not amount:
        return "不详"
    if amount >= 10_000:
        return f"{amount / 10_000:.1f}万元".replace(".0万", "万")
    return f"{amount:.0f}元"


def _best_defendant(query: SimilarQuery, defendants: list[IndexedDefendant]) -> tuple[IndexedDefendant, float, list]:
    best = None
    for d in defendants:
        closeness, shared = fact_closeness(query, d)
        if best is None or closeness > best[1]:
            best = (d, closeness, shared)
    return best


def _pool_query(index: CorpusIndex, searcher, query: SimilarQuery, filters: SearchFilters | None, same_charge: bool):
    clauses = index.filter_clauses(filters)
    schema = index.schema
    if same_charge and query.charges and not (filters and filters.charges):
        clauses.append((tantivy.Occur.Must, tantivy.Query.term_set_query(schema, "charges", query.charges)))
    text = query.text or " ".join(query.charges)
    text_clauses = index.text_clauses(text, searcher) if text else []
    clauses.extend(text_clauses)
    s = query.summary
    if s.injury:
        # a boosted term query is still a term scorer: it keeps the union prunable
        injury = tantivy.Query.term_query(schema, "injury", s.injury)
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(injury, INJURY_BOOST)))
    if text_clauses and query.text.strip():
        # with a text the pool is the textually closest judgments and re-ranking weighs the amount and the
        # circumstances; as retrieval clauses a range query, or terms most judgments share, would stop tantivy
        # from skipping documents (the cost grows with the index)
        return tantivy.Query.boolean_query(clauses)
    if s.amount:
        band = tantivy.Query.range_query(schema, "amount", tantivy.FieldType.Float, s.amount / 2, s.amount * 2)
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(band, AMOUNT_BOOST)))
    for item in s.circumstances:
        circ = tantivy.Query.term_query(schema, "circumstances", item)
        clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(circ, CIRCUMSTANCE_BOOST)))
    if not clauses:
        return tantivy.Query.all_query()
    return tantivy.Query.boolean_query(clauses)


def similar_cases(
    query: Any,
    k: int = 10,
    *,
    index: CorpusIndex | str | Path | None = None,
    filters: SearchFilters | None = None,
    charges: list[str] | None = None,
    text: str | None = None,
    pool: int = POOL_SIZE,
    offset: int = 0,
) -> SimilarCases:
    """The ``k`` most similar judgments to ``query`` (facts text, `Facts`, a facts dict or `SimilarQuery`).

    Each case comes with its sentence and one Chinese line saying what it shares with the query; the
    distribution summarises the sentences of all comparable defendants in the candidate pool.
    """
    if index is None:
        index = CorpusIndex.open(default_index_path())
    elif not isinstance(index, CorpusIndex):
        index = CorpusIndex.open(index)
    given = list(charges or []) or (list(filters.charges) if filters and filters.charges else [])
    q = build_query(query, charges=given or None, text=text, extract=False)
    if k + offset > MAX_RESULT_WINDOW:
        raise ValueError(f"翻页过深：最多只能查看前 {MAX_RESULT_WINDOW} 条结果。")
    searcher = index.searcher()
    want = max(pool, k + offset)
    inferred = False
    if isinstance(query, str) and not q.charges:
        # no charge named: one text search gives the pool, the prevailing charge of its closest
        # judgments is taken as the query's, and the pool is narrowed to that charge
        hits = _search(index, searcher, _pool_query(index, searcher, q, filters, same_charge=False), want)
        q.charges = infer_charges(hits)
        inferred = bool(q.charges)
        if inferred:
            same = [h for h in hits if set(q.charges) & set(h.charges)]
            if len(same) >= k + offset:
                hits = same
    else:
        hits = None
    if isinstance(query, str):
        # the extractor reads charge-specific facts (amount, injury) only for the charges it is given
        q.summary = summarize_facts(_extract(q.text, q.charges))
    if hits is None:
        hits = _search(index, searcher, _pool_query(index, searcher, q, filters, same_charge=True), want)
        if len(hits) < k + offset and q.charges and not (filters and filters.charges):
            seen = {h.doc_id for h in hits}
            more = _search(index, searcher, _pool_query(index, searcher, q, filters, same_charge=False), want)
            hits.extend(h for h in more if h.doc_id not in seen)
    top_text = max((h.score for h in hits), default=0.0) or 1.0
    has_text = bool(q.text.strip())
    weight = TEXT_WEIGHT if has_text else 0.0
    scored = []
    for hit in hits:
        if not hit.defendants:
            continue
        defendant, closeness, shared = _best_defendant(q, hit.defendants)
        text_score = hit.score / top_text if has_text else 0.0
        score = weight * text_score + (1 - weight) * closeness
        scored.append((-score, hit.doc_id, hit, defendant, closeness, shared, text_score))
    scored.sort(key=lambda item: (item[0], item[1]))
    ranked = [
        _case(hit, defendant, -neg, closeness, shared, text_score, has_text)
        for neg, _, hit, defendant, closeness, shared, text_score in scored[offset : offset + k]
    ]
    return SimilarCases(
        query_charges=q.charges,
        charges_inferred=inferred,
        cases=ranked,
        distribution=sentence_distribution(q, hits),
        pool=len(hits),
    )


def _case(hit: Hit, defendant: IndexedDefendant, score, closeness, shared, text_score, has_text) -> SimilarCase:
    if has_text and text_score >= 0.6:
        shared = [*shared, "案情描述相近"]
    outcome = Outcome.from_dict(defendant.outcome)
    return SimilarCase(
        doc_id=hit.doc_id,
        title=hit.title,
        defendant=defendant.name,
        charges=defendant.charges,
        sentence=outcome.to_dict(),
        sentence_text=outcome.describe() + ("" if defendant.probation_known else "（缓刑情况未标注）"),
        score=round(score, 4),
        text_score=round(text_score, 4),
        fact_score=round(closeness, 4),
        reason=("；".join(shared) or "案情文字有相同之处") + "。",
        year=hit.year,
        province=hit.province,
        court_level=hit.court_level,
        source=hit.source,
    )


INFER_TOP = 20
INFER_SHARE = 0.5


def infer_charges(hits: list[Hit]) -> list[str]:
    """The charge carrying at least half the BM25 weight of the closest ``INFER_TOP`` judgments, if one does."""
    top = hits[:INFER_TOP]
    weights: Counter[str] = Counter()
    for hit in top:
        for charge in hit.charges:
            weights[charge] += hit.score
    total = sum(h.score for h in top)
    if not weights or total <= 0:
        return []
    charge, weight = weights.most_common(1)[0]
    return [charge] if weight / total >= INFER_SHARE else []


def _search(index: CorpusIndex, searcher, query, limit: int) -> list[Hit]:
    result = searcher.search(query, limit=limit, count=False)
    return [index._hit(searcher, score, address) for score, address in result.hits]


def sentence_distribution(query: SimilarQuery, hits: list[Hit]) -> SentenceDistribution:
    """Sentences of the comparable defendants: same charges as the query (exactly, when enough have them)."""
    everyone = [d for h in hits for d in h.defendants if not d.combined_with_prior]
    if query.charges:
        wanted = set(query.charges)
        exact = [d for d in everyone if set(d.charges) == wanted]
        comparable = exact if len(exact) >= 10 else [d for d in everyone if wanted & set(d.charges)]
    else:
        comparable = everyone
    outcomes = [(Outcome.from_dict(d.outcome), d.probation_known) for d in comparable]
    outcomes = [(o, known) for o, known in outcomes if o.type != "unknown" or o.months is not None]
    dist = SentenceDistribution(count=len(outcomes))
    dist.types = dict(Counter(o.type for o, _ in outcomes))
    months = sorted(
        o.months for o, _ in outcomes if o.months is not None and o.type in (*TERM_TYPES, "exempt", "fine_only")
    )
    dist.term_count = len(months)
    if months:
        dist.quantiles = {f"p{int(q * 100)}": _quantile(months, q) for q in QUANTILES}
        dist.mean_months = round(sum(months) / len(months), 1)
    with_term = [(o, known) for o, known in outcomes if o.type in TERM_TYPES and known]
    dist.probation_known = len(with_term)
    if with_term:
        dist.probation_share = round(sum(1 for o, _ in with_term if o.probation) / len(with_term), 3)
    return dist


def _quantile(sorted_values: list[int], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    pos = (len(sorted_values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return round(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low), 1)


def default_index_path() -> Path:
    """``$LENIENCY_VAR_DIR/corpus-index``: next to the SQLite database."""
    from leniency.config.env import var_dir

    return var_dir() / "corpus-index"
