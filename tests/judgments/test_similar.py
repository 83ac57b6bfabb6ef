import pytest

from leniency.judgments.index import CorpusIndex, IndexDoc, IndexedDefendant, SearchFilters
from leniency.judgments.similar import (
    SimilarQuery,
    build_query,
    charges_in_text,
    fact_closeness,
    sentence_distribution,
    similar_cases,
)
from leniency.judgments.summary import FactSummary, summarize_facts

THEFT = "被告人趁被害人家中无人翻窗入户盗窃现金及手机一部，案发后主动投案如实供述并退赔全部损失"
INJURY = "被告人因琐事与被害人发生争执持木棍殴打被害人头部致其轻伤二级，案发后赔偿损失取得谅解"


def make(i, charge, text, months, amount=None, injury="", circ=(), probation=None, known=True, prior=False):
    return IndexDoc(
        doc_id=f"d{i:03d}",
        text=text,
        title=f"案{i}",
        source="test",
        year=2015 + i % 5,
        defendants=[
            IndexedDefendant(
                name=f"被告{i}",
                charges=[charge],
                outcome={"type": "fixed_term", "months": months, "probation_months": probation},
                probation_known=known,
                combined_with_prior=prior,
                summary=FactSummary(amount=amount, injury=injury, circumstances=list(circ)),
            )
        ],
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = CorpusIndex(tmp_path_factory.mktemp("similar") / "ix")
    docs = []
    for i in range(30):
        docs.append(make(i, "盗窃罪", THEFT, 6 + i, amount=1000.0 * (i + 1), circ=("surrender",) if i % 2 else ()))
    for i in range(30, 45):
        docs.append(make(i, "故意伤害罪", INJURY, 8 + i % 7, injury="minor_injury_2" if i % 3 else "serious_injury_2"))
    docs.append(make(99, "诈骗罪", "被告人冒充客服骗取被害人钱款", 30))
    ix.upsert(docs)
    yield ix
    ix.close()


def test_summarize_facts_reads_the_engine_shape():
    s = summarize_facts(
        {
            "charges": [
                {"charge": "盗窃罪", "amount": 8000, "situations": ["burglary"]},
                {"charge": "故意伤害罪", "injuries": ["minor_injury_2", "serious_injury_2"]},
            ],
            "circumstances": {"surrender": True, "compensation": "compensated_forgiven", "confession": "none"},
            "role": "accessory",
            "plea_stage": "prosecution_review",
            "age_at_offence": 17,
        }
    )
    assert s.amount == 8000
    assert s.injury == "serious_injury_2"
    assert s.circumstances == sorted(
        ["burglary", "surrender", "compensation", "forgiveness", "accessory", "plea", "minor"]
    )
    assert s.plea
    assert summarize_facts(None) == FactSummary()


def test_charges_in_text():
    assert charges_in_text("公诉机关指控被告人犯贩卖毒品罪，应以盗窃罪追究") == [
        "走私、贩卖、运输、制造毒品罪",
        "盗窃罪",
    ]
    assert charges_in_text("没有罪名的文字") == []


def test_fact_closeness_components():
    q = SimilarQuery(charges=["盗窃罪"], summary=FactSummary(amount=10000, circumstances=["surrender"]))
    same = IndexedDefendant("a", ["盗窃罪"], {}, summary=FactSummary(amount=10000, circumstances=["surrender"]))
    far = IndexedDefendant("b", ["诈骗罪"], {}, summary=FactSummary(amount=100))
    score_same, shared = fact_closeness(q, same)
    score_far, _ = fact_closeness(q, far)
    assert score_same == pytest.approx(1.0)
    assert score_far < 0.05
    assert shared[0] == "同为盗窃罪" and any("自首" in s for s in shared)


def test_text_query_ranks_same_charge_first_and_explains(index):
    result = similar_cases(THEFT, 5, index=index)
    assert result.query_charges == ["盗窃罪"] and result.charges_inferred
    assert len(result.cases) == 5
    assert all(c.charges == ["盗窃罪"] for c in result.cases)
    assert all(c.reason.startswith("同为盗窃罪") for c in result.cases)
    assert result.cases[0].sentence_text.startswith("有期徒刑")


def test_structured_facts_pull_the_closest_amount_to_the_top(index):
    facts = {"charges": [{"charge": "盗窃罪", "amount": 12000}], "circumstances": {"surrender": True}}
    result = similar_cases(facts, 3, index=index)
    top = result.cases[0]
    assert top.doc_id == "d011"  # amount 12,000 and surrender
    assert "数额相近" in top.reason and "自首" in top.reason
    assert result.cases[0].fact_score >= result.cases[1].fact_score


def test_facts_without_text_retrieve_the_amount_band_beyond_a_small_pool(index):
    # 30 thefts, a pool of 20: only the amount band clause brings 25,000 (d024) into the pool at all
    result = similar_cases({"charges": [{"charge": "盗窃罪", "amount": 25000}]}, 3, index=index, pool=20)
    assert result.cases[0].doc_id == "d024"
    assert "数额相近" in result.cases[0].reason


def test_injury_grade_counts(index):
    result = similar_cases({"charges": [{"charge": "故意伤害罪", "injuries": ["serious_injury_2"]}]}, 5, index=index)
    assert all(c.charges == ["故意伤害罪"] for c in result.cases)
    assert "同为重伤二级" in result.cases[0].reason


def test_distribution_of_comparable_sentences(index):
    result = similar_cases({"charges": [{"charge": "盗窃罪", "amount": 5000}]}, 3, index=index)
    d = result.distribution
    assert d.count == 30
    assert d.quantiles["p50"] == pytest.approx(20.5)
    assert d.quantiles["p10"] == pytest.approx(8.9)
    assert d.probation_share == 0.0
    assert d.types == {"fixed_term": 30}


def test_distribution_excludes_prior_combinations_and_unknown_probation():
    hits_docs = [
        make(1, "盗窃罪", THEFT, 12, probation=12),
        make(2, "盗窃罪", THEFT, 24),
        make(3, "盗窃罪", THEFT, 36, known=False),
        make(4, "盗窃罪", THEFT, 99, prior=True),
    ]
    from leniency.judgments.index import Hit

    hits = [Hit(d.doc_id, 1.0, d.title, d.charges(), "", "", d.year, "test", "", d.defendants) for d in hits_docs]
    dist = sentence_distribution(SimilarQuery(charges=["盗窃罪"]), hits)
    assert dist.count == 3
    assert dist.quantiles["p50"] == 24
    assert dist.probation_known == 2 and dist.probation_share == 0.5


def test_filters_and_pagination(index):
    first = similar_cases(THEFT, 5, index=index, filters=SearchFilters(year_from=2017))
    assert all(c.year >= 2017 for c in first.cases)
    page2 = similar_cases(THEFT, 5, index=index, offset=5)
    page1 = similar_cases(THEFT, 5, index=index)
    assert not {c.doc_id for c in page1.cases} & {c.doc_id for c in page2.cases}


def test_falls_back_to_other_charges_when_too_few(index):
    result = similar_cases({"charges": [{"charge": "诈骗罪"}]}, 5, index=index)
    assert result.cases[0].doc_id == "d099"
    assert len(result.cases) == 5


def test_build_query_accepts_models_and_rejects_other_types():
    class FakeFacts:
        def model_dump(self, mode="json"):
            return {"charges": [{"charge": "危险驾驶罪"}]}

    assert build_query(FakeFacts()).charges == ["危险驾驶罪"]
    with pytest.raises(TypeError):
        build_query(42)
