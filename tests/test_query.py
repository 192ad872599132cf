"""The query language: parsed lenient by default, with positions when strict."""

from __future__ import annotations

import pytest

from arsearch import Index, QueryError
from arsearch.pipeline import AnalysisConfig
from arsearch.query import MAX_QUERY_CHARS, parse_query

CONFIG = AnalysisConfig()


@pytest.fixture(scope="module")
def ix():
    index = Index()
    index.add_many(
        [
            {"id": "gna", "text": "اجتمعت وحكومة الوفاق في طرابلس", "title": "طرابلس"},
            {"id": "haftar", "text": "قوات خليفة حفتر تقترب من طرابلس", "title": "حفتر"},
            {"id": "damascus", "text": "زار حفتر دمشق سرا", "title": "دمشق"},
        ]
    )
    yield index
    index.close()


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param('"حكومة الوفاق"', {"gna"}, id="phrase tolerates clitic"),
        pytest.param("حفتر OR الوفاق", {"gna", "haftar", "damascus"}, id="or"),
        pytest.param("حفتر AND دمشق", {"damascus"}, id="explicit and"),
        pytest.param("(دمشق OR الوفاق) -حفتر", {"gna"}, id="group and exclusion"),
        pytest.param("حفتر NOT دمشق", {"haftar"}, id="NOT"),
        pytest.param("title:طرابلس", {"gna"}, id="field"),
        pytest.param("body:طرابلس", {"gna", "haftar"}, id="body field"),
        pytest.param("text:طرابلس", {"gna", "haftar"}, id="text is body"),
        pytest.param("طراب*", {"gna", "haftar"}, id="prefix"),
        pytest.param("دمشك~", {"damascus"}, id="fuzzy"),
        pytest.param("+حفتر +دمشق", {"damascus"}, id="plus is required"),
    ],
)
def test_syntax(ix, query, expected):
    assert {h.id for h in ix.search(query, mode="all")} == expected


@pytest.mark.parametrize(
    "query, position",
    [
        pytest.param('"حكومة الوفاق', 0, id="unbalanced quote"),
        pytest.param("(حفتر", 0, id="unbalanced open paren"),
        pytest.param("حفتر)", 4, id="unbalanced close paren"),
        pytest.param("حفتر OR", 5, id="trailing OR"),
        pytest.param("NOT", 0, id="lone NOT"),
        pytest.param("- حفتر", 0, id="lone minus"),
        pytest.param("colour:حفتر", 0, id="unknown field"),
        pytest.param("*", 0, id="lone star"),
    ],
)
def test_strict_errors_give_position(query, position):
    with pytest.raises(QueryError) as info:
        parse_query(query, CONFIG, strict=True)
    assert info.value.position == position
    assert f"character {position}" in str(info.value)


@pytest.mark.parametrize(
    "query", ['"حكومة الوفاق', "(حفتر", "حفتر)", "حفتر OR", "colour:حفتر", "- حفتر", "~ حفتر"]
)
def test_lenient_still_searches(ix, query):
    assert "haftar" in {h.id for h in ix.search(query)} or "gna" in {h.id for h in ix.search(query)}


@pytest.mark.parametrize("query", ["", "   ", "،؟!", "ـــ", "َُِ", "في من على"])
def test_nothing_to_search_is_empty_not_error(ix, query):
    assert ix.search(query) == []


def test_strict_empty_query():
    with pytest.raises(QueryError, match="empty"):
        parse_query("   ", CONFIG, strict=True)


def test_long_query_is_capped():
    parsed = parse_query("حفتر " * 5000, CONFIG)
    assert parsed.words == ("حفتر",) and len(parsed.text) == MAX_QUERY_CHARS
    with pytest.raises(QueryError, match="limit"):
        parse_query("ح" * (MAX_QUERY_CHARS + 1), CONFIG, strict=True)


def test_query_terms_in_every_view():
    parsed = parse_query("والحكومات", CONFIG)
    assert parsed.highlight["exact"] == {"والحكومات"}
    assert parsed.highlight["clitic"] == {"حكومات"}
    assert parsed.highlight["stem"] == {"حكوم"}


@pytest.mark.parametrize("text", ["حفتر", "وحفتر", '"حكومة الوفاق"', "حفتر -دمشق", "title:دمشق", "حكوم*", "حفتر~1",
                                  "مُحَمَّدٌ", '"خليفة حفتر" -بنغازي'])
def test_one_word_or_phrase_builds_mode_any_once(text):
    """With one positive word or phrase (and no relatives of a root), mode any's query is
    mode all's: parse_query builds it once, and building it the long way gives the same."""
    from arsearch.query import RANKINGS, _Builder, _Parser

    parsed = parse_query(text, AnalysisConfig())
    assert parsed.kind == "name" and parsed.n_positive == 1
    assert parsed.any is parsed.all
    clauses = _Parser(text, False).parse()
    ranking = RANKINGS[parsed.kind]
    long_way = _Builder(AnalysisConfig(), False, ranking, relatives=True).conjunction(clauses, "any")
    assert long_way == _Builder(AnalysisConfig(), False, ranking).conjunction(clauses, "all")
    assert parsed.all.child == long_way


def test_two_words_build_mode_any_apart():
    parsed = parse_query("حفتر دمشق", AnalysisConfig())
    assert parsed.any is not parsed.all and parsed.any != parsed.all


@pytest.mark.parametrize("text", ["حفتر دمشق", '"خليفة حفتر" بنغازي -دمشق', "(حفتر OR السراج) طرابلس",
                                  "حكوم* الوفاق", "حفطر~ ليبيا"])
def test_name_mode_any_is_built_when_first_asked_for(text):
    """A name's mode="any" query is built on demand (a search in mode="all" never needs
    it); it is the query the builder makes, and it highlights the words mode="all" does."""
    from arsearch.query import RANKINGS, _Builder, _Deferred, _Parser

    parse_query.cache_clear()
    parsed = parse_query(text, AnalysisConfig())
    assert parsed.kind == "name" and parsed.n_positive > 1 and parsed.has_partial_matches
    assert type(parsed._any) is _Deferred  # not built yet
    clauses = _Parser(text, False).parse()
    builder = _Builder(AnalysisConfig(), False, RANKINGS["name"], relatives=True)
    assert parsed.any.child == builder.conjunction(clauses, "any")
    assert parsed.any is parsed.any  # built once
    assert parsed.highlight == {k: frozenset(v) for k, v in builder.highlight.items()}
