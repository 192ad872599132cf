"""The view and pair fields index a text from one shared analysis: exactly the terms,
frequencies and positions Whoosh's own indexing gives with arsearch's analyzers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields as wf
from whoosh import formats

from arsearch.analysis import ArabicAnalyzer, PairField, ViewField
from arsearch.analysis.pairs import WordPairAnalyzer
from arsearch.codec import CompactPositions
from arsearch.pipeline import VIEWS, AnalysisConfig
from arsearch.pipeline.lexicon import is_stopword
from arsearch.pipeline.stemming import stopwords

CONFIGS = [AnalysisConfig(), AnalysisConfig(stemmer="tashaphyne", protected=frozenset({"ليبيا"})),
           AnalysisConfig(stemmer="none", stopwords=False), AnalysisConfig(protected=frozenset({"ليبيا", "كتب"}))]
_PIECES = ["حفتر", "والحكومة", "بدمشق", "مُحَمَّدٌ", "ـــ", "\u064b\u064c", "في", "من", "إلى", "ليبيا", "الليبية",
           "كتب", "١٢٣", "Latin", "،", ".", "ک", "ی", "ة", "أ", "ب" * 300, " ", "\n"]
_TEXTS = st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(sorted(stopwords())),
                            st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىة\u064e\u0650\u0651 ", max_size=12)),
                  max_size=40).map(" ".join)


def _whoosh_view_field(view, config, compact):
    field = wf.TEXT(analyzer=ArabicAnalyzer(view, config), phrase=view != "stem")
    if compact and view != "stem":
        field.format = CompactPositions()  # Whoosh's indexing calls the format's encode
    return field


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.sampled_from(range(len(CONFIGS))), st.booleans())
def test_view_and_pair_fields_index_as_whoosh_does(text, config_no, compact):
    config = CONFIGS[config_no]
    for view in VIEWS:
        ours = ViewField(view, config, phrase=view != "stem", compact=compact)
        assert sorted(ours.index(text)) == sorted(_whoosh_view_field(view, config, compact).index(text)), view
    stock_pairs = wf.FieldType(formats.Existence(), WordPairAnalyzer(config))
    assert sorted(PairField(config).index(text)) == sorted(stock_pairs.index(text))


def test_fields_keep_their_format_and_analyzer():
    """Searching (query parsing, highlighting) still goes through the view's analyzer."""
    field = ViewField("clitic")
    assert type(field.format) is CompactPositions
    assert type(ViewField("clitic", compact=False).format) is formats.Positions
    assert [t.text for t in field.analyzer("وَصَلَ حفتر إلى دمشق")] == ["وصل", "حفتر", "دمشق"]
    assert type(ViewField("stem", phrase=False).format) is formats.Frequency
    assert type(PairField().format) is formats.Existence


@pytest.mark.parametrize("view", VIEWS)
def test_each_text_is_analyzed_once_for_all_views(view, monkeypatch):
    import arsearch.analysis.fields as analysis

    made = []
    real = analysis._Analyzed
    monkeypatch.setattr(analysis, "_Analyzed", lambda *a: made.append(a) or real(*a))
    text = "وصل حفتر إلى دمشق"
    for v in VIEWS:
        list(ViewField(v).index(text))
    list(PairField().index(text))
    list(ViewField(view).index("نص آخر"))
    assert len(made) == 2


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(_PIECES), st.sampled_from(sorted(stopwords())),
                 st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةوبفكل\u064e\u0650\u0651\u0640", max_size=12)),
       st.sampled_from(range(len(CONFIGS))))
def test_every_view_of_a_token_at_once_is_each_view_on_its_own(token, config_no):
    """Indexing looks a token up once for all its views (token_views): the terms of
    normalizing it and taking each view's terms of the word, and its stopword flag, as
    each view's own lookup (token_terms) gives them."""
    from arsearch import normalize
    from arsearch.pipeline import token_terms, token_views

    config = CONFIGS[config_no]
    word = normalize(token, hamza_seats=config.hamza_seats)
    expected = [config.view_terms(word, view) if word else () for view in VIEWS]
    is_stop = bool(word) and config.stopwords and is_stopword(token, word)
    assert token_views(config)(token) == (*expected, is_stop)
    assert [token_terms(view, config)(token) for view in VIEWS] == [(term, is_stop) for term in expected]
