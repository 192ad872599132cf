"""Property tests (hypothesis) of the query layer and Index.search on arbitrary Unicode
(issue 6): nothing raises but arsearch's own errors, error positions and snippets stay
inside the text. The analyzer's own properties are in the normalization tests."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arsearch import ArsearchError, Index, QueryError
from arsearch.pipeline import DEFAULT_CONFIG
from arsearch.query import MAX_QUERY_CHARS, ParsedQuery, parse_query

# Query syntax, Arabic letters with their marks, and the troublemakers: controls,
# format characters (bidi, zero-width), surrogates, emoji, private use.
SYNTAX = ['"', "(", ")", "*", "~", "~1", "~2", "-", "+", ":", "title:", "body:", "text:", "foo:",
          " AND ", " OR ", " NOT ", " ", "  ", "\t", "\n"]
ARABIC = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأؤإئةىـ") + ["\u064b", "\u064e", "\u064f", "\u0650",
          "\u0651", "\u0652", "\u0670", "ال", "وال", "بال", "ة", "ون", "ين", "٠١٢", "ﻻ", "ک", "ی"]
ODD = ["\x00", "\x1b", "\x7f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066",
       "\ufeff", "\ud800", "\udfff", "\ufffd", "😀", "👍🏽", "🇱🇾", "\ue000", "\U0010fffe", "ǅ", "ß", "İ"]

pieces = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(ARABIC),
    st.sampled_from(ODD),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=6),
)
queries = st.lists(pieces, max_size=40).map("".join)
documents = st.lists(st.one_of(st.sampled_from(ARABIC), st.sampled_from(ODD), st.sampled_from([" ", "\n", ".", "،"]),
                               st.text(max_size=5)), max_size=60).map("".join)

# ARSEARCH_PROPERTY_EXAMPLES=5000 for a deeper run than CI's.
PROPS = settings(max_examples=int(os.environ.get("ARSEARCH_PROPERTY_EXAMPLES", "300")), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])
MARKERS = ("\u27e6", "\u27e7")  # ⟦ ⟧: not in the generated documents


def _squash(s: str) -> str:
    return " ".join(s.split())


@PROPS
@given(queries, st.booleans())
def test_parse_query_raises_only_query_error(text, strict):
    try:
        parsed = parse_query(text, DEFAULT_CONFIG, strict)
    except QueryError as e:
        assert strict, "lenient parsing never refuses a query"
        assert e.position is not None and 0 <= e.position <= max(len(text), MAX_QUERY_CHARS)
        assert e.position <= len(text)
        return
    assert isinstance(parsed, ParsedQuery)
    assert parsed.empty == (parsed.all is None)
    assert all(isinstance(w, str) and w for w in parsed.words)


@pytest.fixture(scope="module")
def ix():
    index = Index()
    index.add_many(
        [
            {"id": "a", "text": "قوات حفتر تتقدم نحو طرابلس وحكومة الوفاق الوطني", "title": "ليبيا"},
            {"id": "b", "text": "مُظاهَرات في بنغازي ومصراتة ضد الحرب"},
            {"id": "c", "text": "الأمم المتحدة تدعو إلى وقف إطلاق النار 😀 \u200bحفتر"},
        ]
    )
    return index


@PROPS
@given(queries, st.sampled_from(["auto", "all", "any"]), st.booleans(), st.booleans())
def test_search_raises_only_arsearch_errors(ix, text, mode, strict, diacritics):
    try:
        hits = ix.search(text, mode=mode, strict=strict, match_diacritics=diacritics, markers=MARKERS)
    except ArsearchError as e:
        assert isinstance(e, QueryError) and strict
        assert 0 <= e.position <= len(text)
        return
    assert len({h.id for h in hits}) == len(hits) <= 10
    for h in hits:
        stored = ix.get(h.id).text
        snippet = h.snippet.removeprefix("… ").removesuffix(" …")
        # A snippet is a piece of the stored text with markers added.
        plain = snippet.replace(MARKERS[0], "").replace(MARKERS[1], "")
        assert _squash(plain) in _squash(stored)
    ix.suggest(text)


@PROPS
@given(documents, st.data())
def test_any_document_is_stored_and_searchable(text, data):
    ix = Index()
    ix.add("doc", text, title=text[:20])
    stored = ix.get("doc")
    assert len(stored.text) == len(text)  # lone surrogates become U+FFFD, offsets kept
    words = text.split()
    query = data.draw(st.sampled_from(words)) if words else text
    for h in ix.search(query, markers=MARKERS):
        plain = h.snippet.removeprefix("… ").removesuffix(" …").replace(MARKERS[0], "").replace(MARKERS[1], "")
        assert _squash(plain) in _squash(stored.text)
