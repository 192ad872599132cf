"""Every speed-up gives the results it replaces: same documents, same scores, same order.

The index here is the seed article cut into sentences, plus documents whose words are
the seed's words shuffled (fixed seed), so that word pairs recur in many documents, in
titles and bodies, with and without clitics.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from helpers import hits_of, seed_sentences, seed_words, whoosh_hits
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh.scoring import BM25FScorer, bm25
from whoosh.util.numeric import byte_to_length

from arsearch import Index, topk
from arsearch import scoring as scoring_module
from arsearch.analysis.pairs import WordPairAnalyzer, pair_terms
from arsearch.codec import blocks as codec
from arsearch.pipeline import DEFAULT_CONFIG, analyze_terms
from arsearch.query import parse_query
from arsearch.query.expansion import MAX_EXPANSIONS
from arsearch.query.nodes import PairPhrase, TermSet
from arsearch.query.nodes import without_pairs as _without_pairs
from arsearch.topk import arrays as tk_arrays
from arsearch.topk import evaluate as tk_eval
from arsearch.topk import plan as tk_plan
from arsearch.topk import postings as tk_postings
from arsearch.topk import top_docs
from arsearch.topk.evaluate import evaluate as _evaluate
from arsearch.topk.plan import Sizes as _Sizes
from arsearch.topk.plan import Unsupported as _Unsupported
from arsearch.topk.plan import plan as _plan

CLITICS = ("", "", "", "و", "ب", "ل", "ال", "وال", "فال", "لل")


def _documents() -> list[dict]:
    rng = random.Random(5)
    # the seed's sentences of more than three words (phrases of up to four words fit)
    sentences = [s.strip() for s in seed_sentences() if len(s.split()) > 3]
    words = list(seed_words())
    docs = [{"id": f"s{i}", "text": s, "title": sentences[i - 1] if i % 7 == 0 else None}
            for i, s in enumerate(sentences)]
    for i in range(150):
        start = rng.randrange(len(words) - 40)
        run = words[start : start + rng.randrange(8, 40)]
        # shuffle short stretches and add clitics, keeping many real neighbours
        for _ in range(3):
            j = rng.randrange(len(run) - 1)
            run[j], run[j + 1] = run[j + 1], run[j]
        run = [rng.choice(CLITICS) + w if rng.random() < 0.2 else w for w in run]
        docs.append({"id": f"r{i}", "text": " ".join(run), "title": " ".join(run[:3]) if i % 3 == 0 else None})
    return docs


@pytest.fixture(scope="module")
def corpus():
    return _documents()


@pytest.fixture(scope="module", params=["memory", "disk", "disk, blocks of 8"])
def index(request, corpus, tmp_path_factory):
    # Blocks of 8 postings: terms of many blocks, read whole or for some documents only.
    limit = codec.BLOCK_LIMIT
    codec.BLOCK_LIMIT = 8 if "blocks" in request.param else limit
    try:
        ix = Index() if request.param == "memory" else Index(tmp_path_factory.mktemp("speed") / "ix")
        ix.add_many(corpus[: len(corpus) // 2])
        ix.add_many(corpus[len(corpus) // 2 :])  # two segments
    finally:
        codec.BLOCK_LIMIT = limit
    yield ix
    ix.close()


def _phrase_queries(corpus, n=120):
    rng = random.Random(7)
    out = []
    for _ in range(n):
        words = rng.choice(corpus)["text"].split()
        k = rng.choice((2, 2, 3, 4))
        if len(words) > k:
            i = rng.randrange(len(words) - k)
            out.append('"' + " ".join(words[i : i + k]) + '"')
    return out


def test_phrases_use_word_pairs(index):
    parsed = parse_query('"مجلس الأمن"', index.config)
    leaves = [q for q in parsed.all.leaves()]
    assert leaves and all(isinstance(q, PairPhrase) for q in leaves)
    assert {q.pairfield for q in leaves} == {"title_pair", "body_pair"}


def test_phrase_with_a_stopword_inside_falls_back_to_whoosh_phrase(index):
    parsed = parse_query('"مجلس في الأمن"', index.config)
    assert not any(isinstance(q, PairPhrase) for q in parsed.all.leaves())


@pytest.mark.parametrize("limit", [None, 10])
def test_pair_phrases_match_and_score_as_whoosh_phrases(index, corpus, or_matcher, limit):
    searcher = index._searcher()
    checked = matched = 0
    for text in _phrase_queries(corpus):
        for q in (parse_query(text, index.config).all, parse_query(text + " حلب", index.config).any):
            if q is None:
                continue
            fast, plain = whoosh_hits(searcher, q, limit), whoosh_hits(searcher, _without_pairs(q), limit)
            assert fast == plain, text
            checked += 1
            matched += bool(fast)
    assert checked > 100 and matched > 50  # the comparison is not vacuous


def test_top_docs_of_phrases_equal_whoosh_scoring(index, corpus, or_matcher):
    searcher = index._searcher()
    matched = 0
    for text in _phrase_queries(corpus):
        for extra in ("", " حلب"):
            q = parse_query(text + extra, index.config).all
            if q is not None:
                got = top_docs(searcher, q, 10)
                assert got == _exhaustive(searcher, _without_pairs(q), 10), text + extra
                matched += bool(got)
    assert matched > 50


def test_negated_word_is_never_in_results(index, corpus):
    # (Whoosh's own AndNot over its preloaded Or, below 5,000 documents, can keep a
    # document holding the excluded word; top_docs does not.)
    for text in _phrase_queries(corpus, 60):
        for hit in index.search(text + " -دمشق", limit=50):
            doc = index.get(hit.id)
            terms = {t.term for part in (doc.text, doc.title or "") for v in ("exact", "clitic")
                     for t in analyze_terms(part, v)}
            assert "دمشق" not in terms, text


def test_search_modes_identical_with_and_without_pairs(index, corpus, monkeypatch):
    texts = _phrase_queries(corpus, 40)
    queries = [(t, m) for t in texts for m in ("all", "auto")]
    fast = hits_of(index, queries)
    import arsearch.query.builder as builder_module

    monkeypatch.setattr(builder_module, "pair_terms", lambda terms: [])
    parse_query.cache_clear()
    try:
        plain = hits_of(index, queries)
    finally:
        monkeypatch.undo()
        parse_query.cache_clear()
    assert fast == plain
    assert sum(bool(v) for v in fast.values()) > 40


def _consecutive_pairs(text: str) -> list[str]:
    """Each clitic term with each term one position on (a word's readings share one)."""
    terms = list(analyze_terms(text, "clitic", DEFAULT_CONFIG))
    return [a.term + " " + b.term for b in terms for a in terms if a.position == b.position - 1]


@pytest.mark.parametrize(
    "text, pairs",
    [
        pytest.param("وصل خليفة حفتر إلى بنغازي", ["وصل خليفه", "خليفه حفتر"], id="stopword leaves a gap"),
        pytest.param("وبحكومة الوفاق", ["حكومه وفاق", "بحكومه وفاق", "وبحكومه وفاق"], id="clitics stripped"),
        pytest.param("لجنة وزير", ["جنه زير", "لجنه زير", "جنه وزير", "لجنه وزير"],
                     id="each reading with each reading"),
        pytest.param("حفتر", [], id="one word"),
        pytest.param("", [], id="empty"),
    ],
)
def test_word_pair_analyzer(text, pairs):
    assert [t.text for t in WordPairAnalyzer()(text)] == pairs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["حفتر", "وحكومة", "الوفاق", "في", "بدمشق", "ال", "و", "مُحَمَّدٌ", "x", "،", "ـ"]), max_size=12))
