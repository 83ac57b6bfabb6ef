import pytest


@pytest.fixture(autouse=True)
def corpus_index(settings, tmp_path):
    """A fresh index per test: the database is rolled back after each test, the index must start empty too."""
    from leniency.corpus.services import get_index

    settings.LENIENCY_CORPUS_INDEX = str(tmp_path / "corpus-index")
    index = get_index()
    yield index
    index.close()
