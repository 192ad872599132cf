"""The query language: parsed lenient by default, with positions when strict."""

from __future__ import annotations

import pytest
from whoosh import query as wq
from whoosh import scoring

from arsearch import Index, QueryError
from arsearch.pipeline import AnalysisConfig
from arsearch.query import (
    FIELD_NAMES,
    MAX_FUZZY_DISTANCE,
    MAX_PHRASE_SLOP,
    MAX_QUERY_CHARS,
    MAX_QUERY_DEPTH,
    MAX_QUERY_WORDS,
    parse_query,
)
from arsearch.query.clauses import latin_units
from arsearch.query.expansion import BoundedFuzzyTerm, BoundedPrefix

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
        pytest.param('"حكومة الوفاق،"', {"gna"}, id="phrase: punctuation on a word is no part of it"),
        pytest.param('"(خليفة) «حفتر»"', {"haftar"}, id="phrase: brackets and quotes around words"),
        pytest.param('"خليفة حفتر\ud800"', {"haftar"}, id="phrase: a lone surrogate on a word"),
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
        pytest.param("حفطر~3", 4, id="fuzzy distance above 2"),
        pytest.param("حفطر~10", 4, id="fuzzy distance 10"),
        pytest.param("حفطر~1.5", 4, id="fractional fuzzy distance"),
        pytest.param("حفطر~-1", 4, id="negative fuzzy distance"),
        pytest.param("title:حفطر~٣", 10, id="Arabic-Indic fuzzy distance above 2"),
        pytest.param('"حكومة الوفاق"~11', 14, id="phrase slop above the cap"),
        pytest.param('"حكومة الوفاق"~2.5', 14, id="fractional phrase slop"),
    ],
)
def test_strict_errors_give_position(query, position):
    with pytest.raises(QueryError) as info:
        parse_query(query, CONFIG, strict=True)
    assert info.value.position == position
    assert f"character {position}" in str(info.value)


@pytest.mark.parametrize(
    "query, allowed",
    [
        pytest.param("حفطر~3", f"0 to {MAX_FUZZY_DISTANCE}", id="fuzzy distance"),
        pytest.param('"حكومة الوفاق"~11', f"0 to {MAX_PHRASE_SLOP}", id="phrase slop"),
    ],
)
def test_strict_errors_name_the_allowed_range(query, allowed):
    with pytest.raises(QueryError, match=allowed):
        parse_query(query, CONFIG, strict=True)


def test_strict_unknown_field_lists_the_field_names():
    with pytest.raises(QueryError) as info:
        parse_query("colour:حفتر", CONFIG, strict=True)
    assert "'colour'" in str(info.value)
    for name in FIELD_NAMES:
        assert f"{name}:" in str(info.value)


@pytest.mark.parametrize(
    "query",
    ["حفطر~", "حفطر~0", "حفطر~1", "حفطر~2", "حفطر~٢", "حفطر~+1", '"حكومة الوفاق"~0', '"حكومة الوفاق"~10',
     'title:"حكومة الوفاق"~٣', '"حكومة الوفاق"~'],
)
def test_strict_accepts_distances_and_slops_in_range(query):
    assert not parse_query(query, CONFIG, strict=True).empty


@pytest.mark.parametrize(
    "query, same_as",
    [
        pytest.param("حفطر~3", "حفطر~2", id="fuzzy distance above 2 is 2"),
        pytest.param("حفطر~10", "حفطر~2", id="fuzzy distance 10 is 2"),
        pytest.param("حفطر~99999999999999999999", "حفطر~2", id="huge fuzzy distance is 2"),
        pytest.param("حفطر~" + "9" * 400, "حفطر~2", id="fuzzy distance beyond float range is 2"),
        pytest.param("حفطر~1.5", "حفطر~1", id="fractional fuzzy distance is its whole part"),
        pytest.param("حفطر~-1", "حفطر~", id="negative fuzzy distance is automatic"),
        pytest.param("حفطر~٢", "حفطر~2", id="Arabic-Indic digit"),
        pytest.param('"حكومة الوفاق"~50', '"حكومة الوفاق"~10', id="phrase slop is capped"),
        pytest.param('"حكومة الوفاق"~-2', '"حكومة الوفاق"', id="negative phrase slop is none"),
        pytest.param('"حكومة الوفاق"~0', '"حكومة الوفاق"', id="phrase slop 0 is the phrase"),
        pytest.param("colour:حفتر", "حفتر", id="unknown field: its value searched as words"),
        pytest.param('colour:"حكومة الوفاق"', '"حكومة الوفاق"', id="unknown field: a phrase searched as a phrase"),
    ],
)
def test_lenient_reads_malformed_operators_as_meant(query, same_as):
    assert parse_query(query, CONFIG).all == parse_query(same_as, CONFIG).all