def test_word_pairs_are_the_clitic_view_neighbours(words):
    text = " ".join(words)
    assert [t.text for t in WordPairAnalyzer()(text)] == _consecutive_pairs(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x600, max_codepoint=0x6FF) | st.sampled_from(" وبلفك"), max_size=30))
def test_every_exact_position_has_a_clitic_term(text):
    """The pair candidates are a superset of exact-view phrase matches only if no
    word that has an exact term loses its clitic term."""
    exact = [t.position for t in analyze_terms(text, "exact")]
    clitic = [t.position for t in analyze_terms(text, "clitic")]
    assert exact == list(dict.fromkeys(clitic))


def test_pair_terms():
    assert pair_terms(["a", "b", "c"]) == ["a b", "b c"]
    assert pair_terms(["a"]) == []


# --- top_docs: word queries scored without stepping Whoosh's matcher tree -----------------
def _word_queries(corpus, n=80):
    rng = random.Random(11)
    out = []
    for _ in range(n):
        words = [w for w in rng.choice(corpus)["text"].split() if len(w) > 2]
        k = rng.choice((1, 1, 2, 3))
        if len(words) >= k:
            out.append(" ".join(rng.sample(words, k)))
    out += ["حفتر -دمشق", "title:حفتر", "body:دمشق حفتر", "حفتر OR دمشق", "غيرموجودة", "حفتر غيرموجودة"]
    return out


