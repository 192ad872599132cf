"""Hostile input: every query and document below gets its right answer (results or a
clear error) and leaves the index intact, and the work a query makes is bounded: the
words it searches, the depth of the query it builds, the terms its prefix and fuzzy
words expand to. How long anything takes is for the benchmarks to measure; a test only
asserts behaviour (a subprocess has a generous timeout, against a hang only).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from helpers import REPO, hits_of

from arsearch import ArsearchError, DocumentError, Index, QueryError
from arsearch.pipeline import DEFAULT_CONFIG
from arsearch.query import MAX_EXPANDING_WORDS, MAX_QUERY_CHARS, MAX_QUERY_DEPTH, MAX_QUERY_WORDS, parse_query
from arsearch.query.expansion import MAX_EXPANSIONS, BoundedFuzzyTerm, BoundedPrefix
from arsearch.snippets import GAP_CHARS

DOCS = {
    "libya": "قوات حفتر تتقدم نحو طرابلس وحكومة الوفاق الوطني تعلن النفير",
    "benghazi": "مُظاهَرات في بنغازي ومصراتة ضد الحرب",
    "un": "الأمم المتحدة تدعو إلى وقف إطلاق النار في ليبيا",
    "mixed": "Haftar حفتر ١٢٣ 2019 الـــجيش",
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    index = Index(tmp_path_factory.mktemp("hostile") / "ix")
    index.add_many({"id": k, "text": v} for k, v in DOCS.items())
    return index


def snapshot(index: Index):
    # the same index before and after: scores to 6 digits, in order
    return sorted(index.ids()), hits_of(index, ["حفتر طرابلس"], mode="any", digits=6)


class Case(NamedTuple):
    query: str
    all: set  # the documents mode="all" finds
    any: set  # the documents mode="any" (and "auto") finds
    strict: str | None  # what strict=True's QueryError says, or None: strict finds the same
    suggestion: str | None = None  # Index.suggest's answer


BOTH = {"libya", "mixed"}  # the documents holding حفتر
NONE: set = set()

HOSTILE_QUERIES = {
    "empty": Case("", NONE, NONE, "empty query"),
    "whitespace": Case(" \t\n\u3000\u00a0 ", NONE, NONE, "empty query"),
    "punctuation only": Case("!!! ؟؟ ... ،،؛ «» —", NONE, NONE, "empty query"),
    "harakat only": Case("\u064e\u064f\u0650\u0651\u0652\u064b", NONE, NONE, "empty query"),
    "tatweel only": Case("ـــــ ـ", NONE, NONE, None),  # a word of no letters, as a stopword is
    # the phrase runs to the end: حفتر and طرابلس are not side by side in any document
    "unbalanced quote": Case('"حفتر طرابلس', NONE, NONE, "unbalanced '\"'"),
    "unbalanced quotes": Case('"حفتر" "طرابلس', {"libya"}, BOTH, "unbalanced '\"'"),
    "unbalanced open paren": Case("((حفتر OR طرابلس", BOTH, BOTH, "unbalanced '('"),
    "unbalanced close paren": Case("حفتر)) طرابلس)", {"libya"}, BOTH, "unbalanced ')'"),
    "lone AND": Case("AND", NONE, NONE, "'AND' needs a word on each side"),
    "lone OR": Case("OR", NONE, NONE, "'OR' needs a word on each side"),
    "lone NOT": Case("NOT", NONE, NONE, "'NOT' needs a word after it"),
    "lone -": Case("-", NONE, NONE, "'-' needs a word right after it"),
    "lone +": Case("+", NONE, NONE, "'+' needs a word right after it"),
    "lone *": Case("*", NONE, NONE, "operator '*' needs a word"),
    "lone ~": Case("~", NONE, NONE, "operator '~' needs a word"),
    "operators only": Case("AND OR NOT - + * ~ ( ) \"", NONE, NONE, "'AND' needs a word on each side"),
    "dangling operators": Case("حفتر AND OR NOT", BOTH, BOTH, "'NOT' needs a word after it"),
    "unknown field": Case("author:حفتر", BOTH, BOTH, "unknown field 'author'"),
    "unknown field alone": Case("nosuchfield:", NONE, NONE, None),  # the word nosuchfield
    # cut to MAX_QUERY_CHARS (lenient): a word of 2,000 letters is too long to be a word
    "40,000-character word": Case("ح" * 40_000, NONE, NONE, "limit"),
    "40,000-character word, fuzzy": Case("حفتر" * 10_000 + "~2", NONE, NONE, "limit"),
    "40,000-character word, prefix": Case("ح" * 40_000 + "*", NONE, NONE, "limit"),
    "5,000 repeated words": Case(" ".join(["حفتر"] * 5_000), BOTH, BOTH, "limit"),
    "5,000 distinct words": Case(" ".join(f"كلمة{n}" for n in range(5_000)), NONE, NONE, "limit"),
    # the cut at 2,000 characters leaves حف of the last word: every document lacks it
    "5,000 fuzzy words": Case(" ".join(["حفطر~"] * 5_000), NONE, BOTH, "limit", "حفتر حف"),
    "deep parentheses": Case("(" * 5_000 + "حفتر" + ")" * 5_000, NONE, NONE, "limit"),  # cut: only (
    "deep parentheses within the length limit": Case("(" * 900 + "حفتر" + ")" * 900, BOTH, BOTH,
                                                     "parentheses nested deeper than 32"),
    # control characters join حفتر and 31m (of \x1b[31m) into one piece: a phrase
    "NUL and control characters": Case("حفتر\x00\x01\x07\x1b[31m\x7f\x85طرابلس", NONE, {"libya"}, None),
    # a lone surrogate is U+FFFD, which splits طرابلس in two words no document holds
    "lone surrogates": Case("حفتر \ud800 \udfff طرا\udc00بلس", NONE, BOTH, None),
    "lone surrogate in a phrase": Case('"\ud800', NONE, NONE, "unbalanced '\"'"),
    "lone surrogates in a phrase, fuzzy, prefix": Case('"\ud800 حفتر\udfff" \udc00~ \ud800*', BOTH, BOTH, None),
    "bidi and zero-width marks": Case("\u202eحفتر\u202c \u200f\u200e\u200b\u200c\u200d\u2066طرابلس\u2069\ufeff",
                                      {"libya"}, BOTH, None),
    "emoji": Case("😀 حفتر 👍🏽 🇱🇾 طرابلس 👨‍👩‍👧", {"libya"}, BOTH, None),
    "private use and noncharacters": Case("\ue000\uffff\U0010fffe حفتر", BOTH, BOTH, None),
    "combining marks pile": Case("ح" + "\u0651\u064e" * 2_000, NONE, NONE, "limit"),
    "misspelled words": Case("حفطر طرابلز", NONE, NONE, None, "حفتر طرابلس"),
    "more prefix and fuzzy words than expand": Case("حف* طر* ال* ق* حفطر~ طرابلز~ قوت~ الوفاك~2", NONE,
                                                    {"benghazi", "libya", "mixed", "un"}, None,
                                                    "حف طر ال ق حفتر طرابلس قوات الوفاق"),
}


@pytest.mark.parametrize("name", HOSTILE_QUERIES)
def test_hostile_query_gets_its_answer(ix, name):
    case = HOSTILE_QUERIES[name]
    before = snapshot(ix)
    found = {}
    for mode in ("all", "any", "auto"):
        hits = ix.search(case.query, mode=mode)
        found[mode] = [h.id for h in hits]
        for h in hits:
            assert "[" in h.snippet, (mode, h.id, h.snippet)  # what matched is marked
    assert set(found["all"]) == case.all
    assert set(found["any"]) == set(found["auto"]) == case.any
    assert set(found["auto"][: len(case.all)]) == case.all  # documents holding every word first
    for mode in ("all", "any", "auto"):
        if case.strict is None:
            assert [h.id for h in ix.search(case.query, mode=mode, strict=True)] == found[mode]
            continue
        with pytest.raises(QueryError) as info:
            ix.search(case.query, mode=mode, strict=True)
        assert case.strict in str(info.value)
        assert isinstance(info.value, ArsearchError)
        assert isinstance(info.value.position, int) and 0 <= info.value.position <= len(case.query)
    assert ix.suggest(case.query) == case.suggestion
    assert snapshot(ix) == before


def _depth(q) -> int:
    return 1 + max((_depth(c) for c in q.children()), default=0) if not q.is_leaf() else 1


@pytest.mark.parametrize("name", HOSTILE_QUERIES)
def test_hostile_query_makes_bounded_work(ix, name):
    parsed = parse_query(HOSTILE_QUERIES[name].query, ix.config)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert len(parsed.words) <= MAX_QUERY_WORDS
    if parsed.empty:
        return
    # Groups nest MAX_QUERY_DEPTH deep at most; then a few levels: the scoring wrapper,
    # and, or, not, a bonus for neighbouring words, a word's views, its terms.
    assert _depth(parsed.any) <= MAX_QUERY_DEPTH + 6
    expanding = [q for q in parsed.any.leaves() if isinstance(q, (BoundedPrefix, BoundedFuzzyTerm))]
    # Each expanding word in two fields: its exact view and a clitic view per reading of
    # its first letter (two at most).
    assert len(expanding) <= MAX_EXPANDING_WORDS * 2 * 3
    reader = ix._searcher().reader()
    assert all(len(list(q.expanded_terms(reader))) <= MAX_EXPANSIONS for q in expanding)


@pytest.mark.parametrize(
    "name, same_as",
    [
        pytest.param("5,000 repeated words", "حفتر", id="a repeated word is searched once"),
        pytest.param("deep parentheses within the length limit", "(" * 32 + "حفتر" + ")" * 32,
                     id="parentheses past 32 are ignored"),
        pytest.param("40,000-character word", "", id="a word too long to be indexed is not searched"),
        pytest.param("5,000 fuzzy words", "حفطر~ حف", id="cut at 2,000 characters"),
    ],
)
def test_hostile_query_builds_the_query_of_its_bounded_form(ix, name, same_as):
    parsed, bounded = parse_query(HOSTILE_QUERIES[name].query, ix.config), parse_query(same_as, ix.config)
    assert (parsed.all, parsed.any, parsed.words) == (bounded.all, bounded.any, bounded.words)


@pytest.mark.parametrize(
    "query, fragment",
    [
        ('"حفتر طرابلس', "unbalanced '\"'"),
        ("(حفتر", "unbalanced '('"),
        ("حفتر)", "unbalanced ')'"),
        ("AND", "'AND'"),
        ("OR", "'OR'"),
        ("NOT", "'NOT'"),
        ("-", "'-'"),
        ("+", "'+'"),
        ("*", "needs a word"),
        ("~", "needs a word"),
        ("author:حفتر", "unknown field 'author'"),
        ("ح" * 40_000, "limit"),
        ("(" * 100 + "حفتر" + ")" * 100, "nested"),
        ("", "empty query"),
        ("!!! ؟؟", "empty query"),
    ],
)
def test_strict_query_errors_give_a_position(ix, query, fragment):
    with pytest.raises(QueryError) as info:
        ix.search(query, strict=True)
    assert fragment in str(info.value)
    assert info.value.position is not None and 0 <= info.value.position <= len(query)
    if len(query) <= MAX_QUERY_CHARS and fragment != "empty query":
        assert f"at character {info.value.position}" in str(info.value)


@pytest.mark.parametrize("bad", [b"\xd8\xad\xd9\x81\xd8\xaa\xd8\xb1", None, 42, ["حفتر"], bytearray(b"x")])
@pytest.mark.parametrize("strict", [False, True])
def test_query_of_wrong_type_is_a_type_error(ix, bad, strict):
    with pytest.raises(TypeError, match="query must be str"):
        ix.search(bad, strict=strict)


# --- documents ---------------------------------------------------------------------
def test_empty_and_punctuation_documents(tmp_path):
    ix = Index(tmp_path / "ix")
    ix.add("empty", "")
    ix.add("punct", "!!! ... ؟؟ ،، «» —")
    ix.add("marks", "\u064e\u064f ـــ \u200b")
    assert len(ix) == 3 and ix.get("empty").text == ""
    assert ix.search("حفتر") == []
    ix.add("real", "حفتر")
    assert [h.id for h in ix.search("حفتر")] == ["real"]


def test_nul_and_control_characters_are_stored_as_given(tmp_path):
    ix = Index(tmp_path / "ix")
    text = "حفتر\x00في\x01بنغازي\x1b[0m\x7f"
    ix.add("nul", text, title="عنوان\x00")
    assert ix.get("nul").text == text and ix.get("nul").title == "عنوان\x00"
    assert [h.id for h in ix.search("بنغازي")] == ["nul"]


def test_lone_surrogates_become_replacement_characters_offsets_kept(tmp_path):
    ix = Index(tmp_path / "ix")
    text = "حفتر \ud800 في \udfff بنغازي"
    ix.add("surr", text, title="\udc00عنوان")
    stored = ix.get("surr")
    assert len(stored.text) == len(text) and stored.text == text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    assert stored.title == "\ufffdعنوان"
    hits = ix.search("بنغازي")
    assert [h.id for h in hits] == ["surr"] and "[بنغازي]" in hits[0].snippet


def test_one_100000_character_token(tmp_path):
    ix = Index(tmp_path / "ix")
    ix.add("long", "حفتر " + "ب" * 100_000 + " طرابلس")
    assert [h.id for h in ix.search("طرابلس")] == ["long"]
    assert ix.search("ب" * 1_000) == []  # over-long tokens are not indexed
    # the token (never indexed, so never marked) is shortened to its two ends
    run = "ب" * (GAP_CHARS // 4)
    assert ix.search("حفتر")[0].snippet == f"[حفتر] {run}…{run} طرابلس"


@pytest.mark.slow
def test_ten_megabyte_document(tmp_path):
    ix = Index(tmp_path / "ix")
    words = DOCS["libya"].split()
    text = " ".join(words[n % len(words)] + ("" if n % 97 else " بنغازي") for n in range(1_700_000))
    assert len(text.encode("utf-8")) > 10_000_000
    ix.add("big", text + " الخاتمة")
    ix.add("small", "بنغازي")
    hits = ix.search("الخاتمة")
    assert [h.id for h in hits] == ["big"]
    snippet = hits[0].snippet
    assert len(snippet) < 2_000 and "[الخاتمة]" in snippet  # the match 10 MB in is shown
    assert {h.id for h in ix.search("بنغازي")} == {"big", "small"}
    assert ix.get("big").text == text + " الخاتمة"


def test_duplicate_id_replaces(tmp_path):
    ix = Index(tmp_path / "ix")
    ix.add("a", "حفتر في بنغازي")
    ix.add_many([{"id": "b", "text": "طرابلس"}, {"id": "a", "text": "مصراتة"}])
    ix.add("a", "الزاوية")
    assert len(ix) == 2 and ix.get("a").text == "الزاوية"
    assert ix.search("حفتر") == [] and ix.search("مصراتة") == []
    assert [h.id for h in ix.search("الزاوية")] == ["a"]


@pytest.mark.parametrize("bad_id", ["", "   ", "\t\n", "\u3000"])
def test_empty_id_is_refused_and_nothing_written(tmp_path, bad_id):
    ix = Index(tmp_path / "ix")
    ix.add("keep", "حفتر")
    with pytest.raises(DocumentError, match="empty"):
        ix.add(bad_id, "نص")
    with pytest.raises(DocumentError, match="empty"):
        ix.add_many([{"id": "new", "text": "طرابلس"}, {"id": bad_id, "text": "نص"}])
    assert list(ix.ids()) == ["keep"]


@pytest.mark.parametrize(
    "doc, error",
    [
        ({"id": "x", "text": None}, TypeError),
        ({"id": "x", "text": b"\xd8\xad"}, TypeError),
        ({"id": 7, "text": "نص"}, TypeError),
        ({"id": "x\ud800", "text": "نص"}, DocumentError),
        ({"text": "نص"}, DocumentError),
        ({"id": "x"}, DocumentError),
    ],
)
def test_malformed_documents_are_refused(tmp_path, doc, error):
    ix = Index(tmp_path / "ix")
    with pytest.raises(error):
        ix.add_many([{"id": "ok", "text": "حفتر"}, doc])
    assert len(ix) == 0
    ix.add("ok", "حفتر")
    assert len(ix) == 1


# --- CLI input files -----------------------------------------------------------------
def run_cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arsearch.cli", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=300,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_reports_bad_lines_with_file_and_line_and_indexes_the_rest(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    good = lambda i: json.dumps({"id": f"j{i}", "text": f"حفتر في بنغازي {i}"}, ensure_ascii=False)  # noqa: E731
    lines = [
        good(1).encode(),                                     # 1
        b'{"id": "broken", "text": "\xd8\xad\xd9 not utf-8"}',  # 2: invalid UTF-8
        good(3).encode(),                                     # 3
        b'{"id": "j4", "text": ',                               # 4: malformed JSON
        b"",                                                    # 5: blank, ignored
        b'["not", "an", "object"]',                             # 6
        json.dumps({"text": "بلا معرف"}, ensure_ascii=False).encode(),  # 7: no id
        b"\xff\xfe\x00garbage",                                 # 8: invalid UTF-8
        good(9).encode(),                                       # 9
    ]
    (src / "docs.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (src / "more.jsonl.gz").write_bytes(gzip.compress(b"\n".join([good(10).encode(), b"\xc3(", good(12).encode()])))
    (src / "latin1.txt").write_bytes("حفتر".encode() + b"\n\n\xe9t\xe9 caf\xe9")
    (src / "fine.txt").write_text("بنغازي ومصراتة", encoding="utf-8")
    # CSV rows: c2 and c4 hold bytes that are not UTF-8; c3's text spans two lines.
    ar = lambda t: t.encode("utf-8")  # noqa: E731
    (src / "rows.csv").write_bytes(
        b"id,text\nc1," + ar("حفتر") + b"\nc2,caf\xe9\nc3,\"" + ar("طرابلس\nوبنغازي") + b"\"\nc4,\xff\nc5," + ar("سرت") + b"\n"
    )
    ix_path = tmp_path / "ix"
    result = run_cli("index", src, "--index", ix_path, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    err = result.stderr
    jsonl, gz, latin1, rows = src / "docs.jsonl", src / "more.jsonl.gz", src / "latin1.txt", src / "rows.csv"
    for where in (f"{jsonl}:2", f"{jsonl}:4", f"{jsonl}:6", f"{jsonl}:7", f"{jsonl}:8", f"{gz}:2", f"{latin1}:3",
                  f"{rows}:3", f"{rows}:6"):
        assert where + ":" in err, (where, err)
    assert "not UTF-8" in err and "malformed JSON" in err
    with Index(ix_path, create=False) as ix:
        assert set(ix.ids()) == {"j1", "j3", "j9", "j10", "j12", "fine.txt", "c1", "c3", "c5"}
        assert ix.get("c3").text == "طرابلس\nوبنغازي"
    assert "indexed 9 documents" in result.stdout


@pytest.mark.parametrize(
    "query, lenient_finds, strict_error",
    [
        pytest.param('"حفتر', True, "unbalanced '\"'", id="unbalanced quote"),
        pytest.param("((", False, "unbalanced '('", id="parentheses only"),
        pytest.param("AND", False, "'AND' needs a word on each side", id="lone AND"),
        pytest.param("-", False, "'-' needs a word right after it", id="lone minus"),
        pytest.param("ح" * 40_000, False, "the limit is 2000", id="40,000-character word"),
        pytest.param("\u202eحفتر\u200b", True, None, id="bidi and zero-width marks"),
        pytest.param("😀", False, "empty query", id="emoji only"),
    ],
)
def test_cli_search_with_hostile_queries(tmp_path, query, lenient_finds, strict_error):
    ix_path = tmp_path / "ix"
    Index(ix_path).add("a", "حفتر في بنغازي")
    result = run_cli("search", query, "--index", ix_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    if lenient_finds:
        assert result.stdout.startswith("1 result\n1. a  [a]  score ") and "   [حفتر] في بنغازي\n" in result.stdout
    else:
        assert result.stdout == f"no results for {query!r}\n"
    strict = run_cli("search", query, "--index", ix_path, "--strict", cwd=tmp_path)
    if strict_error is None:
        assert (strict.returncode, strict.stdout) == (0, result.stdout)
    else:
        assert strict.returncode == 1 and strict.stdout == ""
        assert strict.stderr.startswith("arsearch: error: ") and strict.stderr.count("\n") == 1
        assert strict_error in strict.stderr


# --- bounded expansions ----------------------------------------------------------
def test_prefix_and_fuzzy_words_expand_to_a_bounded_number_of_terms():
    ix = Index()
    # 300 distinct words sharing the prefix كتب (كتبا، كتبب، …), each in a document; 32 of
    # them also in a second document: the most frequent completions.
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = [f"كتب{a}{b}" for a in letters for b in letters][:300]
    frequent = words[5::9][:MAX_EXPANSIONS]
    ix.add_many([{"id": str(n), "text": f"{w} " * (1 + n % 5)} for n, w in enumerate(words)]
                + [{"id": f"also {w}", "text": w} for w in frequent])
    reader = ix._searcher().reader()
    expanded = [t.decode() for _, t in BoundedPrefix("body_exact", "كتب").expanded_terms(reader)]
    assert sorted(expanded) == sorted(frequent)
    assert len(list(BoundedFuzzyTerm("body_exact", "كتبال", maxdist=2).expanded_terms(reader))) == MAX_EXPANSIONS
    hits = ix.search("كتب*", limit=1000)
    assert {h.id for h in hits} == {str(words.index(w)) for w in frequent} | {f"also {w}" for w in frequent}
    assert [h.id for h in ix.search(f"{words[7]}*")] == ["7"]  # a precise prefix still finds its word


def test_only_the_first_expanding_words_expand():
    fuzzy = " ".join(f"كلمة{n}~" for n in range(MAX_EXPANDING_WORDS + 5))
    parsed = parse_query(fuzzy, DEFAULT_CONFIG)
    n_fuzzy = sum(isinstance(leaf, BoundedFuzzyTerm) for leaf in parsed.all.leaves())
    assert n_fuzzy == MAX_EXPANDING_WORDS * 2  # title and body
    assert len(parsed.words) == MAX_EXPANDING_WORDS + 5  # the rest are still searched, as plain words


def test_repeated_words_are_searched_once():
    once = parse_query("حفتر طرابلس", DEFAULT_CONFIG)
    many = parse_query(" ".join(["حفتر", "طرابلس"] * 100), DEFAULT_CONFIG)  # within MAX_QUERY_CHARS
    assert many.all == once.all and many.any == once.any
