"""Ranking behaviour on small documents written for these tests (no evaluation data).

What is measured on real judgments lives in ``benchmarks/relevance.py``; here each rule
of ``arsearch.query.RANKINGS`` is checked on a case built to show it.
"""

from __future__ import annotations

import dataclasses

import pytest
from whoosh import query as wq

from arsearch import Index
from arsearch.pipeline import DEFAULT_CONFIG
from arsearch.query import parse_query


def _index(docs: dict[str, str], titles: dict[str, str] | None = None) -> Index:
    ix = Index()
    titles = titles or {}
    ix.add_many({"id": k, "text": v, "title": titles.get(k)} for k, v in docs.items())
    return ix


def _ids(ix: Index, query: str, **kw) -> list[str]:
    return [h.id for h in ix.search(query, limit=20, **kw)]


# Each row: documents of the same length; the query; the order they must come in; why.
ORDER_CASES = [
    pytest.param(
        {"stem": "أعلنت الحكومة خطة جديدة اليوم", "clitic": "أعلنت وبالحكومات خطة جديدة اليوم",
         "exact": "أعلنت الحكومات خطة جديدة اليوم"},
        "الحكومات", ["exact", "clitic", "stem"],
        id="layered-views", marks=[],
    ),
    pytest.param(
        {"clitic": "وصل لحفتر وفد من المدينة", "exact": "وصل حفتر مع وفد من المدينة"},
        "حفتر", ["exact", "clitic"],
        id="name-exact-before-clitic",
    ),
    pytest.param(
        {"apart": "الوفاق صعب وقالت حكومة طرابلس إنها تسعى إليه",
         "adjacent": "حكومة الوفاق قالت صباحا طرابلس إنها تسعى إليه"},
        "حكومة الوفاق", ["adjacent", "apart"],
        id="multi-word-name-side-by-side",
    ),
    pytest.param(
        {"one-word": "حفتر حفتر حفتر قال كلاما كثيرا", "all-words": "وصل حفتر إلى دمشق صباح أمس"},
        "متى وصل حفتر إلى دمشق؟", ["all-words", "one-word"],
        id="question-more-words-first",
    ),
    pytest.param(
        {"other-prefix": "تقع قلعة المتحف على الجبل", "no-verb": "قلعة المتحف القديمة على الجبل"},
        "أين يقع المتحف؟", ["other-prefix", "no-verb"],
        id="question-verb-with-another-prefix",
    ),
    pytest.param(
        {"longer": "ولد الشاعر في دمشق عام 1923 ثم انتقل إلى بيروت وعمل في السلك الدبلوماسي سنوات طويلة",
         "shorter": "ولد الشاعر في دمشق عام 1923"},
        "أين ولد الشاعر؟", ["shorter", "longer"],
        id="question-shorter-passage-with-the-same-words-first",
    ),
    pytest.param(
        {"inside": "شاعر سوري كبير ولد في دمشق اسمه نزار قباني", "opens": "نزار قباني شاعر سوري كبير ولد في دمشق اسمه"},
        "أين ولد نزار قباني؟", ["opens", "inside"],
        id="question-passage-opening-with-its-words-first",
    ),
    pytest.param(
        {"none": "يحتفل أهل المدينة بذكرى وفاة الشاعر كل عام", "root": "يحتفل أهل المدينة بذكرى مولد الشاعر كل عام"},
        "متى ولد الشاعر؟", ["root", "none"],
        id="question-word-meets-its-root",
    ),
    pytest.param(
        {"none": "الهند بلد كبير وولايات الهند لها حكومات", "plural": "الهند بلد كبير وأقاليم الهند لها حكومات"},
        "ما هو أكبر إقليم في الهند؟", ["plural", "none"],
        id="question-word-meets-its-broken-plural",
    ),
]


@pytest.mark.parametrize("docs, query, order", ORDER_CASES)
def test_ranking_order(docs, query, order):
    with _index(docs) as ix:
        assert _ids(ix, query) == order