def _exhaustive(searcher, q, limit):
    """Whoosh scoring every match (no top-k pruning), ranked as its collector ranks."""
    scored = whoosh_hits(searcher, q)
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:limit]


@pytest.fixture(params=["array-or", "tree-or"])
def or_matcher(request, monkeypatch):
    """Whoosh's Or preloads an array below 5,000 documents and builds a tree of
    unions above: test both."""
    if request.param == "tree-or":
        monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    return request.param


def _evaluated(searcher, q) -> bool:
    """Whether top_docs evaluates ``q`` itself (rather than handing it to Whoosh)."""
    try:
        for sub, _ in searcher.leaf_searchers():
            _evaluate(_plan(q, sub, searcher.context(), _Sizes(sub.reader())), sub.reader(), None)
    except _Unsupported:
        return False
    return True


@pytest.mark.parametrize("limit", [1, 10, 1000])
def test_top_docs_equal_whoosh_scoring(index, corpus, or_matcher, limit):
    """Word queries, in modes all and any, are evaluated by top_docs and give Whoosh's
    scores and ranking, every match scored."""
    searcher = index._searcher()
    fast = 0
    for text in _word_queries(corpus):
        parsed = parse_query(text, index.config)
        for q in (parsed.all, parsed.any):
            if q is None:
                continue
            assert _evaluated(searcher, q), text
            got = top_docs(searcher, q, limit)
            assert got == _exhaustive(searcher, q, limit), text
            fast += bool(got)
    assert fast > 100


def test_top_docs_of_one_segment_equal_whoosh_scoring(corpus, or_matcher):
    """In an index of one segment, the idf comes from the term infos the plan read:
    still Whoosh's scores (its idf cache emptied before each side)."""
    ix = Index()
    ix.add_many(corpus)
    searcher = ix._searcher()
    assert searcher.is_atomic()
    fast = 0
    for text in _word_queries(corpus):
        q = parse_query(text, ix.config).all
        if q is None or not _evaluated(searcher, q):
            continue
        searcher._idf_cache.clear()
        got = top_docs(searcher, q, 10)
        searcher._idf_cache.clear()
        assert got == _exhaustive(searcher, q, 10), text
        fast += bool(got)
    assert fast > 50


