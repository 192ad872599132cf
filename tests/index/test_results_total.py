"""``Results.total`` of a name query in ``mode="auto"``: the partial matches a page does
not reach are counted when ``total`` is first read, on the searcher of the search, and
before that searcher closes; the count is the one of the index the search saw."""

from __future__ import annotations

from arsearch import Index

DOCS = [{"id": str(i), "text": "حفتر في بنغازي" if i % 2 else "حفتر وحده" if i % 3 else "بنغازي اليوم"}
        for i in range(30)]


def _count(ix: Index, query: str) -> int:
    return len(ix.search(query, limit=1000))


def test_total_counts_the_partial_matches_the_page_did_not_need(tmp_path):
    with Index(tmp_path / "ix") as ix:
        ix.add_many(DOCS)
        results = ix.search("حفتر بنغازي", limit=2)
        assert results.pending is not None  # the partial tier was not needed for the page
        assert results.total == _count(ix, "حفتر بنغازي") == 30
        assert results.pending is None and [h.partial for h in results] == [False, False]


def test_total_is_the_index_the_search_saw_after_a_commit(tmp_path):
    with Index(tmp_path / "ix") as ix:
        ix.add_many(DOCS)
        before = ix.search("حفتر بنغازي", limit=2)
        ix.add_many([{"id": f"x{i}", "text": "بنغازي"} for i in range(5)])
        after = ix.search("حفتر بنغازي", limit=2)  # a new searcher: the old one closes
        assert before.pending is None  # counted before its searcher closed
        assert (before.total, after.total) == (30, 35)


def test_total_survives_closing_the_index(tmp_path):
    ix = Index(tmp_path / "ix")
    ix.add_many(DOCS)
    results = ix.search("حفتر بنغازي", limit=2)
    ix.close()
    assert results.total == 30
