"""Property tests (hypothesis) of the query layer and Index.search on arbitrary Unicode:
nothing raises but arsearch's own errors, error positions stay inside the query, a word
of a document finds it, and snippets are pieces of the text (long runs shortened as
documented). The analyzer's own properties are in the normalization tests."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arsearch import ArsearchError, Index, QueryError
from arsearch.pipeline import DEFAULT_CONFIG, analyze_terms
from arsearch.query import MAX_QUERY_CHARS, ParsedQuery, parse_query
from arsearch.snippets import GAP_CHARS

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
MARKERS = ("\u27e6", "\u27e7")  # ⟦ ⟧: taken out of the generated documents
ELLIPSIS = "\u2026"  # …: what a shortened run shows; taken out of the generated documents too
# Runs of one character, long enough (or nearly) to be shortened in a snippet.
runs = st.builds(lambda ch, n: ch * n, st.sampled_from([*ARABIC[:36], "😀", ".", "-", "٣", "x", "\u200b"]),
                 st.integers(GAP_CHARS // 2 - 3, GAP_CHARS + 50))
documents = st.lists(
    st.one_of(st.sampled_from(ARABIC), st.sampled_from(ODD), st.sampled_from([" ", "\n", ".", "،"]),
              st.text(max_size=5), runs),
    max_size=60,
).map("".join).map(lambda t: "".join(ch for ch in t if ch not in (*MARKERS, ELLIPSIS)))
# ARSEARCH_PROPERTY_EXAMPLES=5000 for a deeper run than CI's.
PROPS = settings(max_examples=int(os.environ.get("ARSEARCH_PROPERTY_EXAMPLES", "300")), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


def _squash(s: str) -> str:
    return " ".join(s.split())


def _as_found_in_text(snippet: str) -> re.Pattern:
    """A pattern matching the stretch of text ``snippet`` (markers taken out) was made of:
    its whitespace any whitespace (``str.isspace``, as ``re`` sees it), each shortened run (``GAP_CHARS // 4`` characters, …,
    ``GAP_CHARS // 4`` characters, inside a run of non-space characters) the two ends of
    a run of ``GAP_CHARS // 2`` or more non-space characters, any other character itself."""
    end = GAP_CHARS // 4
    body = snippet.removeprefix(f"{ELLIPSIS} ").removesuffix(f" {ELLIPSIS}")
    out, i = [], 0
    plain = body.replace(MARKERS[0], "").replace(MARKERS[1], "")
    while i < len(plain):
        ch = plain[i]
        if ch == ELLIPSIS:
            before, after = plain[max(0, i - end):i], plain[i + 1:i + 1 + end]
            # shortened to its two ends: GAP_CHARS // 4 non-space characters each side
            assert len(before) == len(after) == end and not any(c.isspace() for c in before + after), snippet
            out.append(r"\S*")
        elif ch.isspace():
            out.append(r"\s+")
            while i + 1 < len(plain) and plain[i + 1].isspace():
                i += 1
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out))


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
        # A snippet is a piece of the stored text with markers added.
        assert _as_found_in_text(h.snippet).search(ix.get(h.id).text), h.snippet
    ix.suggest(text)


@PROPS
@given(documents, st.data())
def test_any_document_is_stored_and_searchable(text, data):
    ix = Index()
    ix.add("doc", text, title=text[:20])
    stored = ix.get("doc")
    assert len(stored.text) == len(text)  # lone surrogates become U+FFFD, offsets kept
    # The query is a word the index holds: not a stopword, nor a token too long to index.
    indexed = sorted({stored.text[t.start:t.end] for t in analyze_terms(stored.text, "exact", ix.config)})
    if not indexed:
        assert ix.search(stored.text) == []
        return
    word = data.draw(st.sampled_from(indexed))
    # AND, OR and NOT are operators of the query language: a phrase of one word searches them.
    query = f'"{word}"' if word in ("AND", "OR", "NOT") else word
    hits = ix.search(query, markers=MARKERS)
    assert [h.id for h in hits] == ["doc"]
    assert _as_found_in_text(hits[0].snippet).search(stored.text), hits[0].snippet


# A run next to a word without a space must not join it: symbols only. A run of one
# letter or digit is one word, which must stand apart. (Letters mixed with symbols would
# make more words than a snippet shows.)
SYMBOLS = ["😀", ".", "-", "!", "«", "\u2014"]  # not U+200B, which joins words
gaps = st.one_of(
    st.tuples(st.sampled_from(["", " ", "\n"]), st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=3)),
    st.tuples(st.sampled_from([" ", "\n", "  \t"]), st.sampled_from(["ب", "٣", "x", "ـ"]).map(lambda c: [c])),
)


@PROPS
@given(st.sampled_from(["حفتر", "طرابلس"]), gaps, st.integers(1, GAP_CHARS + 20))
def test_a_long_run_between_matched_words_is_shortened_to_its_ends(word, gap, n):
    """The rule as documented: a run of GAP_CHARS // 2 or more non-space characters between
    shown words is shortened to its first and last GAP_CHARS // 4 characters around …;
    a shorter run is shown whole."""
    space, alphabet = gap
    run = "".join(alphabet[i % len(alphabet)] for i in range(n))
    ix = Index()
    ix.add("doc", f"قال {word}{space}{run}{space}{word} أمس")
    [hit] = ix.search(word, markers=MARKERS)
    shown = run if n < GAP_CHARS // 2 else run[: GAP_CHARS // 4] + ELLIPSIS + run[-(GAP_CHARS // 4):]
    sep = " " if space else ""
    marked = f"{MARKERS[0]}{word}{MARKERS[1]}"
    assert hit.snippet == f"قال {marked}{sep}{shown}{sep}{marked} أمس"