def test_prefix_and_fuzzy_words_are_evaluated_with_whoosh_scores(index, corpus, or_matcher):
    """Prefix and fuzzy words (their expansions ORed, as Whoosh's MultiTerm does) are
    planned by top_docs and give Whoosh's scores and ranking."""
    rng = random.Random(5)
    words = [w for d in rng.sample(corpus, 30) for w in d["text"].split() if len(w) > 4]
    texts = [w[:3] + "*" for w in rng.sample(words, 25)] + [w + "~1" for w in rng.sample(words, 25)]
    texts += ["ال*", "حفتر~2 دمشق", "حكوم* الوفاق"]
    searcher = index._searcher()
    matched = 0
    for text in texts:
        parsed = parse_query(text, index.config)
        if parsed.empty:  # a stopword
            continue
        assert _evaluated(searcher, parsed.all), text
        for q in {parsed.all, parsed.any} - {None}:
            assert _evaluated(searcher, q), text
            got = top_docs(searcher, q, 10)
            assert got == _exhaustive(searcher, q, 10), text
            matched += bool(got)
    assert matched > 40


def test_coordination_bonus_of_whoosh_is_handed_to_whoosh(index, corpus):
    """Whoosh's ``Or(scale=...)``, whose scores depend on the order its collector reaches
    documents, is not evaluated by top_docs: Whoosh's own search answers it."""
    searcher = index._searcher()
    answered = 0
    words = [q for t in _word_queries(corpus) if " " not in t and (q := parse_query(t, index.config).all) is not None]
    for a, b in zip(words[:20], words[20:40]):
        scaled = wq.Or([a, b], scale=0.9)
        assert not _evaluated(searcher, scaled), scaled
        got = top_docs(searcher, scaled, 10)
        assert got == whoosh_hits(searcher, scaled, 10), scaled
        answered += bool(got)
    assert answered > 5


def test_top_docs_evaluates_word_queries_itself(index, corpus, or_matcher):
    """No fallback to Whoosh's search for plain words in mode all (the fast path is used)."""
    searcher = index._searcher()
    queries = [q for t in _word_queries(corpus) if (q := parse_query(t, index.config).all) is not None]
    assert len(queries) > 50 and all(_evaluated(searcher, q) for q in queries)


def test_top_docs_skip_deleted_documents(corpus, tmp_path, or_matcher):
    with Index(tmp_path / "ix") as ix:
        ix.add_many(corpus)
        for doc in corpus[::5]:
            ix.delete(doc["id"])
        searcher = ix._searcher()
        assert searcher.reader().has_deletions()
        for text in _word_queries(corpus, 40):
            q = parse_query(text, ix.config).all
            if q is not None:
                assert top_docs(searcher, q, 10) == _exhaustive(searcher, q, 10), text
        deleted = {d["id"] for d in corpus[::5]}
        assert not any(h.id in deleted for t in _word_queries(corpus, 40) for h in ix.search(t, limit=50))


def test_phrase_with_a_stopword_inside_scores_as_whoosh(index, corpus, or_matcher):
    """A stopword inside a phrase leaves a gap: Whoosh's Phrase with a slop, which
    top_docs evaluates itself (except inside Whoosh's preloaded array of small indexes)."""
    searcher = index._searcher()
    matched = 0
    for text in _phrase_queries(corpus, 80):
        words = text.strip('"').split()
        for stop in ("في", "على"):
            q = parse_query('"' + " ".join([words[0], stop, *words[1:]]) + '"', index.config).all
            if q is None:
                continue
            if or_matcher == "tree-or":
                assert _evaluated(searcher, q)
            got = top_docs(searcher, q, 10)
            assert got == _exhaustive(searcher, q, 10), text
            matched += bool(got)
    assert matched > 20