def test_question_prefers_the_passage_holding_more_of_its_words():
    # بنغازي is the rarest word of the question, but the passage holding only it says
    # nothing of what is asked; summed BM25 alone ranks it first.
    docs = {f"filler{i}": f"تقرير رقم {i} عن المتحف الوطني الذي افتتح في العاصمة" for i in range(12)}
    docs |= {"rare": "بنغازي مدينة ساحلية هادئة", "most": "افتتح المتحف الوطني الجديد أمس أبوابه"}
    with _index(docs) as ix:
        ids = _ids(ix, "متى افتتح المتحف الوطني في بنغازي؟")
        assert ids[0] == "most" and ids.index("most") < ids.index("rare")


@pytest.mark.parametrize("delta, first", [(0.0, "short"), (None, "long")], ids=["plain-bm25", "default-bm25plus"])
def test_question_long_passage_holding_every_word_is_not_buried(monkeypatch, delta, first):
    # Full length normalization (b 1) brings a long passage's scores near zero: in plain
    # BM25 a short passage holding one of the two words outranks it. BM25+'s lower bound
    # (each word held adds delta × idf) puts the passage holding both first.
    import arsearch.query as aq

    if delta is not None:
        monkeypatch.setitem(aq.RANKINGS, "question", dataclasses.replace(aq.RANKINGS["question"], delta=delta))
    parse_query.cache_clear()
    filler = " ".join(f"كلمة{i}" for i in range(10))
    docs = {f"filler{i}": f"تقرير رقم {i} عن الطقس في العاصمة اليوم" for i in range(8)}
    docs |= {"long": f"زار الوفد {filler} المتحف ثم {filler} مبنى الوطني", "short": "المتحف الكبير قديم"}
    try:
        with _index(docs) as ix:
            assert _ids(ix, "ما هو المتحف الوطني؟")[:2] == [first, "long" if first == "short" else "short"]
    finally:
        parse_query.cache_clear()


def test_title_outranks_body():
    docs = {"body": "اجتماع في دمشق حول الاقتصاد", "title": "اجتماع حول الاقتصاد"}
    with _index(docs, {"title": "دمشق", "body": "أخبار"}) as ix:
        assert _ids(ix, "دمشق") == ["title", "body"]


@pytest.mark.parametrize("text, kind, ratio", [("دمشق", "name", 1.5), ("أين تقع دمشق؟", "question", 1.0)])
def test_title_boost_depends_on_the_kind_of_query(text, kind, ratio):
    # A name in a title is what the document is about; a passage's title is often its
    # article's, shared by every passage of it, so for questions it counts as the body.
    parsed = parse_query(text, DEFAULT_CONFIG)
    assert parsed.kind == kind
    boosts = {}
    for t in parsed.all.leaves():
        if isinstance(t, wq.Term) and t.fieldname.endswith("_stem") and t.text == "دمشق":
            boosts[t.fieldname.split("_")[0]] = t.boost
    assert boosts["title"] == pytest.approx(ratio * boosts["body"])


def test_long_sentence_naming_the_entity_is_not_buried():
    # Weak length normalization for names: a long sentence mentioning حفتر once still
    # ranks above a short one that only holds a clitic form of it.
    long = "قال المتحدث إن حفتر " + " ".join(["التقى بالوفد الزائر في المدينة"] * 6)
    with _index({"long": long, "short": "لحفتر رأي"}) as ix:
        assert _ids(ix, "حفتر") == ["long", "short"]


QUESTION_CASES = [
    pytest.param("متى ولد نزار قباني؟", ("ولد", "نزار", "قباني"), id="question-mark"),
    pytest.param("متى ولد نزار قباني", ("ولد", "نزار", "قباني"), id="leading-interrogative"),
    pytest.param("ومتى ولد نزار قباني", ("ولد", "نزار", "قباني"), id="interrogative-with-waw"),
    pytest.param("بماذا اشتهر نزار قباني", ("اشتهر", "نزار", "قباني"), id="interrogative-with-beh"),
    pytest.param("نزار قباني أين ولد", ("نزار", "قباني", "ولد"), id="unambiguous-inside"),
    pytest.param("ما اسم عاصمة ليبيا؟", ("عاصمه", "ليبيا"), id="framing-word-name"),
    pytest.param("كم عدد سكان مصر", ("سكان", "مصر"), id="framing-word-number"),
    pytest.param("في أي عام ولد نزار قباني؟", ("ولد", "نزار", "قباني"), id="framing-word-year"),
    pytest.param("في أي سنة ولد نزار قباني؟", ("ولد", "نزار", "قباني"), id="framing-word-year-2"),
    pytest.param("ولد نزار قباني في العام؟", ("ولد", "نزار", "قباني"), id="framing-word-with-article"),
    pytest.param("متى ولد نزار قباني؟ ال", ("ولد", "نزار", "قباني"), id="bare-article"),
]