@pytest.fixture(scope="module")
def spaced():
    index = Index()
    index.add_many(
        [
            {"id": "adjacent", "text": "اجتمعت حكومة الوفاق في طرابلس"},
            {"id": "one between", "text": "اجتمعت حكومة الوحدة والوفاق في طرابلس"},
            {"id": "two between", "text": "شكلت حكومة الوحدة الوطنية والوفاق لجنة"},
            {"id": "four between", "text": "حكومة الوحدة الوطنية الليبية الجديدة والوفاق"},
            {"id": "reversed", "text": "الوفاق يدعم حكومة طرابلس"},
        ]
    )
    yield index
    index.close()


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param('"حكومة الوفاق"', {"adjacent"}, id="no slop: side by side"),
        pytest.param('"حكومة الوفاق"~1', {"adjacent", "one between"}, id="slop 1"),
        pytest.param('"حكومة الوفاق"~2', {"adjacent", "one between", "two between"}, id="slop 2"),
        pytest.param('"حكومة الوفاق"~3', {"adjacent", "one between", "two between"}, id="slop 3"),
        pytest.param('"حكومة الوفاق"~4', {"adjacent", "one between", "two between", "four between"}, id="slop 4"),
        pytest.param('"الوفاق حكومة"~3', {"reversed"}, id="in the order written"),
        pytest.param('body:"حكومة الوفاق"~2', {"adjacent", "one between", "two between"}, id="with a field"),
        pytest.param('"حكومة الوفاق"~2 -لجنة', {"adjacent", "one between"}, id="then an exclusion"),
        pytest.param('"حكومة الوفاق" ~2', {"adjacent"}, id="a space: no slop"),
    ],
)
def test_phrase_slop(spaced, query, expected):
    assert {h.id for h in spaced.search(query, mode="all")} == expected


@pytest.mark.parametrize("query", ["حفطر~3", "حفطر~10", "حفطر~1.5", "حفطر~-1", "حفطر~٣"])
def test_malformed_fuzzy_distance_still_finds_the_word(ix, query):
    assert {h.id for h in ix.search(query, mode="all")} == {"haftar", "damascus"}


def test_unknown_field_searches_its_value(ix):
    assert [(h.id, h.score) for h in ix.search("colour:حفتر")] == [(h.id, h.score) for h in ix.search("حفتر")]
    assert {h.id for h in ix.search("colour:حفتر")} == {"haftar", "damascus"}


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param('"حكومة الوفاق', {"gna"}, id="unbalanced quote: a phrase to the end"),
        pytest.param("(حفتر", {"haftar", "damascus"}, id="unbalanced open paren"),
        pytest.param("حفتر)", {"haftar", "damascus"}, id="unbalanced close paren"),
        pytest.param("حفتر OR", {"haftar", "damascus"}, id="trailing OR"),
        pytest.param("colour:حفتر", {"haftar", "damascus"}, id="unknown field"),
        pytest.param("- حفتر", {"haftar", "damascus"}, id="lone minus"),
        pytest.param("~ حفتر", {"haftar", "damascus"}, id="lone tilde"),
        pytest.param("(طرابلس", {"gna", "haftar"}, id="unbalanced open paren, another word"),
    ],
)
def test_lenient_still_searches(ix, query, expected):
    assert {h.id for h in ix.search(query)} == expected


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
    parsed = parse_query("الحكومات", CONFIG)
    assert parsed.highlight["exact"] == {"الحكومات"}
    assert parsed.highlight["clitic"] == {"حكومات"}
    assert parsed.highlight["stem"] == {"حكوم"}
    # a proclitic before ال may be the word's first letter (والدة): both readings
    parsed = parse_query("والحكومات", CONFIG)
    assert parsed.highlight["exact"] == {"والحكومات"}
    assert parsed.highlight["clitic"] == {"حكومات", "والحكومات"}


@pytest.mark.parametrize("text", ["حفتر", "وحفتر", '"حكومة الوفاق"', "حفتر -دمشق", "title:دمشق", "حكوم*", "حفتر~1",
                                  "مُحَمَّدٌ", '"خليفة حفتر" -بنغازي'])
