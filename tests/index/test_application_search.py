"""Application search over typed metadata (``Index(fields=...)``): ``filter=``, the query
language's ``name:value`` filters, ``sort=``, ``offset``/``limit`` pages, ``facets=``
and ``Results.total``, on a corpus of 60 generated documents (tests/helpers/metadata.py).

The oracle never asks arsearch about metadata: it is the unfiltered search's full hit
list (``ix.search(q, limit=10_000)``) and the metadata the corpus was built with. A
filter must give that list restricted to the documents meeting it (same order, same
scores, to the bit); a sort, that list sorted stably by a Python key; a page, a slice of
it; a facet, counts made in Python over it. The same checks on random filters, pages
and sorts are in test_application_properties.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from helpers.metadata import (
    BROAD,
    FIELDS,
    NAME,
    RARE_SOURCE,
    build_corpus,
    build_documents,
    facet_oracle,
    meets,
    meta_of,
    python_sorted,
    restricted,
    rows,
)

from arsearch import DocumentError, Index, QueryError

DOCS = build_documents()
QUERIES = [pytest.param(BROAD, id="broad word"), pytest.param(NAME, id="two-word name (partial tier)")]
# A datetime of the corpus: a filter on it matches that instant only.
SOME_MOMENT = next(d["date"] for d in DOCS if isinstance(d.get("date"), dt.datetime))


@pytest.fixture(scope="module")
def corpus():
    c = build_corpus()
    yield c
    c.ix.close()


def expected(corpus, query, filter, **kwargs):
    return restricted(corpus.full(query, **kwargs), corpus.metas, lambda m: meets(m, filter))


# --- filter= -----------------------------------------------------------------------
FILTERS = [
    pytest.param({"source": "bbc"}, id="keyword equal"),
    pytest.param({"source": "الجزيرة"}, id="Arabic keyword"),
    pytest.param({"source": RARE_SOURCE}, id="rare keyword with a space"),
    pytest.param({"source": ["bbc", "reuters"]}, id="keyword any of"),
    pytest.param({"category": "sport"}, id="one value of a multi-valued field"),
    pytest.param({"category": ["weather", "economy"]}, id="multi-valued any of"),
    pytest.param({"lang": "ar"}, id="undeclared keyword field"),
    pytest.param({"views": 100}, id="number equal int"),
    pytest.param({"views": 12.5}, id="number equal float"),
    pytest.param({"views": [0, 200, 3.25]}, id="number any of"),
    pytest.param({"views": (10, 100)}, id="number range inclusive"),
    pytest.param({"views": (100, None)}, id="number range open high"),
    pytest.param({"views": (None, 12.5)}, id="number range open low"),
    pytest.param({"date": dt.date(2018, 5, 31)}, id="date covers its whole day"),
    pytest.param({"date": SOME_MOMENT}, id="datetime is that instant"),
    pytest.param({"date": "2018"}, id="ISO year"),
    pytest.param({"date": "2018-05"}, id="ISO month"),
    pytest.param({"date": "2018-12-31"}, id="ISO day"),
    pytest.param({"date": (dt.date(2018, 3, 1), dt.date(2018, 12, 31))}, id="date range, ends whole days"),
    pytest.param({"date": ("2017", "2018-05")}, id="date range of ISO year and month"),
    pytest.param({"date": (None, dt.date(2016, 12, 31))}, id="date range open low"),
    pytest.param({"date": (SOME_MOMENT, None)}, id="date range from an instant"),
    pytest.param({"date": [dt.date(2016, 2, 29), "2019-07"]}, id="date any of"),
    pytest.param({"source": "bbc", "date": ("2018", None), "views": (None, 100)}, id="three fields all hold"),
    pytest.param({"category": ["sport", "politics"], "lang": "en"}, id="declared and undeclared"),
]


@pytest.mark.parametrize("filter", FILTERS)
@pytest.mark.parametrize("query", QUERIES)
def test_filter_is_the_unfiltered_list_restricted(corpus, query, filter):
    want = expected(corpus, query, filter)
    got = corpus.full(query, filter=filter)
    assert rows(got) == rows(want)
    assert got.total == len(want)


@pytest.mark.parametrize("filter", FILTERS)
def test_filters_of_the_corpus_keep_some_and_drop_some(corpus, filter):
    """The corpus makes each filter case meaningful: on the broad query, none keeps all
    the hits nor none of them."""
    full = corpus.full(BROAD)
    assert 0 < len(expected(corpus, BROAD, filter)) < len(full)


@pytest.mark.parametrize("filter", [{"source": "nobody"}, {"views": (101, 99)}, {"date": "2020"}])
def test_filter_nothing_meets_gives_no_hits(corpus, filter):
    got = corpus.ix.search(BROAD, filter=filter, facets=["source"])
    assert got == [] and got.total == 0 and got.facets == {"source": []}


def test_date_filter_takes_datetimes_of_that_day(corpus):
    got = corpus.full(BROAD, filter={"date": dt.date(2018, 5, 31)})
    kept = [corpus.metas[h.id].stored_date for h in got]
    assert dt.date(2018, 5, 31) in kept
    assert any(isinstance(d, dt.datetime) and d.date() == dt.date(2018, 5, 31) for d in kept)
    assert all(corpus.metas[h.id].date.date() == dt.date(2018, 5, 31) for h in got)


def test_iso_string_of_a_document_is_kept_as_the_date_it_reads(corpus):
    given = [d for d in DOCS if isinstance(d.get("date"), str)]
    assert given, "the corpus gives some dates as ISO strings"
    for d in given:
        kept = corpus.ix.get(d["id"]).fields["date"]
        assert kept == corpus.metas[d["id"]].stored_date and isinstance(kept, dt.date)


# --- the query language ------------------------------------------------------------
WRITTEN = [
    pytest.param("source:bbc", {"source": "bbc"}, id="keyword"),
    pytest.param("source:الجزيرة", {"source": "الجزيرة"}, id="Arabic keyword"),
    pytest.param(f'source:"{RARE_SOURCE}"', {"source": RARE_SOURCE}, id="quoted keyword"),
    pytest.param("category:(sport OR economy)", {"category": ["sport", "economy"]}, id="keyword any of"),
    pytest.param("lang:en", {"lang": "en"}, id="undeclared keyword field"),
    pytest.param("date:2018-03-01..2018-05-31", {"date": (dt.date(2018, 3, 1), dt.date(2018, 5, 31))}, id="date range"),
    pytest.param("date:2018", {"date": "2018"}, id="date year"),
    pytest.param("date:2018-05", {"date": "2018-05"}, id="date month"),
    pytest.param("date:2019-01-01", {"date": dt.date(2019, 1, 1)}, id="date day"),
    pytest.param("date:>=2018", {"date": ("2018", None)}, id="date from a year"),
    pytest.param("date:..2017", {"date": (None, "2017")}, id="date open low"),
    pytest.param("views:12.5", {"views": 12.5}, id="number equal"),
    pytest.param("views:>=100", {"views": (100, None)}, id="number at least"),
    pytest.param("views:<=20", {"views": (None, 20)}, id="number at most"),
    pytest.param("views:10..20", {"views": (10, 20)}, id="number range"),
    pytest.param("views:10..", {"views": (10, None)}, id="number open high"),
    pytest.param("views:>=١٠٠", {"views": (100, None)}, id="Arabic-Indic digits"),
    pytest.param("date:٢٠١٨-٠٥", {"date": "2018-05"}, id="date in Arabic-Indic digits"),
    pytest.param("source:bbc date:>=2018 views:..100", {"source": "bbc", "date": ("2018", None), "views": (None, 100)},
                 id="three filters"),
]


@pytest.mark.parametrize(("written", "filter"), WRITTEN)
@pytest.mark.parametrize("query", QUERIES)
def test_written_filter_equals_filter_argument(corpus, query, written, filter):
    want = rows(expected(corpus, query, filter))
    assert rows(corpus.full(f"{query} {written}")) == want
    assert rows(corpus.full(f"{written} {query}")) == want, "a filter before the words"
    assert rows(corpus.full(query, filter=filter)) == want
    assert corpus.ix.search(f"{query} {written}", limit=1).total == len(want)


NOT_A_FILTER_ARGUMENT = [
    pytest.param("views:>100", lambda m: m.views is not None and m.views > 100, id="number more than"),
    pytest.param("views:<5", lambda m: m.views is not None and m.views < 5, id="number less than"),
    pytest.param("date:>2018", lambda m: m.date is not None and m.date >= dt.datetime(2019, 1, 1), id="date after a year"),
    pytest.param("date:<2018-03-01", lambda m: m.date is not None and m.date < dt.datetime(2018, 3, 1), id="date before a day"),
    pytest.param("-source:bbc", lambda m: "bbc" not in m.sources, id="negated keyword keeps documents without one"),
    pytest.param("NOT category:sport", lambda m: "sport" not in m.categories, id="NOT keyword"),
    pytest.param("-lang:ar", lambda m: m.lang != "ar", id="negated undeclared field"),
    pytest.param("-views:>100", lambda m: m.views is None or m.views <= 100, id="negated number range"),
    pytest.param("-date:2018", lambda m: m.date is None or m.date.year != 2018, id="negated date year"),
    pytest.param("source:bbc -category:sport", lambda m: "bbc" in m.sources and "sport" not in m.categories,
                 id="filter and negated filter"),
    pytest.param(f'NOT source:"{RARE_SOURCE}"', lambda m: RARE_SOURCE not in m.sources, id="NOT quoted keyword"),
    pytest.param("NOT category:(sport OR economy)", lambda m: not {"sport", "economy"} & set(m.categories),
                 id="NOT keyword any of"),
    pytest.param(f'-source:"{RARE_SOURCE}"', lambda m: RARE_SOURCE not in m.sources, id="negated quoted keyword"),
    pytest.param("-category:(sport OR economy)", lambda m: not {"sport", "economy"} & set(m.categories),
                 id="negated keyword any of"),
]


@pytest.mark.parametrize(("written", "keep"), NOT_A_FILTER_ARGUMENT)
@pytest.mark.parametrize("query", QUERIES)
def test_written_comparisons_and_negations(corpus, query, written, keep):
    want = restricted(corpus.full(query), corpus.metas, keep)
    got = corpus.full(f"{query} {written}")
    assert rows(got) == rows(want) and got.total == len(want)


def test_written_filter_and_filter_argument_both_hold(corpus):
    got = corpus.full(f"{BROAD} source:bbc", filter={"views": (None, 100)})
    assert rows(got) == rows(expected(corpus, BROAD, {"source": "bbc", "views": (None, 100)}))


def test_text_fields_stay_text_fields(corpus):
    word = "حفتر"
    titled = corpus.full(f"title:{word}")
    assert titled and all(word in (corpus.ix.get(h.id).title or "") for h in titled)
    assert rows(corpus.full(f"title:{word} source:bbc")) == rows(
        restricted(titled, corpus.metas, lambda m: "bbc" in m.sources))
    assert rows(corpus.full(f"body:{word}")) == rows(corpus.full(f"text:{word}"))


@pytest.mark.parametrize(("written", "keep"), [
    pytest.param("source:bbc", lambda m: "bbc" in m.sources, id="keyword"),
    pytest.param("-source:bbc views:>=100", lambda m: "bbc" not in m.sources and (m.views or 0) >= 100,
                 id="negated keyword and number"),
    pytest.param("category:(sport OR weather) date:2018", lambda m: {"sport", "weather"} & set(m.categories)
                 and m.date is not None and m.date.year == 2018, id="any of and date"),
])
def test_filters_alone_list_every_meeting_document_in_index_order(corpus, written, keep):
    got = corpus.full(written)
    want = [d["id"] for d in DOCS if keep(corpus.metas[d["id"]])]
    assert [h.id for h in got] == want and got.total == len(want) > 0
    assert {h.score for h in got} == {0.0} and not any(h.partial for h in got)
    broad = {h.id for h in corpus.full(BROAD)}
    assert any(h.id not in broad for h in got), "documents without the query words too"


@pytest.mark.parametrize("form", ["written", "argument"])
def test_excluded_word_stays_excluded_beside_a_filter(corpus, form):
    word = "حفتر"
    holding = {h.id for h in corpus.full(word, mode="any")}
    bbc = {i for i, m in corpus.metas.items() if "bbc" in m.sources}
    assert bbc & holding and bbc - holding, "some bbc documents hold the word, some do not"
    got = corpus.full(f"-{word} source:bbc") if form == "written" else corpus.full(f"-{word}", filter={"source": "bbc"})
    assert {h.id for h in got} <= bbc - holding


@pytest.mark.parametrize("query", ["حفتر OR source:bbc", "(حفتر source:bbc)", "(حفتر OR دمشق) (source:bbc OR الجيش)"])
def test_filter_among_alternatives_is_a_query_error(corpus, query):
    with pytest.raises(QueryError, match="source:"):
        corpus.ix.search(query)


@pytest.mark.parametrize("query", ["حفتر date:foo", "حفتر views:abc", "حفتر date:2018-13", "date:..", "حفتر views:>"])
def test_malformed_filter_value_is_a_query_error_even_when_lenient(corpus, query):
    with pytest.raises(QueryError):
        corpus.ix.search(query, strict=False)


# --- sort= ---------------------------------------------------------------------------
SORTS = ["date", "-date", "views", "-views", "source", "-source", "category", "-category", "lang",
         ["source", "-date"], ["-category", "views"], ["date", "views"]]


@pytest.mark.parametrize("sort", SORTS, ids=str)
@pytest.mark.parametrize("query", QUERIES)
def test_sort_is_a_stable_sort_of_the_relevance_order(corpus, query, sort):
    full = corpus.full(query)
    got = corpus.full(query, sort=sort)
    assert rows(got) == rows(python_sorted(full, corpus.metas, sort))
    assert got.total == full.total


def test_sort_cases_occur_in_the_corpus(corpus):
    """Ties (documents sharing a value, in relevance order with different scores) and
    documents without a value, so that the sort tests can fail."""
    full = corpus.full(BROAD)
    metas = [corpus.metas[h.id] for h in full]
    assert max(Counter(m.date for m in metas if m.date).values()) >= 3
    assert max(Counter(m.views for m in metas if m.views is not None).values()) >= 3
    assert all(any(getattr(m, f) in (None, ()) for m in metas) for f in ("date", "views", "sources", "categories"))
    assert any(len(m.categories) == 2 for m in metas)
    same_day = [h for h in full if corpus.metas[h.id].stored_date == dt.date(2018, 5, 31)]
    assert len({h.score for h in same_day}) > 1


def test_sort_with_filter_and_descending_keyword(corpus):
    filter = {"date": ("2017", None)}
    got = corpus.full(NAME, filter=filter, sort=["-category", "-views"])
    assert rows(got) == rows(python_sorted(expected(corpus, NAME, filter), corpus.metas, ["-category", "-views"]))


# --- pages ---------------------------------------------------------------------------
PAGE_ARGS = [
    pytest.param(BROAD, {}, id="relevance"),
    pytest.param(NAME, {}, id="name: all-word then partial"),
    pytest.param(BROAD, {"filter": {"views": (None, 100)}}, id="filtered"),
    pytest.param(BROAD, {"sort": "-date"}, id="sorted"),
    pytest.param(NAME, {"filter": {"category": ["sport", "politics"]}, "sort": ["source", "-views"]}, id="filtered and sorted"),
    pytest.param("source:bbc", {}, id="filters alone"),
]
PAGES = [(0, 10), (0, 1), (5, 10), (17, 3), (1, 10_000)]


@pytest.mark.parametrize("query, kwargs", PAGE_ARGS)
def test_pages_are_slices_of_the_full_list(corpus, query, kwargs):
    full = corpus.full(query, **kwargs)
    n = len(full)
    assert n >= 12, "enough hits for a middle page"
    for offset, limit in [*PAGES, (n - 4, 10), (n - 1, 1), (n, 5), (n + 30, 5)]:
        page = corpus.ix.search(query, offset=offset, limit=limit, **kwargs)
        assert rows(page) == rows(full[offset:offset + limit]), (offset, limit)
        assert page.total == full.total == n and page.offset == offset


def test_pages_cover_the_list_once(corpus):
    full = corpus.full(NAME, sort="views")
    pages = [corpus.ix.search(NAME, sort="views", offset=o, limit=7) for o in range(0, len(full) + 7, 7)]
    assert rows([h for p in pages for h in p]) == rows(full)
    assert pages[-1] == [] or len(pages[-1]) < 7


# --- facets --------------------------------------------------------------------------
FACETED = ["source", "category", "date", "views", "lang"]


@pytest.mark.parametrize(("query", "kwargs"), [
    pytest.param(BROAD, {}, id="broad"),
    pytest.param(NAME, {}, id="name with partial matches"),
    pytest.param(NAME, {"mode": "all"}, id="name, all words"),
    pytest.param(BROAD, {"filter": {"date": ("2018", None)}}, id="filtered"),
    pytest.param("views:>=20", {}, id="filters alone"),
])
def test_facets_count_every_match(corpus, query, kwargs):
    ids = [h.id for h in corpus.full(query, **kwargs)]
    page = corpus.ix.search(query, limit=2, offset=3, facets=FACETED, **kwargs)
    assert list(page.facets) == FACETED
    for field in FACETED:
        assert page.facets[field] == facet_oracle(ids, corpus.metas, field), field


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_facet_limit_cuts_after_ordering_ties(corpus, limit):
    ids = [h.id for h in corpus.full(BROAD)]
    got = corpus.ix.search(BROAD, facets=["category", "views"], facet_limit=limit).facets
    for field in ("category", "views"):
        assert got[field] == facet_oracle(ids, corpus.metas, field, limit)
    counts = [c for _, c in facet_oracle(ids, corpus.metas, "category")]
    assert len(counts) != len(set(counts)), "a tie among the category counts"


def test_facet_ties_go_to_the_value_the_index_holds_more():
    from arsearch import Index

    docs = [{"id": "1", "text": "حفتر في بنغازي", "tag": ["نادر", "شائع"]},
            *({"id": str(n), "text": "خبر آخر", "tag": ["شائع"]} for n in range(2, 5))]
    with Index(fields={"tag": "keyword"}) as ix:
        ix.add_many(docs)
        assert ix.search("حفتر", facets=["tag"]).facets["tag"] == [("شائع", 1), ("نادر", 1)]
        for n in "234":
            ix.delete(n)
        ix.add_many([{"id": "5", "text": "خبر آخر", "tag": ["نادر"]}])  # deleted documents hold nothing
        assert ix.search("حفتر", facets=["tag"]).facets["tag"] == [("نادر", 1), ("شائع", 1)]


def test_multi_valued_keyword_counts_each_value(corpus):
    ids = [h.id for h in corpus.full(BROAD)]
    got = dict(corpus.ix.search(BROAD, facets=["category"]).facets["category"])
    assert sum(got.values()) == sum(len(corpus.metas[i].categories) for i in ids) > len(ids) // 2


# --- totals by mode --------------------------------------------------------------------
def test_auto_total_is_all_word_then_partial_matches(corpus):
    all_words = corpus.full(NAME, mode="all")
    any_word = corpus.full(NAME, mode="any")
    auto = corpus.full(NAME, mode="auto")
    all_ids = {h.id for h in all_words}
    assert 0 < len(all_words) < len(any_word)
    assert auto.total == len(all_ids | {h.id for h in any_word}) == len(auto)
    assert rows(auto[:len(all_words)]) == rows(all_words)
    rest = [h for h in any_word if h.id not in all_ids]
    assert [(h.id, h.score, True) for h in rest] == rows(auto[len(all_words):])
    for mode, full in (("all", all_words), ("any", any_word), ("auto", auto)):
        assert corpus.ix.search(NAME, mode=mode, limit=1).total == full.total == len(full)


@pytest.mark.parametrize("mode", ["all", "any", "auto"])
def test_total_with_a_filter_in_each_mode(corpus, mode):
    filter = {"source": ["bbc", "skynews"]}
    want = expected(corpus, NAME, filter, mode=mode)
    assert corpus.ix.search(NAME, mode=mode, filter=filter, limit=1).total == len(want) > 1


# --- bad input ---------------------------------------------------------------------
BAD = [
    pytest.param({"filter": {"nope": "x"}}, ValueError, "unknown field", id="unknown filter field"),
    pytest.param({"sort": "nope"}, ValueError, "unknown field", id="unknown sort field"),
    pytest.param({"sort": ["date", "-nope"]}, ValueError, "unknown field", id="unknown descending sort field"),
    pytest.param({"facets": ["source", "nope"]}, ValueError, "unknown field", id="unknown facet field"),
    pytest.param({"filter": {"views": "many"}}, ValueError, "views", id="str for a number"),
    pytest.param({"filter": {"views": True}}, ValueError, "views", id="bool for a number"),
    pytest.param({"filter": {"views": float("nan")}}, ValueError, "views", id="nan"),
    pytest.param({"filter": {"date": "yesterday"}}, ValueError, "ISO", id="not a date"),
    pytest.param({"filter": {"date": 2018}}, ValueError, "date", id="int for a date"),
    pytest.param({"filter": {"source": 3}}, ValueError, "source", id="int for a keyword"),
    pytest.param({"filter": {"source": []}}, ValueError, "source", id="empty list"),
    pytest.param({"filter": {"source": ("a", "z")}}, ValueError, "range", id="range on a keyword field"),
    pytest.param({"filter": {"views": (None, None)}}, ValueError, "range", id="range open both ends"),
    pytest.param({"filter": {"views": (1, 2, 3)}}, ValueError, "range", id="three-tuple"),
    pytest.param({"filter": [("source", "bbc")]}, TypeError, "dict", id="filter not a dict"),
    pytest.param({"filter": "source:bbc"}, TypeError, "dict", id="filter a str"),
    pytest.param({"offset": -1}, ValueError, "offset", id="negative offset"),
    pytest.param({"offset": 1.0}, ValueError, "offset", id="float offset"),
    pytest.param({"offset": "2"}, ValueError, "offset", id="str offset"),
    pytest.param({"facets": "source"}, TypeError, "list", id="facets a str"),
    pytest.param({"facets": ["source"], "facet_limit": 0}, ValueError, "facet_limit", id="facet_limit 0"),
    pytest.param({"sort": 3}, TypeError, "sort", id="sort an int"),
]


@pytest.mark.parametrize(("kwargs", "error", "match"), BAD)
def test_bad_search_arguments_are_refused(corpus, kwargs, error, match):
    with pytest.raises(error, match=match):
        corpus.ix.search(BROAD, **kwargs)


WRONG_VALUES = [
    pytest.param("views", "many", id="str for a number"),
    pytest.param("views", True, id="bool for a number"),
    pytest.param("views", float("inf"), id="infinite number"),
    pytest.param("views", float("nan"), id="nan"),
    pytest.param("date", "yesterday", id="not an ISO date"),
    pytest.param("date", 20180301, id="int for a date"),
    pytest.param("source", 5, id="int for a keyword"),
    pytest.param("category", ["sport", 1], id="list holding an int"),
]


@pytest.mark.parametrize(("field", "value"), WRONG_VALUES)
def test_wrong_typed_document_value_refuses_the_whole_batch(field, value):
    ix = Index(fields=FIELDS)
    ix.add_many(DOCS[:3])
    batch = [*DOCS[3:6], {"id": "bad7", "text": "حفتر في دمشق", field: value}, DOCS[6]]
    with pytest.raises(DocumentError) as raised:
        ix.add_many(batch)
    assert "bad7" in str(raised.value) and repr(field) in str(raised.value) and FIELDS[field] in str(raised.value)
    assert len(ix) == 3 and [d["id"] for d in DOCS[3:7] if d["id"] in ix] == []
    with pytest.raises(DocumentError, match="bad7"):
        ix.add("bad7", "حفتر", **{field: value})
    with pytest.raises(DocumentError, match="bad7"), ix.batch() as b:
        b.add_many(DOCS[3:6])
        b.add("bad7", "حفتر", **{field: value})
    assert len(ix) == 3


def test_undeclared_metadata_is_kept_and_only_strings_are_keyword_fields():
    ix = Index(fields={"source": "keyword"})
    ix.add("a", "حفتر في دمشق", source="bbc", lang="ar", rank=3, tags=["x", "y"])
    ix.add("b", "حفتر في بغداد", rank=5, tags="y")
    assert ix.get("a").fields == {"source": "bbc", "lang": "ar", "rank": 3, "tags": ["x", "y"]}
    assert [h.id for h in ix.search("حفتر", filter={"tags": "y"})] == ["a", "b"]
    assert [h.id for h in ix.search("حفتر tags:x")] == ["a"]
    with pytest.raises(ValueError, match="unknown field 'rank'"):
        ix.search("حفتر", filter={"rank": 3})


@pytest.mark.parametrize(("query", "kwargs"), [
    pytest.param("حفتر", {"filter": {"source": "bbc"}}, id="filter"),
    pytest.param("حفتر", {"sort": "-date"}, id="sort"),
    pytest.param("حفتر", {"facets": ["source"]}, id="facets"),
    pytest.param("حفتر source:bbc", {}, id="written filter"),
    pytest.param("source:bbc", {}, id="filters alone"),
    pytest.param("colour:حفتر", {}, id="an unknown name: searched as a word before metadata fields"),
])
def test_a_new_empty_index_finds_nothing(query, kwargs):
    ix = Index(fields=FIELDS)
    got = ix.search(query, **kwargs)
    assert got == [] and got.total == 0


def test_a_day_far_ahead_covers_that_day_only():
    ix = Index(fields=FIELDS)
    ix.add_many([{"id": "d1", "text": "حفتر", "date": dt.date(3000, 1, 1)},
                 {"id": "d2", "text": "حفتر", "date": dt.date(3000, 1, 2)},
                 {"id": "never", "text": "حفتر", "date": dt.date(9999, 12, 31)}])
    day = [h.id for h in ix.search("حفتر", filter={"date": dt.date(3000, 1, 1)})]
    after = [h.id for h in ix.search("حفتر date:>9999-12-30")]
    assert (day, after) == (["d1"], ["never"])


def test_a_facet_counts_documents_not_repeated_values():
    ix = Index(fields=FIELDS)
    ix.add_many([{"id": "a", "text": "حفتر", "category": ["sport", "sport"]}, {"id": "b", "text": "حفتر", "category": "sport"}])
    assert ix.search("حفتر", facets=["category"]).facets["category"] == [("sport", 2)]


@pytest.mark.xfail(strict=True, reason="a documented limit: number keys are floats, so ints past 2**53 that differ compare equal")
def test_a_number_filter_tells_large_ints_apart():
    ix = Index(fields=FIELDS)
    ix.add_many([{"id": "a", "text": "حفتر", "views": 2**53}, {"id": "b", "text": "حفتر", "views": 2**53 + 2}])
    assert ix.search("حفتر", filter={"views": 2**53 + 1}) == []


# --- on disk ------------------------------------------------------------------------
def test_declared_types_outlive_the_index_object(tmp_path):
    path = tmp_path / "ix"
    c = build_corpus(path=path)
    c.ix.close()
    assert json.loads((path / "arsearch.json").read_text(encoding="utf-8"))["fields"] == FIELDS
    with Index(path) as ix:
        assert ix.fields == FIELDS
        filter = {"date": (dt.date(2018, 3, 1), "2018-12")}
        full = ix.search(BROAD, limit=10_000)
        got = ix.search(BROAD, limit=10_000, filter=filter, sort="-views")
        want = python_sorted(restricted(full, c.metas, lambda m: meets(m, filter)), c.metas, "-views")
        assert rows(got) == rows(want) and len(want) > 2
        with pytest.raises(DocumentError, match="views"):
            ix.add("late", "حفتر", views="many")


def test_redeclaring_a_field_with_another_type_is_refused(tmp_path):
    path = tmp_path / "ix"
    build_corpus(DOCS[:5], path=path).ix.close()
    with pytest.raises(ValueError, match="'views'.*number"):
        Index(path, fields={"views": "keyword"})
    with Index(path, fields={"views": "number", "source": "keyword"}) as ix:  # the same types: fine
        assert ix.fields == FIELDS and len(ix) == 5


def test_a_field_declared_on_reopening_is_added(tmp_path):
    path = tmp_path / "ix"
    build_corpus(DOCS[:5], path=path).ix.close()
    with Index(path, fields={"rank": "number"}) as ix:
        assert ix.fields == {**FIELDS, "rank": "number"}
        ix.add("r", "حفتر في دمشق", rank=7)
    with Index(path) as ix:
        assert ix.fields == {**FIELDS, "rank": "number"}
        assert [h.id for h in ix.search("rank:>5")] == ["r"]
        with pytest.raises(DocumentError, match="rank"):
            ix.add("s", "حفتر", rank="high")


def test_values_stored_before_a_field_was_declared_are_read_as_its_type(tmp_path):
    path = tmp_path / "ix"
    with Index(path) as ix:
        ix.add("o1", "حفتر في دمشق", date="2018-03-01", rank=3)
        ix.add("o2", "حفتر في بغداد", date="2019-03-01T10:00", rank=9)
        assert [h.id for h in ix.search("حفتر", filter={"date": "2018-03-01"})] == ["o1"]  # a keyword: equal strings
    with Index(path, fields={"date": "date", "rank": "number"}) as ix:
        assert [h.id for h in ix.search("حفتر", filter={"date": ("2018", "2018")})] == ["o1"]
        assert [h.id for h in ix.search("حفتر", filter={"rank": (5, None)})] == ["o2"]
        assert [h.id for h in ix.search("حفتر", sort="-date")] == ["o2", "o1"]


def test_a_field_declared_by_another_index_object_is_checked(tmp_path):
    path = tmp_path / "ix"
    with Index(path) as first:
        first.add("a", "حفتر في دمشق", views=3)
        with Index(path, fields={"views": "number"}) as second:
            assert second.fields == {"views": "number"}
            with pytest.raises(DocumentError, match="views"):
                first.add("b", "حفتر في بغداد", views="many")


# --- adding and deleting ------------------------------------------------------------
def test_adds_deletes_and_replacements_show_in_filters_sorts_and_facets():
    c = build_corpus(DOCS[:30])
    c.ix.add_many(DOCS[30:])
    assert c.ix.stats()["segments"] == 2
    gone = ["a1", "a12", "a33", "a47", "a59"]
    for doc_id in gone:
        assert c.ix.delete(doc_id)
    replaced = {**next(d for d in DOCS if d["id"] == "a20"), "source": "reuters", "views": 7, "date": "2016-02-29"}
    c.ix.add_many([replaced])
    metas = {d["id"]: meta_of(d) for d in DOCS if d["id"] not in gone} | {"a20": meta_of(replaced)}
    order = [d["id"] for d in DOCS if d["id"] not in gone and d["id"] != "a20"] + ["a20"]

    full = c.full(BROAD)
    assert {h.id for h in full} <= set(metas) and "a20" in {h.id for h in full}
    filter = {"source": "reuters", "views": (None, 10)}
    assert rows(c.full(BROAD, filter=filter)) == rows(restricted(full, metas, lambda m: meets(m, filter)))
    assert rows(c.full(BROAD, sort=["-date", "views"])) == rows(python_sorted(full, metas, ["-date", "views"]))
    facets = c.ix.search(BROAD, facets=FACETED).facets
    assert facets == {f: facet_oracle([h.id for h in full], metas, f) for f in FACETED}
    alone = c.full("source:reuters", facets=["source"])
    assert [h.id for h in alone] == [i for i in order if "reuters" in metas[i].sources]
    assert alone.facets["source"] == [("reuters", alone.total)]

    c.ix.optimize()  # one segment, the deleted documents gone (their statistics too: scores move)
    assert c.ix.stats()["segments"] == 1
    merged = c.full(BROAD)
    assert {h.id for h in merged} == {h.id for h in full}
    assert rows(c.full(BROAD, filter=filter)) == rows(restricted(merged, metas, lambda m: meets(m, filter)))
    assert rows(c.full(BROAD, sort="-views")) == rows(python_sorted(merged, metas, "-views"))
    assert c.ix.search(BROAD, facets=FACETED).facets == facets


def test_an_empty_keyword_is_no_value():
    ix = Index()
    ix.add_many([{"id": "a", "text": "حفتر", "category": ""}, {"id": "b", "text": "حفتر", "category": ["", "sport"]},
                 {"id": "c", "text": "حفتر", "category": "sport"}])
    assert ix.search("حفتر", facets=["category"]).facets == {"category": [("sport", 2)]}
    assert [h.id for h in ix.search("حفتر", sort="category")][-1] == "a"  # no value: last