def test_top_docs_of_term_sets_equal_whoosh_scoring(index, corpus, or_matcher):
    """A set of terms (a question word's relatives of the same root) is evaluated by
    arsearch.topk as Whoosh's MultiTerm scores it: the Or of the boosted terms the
    segment holds."""
    searcher = index._searcher()
    rng = random.Random(13)
    stems = sorted({t.term for d in corpus for t in analyze_terms(d["text"], "stem")})
    matched = 0
    for _ in range(40):
        texts = [*rng.sample(stems, rng.choice((1, 2, 5))), "غيرموجودة"]
        for q in (TermSet("body_stem", texts, boost=0.2),
                  wq.Or([wq.Term("body_exact", texts[0]), TermSet("title_stem", texts)]),
                  TermSet("body_stem", ["غيرموجودة"])):
            assert _evaluated(searcher, q)
            for limit in (1, 10, 1000):
                assert top_docs(searcher, q, limit) == _exhaustive(searcher, q, limit), texts
            matched += bool(top_docs(searcher, q, 1))
    assert matched > 40


def test_top_docs_of_questions_equal_whoosh_scoring(index, corpus, or_matcher):
    """Questions (scores times the share of their words a document holds, a bonus for
    words among a passage's first) are evaluated by arsearch.topk, with Whoosh's scores."""
    searcher = index._searcher()
    n = 0
    for text in _word_queries(corpus, 60):
        parsed = parse_query("متى " + text + "؟", index.config)
        if parsed.empty or len(parsed.words) < 2:
            continue
        assert parsed.kind == "question"
        evaluated = _evaluated(searcher, parsed.any)
        if or_matcher == "tree-or":  # (in Whoosh's preloaded array, the lead bonus is not)
            assert evaluated
        for limit in (1, 10, 1000):
            got = top_docs(searcher, parsed.any, limit)
            if evaluated:
                assert got == _exhaustive(searcher, parsed.any, limit), text
            else:
                assert got == whoosh_hits(searcher, parsed.any, limit), text
        n += 1
    assert n > 20


@pytest.mark.parametrize("cache_bytes", [0, 2_000, 64 * 2**20])
def test_postings_cache_gives_the_same_results(corpus, tmp_path, monkeypatch, cache_bytes):
    """With the decoded-postings cache off, tiny (entries evicted all the time) or large,
    and across commits, deletions and merges (a cache entry belongs to one segment)."""
    from arsearch import topk

    monkeypatch.setattr(tk_postings, "POSTINGS_CACHE_BYTES", cache_bytes)
    # Whoosh's tree of unions, as above 5,000 documents (below, an array that the
    # cache does not serve)
    monkeypatch.setattr(wq.Or, "matcher_type", wq.Or.DEFAULT_MATCHER)
    topk.clear_postings_cache()
    queries = _word_queries(corpus, 40) + _phrase_queries(corpus, 20)
    with Index(tmp_path / "ix") as ix:
        ix.add_many(corpus[:100])
        for step in range(3):
            searcher = ix._searcher()
            for text in queries:
                q = parse_query(text, ix.config).all
                if q is not None:
                    first = top_docs(searcher, q, 10)
                    assert first == _exhaustive(searcher, q, 10), text
                    assert top_docs(searcher, q, 10) == first, text  # now from the cache
            assert bool(tk_postings.CACHE._entries) == (cache_bytes > 0)
            assert tk_postings.CACHE._bytes <= cache_bytes
            if step == 0:
                for doc in corpus[:100:4]:
                    ix.delete(doc["id"])
            elif step == 1:
                ix.add_many(corpus[100:])
                ix.optimize()


def test_matching_docs_are_whoosh_docs_for_query(index, corpus, or_matcher):
    from arsearch.topk import matching_docs

    searcher = index._searcher()
    n = 0
    for text in _word_queries(corpus, 40) + _phrase_queries(corpus, 20):
        for q in (parse_query(text, index.config).all, parse_query("متى " + text + "؟", index.config).all):
            if q is not None:
                found = matching_docs(searcher, q)
                assert found == set(searcher.docs_for_query(q)), text
                n += bool(found)
    assert n > 30