def test_one_word_or_phrase_builds_mode_any_once(text):
    """With one positive word or phrase (and no relatives of a root), mode any's query is
    mode all's: parse_query builds it once, and building it the long way gives the same."""
    from arsearch.query import RANKINGS
    from arsearch.query.builder import _Builder
    from arsearch.query.syntax import Parser as _Parser

    parsed = parse_query(text, AnalysisConfig())
    assert parsed.kind == "name" and parsed.n_positive == 1
    assert parsed.any is parsed.all
    clauses = _Parser(text, False).parse()
    ranking = RANKINGS[parsed.kind]
    long_way = _Builder(AnalysisConfig(), False, ranking, relatives=True).conjunction(clauses, "any")
    assert long_way == _Builder(AnalysisConfig(), False, ranking).conjunction(clauses, "all")
    assert parsed.all.child == long_way


# The Whoosh query a name's words become, written out from the documented weights: a
# match in the exact view counts 1, in the clitic view 0.6, in the stem view 0.4; a match
# in the title half as much again as one in the body; scored with BM25, b 0.3 and k1 1.2.
VIEW_WEIGHT = {"exact": 1.0, "clitic": 0.6, "stem": 0.4}
FIELD_WEIGHT = {"title": 1.5, "body": 1.0}


def _terms(word, views=("exact", "clitic", "stem"), fields=("title", "body")):
    return [wq.Term(f"{f}_{v}", word, boost=VIEW_WEIGHT[v] * FIELD_WEIGHT[f]) for f in fields for v in views]


def _fuzzy(word, maxdist, fields=("title", "body")):
    """The word's terms, and its clitic-view spellings within ``maxdist`` edits (the first
    letter kept), weighted as a stem match."""
    return [q for f in fields for q in (*_terms(word, fields=(f,)),
                                        BoundedFuzzyTerm(f"{f}_clitic", word, boost=VIEW_WEIGHT["stem"] * FIELD_WEIGHT[f],
                                                         maxdist=maxdist, prefixlength=1))]


QUERY_TREES = [
    pytest.param("حفتر", wq.Or(_terms("حفتر")), id="a word: three views, two fields"),
    pytest.param("حَفْتَرُ", wq.Or(_terms("حفتر")), id="harakat dropped"),
    pytest.param("title:دمشق", wq.Or(_terms("دمشق", fields=("title",))), id="one field"),
    pytest.param("حفتر -دمشق",
                 wq.AndNot(wq.Or(_terms("حفتر")), wq.Or([wq.Or(_terms("دمشق", views=("exact", "clitic")))])),
                 id="exclusion: no stem view"),
    pytest.param("حفتر OR دمشق", wq.Or([wq.Or(_terms("حفتر")), wq.Or(_terms("دمشق"))]), id="alternatives"),
    pytest.param('"خليفة حفتر"~2',
                 wq.Or([wq.Phrase(f"{f}_{v}", ["خليفه", "حفتر"], slop=3, boost=VIEW_WEIGHT[v] * FIELD_WEIGHT[f])
                        for f in ("title", "body") for v in ("exact", "clitic")]),
                 id="phrase slop 2: each word 1 to 3 positions after the one before"),
    pytest.param("حفت*", wq.Or([BoundedPrefix(f"{f}_{v}", "حفت", boost=VIEW_WEIGHT[v] * FIELD_WEIGHT[f])
                               for f in ("title", "body") for v in ("exact", "clitic")]),
                 id="prefix: exact and clitic views"),
    pytest.param("حفطر~", wq.Or(_fuzzy("حفطر", 1)), id="fuzzy, 4 letters: distance 1"),
    pytest.param("حفطر~2", wq.Or(_fuzzy("حفطر", 2)), id="fuzzy distance 2"),
]


@pytest.mark.parametrize("text, expected", QUERY_TREES)
def test_query_builds_the_expected_whoosh_query(text, expected):
    parse_query.cache_clear()
    parsed = parse_query(text, CONFIG)
    assert parsed.kind == "name"
    assert parsed.all.child == expected
    weighting = parsed.all.weighting
    assert (type(weighting), weighting.B, weighting.K1) == (scoring.BM25F, 0.3, 1.2)


def test_two_words_build_mode_any_apart():
    parsed = parse_query("حفتر دمشق", AnalysisConfig())
    assert parsed.any is not parsed.all and parsed.any != parsed.all


@pytest.mark.parametrize("text", ["حفتر دمشق", '"خليفة حفتر" بنغازي -دمشق', "(حفتر OR السراج) طرابلس",
                                  "حكوم* الوفاق", "حفطر~ ليبيا"])
