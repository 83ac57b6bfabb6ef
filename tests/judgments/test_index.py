import pytest

from leniency.judgments.index import CorpusIndex, IndexDoc, IndexedDefendant, SearchFilters, bigrams, normalize
from leniency.judgments.summary import FactSummary


def doc(i, charge="盗窃罪", text="被告人入户盗窃现金", province="浙江省", year=2018, amount=None, injury="", circ=()):
    return IndexDoc(
        doc_id=f"d{i}",
        text=text,
        title=f"案{i}",
        source="test",
        province=province,
        court_level="basic",
        year=year,
        procedure="summary",
        defendants=[
            IndexedDefendant(
                name=f"被告{i}",
                charges=[charge],
                outcome={"type": "fixed_term", "months": 6 + i},
                summary=FactSummary(amount=amount, injury=injury, circumstances=list(circ), plea="plea" in circ),
            )
        ],
    )


@pytest.fixture
def index(tmp_path):
    ix = CorpusIndex(tmp_path / "ix")
    yield ix
    ix.close()


def test_normalize_and_bigrams():
    assert normalize("被告人，张某 A!") == "被告人张某a"
    assert bigrams("盗窃罪。") == ["盗窃", "窃罪"]


def test_upsert_replaces_by_doc_id(index):
    index.upsert([doc(1), doc(2)])
    index.upsert([doc(1, text="驾驶机动车")])
    assert index.count() == 2
    total, hits = index.search("驾驶机动车")
    assert total == 1 and hits[0].doc_id == "d1"


def test_text_ranking_prefers_the_closer_text(index):
    index.upsert(
        [
            doc(1, text="被告人持刀抢劫路人财物"),
            doc(2, text="被告人入户盗窃手机一部现金五千元"),
            doc(3, text="醉酒驾驶"),
        ]
    )
    total, hits = index.search("入户盗窃手机")
    assert hits[0].doc_id == "d2"
    assert "d3" not in [h.doc_id for h in hits]


def test_every_filter(index):
    index.upsert(
        [
            doc(1, amount=5000.0, circ=("surrender", "plea")),
            doc(2, charge="故意伤害罪", province="河南省", year=2020, injury="minor_injury_2"),
            doc(3, amount=50000.0, year=2012),
        ]
    )

    def ids(**kw):
        return sorted(h.doc_id for h in index.search(None, SearchFilters(**kw), limit=10)[1])

    assert ids() == ["d1", "d2", "d3"]
    assert ids(charges=["故意伤害罪"]) == ["d2"]
    assert ids(charges=["故意伤害罪", "盗窃罪"]) == ["d1", "d2", "d3"]
    assert ids(province="河南省") == ["d2"]
    assert ids(year_from=2015) == ["d1", "d2"]
    assert ids(year_to=2015) == ["d3"]
    assert ids(amount_min=1000.0, amount_max=10000.0) == ["d1"]
    assert ids(amount_min=10000.0) == ["d3"]
    assert ids(injury="minor_injury_2") == ["d2"]
    assert ids(circumstances=["surrender"]) == ["d1"]
    assert ids(plea=True) == ["d1"]
    assert ids(plea=False) == ["d2", "d3"]
    assert ids(procedure="summary", court_level="basic", source="test") == ["d1", "d2", "d3"]
    assert ids(procedure="ordinary") == []


def test_pagination_and_total(index):
    index.upsert([doc(i) for i in range(25)])
    total, first = index.search("盗窃", limit=10)
    _, second = index.search("盗窃", limit=10, offset=10)
    assert total == 25
    assert len(first) == 10 and not {h.doc_id for h in first} & {h.doc_id for h in second}


def test_query_without_known_terms_matches_nothing(index):
    index.upsert([doc(1)])
    assert index.search("完全无关的词汇组合") == (0, [])


def test_delete_and_reopen(tmp_path):
    ix = CorpusIndex(tmp_path / "ix")
    ix.upsert([doc(1), doc(2)])
    ix.delete(["d1"])
    ix.close()
    again = CorpusIndex(tmp_path / "ix")
    assert again.count() == 1
    hit = again.search(None)[1][0]
    assert hit.defendants[0].outcome["months"] == 8
    again.close()