def test_prefix_expansion_reads_frequencies_from_the_lexicon_walk(index):
    """The prefix fast path picks the terms the generic bounded expansion picks."""
    from arsearch.query.expansion import BoundedPrefix, _Bounded  # noqa: PLC0415

    reader = index._searcher().reader()
    checked = 0
    for prefix in ("ا", "ال", "الم", "وال", "حك", "ب", "غيرموجود"):
        for field in ("body_exact", "body_clitic", "title_exact"):
            q = BoundedPrefix(field, prefix)
            got = q._expand(reader)
            assert got == _Bounded._expand(q, reader), (field, prefix)
            checked += len(got) == MAX_EXPANSIONS
    assert checked >= 3  # some prefixes hit the bound


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5000), min_size=1, max_size=60), min_size=1, max_size=6))
def test_distinct_ids_are_numpy_unique(parts):
    """The union's distinct ids, dense (a mask) or sparse (a sort), are ``np.unique``'s."""
    from arsearch.topk.arrays import distinct as _distinct

    arrays = [np.array(sorted(set(p)), dtype=np.int64) for p in parts]
    got = _distinct(arrays)
    assert got.dtype == np.int64 and got.tolist() == np.unique(np.concatenate(arrays)).tolist()


# --- arsearch.topk's arithmetic: the same bits on every path ---------------------------
class _Given(tk_plan.Node):
    """An operand with given documents and scores (read within ``only``, as a leaf is)."""

    def __init__(self, postings: dict[int, float]):
        self.ids = np.array(sorted(postings), dtype=np.int64)
        self.scores = np.array([postings[d] for d in sorted(postings)], dtype=np.float64)
        self.size = len(self.ids)


def _given_evaluate(evaluate):
    def wrapped(node, reader, only):
        if type(node) is not _Given:
            return evaluate(node, reader, only)
        keep = np.ones(len(node.ids), dtype=bool) if only is None else np.isin(node.ids, only)
        return node.ids[keep], node.scores[keep]

    return wrapped


def _pairwise(node, only) -> tuple[np.ndarray, np.ndarray]:
    """The unions taken pair by pair, as arsearch.topk evaluated them before dense
    union trees: each union adds its two sides' scores into a zero."""
    if type(node) is tk_plan.Union:
        parts = [p for p in (_pairwise(node.a, only), _pairwise(node.b, only)) if len(p[0])]
        if len(parts) < 2:
            return parts[0] if parts else (tk_arrays.NO_IDS, tk_arrays.NO_SCORES)
        ids = np.unique(np.concatenate([p[0] for p in parts]))
        total = np.zeros(len(ids))
        for pids, pscores in parts:
            total[np.searchsorted(ids, pids)] += pscores
        return ids, total
    if type(node) is tk_plan.Boost:
        ids, scores = _pairwise(node.child, only)
        return ids, scores * node.boost
    if node is tk_plan.NULL:
        return tk_arrays.NO_IDS, tk_arrays.NO_SCORES
    return _given_evaluate(None)(node, None, only)


def _same_bits(got, expected) -> bool:
    return got[0].tolist() == expected[0].tolist() and got[1].tobytes() == expected[1].tobytes()


_scores = st.floats(min_value=1e-9, max_value=1e6, allow_subnormal=False)
_boosts = st.sampled_from([0.4, 0.6, 0.6000000000000001, 0.8999999999999999, 1.5, 1e-9]) | st.floats(0.01, 100)
_operand = st.dictionaries(st.integers(0, 120), _scores, max_size=20).map(_Given) | st.just(tk_plan.NULL)
_trees = st.recursive(
    _operand,
    lambda sub: st.builds(tk_plan.Union, sub, sub) | st.builds(tk_plan.Boost, sub, _boosts),
    max_leaves=8,
)
_only = st.none() | st.lists(st.integers(0, 120), unique=True).map(lambda xs: np.array(sorted(xs), dtype=np.int64))