def test_name_mode_any_is_built_when_first_asked_for(text):
    """A name's mode="any" query is built on demand (a search in mode="all" never needs
    it); it is the query the builder makes, and it highlights the words mode="all" does."""
    from arsearch.query import RANKINGS
    from arsearch.query.builder import Deferred, _Builder
    from arsearch.query.syntax import Parser as _Parser

    parse_query.cache_clear()
    parsed = parse_query(text, AnalysisConfig())
    assert parsed.kind == "name" and parsed.n_positive > 1 and parsed.has_partial_matches
    assert type(parsed._any) is Deferred  # not built yet
    clauses = _Parser(text, False).parse()
    builder = _Builder(AnalysisConfig(), False, RANKINGS["name"], relatives=True)
    assert parsed.any.child == builder.conjunction(clauses, "any")
    assert parsed.any is parsed.any  # built once
    assert parsed.highlight == {k: frozenset(v) for k, v in builder.highlight.items()}


# --- prefix ranking ---------------------------------------------------------------
# Index order puts a rare completion's documents first (short ones, with the completion
# twice: what BM25 favours), then a more frequent one's, then the most frequent one's.
_COMPLETIONS = [("rare", "السعوديين السعوديين", 2), ("middle", "خبر عن السعودي في الرياض", 4),
                ("frequent", "خبر طويل عن السعودية وعن علاقاتها مع جيرانها في المنطقة", 9)]


