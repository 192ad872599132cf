"""The one assertion every analysis test goes through (Lucene's ``assertAnalyzesTo``).

It checks the tokens or terms, their character offsets, their positions and that no
extra token follows, through both doors: the pure functions and the Whoosh analyzer.
"""

from __future__ import annotations

from arsearch.analysis import ArabicAnalyzer, ArabicNormalizeFilter, ArabicStopFilter, ArabicTokenizer, ViewFilter
from arsearch.pipeline import DEFAULT_CONFIG, AnalysisConfig, analyze_terms
from arsearch.pipeline.tokenizer import tokenize

# (text, start, end, position)
Expected = list[tuple[str, int, int, int]]


def assert_tokens(text: str, expected: Expected, reason: str = "") -> None:
    """``tokenize(text)`` gives exactly ``expected``, each span slicing ``text`` to the token."""
    got = [(t.text, t.start, t.end, t.position) for t in tokenize(text)]
    assert got == expected, f"{reason}\ntokenize({text!r})\n  got      {got}\n  expected {expected}"
    for token, start, end, _ in got:
        assert text[start:end] == token


def whoosh_terms(text: str, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG, analyzer=None) -> Expected:
    """The (term, start, end, position) stream of a Whoosh analyzer over ``text``."""
    analyzer = analyzer if analyzer is not None else ArabicAnalyzer(view, config)
    return [(t.text, t.startchar, t.endchar, t.pos) for t in analyzer(text, positions=True, chars=True)]


def step_by_step(view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG):
    """The unfused chain: one filter per step."""
    chain = ArabicTokenizer() | ArabicNormalizeFilter(config.hamza_seats)
    if config.stopwords:
        chain = chain | ArabicStopFilter()
    return chain | ViewFilter(view, config)


def assert_analyzes_to(
    text: str,
    expected: Expected | list[str],
    view: str = "stem",
    config: AnalysisConfig = DEFAULT_CONFIG,
    reason: str = "",
) -> None:
    """``text`` gives exactly ``expected`` terms in ``view``, with the same offsets and
    positions from ``analyze_terms``, the Whoosh analyzer and the unfused Whoosh chain.

    ``expected`` is either full ``(term, start, end, position)`` rows or only the terms.
    """
    pure = [(t.term, t.start, t.end, t.position) for t in analyze_terms(text, view, config)]
    got = pure if expected and isinstance(expected[0], tuple) else [row[0] for row in pure]
    assert got == expected, f"{reason}\nanalyze {view} {text!r}\n  got      {got}\n  expected {expected}"
    assert whoosh_terms(text, view, config) == pure, "Whoosh analyzer and analyze_terms disagree"
    assert whoosh_terms(text, view, config, step_by_step(view, config)) == pure, "unfused chain disagrees"
    positions = [row[3] for row in pure]
    # a word's readings share its position and offsets; otherwise positions increase
    words = list(dict.fromkeys((row[1], row[2], row[3]) for row in pure))
    assert [w[2] for w in words] == sorted({w[2] for w in words}), f"positions must increase: {positions}"
    starts = [row[1] for row in pure]
    assert starts == sorted(starts), f"offsets must increase: {starts}"
