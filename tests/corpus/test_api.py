import pytest
from django.test import Client

from leniency.corpus.services import import_file
from tests.corpus.test_import import fake_extract
from tests.judgments.samples import own_record, write_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(demo_users, tmp_path, corpus_index):
    import_file(
        write_lines(tmp_path / "own.jsonl", [own_record(i) for i in range(30)]),
        progress=False,
        extractor=fake_extract,
        index=corpus_index,
    )
    c = Client()
    c.force_login(demo_users["prosecutor"])
    return c


def test_login_required(db):
    assert Client().get("/api/corpus/search?q=盗窃").status_code == 401
    assert Client().post("/api/corpus/similar", {"text": "盗窃"}, content_type="application/json").status_code == 401


def test_search_with_filters_and_pages(client):
    r = client.get("/api/corpus/search", {"q": "入户盗窃现金", "charge": "盗窃罪", "page_size": 4})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == 10 and len(data["items"]) == 4
    item = data["items"][0]
    assert item["defendants"][0]["charges"] == ["盗窃罪"]
    assert item["defendants"][0]["sentence_text"] == "有期徒刑1年，缓刑1年6个月，并处罚金5000元"
    page3 = client.get(
        "/api/corpus/search", {"q": "入户盗窃现金", "charge": "盗窃罪", "page_size": 4, "page": 3}
    ).json()
    assert len(page3["items"]) == 2
    assert not {i["doc_id"] for i in data["items"]} & {i["doc_id"] for i in page3["items"]}


def test_search_filters_only(client):
    data = client.get("/api/corpus/search", {"province": "河南省", "page_size": 100}).json()
    assert data["total"] == 10 and all(i["province"] == "河南省" for i in data["items"])
    data = client.get("/api/corpus/search", {"amount_min": 5500, "amount_max": 6000, "page_size": 100}).json()
    assert {i["doc_id"] for i in data["items"]} == {"test:6", "test:9"}
    data = client.get("/api/corpus/search", {"circumstance": "surrender", "year_from": 2019}).json()
    assert data["total"] == 2


def test_search_validation_in_chinese_fields(client):
    assert client.get("/api/corpus/search", {"page": 0}).status_code == 422
    assert client.get("/api/corpus/search", {"page_size": 1000}).status_code == 422


def test_similar_by_text(client):
    r = client.post(
        "/api/corpus/similar",
        {"text": "被告人翻窗进入被害人家中盗窃现金人民币5200元，后主动投案", "page_size": 3},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["query_charges"] == ["盗窃罪"]
    assert len(data["items"]) == 3
    assert data["items"][0]["reason"].startswith("同为盗窃罪")
    assert data["distribution"]["count"] == 10
    assert data["distribution"]["quantiles"]["p50"] == 12
    assert data["distribution"]["probation_share"] == 1.0


def test_similar_by_facts(client):
    facts = {"charges": [{"charge": "盗窃罪", "amount": 5600}], "circumstances": {"surrender": True}}
    data = client.post("/api/corpus/similar", {"facts": facts}, content_type="application/json").json()
    assert data["items"][0]["doc_id"] == "test:6"
    assert "数额相近" in data["items"][0]["reason"]


def test_similar_needs_text_or_facts(client):
    r = client.post("/api/corpus/similar", {}, content_type="application/json")
    assert r.status_code == 422
    assert "text" in r.json()["detail"]


def test_similar_rejects_bad_facts_in_chinese(client):
    r = client.post("/api/corpus/similar", {"facts": {"charges": []}}, content_type="application/json")
    assert r.status_code == 422
    assert "罪名" in r.json()["detail"]


def test_docs_list_both_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/corpus/search" in schema["paths"] and "/api/corpus/similar" in schema["paths"]


def test_paging_beyond_the_result_window_is_refused_in_chinese(client):
    response = client.get("/api/corpus/search", {"q": "盗窃", "page": 10**9})
    assert response.status_code == 422
    assert "page" in response.json()["detail"] and "不能大于 100" in response.json()["detail"]
    response = client.post("/api/corpus/similar", {"text": "盗窃", "page": 101}, content_type="application/json")
    assert response.status_code == 422
    assert client.get("/api/corpus/search", {"q": "盗窃", "page": 100, "page_size": 100}).status_code == 200


def test_index_returns_no_page_beyond_its_window(corpus_index):
    from leniency.judgments.index import MAX_RESULT_WINDOW

    total, hits = corpus_index.search("盗窃", limit=20, offset=MAX_RESULT_WINDOW)
    assert hits == [] and total >= 0
