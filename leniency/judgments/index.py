"""The full-text index of the corpus (tantivy, Chinese character bigrams) with the structured filter fields.

One index document per judgment. Chinese has no spaces, so the facts are indexed as overlapping character
bigrams (the usual n-gram approach for Chinese retrieval); punctuation and whitespace are dropped first so
that query and document are cut the same way. The stored part of each document carries what similar-case
ranking needs (charges, sentence and key facts of every defendant), so a query never touches the database.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from leniency.judgments.summary import FactSummary, worse_injury

TOKENIZER = "zh_bigram"
# the facts section is indexed up to this many characters: beyond it judgments list evidence item by item,
# which adds little to what the case is about and a lot to index size
MAX_INDEXED_CHARS = 3000
# longest query text read and most query terms kept (by tf·idf): bounds query latency on large indexes (the
# search time grows about linearly with the number of terms; 32 instead of 48 took a third off it at 300,000)
MAX_QUERY_CHARS = 1500
MAX_QUERY_TERMS = 32
SCHEMA_VERSION = "1"

_DROP = re.compile(r"[^\w]+|_")


def normalize(text: str) -> str:
    """Lower-case letters, digits and CJK characters only."""
    return _DROP.sub("", text or "").lower()


def bigrams(text: str) -> list[str]:
    s = normalize(text)
    return [s[i : i + 2] for i in range(len(s) - 1)]


def _analyzer():
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, 2, False)).filter(tantivy.Filter.lowercase()).build()


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", stored=False, tokenizer_name=TOKENIZER)
    sb.add_text_field("title", stored=True, tokenizer_name="raw")
    for name in ("source", "charges", "province", "court_level", "injury", "circumstances", "plea", "procedure"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw")
    sb.add_integer_field("year", stored=True, indexed=True, fast=True)
    sb.add_float_field("amount", stored=True, indexed=True, fast=True)
    sb.add_text_field("defendants", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


# The deepest result reachable by paging (as in Elasticsearch's max_result_window).
MAX_RESULT_WINDOW = 10_000


@dataclass
class IndexedDefendant:
    name: str
    charges: list[str]
    outcome: dict
    probation_known: bool = True
    combined_with_prior: bool = False
    summary: FactSummary = field(default_factory=FactSummary)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "charges": self.charges,
            "outcome": self.outcome,
            "probation_known": self.probation_known,
            "combined_with_prior": self.combined_with_prior,
            "summary": self.summary.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> IndexedDefendant:
        return cls(
            name=data.get("name", ""),
            charges=list(data.get("charges") or []),
            outcome=data.get("outcome") or {},
            probation_known=bool(data.get("probation_known", True)),
            combined_with_prior=bool(data.get("combined_with_prior", False)),
            summary=FactSummary.from_dict(data.get("summary")),
        )


@dataclass
class IndexDoc:
    doc_id: str
    text: str
    title: str = ""
    source: str = ""
    province: str = ""
    court_level: str = ""
    year: int | None = None
    procedure: str = ""
    defendants: list[IndexedDefendant] = field(default_factory=list)

    def charges(self) -> list[str]:
        out: list[str] = []
        for d in self.defendants:
            out.extend(c for c in d.charges if c not in out)
        return out

    def to_document(self) -> tantivy.Document:
        amount: float | None = None
        injury = ""
        circumstances: set[str] = set()
        plea = False
        for d in self.defendants:
            if d.summary.amount is not None:
                amount = max(amount or 0.0, d.summary.amount)
            injury = worse_injury(injury, d.summary.injury)
            circumstances.update(d.summary.circumstances)
            plea = plea or d.summary.plea
        doc = tantivy.Document()
        doc.add_text("doc_id", self.doc_id)
        doc.add_text("text", normalize(self.text[:MAX_INDEXED_CHARS]))
        doc.add_text("title", self.title or "")
        doc.add_text("source", self.source or "")
        for charge in self.charges():
            doc.add_text("charges", charge)
        for name, value in (("province", self.province), ("court_level", self.court_level), ("injury", injury)):
            if value:
                doc.add_text(name, value)
        for item in sorted(circumstances):
            doc.add_text("circumstances", item)
        doc.add_text("plea", "yes" if plea else "no")
        if self.procedure:
            doc.add_text("procedure", self.procedure)
        if self.year is not None:
            doc.add_integer("year", int(self.year))
        if amount is not None:
            doc.add_float("amount", float(amount))
        doc.add_text("defendants", json.dumps([d.to_dict() for d in self.defendants], ensure_ascii=False))
        return doc


@dataclass
class SearchFilters:
    """Structured filters; every one given must hold (charges: any of them)."""

    charges: list[str] = field(default_factory=list)
    province: str | None = None
    court_level: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    injury: str | None = None
    circumstances: list[str] = field(default_factory=list)
    plea: bool | None = None
    procedure: str | None = None
    source: str | None = None

    def is_empty(self) -> bool:
        return not any(
            [
                self.charges,
                self.province,
                self.court_level,
                self.year_from is not None,
                self.year_to is not None,
                self.amount_min is not None,
                self.amount_max is not None,
                self.injury,
                self.circumstances,
                self.plea is not None,
                self.procedure,
                self.source,
            ]
        )


@dataclass
class Hit:
    doc_id: str
    score: float
    title: str
    charges: list[str]
    province: str
    court_level: str
    year: int | None
    source: str
    procedure: str
    defendants: list[IndexedDefendant]


_LOCK = threading.Lock()
_OPEN: dict[str, CorpusIndex] = {}


class CorpusIndex:
    """A tantivy index in a directory; create it on first use."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        version_file = self.path / "leniency-index-version"
        if tantivy.Index.exists(str(self.path)) and (
            not version_file.exists() or version_file.read_text().strip() != SCHEMA_VERSION
        ):
            raise RuntimeError(f"索引 {self.path} 的结构版本与当前程序不符，请运行 leniency corpus reindex 重建索引")
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        self.index.register_tokenizer(TOKENIZER, _analyzer())
        version_file.write_text(SCHEMA_VERSION)
        self._writer: tantivy.IndexWriter | None = None
        self._df_cache: dict[str, int] = {}
        self._df_docs = -1
        self._reloaded = 0.0

    @classmethod
    def open(cls, path: str | Path) -> CorpusIndex:
        """A shared instance per directory (tantivy allows one writer per index)."""
        key = str(Path(path).resolve())
        with _LOCK:
            if key not in _OPEN:
                _OPEN[key] = cls(path)
            return _OPEN[key]

    # --- writing -----------------------------------------------------------------------------------------
    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        return self._writer

    def upsert(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace documents by doc_id and commit."""
        writer = self._get_writer()
        count = 0
        for doc in docs:
            writer.delete_documents_by_term("doc_id", doc.doc_id)
            writer.add_document(doc.to_document())
            count += 1
        writer.commit()
        self.index.reload()
        self._reloaded = time.monotonic()
        return count

    def delete(self, doc_ids: Iterable[str]) -> None:
        writer = self._get_writer()
        for doc_id in doc_ids:
            writer.delete_documents_by_term("doc_id", doc_id)
        writer.commit()
        self.index.reload()
        self._reloaded = time.monotonic()

    def clear(self) -> None:
        writer = self._get_writer()
        writer.delete_all_documents()
        writer.commit()
        self.index.reload()
        self._reloaded = time.monotonic()

    def close(self) -> None:
        """Release the writer lock (merging threads finish first)."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None
        with _LOCK:
            _OPEN.pop(str(self.path.resolve()), None)

    # --- reading -----------------------------------------------------------------------------------------
    def searcher(self) -> tantivy.Searcher:
        # the reader follows commits on its own; an explicit reload (at most once a second) makes a commit
        # by another process visible at once
        now = time.monotonic()
        if now - self._reloaded > 1.0:
            self.index.reload()
            self._reloaded = now
        return self.index.searcher()

    def count(self) -> int:
        return self.searcher().num_docs

    def text_query(self, text: str, searcher: tantivy.Searcher | None = None) -> tantivy.Query | None:
        """A disjunction of the query's most informative bigrams (tf·idf), or None if it has none."""
        clauses = self.text_clauses(text, searcher)
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def text_clauses(
        self, text: str, searcher: tantivy.Searcher | None = None
    ) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """The SHOULD term clauses of :meth:`text_query`, to be placed directly in a larger boolean query: tantivy
        can prune a flat union of term queries (block-max WAND), not one nested inside another boolean query."""
        return [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", g))
            for g in self.text_terms(text, searcher)
        ]

    def text_terms(self, text: str, searcher: tantivy.Searcher | None = None) -> list[str]:
        """The query's ``MAX_QUERY_TERMS`` most informative bigrams (tf·idf), best first."""
        searcher = searcher or self.searcher()
        grams = Counter(bigrams(text[:MAX_QUERY_CHARS]))
        if not grams:
            return []
        total = max(searcher.num_docs, 1)
        if self._df_docs != total:
            # document frequencies are cached per index state: common bigrams recur in every query
            self._df_cache = {}
            self._df_docs = total
        cache = self._df_cache
        weighted = []
        for gram, tf in grams.items():
            if gram.isdigit():  # dates and amounts: too specific to say what a case is about
                continue
            df = cache.get(gram)
            if df is None:
                df = cache[gram] = searcher.doc_freq("text", gram)
            if df == 0:
                continue
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            weighted.append((tf * idf, gram))
        weighted.sort(reverse=True)
        return [gram for _, gram in weighted[:MAX_QUERY_TERMS]]

    def filter_clauses(self, filters: SearchFilters | None) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        if filters is None:
            return []
        schema = self.schema
        must = tantivy.Occur.Must
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []

        def term(name: str, value: str) -> tantivy.Query:
            return tantivy.Query.term_query(schema, name, value)

        if filters.charges:
            clauses.append((must, tantivy.Query.term_set_query(schema, "charges", list(filters.charges))))
        for name in ("province", "court_level", "injury", "procedure", "source"):
            value = getattr(filters, name)
            if value:
                clauses.append((must, term(name, value)))
        for item in filters.circumstances:
            clauses.append((must, term("circumstances", item)))
        if filters.plea is not None:
            clauses.append((must, term("plea", "yes" if filters.plea else "no")))
        if filters.year_from is not None or filters.year_to is not None:
            clauses.append(
                (
                    must,
                    tantivy.Query.range_query(
                        schema, "year", tantivy.FieldType.Integer, filters.year_from, filters.year_to
                    ),
                )
            )
        if filters.amount_min is not None or filters.amount_max is not None:
            clauses.append(
                (
                    must,
                    tantivy.Query.range_query(
                        schema,
                        "amount",
                        tantivy.FieldType.Float,
                        float(filters.amount_min) if filters.amount_min is not None else None,
                        float(filters.amount_max) if filters.amount_max is not None else None,
                    ),
                )
            )
        return clauses

    def search(
        self, text: str | None = None, filters: SearchFilters | None = None, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[Hit]]:
        """``(total matching, hits)`` ranked by BM25 over the bigrams of ``text`` (or by index order)."""
        searcher = self.searcher()
        clauses = self.filter_clauses(filters)
        text_query = self.text_query(text, searcher) if text and text.strip() else None
        if text and text.strip() and text_query is None:
            return 0, []
        if text_query is not None:
            clauses.append((tantivy.Occur.Must, text_query))
        query = tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.all_query()
        limit, offset = max(limit, 0), max(offset, 0)
        if offset + limit > MAX_RESULT_WINDOW:
            # tantivy allocates offset + limit slots up front: a huge page would abort the process.
            return searcher.search(query, limit=1, count=True).count or 0, []
        result = searcher.search(query, limit=limit, count=True, offset=offset)
        hits = [self._hit(searcher, score, address) for score, address in result.hits]
        return result.count or 0, hits

    @staticmethod
    def _hit(searcher: tantivy.Searcher, score: float, address) -> Hit:
        doc = searcher.doc(address)
        return Hit(
            doc_id=doc.get_first("doc_id") or "",
            score=float(score),
            title=doc.get_first("title") or "",
            charges=doc.get_all("charges"),
            province=doc.get_first("province") or "",
            court_level=doc.get_first("court_level") or "",
            year=doc.get_first("year"),
            source=doc.get_first("source") or "",
            procedure=doc.get_first("procedure") or "",
            defendants=[IndexedDefendant.from_dict(d) for d in json.loads(doc.get_first("defendants") or "[]")],
        )