@settings(max_examples=500, deadline=None)
@given(_trees, _only, st.sampled_from([0, 32, 10**6]))
def test_union_trees_add_as_pairwise_unions(tree, only, few):
    """A tree of unions and boosts evaluated over its operands' documents at once (on
    numpy arrays, or on Python floats for few documents) has the bits of the unions
    taken pair by pair: where one side lacks a document it adds 0.0, and
    ``0.0 + a + b == a + b``, ``a + 0.0 == a`` for every positive ``a``."""
    from unittest import mock

    with mock.patch.object(tk_eval, "evaluate", _given_evaluate(tk_eval.evaluate)), \
            mock.patch.object(tk_eval, "FEW", few), mock.patch.object(tk_arrays, "FEW", few):
        got = tk_eval.evaluate(tree, None, only)
    assert _same_bits(got, _pairwise(tree, only))


@settings(max_examples=300, deadline=None)
@given(st.lists(_operand, max_size=6), st.none() | _boosts, st.sampled_from([0, 10**6]))
def test_union_into_a_zero_on_python_floats(operands, boost, few):
    """``_union`` (Whoosh's array of a small index's Or adds scores times the boost
    into a zero) gives the same bits on Python floats as on numpy arrays."""
    from unittest import mock

    parts = [_given_evaluate(None)(o, None, None) if type(o) is _Given else (tk_arrays.NO_IDS, tk_arrays.NO_SCORES)
             for o in operands]
    with mock.patch.object(tk_arrays, "FEW", 10**6):
        few_path = tk_arrays.union(parts, boost)
    with mock.patch.object(tk_arrays, "FEW", 0):
        numpy_path = tk_arrays.union(parts, boost)
    assert _same_bits(few_path, numpy_path)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=5e-324, allow_infinity=False), st.floats(min_value=5e-324, allow_infinity=False))
def test_adding_zero_keeps_a_positive_score(a, b):
    """What dense unions rest on: 0.0 on the missing side changes no bit."""
    bits = lambda x: np.float64(x).tobytes()  # noqa: E731
    assert bits((0.0 + a) + b) == bits(a + b) and bits(a + 0.0) == bits(a) == bits(0.0 + a)
    laid = np.array([a, 0.0]) + np.array([0.0, b])
    assert laid.tobytes() == np.array([a, b]).tobytes()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 50).map(float), st.integers(1, 255)), max_size=40),
       st.floats(0.1, 12), st.floats(1, 500), st.floats(0, 1), st.floats(0, 3), st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0, 3))
def test_term_scores_are_whoosh_bm25(postings, idf, avgfl, B, K1, delta):
    """A term's scores from the segment's length bytes and its kept length parts: each
    the score Whoosh's scorer gives the document's decoded length (``BM25FScorer``, or
    arsearch's ``BM25PlusScorer`` when delta is not 0), to the bit (again from the cache)."""
    from types import SimpleNamespace

    from arsearch.scoring import BM25PlusScorer

    tf = np.array([t for t, _ in postings], dtype=np.float64)
    lengths = np.array([b for _, b in postings], dtype=np.uint8)
    ids = np.arange(len(postings))
    reader = SimpleNamespace(_perdoc=SimpleNamespace())
    params = scoring_module.BM25Params(idf, avgfl, B, K1, delta)
    scorer = object.__new__(BM25PlusScorer if delta else BM25FScorer)  # the attributes its initializer sets
    scorer.idf, scorer.avgfl, scorer.B, scorer.K1, scorer.delta = idf, avgfl, B, K1, delta
    expected = [scorer._score(t, byte_to_length(b)) for t, b in postings]
    if not delta:
        assert expected == [bm25(idf, t, byte_to_length(b), avgfl, B, K1) for t, b in postings]
    # BM25+ (Lv and Zhai 2011) written out: idf × (tf × (k1 + 1) / (tf + k1 × (1 − b + b × len / avglen)) + δ)
    by_hand = [idf * (t * (K1 + 1) / (t + K1 * (1 - B + B * byte_to_length(b) / avgfl)) + delta) for t, b in postings]
    assert expected == pytest.approx(by_hand, rel=1e-12, abs=1e-12)
    for _ in range(2):
        assert scoring_module.term_scores(reader, "body_exact", params, lengths, ids, tf).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(0, 500), st.sampled_from([0.5, 1.0, 2.25]) | _scores, max_size=40),
       st.integers(1, 50))