@pytest.mark.parametrize("text, words", QUESTION_CASES)
def test_questions_drop_interrogatives(text, words):
    parsed = parse_query(text, DEFAULT_CONFIG)
    assert parsed.kind == "question"
    assert parsed.words == words


@pytest.mark.parametrize(
    "text, words",
    [
        pytest.param("حكومة الوفاق", ("حكومه", "الوفاق"), id="name"),
        pytest.param("لبنان كم", ("لبنان", "كم"), id="ambiguous-interrogative-not-first"),
        pytest.param("عدد سكان مصر", ("عدد", "سكان", "مصر"), id="framing-words-kept-in-names"),
    ],
)
def test_names_are_not_questions(text, words):
    parsed = parse_query(text, DEFAULT_CONFIG)
    assert parsed.kind == "name"
    assert parsed.words == words


def test_question_of_interrogatives_only_still_searches_them():
    parsed = parse_query("كيف", DEFAULT_CONFIG)
    assert not parsed.empty and parsed.words == ("كيف",)


def test_question_of_framing_words_only_still_searches_them():
    parsed = parse_query("ما الاسم؟", DEFAULT_CONFIG)
    assert not parsed.empty and parsed.words == ("الاسم",)


@pytest.mark.parametrize(
    "text, present, absent",
    [
        pytest.param("أين يقع المتحف؟", {"تقع", "نقع", "اقع"}, set(), id="imperfect"),
        pytest.param("متى اشتهر الشاعر؟", {"يشتهر", "تشتهر"}, set(), id="perfect-of-a-derived-verb"),
        pytest.param("متى استقلت تونس؟", set(), {"يونس", "اونس"}, id="protected-name-is-no-verb"),
        pytest.param("يقع المتحف", set(), {"تقع"}, id="names-are-searched-as-written"),
    ],
)
def test_question_verbs_match_their_other_prefixes(text, present, absent):
    stems = parse_query(text, DEFAULT_CONFIG).highlight["stem"]
    assert present <= stems and not absent & stems


@pytest.mark.parametrize(
    "text, present, absent",
    [
        pytest.param("متى ولد الشاعر؟", {"مولد", "ميلاد"}, set(), id="question"),
        pytest.param("ولد الشاعر", set(), {"مولد", "ميلاد"}, id="names-are-searched-as-written"),
        pytest.param("متى استقلت حلب؟", {"استقلال"}, {"حليب", "محلب"}, id="protected-name-has-no-root"),
        pytest.param("متى ولد -الشاعر؟", {"مولد"}, {"شعر", "اشعار"}, id="negated-word-has-no-relatives"),
    ],
)
def test_question_words_match_their_relatives(text, present, absent):
    stems = parse_query(text, DEFAULT_CONFIG).highlight["stem"]
    assert present <= stems and not absent & stems


def test_relative_of_the_root_counts_as_the_word_but_weighs_less():
    # A passage holding a relative (مولد) comes before one without it, and after one
    # holding the word itself (ولد).
    docs = {"none": "في هذه المدينة بيت الشاعر الكبير", "root": "في هذه المدينة مولد الشاعر الكبير",
            "word": "في هذه المدينة ولد الشاعر الكبير"}
    with _index(docs) as ix:
        assert _ids(ix, "أين ولد الشاعر؟") == ["word", "root", "none"]


def test_question_verb_forms_are_highlighted():
    with _index({"d": "تقع قلعة المتحف على الجبل"}) as ix:
        (hit,) = ix.search("أين يقع المتحف؟")
        assert "[تقع]" in hit.snippet