def _completions_index(segments: int) -> Index:
    docs = [{"id": f"{name}{i}", "text": text} for name, text, n in _COMPLETIONS for i in range(n)]
    index = Index()
    step = -(-len(docs) // segments)
    for start in range(0, len(docs), step):
        index.add_many(docs[start:start + step])
    return index


@pytest.fixture(scope="module", params=[1, 3], ids=["one segment", "three segments"])
def completions(request):
    index = _completions_index(request.param)
    yield index
    index.close()


@pytest.mark.parametrize("query", ["السعو*", "سعو*", "body:السعو*", "السعودي*"])
def test_prefix_ranks_more_frequent_completions_first(completions, query):
    ranked = [h.id.rstrip("0123456789") for h in completions.search(query, limit=100)]
    assert ranked == ["frequent"] * 9 + ["middle"] * 4 + ["rare"] * 2


def test_prefix_scores_do_not_depend_on_segments():
    one, three = _completions_index(1), _completions_index(3)
    assert not three._searcher().is_atomic()
    assert [(h.id, h.score) for h in three.search("السعو*", limit=100)] == [
        (h.id, h.score) for h in one.search("السعو*", limit=100)]
    one.close()
    three.close()


def test_prefix_expansion_keeps_the_most_frequent_completions():
    """2,000 completions, 32 kept: the most frequent ones, though the lexicon walk reaches
    them last."""
    from itertools import islice, product

    from arsearch.query.expansion import MAX_EXPANSIONS, BoundedPrefix

    letters = "ابتثجحخدذرزسشصضطظ"  # all before ي
    frequent = ["كتبيا", "كتبيب"]
    rare = ["كتب" + "".join(p) for p in islice(product(letters, repeat=3), 2_000)]
    docs = [{"id": f"rare{i}", "text": " ".join(rare[i:i + 400])} for i in range(0, len(rare), 400)]
    docs += [{"id": f"frequent{i}", "text": " ".join(frequent)} for i in range(3)]
    index = Index()
    index.add_many(docs)
    reader = index._searcher().reader()
    expanded = {text.decode() for _, text in BoundedPrefix("body_exact", "كتب").expanded_terms(reader)}
    assert len(expanded) == MAX_EXPANSIONS and set(frequent) <= expanded
    index.close()


# --- limits -----------------------------------------------------------------------------
# The documented limits (README, Reliability), written out: the code's constants must agree.
DOCUMENTED_WORDS, DOCUMENTED_DEPTH = 64, 32


def test_the_limits_are_the_documented_ones():
    assert (MAX_QUERY_WORDS, MAX_QUERY_DEPTH) == (DOCUMENTED_WORDS, DOCUMENTED_DEPTH)


def _distinct_words(n: int) -> list[str]:
    """``n`` distinct made-up words of five letters, none a stopword."""
    letters = "جحخدذرزسشصضطظعغ"
    return [f"مدر{a}{b}" for a in letters for b in letters][:n]


def test_words_past_the_64th_are_not_searched():
    words = _distinct_words(DOCUMENTED_WORDS + 1)
    index = Index()
    index.add_many([{"id": "first", "text": words[0]}, {"id": "last", "text": words[-1]}])
    parsed = parse_query(" ".join(words), CONFIG)
    assert parsed.words == tuple(words[:DOCUMENTED_WORDS])
    assert [h.id for h in index.search(" ".join(words), mode="any")] == ["first"]
    # The same word as the 64th is searched.
    assert [h.id for h in index.search(" ".join(words[1:]), mode="any")] == ["last"]


@pytest.mark.parametrize("extra", [1, 100])
def test_words_past_the_64th_add_nothing_to_the_query(extra):
    """Not even the bonus of neighbouring words found side by side."""
    words = _distinct_words(DOCUMENTED_WORDS + extra)
    capped = parse_query(" ".join(words[:DOCUMENTED_WORDS]), CONFIG)
    parsed = parse_query(" ".join(words), CONFIG)
    assert (parsed.all, parsed.any, parsed.highlight) == (capped.all, capped.any, capped.highlight)


def test_a_repeated_word_counts_once_towards_the_64():
    words = _distinct_words(DOCUMENTED_WORDS)
    parsed = parse_query(" ".join([words[0]] * 10 + words), CONFIG)
    assert parsed.words == tuple(words)


@pytest.mark.parametrize(
    "query, expected",
    [
        pytest.param("حفظن~1", [], id="two letters off, distance 1: not found"),
        pytest.param("حفظن~", [], id="two letters off, automatic distance (1 for 4 letters)"),
        pytest.param("حفظن~2", ["haftar"], id="two letters off, distance 2: found"),
        pytest.param("حفظنا~2", [], id="three edits off, distance 2: not found"),
        pytest.param("حفتن~1", ["haftar"], id="one letter off, distance 1: found"),
    ],
)
def test_fuzzy_distance(query, expected):
    index = Index()
    index.add_many([{"id": "haftar", "text": "قال حفتر"}, {"id": "other", "text": "كلام آخر عن دمشق"}])
    assert [h.id for h in index.search(query)] == expected


def _nested(depth: int, word: str = "حفتر") -> str:
    return "(" * depth + word + ")" * depth


def test_nesting_up_to_the_limit_is_accepted():
    parsed = parse_query(_nested(DOCUMENTED_DEPTH), CONFIG, strict=True)
    assert parsed.words == ("حفتر",)


def test_nesting_past_the_limit_is_refused_at_the_first_parenthesis_too_deep():
    with pytest.raises(QueryError, match="parentheses nested deeper than 32 at character 32"):
        parse_query(_nested(DOCUMENTED_DEPTH + 1), CONFIG, strict=True)


@pytest.mark.parametrize("depth", [DOCUMENTED_DEPTH, DOCUMENTED_DEPTH + 1, 100])
def test_lenient_nesting_at_any_depth_searches_the_word(ix, depth):
    assert {h.id for h in ix.search(_nested(depth))} == {"haftar", "damascus"}


@pytest.mark.parametrize("query, syntax, held, not_held", [
    # the syntax alone names the phrase and its words; the index decides which are read
    ("East Jerusalem", ("east", "jerusalem", "east jerusalem"), ("east jerusalem",), ("east", "jerusalem")),
    ("Khalifa Haftar", ("khalifa", "haftar"), ("khalifa", "haftar"), ("khalifa", "haftar")),
    ("Al Assad East Jerusalem", ("al-assad", "east", "jerusalem", "east jerusalem"),
     ("al-assad", "east jerusalem"), ("al-assad", "east", "jerusalem")),
])
def test_a_place_named_in_several_latin_words_is_one_unit_if_the_index_holds_it(query, syntax, held, not_held):
    assert sorted(latin_units(query)) == sorted(syntax)
    assert latin_units(query, phrases=lambda phrase: True) == held
    assert latin_units(query, phrases=lambda phrase: False) == not_held


@pytest.mark.parametrize("query, units", [
    # an apostrophe writes ع or ء inside a name: one word, whichever mark is typed
    ("Sha'ban", ("sha'ban",)),
    ("Sha’ban", ("sha'ban",)),
    ("M'Barki Ja'far", ("m'barki", "ja'far")),
    ("al-Sha'ab", ("al-sha'ab",)),
    # an English possessive is not a name's letter
    ("Haftar's", ("haftar", "s")),
])
def test_a_latin_name_with_an_apostrophe_is_one_word(query, units):
    assert latin_units(query) == units