def test_best_on_python_floats_is_numpy_best(postings, limit):
    ids = np.array(sorted(postings), dtype=np.int64)
    scores = np.array([postings[d] for d in sorted(postings)], dtype=np.float64)
    from unittest import mock

    with mock.patch.object(tk_arrays, "FEW", 10**6):
        few_path = topk.best(ids, scores, limit)
    with mock.patch.object(tk_arrays, "FEW", 0):
        numpy_path = topk.best(ids, scores, limit)
    assert few_path == numpy_path == sorted(postings.items(), key=lambda p: (-p[1], p[0]))[:limit]


_sorted_ids = st.lists(st.integers(0, 300), unique=True, max_size=80).map(lambda xs: np.array(sorted(xs), dtype=np.int64))


@settings(max_examples=300, deadline=None)
@given(_sorted_ids, st.none() | _sorted_ids, st.sets(st.integers(0, 300), max_size=30))
def test_postings_kept_within_only_and_not_deleted(ids, only, deleted):
    """The documents of a posting list kept (binary searches, one way or the other by
    the lists' lengths) are those ``np.isin`` keeps."""
    from types import SimpleNamespace

    tf = ids.astype(np.float64) + 0.5
    got_ids, got_tf = tk_postings.kept(SimpleNamespace(deleted_docs_set=deleted), ids, tf, only)
    keep = np.ones(len(ids), dtype=bool) if only is None else np.isin(ids, only)
    keep &= ~np.isin(ids, list(deleted))
    assert got_ids.tolist() == ids[keep].tolist() and got_tf.tolist() == tf[keep].tolist()


@settings(max_examples=300, deadline=None)
@given(_sorted_ids, st.data())
def test_intersection_within_one_side_is_intersect1d(ids, data):
    """An intersection whose second side was read within the first's documents finds
    their places by binary search; otherwise it says so (and ``np.intersect1d`` is used)."""
    some = np.array(sorted(data.draw(st.sets(st.sampled_from(ids.tolist()) if len(ids) else st.nothing()))),
                    dtype=np.int64)
    other = np.array(sorted(data.draw(st.sets(st.integers(0, 300), max_size=20))), dtype=np.int64)
    at = tk_arrays.positions_in(ids, some)
    assert at is not None and ids[at].tolist() == some.tolist()
    _, ja, _ = np.intersect1d(ids, other, assume_unique=True, return_indices=True)
    at = tk_arrays.positions_in(ids, other)
    assert (at is None) == (len(ja) < len(other)) and (at is None or at.tolist() == ja.tolist())


@pytest.mark.parametrize("delta", [-0.5, float("nan")])
def test_bm25plus_refuses_a_delta_below_zero(delta):
    from arsearch.scoring import BM25Plus

    with pytest.raises(ValueError, match="delta must be 0 or more"):
        BM25Plus(delta=delta)


def test_postings_cache_tells_indexes_apart_when_random_is_seeded():
    """Whoosh names segments from ``random``: a seeded program builds indexes whose
    segments share their ids, and a search of one must never read the other's postings."""
    import random

    from arsearch import Index

    found = []
    for texts in (("قال الوزير", "نص آخر"), ("نص آخر", "قال الوزير")):
        random.seed(7)
        ix = Index()
        ix.add_many([{"id": "a", "text": texts[0]}, {"id": "b", "text": texts[1]}])
        found.append([h.id for h in ix.search("الوزير", mode="all")])
    assert found == [["a"], ["b"]]