def test_question_ranking_with_a_side_by_side_bonus(monkeypatch):
    # The share-of-words scoring (CoordOr) under Whoosh's union with the proximity bonus:
    # once its top-k heap is full, Whoosh asks each side for an upper bound of its scores.
    import arsearch.query as aq

    question = dataclasses.replace(aq.RANKINGS["question"], proximity=1.0)
    monkeypatch.setitem(aq.RANKINGS, "question", question)
    parse_query.cache_clear()
    # The bonus's document comes last, so that the bonus is still running when the
    # better documents before it have raised the heap's minimum twice.
    docs = {f"filler{i}": f"قالت الحكومة في بيانها رقم {i} إنها تسعى إليه" for i in range(5)}
    docs |= {"apart": "الوفاق صعب وقالت حكومة طرابلس إنها تسعى إليه",
             "apart2": "الوفاق صعب وقالت حكومة طرابلس إنها تسعى إليها",
             "adjacent": "حكومة الوفاق قالت صباحا طرابلس إنها تسعى إليه"}
    try:
        with _index(docs) as ix:
            assert [h.id for h in ix.search("متى تشكلت حكومة الوفاق؟", limit=2)][0] == "adjacent"
    finally:
        parse_query.cache_clear()


DOCS = {
    "all": "زار الوفد بنغازي وطرابلس في رحلة طويلة إلى ليبيا استمرت أسبوعا",
    "two": "بنغازي مدينة ليبية كبيرة على البحر",
    "one": "طرابلس عاصمة",
}


def test_name_query_puts_all_word_matches_first():
    with _index(DOCS) as ix:
        hits = ix.search("بنغازي طرابلس ليبيا", limit=10)
        assert [h.id for h in hits][0] == "all"
        flags = [h.partial for h in hits]
        assert flags == sorted(flags)  # complete matches, then partial ones
        assert {h.id: h.partial for h in hits}["all"] is False


def test_a_name_side_by_side_outranks_its_frequent_words_apart():
    # بن and العربية (clitic view: عربيه) fill 20 titles and bodies among 420 documents; the
    # one document naming بن عربيه side by side, a longer one, still comes first
    apart = "قال الشيخ خالد بن زايد في الإمارات العربية المتحدة " * 3
    docs = {f"t{i}": f"{apart}{i}" for i in range(20)}
    docs |= {f"o{i}": f"خبر آخر عن الطقس {i}" for i in range(400)}
    docs["name"] = "قال المدرب إن اللاعب بن عربيه جاهز للمباراة المقبلة " + "وأضاف أن الفريق بخير " * 6
    ix = _index(docs, {f"t{i}": "بن زايد والعربية" for i in range(20)})
    assert _ids(ix, "بن عربيه")[0] == "name"


def test_question_is_one_ranking_with_partial_flags():
    with _index(DOCS) as ix:
        hits = ix.search("متى زار الوفد بنغازي وطرابلس؟", limit=10)
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        partial = {h.id: h.partial for h in hits}
        assert partial["all"] is False and partial["two"] is True and partial["one"] is True


def test_modes_all_and_any_ignore_the_question_ranking_tiers():
    with _index(DOCS) as ix:
        assert _ids(ix, "متى زار الوفد بنغازي وطرابلس؟", mode="all") == ["all"]
        assert set(_ids(ix, "متى زار الوفد بنغازي وطرابلس؟", mode="any")) == {"all", "two", "one"}


def test_share_of_words_bounds_its_scores_by_its_words_bounds():
    from whoosh import matching

    from arsearch.query.matchers import CoordMatcher as _CoordMatcher

    class Unbounded(matching.ListMatcher):
        def max_quality(self):
            raise matching.NoQualityAvailable(type(self))

    words = [matching.ListMatcher([1, 2], [1.0, 3.0]), matching.ListMatcher([2], [2.0])]
    assert _CoordMatcher(words, 1.0, boost=2.0).max_quality() == 10.0
    assert _CoordMatcher(words + [Unbounded([1], [1.0])], 1.0).max_quality() == float("inf")
