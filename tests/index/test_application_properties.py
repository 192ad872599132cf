"""Property tests (hypothesis) of application search on the corpus of
tests/helpers/metadata.py, indexed once for the module: for random filters (a random
subset of the fields, equal values, lists, ranges with open ends, dates as days,
instants and ISO years or months) the hits are the unfiltered hits restricted in
Python; for random pages, a slice of the full list; for random sort specs, the full
list sorted stably in Python; and all of them at once. The worked cases are in
test_application_search.py."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.metadata import (
    BROAD,
    CATEGORIES,
    DAYS,
    NAME,
    RARE_SOURCE,
    SOURCES,
    VIEWS,
    build_corpus,
    facet_oracle,
    meets,
    python_sorted,
    restricted,
    rows,
)
from hypothesis import given, settings
from hypothesis import strategies as st

PROPS = settings(max_examples=100, deadline=None)
QUERIES = [BROAD, NAME, "حفتر OR البحر", "source:bbc", "-category:sport"]
MODES = ["auto", "all", "any"]


@pytest.fixture(scope="module")
def corpus():
    c = build_corpus()
    c.fulls = {(q, m): c.full(q, mode=m) for q in QUERIES for m in MODES}  # the oracle's unfiltered lists
    yield c
    c.ix.close()


def _one_or_list(values: st.SearchStrategy) -> st.SearchStrategy:
    return values | st.lists(values, min_size=1, max_size=3)


def _range(bounds: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.none() | bounds, st.none() | bounds).filter(lambda r: r != (None, None))


keyword_sources = st.sampled_from([*SOURCES, RARE_SOURCE, "nobody"])
keyword_categories = st.sampled_from([*CATEGORIES, "nobody"])
numbers = st.sampled_from(VIEWS) | st.integers(-5, 210) | st.floats(-5, 210, allow_nan=False)
instants = st.builds(lambda day, h, m: dt.datetime.combine(day, dt.time(h, m)), st.sampled_from(DAYS),
                     st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
dates = (st.sampled_from(DAYS) | st.dates(dt.date(2015, 6, 1), dt.date(2020, 6, 1)) | instants
         | st.sampled_from(["2016", "2017", "2018", "2019", "2018-05", "2016-02", "2019-01", "2018-12-31"]))
FIELD_VALUES = {
    "source": _one_or_list(keyword_sources),
    "category": _one_or_list(keyword_categories),
    "lang": _one_or_list(st.sampled_from(["ar", "en"])),
    "views": _one_or_list(numbers) | _range(numbers),
    "date": _one_or_list(dates) | _range(dates),
}
filters = st.lists(st.sampled_from(sorted(FIELD_VALUES)), min_size=1, max_size=3, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({n: FIELD_VALUES[n] for n in names}))
sort_items = st.sampled_from(["date", "views", "source", "category", "lang"]).flatmap(
    lambda f: st.sampled_from([f, "-" + f]))
sorts = sort_items | st.lists(sort_items, min_size=1, max_size=3)


@PROPS
@given(query=st.sampled_from(QUERIES), mode=st.sampled_from(MODES), filter=filters)
def test_random_filter_is_the_unfiltered_list_restricted(corpus, query, mode, filter):
    want = restricted(corpus.fulls[query, mode], corpus.metas, lambda m: meets(m, filter))
    got = corpus.ix.search(query, mode=mode, filter=filter, limit=10_000)
    assert rows(got) == rows(want) and got.total == len(want)


@PROPS
@given(query=st.sampled_from(QUERIES), mode=st.sampled_from(MODES), offset=st.integers(0, 70),
       limit=st.integers(1, 70))
def test_random_page_is_a_slice_of_the_full_list(corpus, query, mode, offset, limit):
    full = corpus.fulls[query, mode]
    page = corpus.ix.search(query, mode=mode, offset=offset, limit=limit)
    assert rows(page) == rows(full[offset:offset + limit])
    assert page.total == full.total and page.offset == offset


@PROPS
@given(query=st.sampled_from(QUERIES), mode=st.sampled_from(MODES), sort=sorts)
def test_random_sort_is_a_stable_sort_of_the_relevance_order(corpus, query, mode, sort):
    got = corpus.ix.search(query, mode=mode, sort=sort, limit=10_000)
    assert rows(got) == rows(python_sorted(corpus.fulls[query, mode], corpus.metas, sort))


@PROPS
@given(query=st.sampled_from(QUERIES), filter=filters, sort=st.none() | sorts, offset=st.integers(0, 50),
       limit=st.integers(1, 30))
def test_random_filter_sort_page_and_facets_together(corpus, query, filter, sort, offset, limit):
    kept = restricted(corpus.fulls[query, "auto"], corpus.metas, lambda m: meets(m, filter))
    ordered = kept if sort is None else python_sorted(kept, corpus.metas, sort)
    got = corpus.ix.search(query, filter=filter, sort=sort, offset=offset, limit=limit, facets=["category", "date"],
                           facet_limit=4)
    assert rows(got) == rows(ordered[offset:offset + limit]) and got.total == len(kept)
    ids = [h.id for h in kept]
    assert got.facets == {f: facet_oracle(ids, corpus.metas, f, 4) for f in ("category", "date")}
