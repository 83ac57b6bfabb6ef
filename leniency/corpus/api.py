"""REST endpoints of the judgment corpus: full-text search and similar cases (类案检索), paginated."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from leniency.corpus.models import Judgment
from leniency.corpus.services import get_index
from leniency.judgments.index import MAX_RESULT_WINDOW, SearchFilters
from leniency.judgments.outcome import Outcome
from leniency.judgments.similar import similar_cases

router = Router(tags=["类案检索"])

MAX_PAGE_SIZE = 100
# With the largest page size, the last page still ends inside the index's result window.
MAX_PAGE = MAX_RESULT_WINDOW // MAX_PAGE_SIZE


class FilterParams(Schema):
    charge: list[str] = Field(default_factory=list, description="罪名，可多个（满足其一即可），如 盗窃罪")
    province: str | None = Field(default=None, description="省份，如 浙江省")
    court_level: str | None = Field(default=None, description="法院层级：supreme/high/intermediate/basic")
    year_from: int | None = Field(default=None, ge=1949, le=2100, description="起始年份")
    year_to: int | None = Field(default=None, ge=1949, le=2100, description="截止年份")
    amount_min: float | None = Field(default=None, ge=0, le=1e13, description="犯罪数额下限（元）")
    amount_max: float | None = Field(default=None, ge=0, le=1e13, description="犯罪数额上限（元）")
    injury: str | None = Field(default=None, description="伤情，如 minor_injury_2（轻伤二级）")
    circumstance: list[str] = Field(default_factory=list, description="须具有的情节，如 surrender（自首）")
    plea: bool | None = Field(default=None, description="是否认罪认罚")
    procedure: str | None = Field(default=None, description="程序：fast_track/summary/ordinary")
    source: str | None = Field(default=None, description="来源，如 lecard、cail2018")

    def to_filters(self) -> SearchFilters:
        return SearchFilters(
            charges=list(self.charge),
            province=self.province,
            court_level=self.court_level,
            year_from=self.year_from,
            year_to=self.year_to,
            amount_min=self.amount_min,
            amount_max=self.amount_max,
            injury=self.injury,
            circumstances=list(self.circumstance),
            plea=self.plea,
            procedure=self.procedure,
            source=self.source,
        )


class SearchParams(FilterParams):
    q: str = Field(default="", max_length=5000, description="检索文字（为空时仅按条件筛选）")
    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="页码，从 1 开始（最多 100 页）")
    page_size: int = Field(default=20, ge=1, le=MAX_PAGE_SIZE, description="每页条数（最多 100）")


class DefendantOut(Schema):
    name: str
    charges: list[str]
    sentence: dict[str, Any]
    sentence_text: str


class JudgmentHitOut(Schema):
    doc_id: str
    title: str
    case_number: str
    court: str
    province: str
    court_level: str
    year: int | None
    source: str
    score: float
    excerpt: str
    defendants: list[DefendantOut]


class SearchOut(Schema):
    total: int
    page: int
    page_size: int
    items: list[JudgmentHitOut]


class SimilarIn(FilterParams):
    text: str = Field(default="", max_length=20000, description="案情文字（与 facts 至少给出一项）")
    facts: dict[str, Any] | None = Field(default=None, description="结构化事实（量刑引擎 Facts 的 JSON）")
    charges: list[str] = Field(default_factory=list, description="本案罪名；为空时从文字或事实中识别")
    page: int = Field(default=1, ge=1, le=MAX_PAGE, description="页码，从 1 开始（最多 100 页）")
    page_size: int = Field(default=10, ge=1, le=MAX_PAGE_SIZE)


class SimilarCaseOut(Schema):
    doc_id: str
    title: str
    defendant: str
    charges: list[str]
    sentence: dict[str, Any]
    sentence_text: str
    score: float
    text_score: float
    fact_score: float
    reason: str
    year: int | None
    province: str
    court_level: str
    source: str


class DistributionOut(Schema):
    count: int = Field(description="可比被告人数")
    term_count: int = Field(description="有刑期（月）的可比被告人数")
    quantiles: dict[str, float] = Field(description="刑期（月）分位数 p10/p25/p50/p75/p90")
    mean_months: float | None
    probation_share: float | None = Field(description="判处有期徒刑、拘役、管制者中适用缓刑的比例")
    probation_known: int
    types: dict[str, int] = Field(description="各刑种人数")


class SimilarOut(Schema):
    query_charges: list[str]
    charges_inferred: bool
    pool: int = Field(description="参与排序的候选文书数")
    page: int
    page_size: int
    items: list[SimilarCaseOut]
    distribution: DistributionOut


def _sentence(d) -> dict:
    return {
        "type": d.sentence_type,
        "months": d.months,
        "probation_months": d.probation_months,
        "fine": d.fine,
        "death_reprieve": d.death_reprieve,
    }


@router.get("/search", response=SearchOut, summary="全文检索裁判文书（可按罪名、地区、年份、数额、伤情、情节等筛选）")
def search(request: HttpRequest, params: Query[SearchParams]) -> dict:
    index = get_index()
    offset = (params.page - 1) * params.page_size
    total, hits = index.search(params.q, params.to_filters(), limit=params.page_size, offset=offset)
    rows = {
        j.doc_id: j for j in Judgment.objects.filter(doc_id__in=[h.doc_id for h in hits]).prefetch_related("defendants")
    }
    items = []
    for hit in hits:
        judgment = rows.get(hit.doc_id)
        if judgment is None:  # indexed but no longer in the database
            continue
        items.append(
            {
                "doc_id": hit.doc_id,
                "title": judgment.title,
                "case_number": judgment.case_number,
                "court": judgment.court,
                "province": judgment.province,
                "court_level": judgment.court_level,
                "year": judgment.year,
                "source": judgment.source,
                "score": round(hit.score, 4),
                "excerpt": judgment.facts[:200],
                "defendants": [
                    {
                        "name": d.name,
                        "charges": d.charges,
                        "sentence": _sentence(d),
                        "sentence_text": Outcome.from_dict(_sentence(d)).describe(),
                    }
                    for d in judgment.defendants.all()
                ],
            }
        )
    return {"total": total, "page": params.page, "page_size": params.page_size, "items": items}


@router.post("/similar", response=SimilarOut, summary="类案推送：相似案例、相似理由与可比案件刑罚分布")
def similar(request: HttpRequest, payload: SimilarIn) -> dict:
    if not payload.text.strip() and not payload.facts:
        raise HttpError(422, "请提供案情文字 text 或结构化事实 facts")
    query: Any = payload.text
    if payload.facts:
        query = _validated_facts(payload.facts)
    offset = (payload.page - 1) * payload.page_size
    result = similar_cases(
        query,
        payload.page_size,
        index=get_index(),
        filters=payload.to_filters(),
        charges=list(payload.charges) or None,
        text=payload.text or None,
        offset=offset,
    )
    data = result.to_dict()
    return {
        "query_charges": data["query_charges"],
        "charges_inferred": data["charges_inferred"],
        "pool": data["pool"],
        "page": payload.page,
        "page_size": payload.page_size,
        "items": data["cases"],
        "distribution": data["distribution"],
    }


def _validated_facts(facts: dict) -> dict:
    """Facts checked by the engine's model when it is installed (Chinese error naming the field)."""
    try:
        from leniency.sentencing.facts import parse_facts
    except ImportError:
        return facts
    try:
        return parse_facts(facts).model_dump(mode="json")
    except ValueError as exc:
        raise HttpError(422, f"事实有误：{exc}") from None
