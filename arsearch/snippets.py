"""Snippets: fragments of the original text with the matched words marked.

A snippet is made once as plain text with the spans of its matched words
(:class:`Snippet`), then marked for its reader by :func:`mark`: markers around the
matched words, and the text HTML-escaped when the markers are HTML, so that nothing
a document holds can become markup in a page.
"""

from __future__ import annotations

import html
import unicodedata
from typing import NamedTuple

import regex

from .pipeline import chars as c
from .pipeline.normalization import normalize
from .pipeline.tokenizer import Token, iter_tokens
from .pipeline.views import AnalysisConfig, token_terms

__all__ = ["Highlighter", "Snippet", "is_html", "mark", "vocalized_key"]

#: Words around the best cluster of matches shown in a snippet.
WINDOW_WORDS = 24
#: Words shown before the first marked word of a snippet.
CONTEXT_WORDS = 4
#: Characters of text whose every word is looked at to find the best cluster of matches.
SCAN_CHARS = 200_000
#: Past SCAN_CHARS only the first match is looked for, a chunk of CHUNK_CHARS at a time,
#: analyzing each distinct word once: at most FAR_WORDS of them (a 10 MB book holds about
#: 180,000), after which the snippet says how far it looked.
CHUNK_CHARS = 200_000
FAR_WORDS = 100_000
#: Runs of GAP_CHARS / 2 or more non-space characters between shown words (an
#: over-long token, which is not indexed) are shortened to their ends.
GAP_CHARS = 80

# Whitespace as str.split() sees it (snippets are squeezed with it): Unicode's, and the
# separators U+001C to U+001F.
_SPACE = regex.compile(r"[\s\x1c-\x1f]")
# A run of GAP_CHARS // 2 or more non-space characters.
_LONG_RUN = regex.compile(rf"[^\s\x1c-\x1f]{{{GAP_CHARS // 2},}}")
# An HTML tag: <b>, </b>, <mark class="hit">; not << or >>.
_TAG = regex.compile(r"</?[A-Za-z][^<>]*>")


class Snippet(NamedTuple):
    """A snippet as plain text, and the ``(start, end)`` offsets in ``text`` (in
    characters) of its matched words, for output that marks them itself."""

    text: str
    matches: tuple[tuple[int, int], ...] = ()


def is_html(markers: tuple[str, str]) -> bool:
    """Whether either marker holds an HTML tag (then the text it marks is escaped).

    >>> is_html(("<b>", "</b>")), is_html(('<mark class="hit">', "</mark>")), is_html(("<<", ">>"))
    (True, True, False)
    """
    return any(_TAG.search(m) for m in markers)


def mark(snippet: Snippet, markers: tuple[str, str], escape_html: bool = False) -> str:
    """``snippet``'s text with each match between ``markers``.

    With ``escape_html`` the text (not the markers) is HTML-escaped, quotes included, so
    the result can go into an element or an attribute value of a page.

    >>> mark(Snippet("قال <حفتر>", ((5, 9),)), ("<b>", "</b>"), escape_html=True)
    'قال &lt;<b>حفتر</b>&gt;'
    """
    esc = html.escape if escape_html else str
    out, pos = [], 0
    for start, end in snippet.matches:
        out += [esc(snippet.text[pos:start]), markers[0], esc(snippet.text[start:end]), markers[1]]
        pos = end
    out.append(esc(snippet.text[pos:]))
    return "".join(out)


def vocalized_key(word: str) -> str:
    """A word's letters normalized but its harakat kept, to compare vocalizations.

    >>> vocalized_key("مُحَمَّدٌ") == vocalized_key("مُحَـمَّدٌ"), vocalized_key("مُحَمَّدٌ") == vocalized_key("محمد")
    (True, False)
    """
    out = []
    for ch in unicodedata.normalize("NFC", word):
        if ch in c.MARKS:
            out.append(ch)
        elif ch != c.TATWEEL and ch not in c.WORD_JOINERS:
            out.append(normalize(ch))
    return "".join(out)


def _boundary(text: str, i: int) -> int:
    # The first whitespace at or after i: no word crosses it.
    found = _SPACE.search(text, min(max(i, 0), len(text)))
    return found.start() if found else len(text)


def _squeeze(pieces: list[tuple[str, bool]]) -> Snippet:
    """Pieces of text (marked or not) joined with every run of whitespace made one space,
    and the offsets of the marked ones. A marked piece is a word, without whitespace."""
    out: list[str] = []
    spans = []
    length, space = 0, False
    for s, marked in pieces:
        words = [s] if marked else s.split()
        if not words:
            space = space or bool(s)
            continue
        if (space or s[0].isspace()) and length:
            out.append(" ")
            length += 1
        piece = " ".join(words)
        if marked:
            spans.append((length, length + len(piece)))
        out.append(piece)
        length += len(piece)
        space = s[-1].isspace()
    return Snippet("".join(out), tuple(spans))


class Highlighter:
    """Marks the words of a text whose term, in some view, is one the query asked for.

    - the snippet is the window of ``WINDOW_WORDS`` words holding the most distinct
      matched words among the first ``SCAN_CHARS`` characters, from ``CONTEXT_WORDS``
      words before the first of them;
    - a text with no match there shows its first match further on, wherever it is
      (each distinct word past ``SCAN_CHARS`` is analyzed once, up to ``FAR_WORDS``
      words; past those the snippet ends with how far it looked);
    - a text with no match at all shows its beginning;
    - ``…`` says that text was left out before or after; whitespace runs become one
      space; runs of ``GAP_CHARS / 2`` or more non-space characters are shortened;
    - ``markers`` go around matched words; the text is HTML-escaped when
      ``escape_html`` is true, and by default (None) when the markers are HTML tags.
    """

    def __init__(
        self,
        terms: dict[str, frozenset[str]],
        config: AnalysisConfig,
        markers: tuple[str, str] = ("[", "]"),
        escape_html: bool | None = None,
    ):
        if not (isinstance(markers, tuple) and len(markers) == 2 and all(isinstance(m, str) for m in markers)):
            raise TypeError("markers must be a pair of strings, e.g. ('<b>', '</b>')")
        if escape_html is not None and not isinstance(escape_html, bool):
            raise TypeError("escape_html must be True, False or None (escape when the markers are HTML)")
        self.terms = terms
        self.config = config
        self.markers = markers
        self.escape_html = is_html(markers) if escape_html is None else escape_html

    def with_terms(self, extra: dict[str, frozenset[str]]) -> Highlighter:
        """A highlighter that also marks ``extra`` terms (prefix and fuzzy expansions)."""
        merged = {v: self.terms.get(v, frozenset()) | extra.get(v, frozenset()) for v in set(self.terms) | set(extra)}
        return Highlighter(merged, self.config, self.markers, self.escape_html)

    def matches(self, word: str) -> bool:
        """Whether one of ``word``'s terms (any reading, any view) is one asked for."""
        for view, terms in self.terms.items():
            if terms:
                found, is_stop = token_terms(view, self.config)(word)
                if not is_stop and not terms.isdisjoint(found):
                    return True
        return False

    def snippet(self, text: str) -> str:
        """A fragment of ``text`` with the matched words marked (see the class)."""
        return mark(self.plain_snippet(text), self.markers, self.escape_html)

    def marked_title(self, title: str) -> str:
        """The whole of ``title`` with its matched words marked, escaped like snippets."""
        return mark(self.plain_title(title), self.markers, self.escape_html)

    def plain_title(self, title: str) -> Snippet:
        """The whole of ``title``, unchanged, and the offsets of its matched words."""
        return Snippet(title, tuple((t.start, t.end) for t in iter_tokens(title) if self.matches(t.text)))

    def plain_snippet(self, text: str) -> Snippet:
        """The snippet of ``text`` as plain text and the offsets of its matched words."""
        tokens, hit_idx, from_start, looked = self._scan(text)
        if not tokens:
            return Snippet(text[:200])
        if hit_idx:
            # The window of WINDOW_WORDS words holding the most distinct matched words.
            keys = [normalize(tokens[i].text) for i in hit_idx]
            best_start, best_count, j = hit_idx[0], 0, 0
            for n, i in enumerate(hit_idx):
                while hit_idx[j] <= i - WINDOW_WORDS:
                    j += 1
                count = len(set(keys[j : n + 1]))
                if count > best_count:
                    best_count, best_start = count, hit_idx[j]
            first = max(0, best_start - CONTEXT_WORDS)
        else:
            first = 0
        last = min(len(tokens), first + WINDOW_WORDS) - 1
        start = tokens[first].start if first > 0 or not from_start else 0
        end = tokens[last].end
        marked = set(hit_idx)
        pieces, pos = [], start
        for k in range(first, last + 1):
            t = tokens[k]
            if k in marked:
                pieces += [(self._gap(text[pos : t.start]), False), (text[t.start : t.end], True)]
                pos = t.end
        pieces.append((self._gap(text[pos:end]), False))
        body = _squeeze(pieces)
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text.rstrip()) else ""
        if looked:
            suffix += f" (no match in the first {looked:,} characters)"
        spans = tuple((s + len(prefix), e + len(prefix)) for s, e in body.matches)
        return Snippet(prefix + body.text + suffix, spans)

    def _scan(self, text: str) -> tuple[list[Token], list[int], bool, int]:
        """The tokens a snippet is chosen from, the indexes of the matched ones, whether
        the first is the text's first word, and, if the search for a match gave up,
        the characters it looked through (else 0)."""
        cut = _boundary(text, SCAN_CHARS)
        tokens = list(iter_tokens(text[:cut]))
        hit_idx = [i for i, t in enumerate(tokens) if self.matches(t.text)]
        if hit_idx or cut >= len(text):
            return tokens, hit_idx, True, 0
        at, looked = self._first_far_match(text, cut)
        if at is None:
            return tokens, [], True, looked
        # Tokenize from a little before the first matched piece's first occurrence: only
        # the words around the first match are kept.
        lo = _boundary(text, at - 1_000) if at > 1_000 else 0
        hi = _boundary(text, at + CHUNK_CHARS)
        before: list[Token] = []
        found: list[Token] = []
        for t in iter_tokens(text[lo:hi]):
            t = t._replace(start=t.start + lo, end=t.end + lo)
            if found:
                found.append(t)
                if len(found) == WINDOW_WORDS:
                    break
            elif t.start >= at and self.matches(t.text):
                found.append(t)
            else:
                before = [*before[-(CONTEXT_WORDS - 1) :], t] if CONTEXT_WORDS else []
        if not found:
            return tokens, [], True, 0
        local = before + found
        return local, [i for i, t in enumerate(local) if i >= len(before) and self.matches(t.text)], False, 0

    def _first_far_match(self, text: str, pos: int) -> tuple[int | None, int]:
        """Where the first piece of ``text`` from ``pos`` holding a matched word may start
        (None if there is none), and how far the search looked if it gave up."""
        checked: set[str] = set()
        while pos < len(text):
            end = _boundary(text, pos + CHUNK_CHARS)
            chunk = text[pos:end]
            # Words never hold whitespace: each distinct whitespace-separated piece is
            # tokenized and analyzed once (most words of a long text repeat).
            pieces = set(chunk.split())
            pieces -= checked
            if len(checked) + len(pieces) > FAR_WORDS:
                return None, pos
            checked |= pieces
            hits = [p for p in pieces if any(self.matches(t.text) for t in iter_tokens(p))]
            if hits:
                # A matched piece can also occur inside a longer piece first: searching
                # from the earliest occurrence finds its first occurrence as a piece.
                return pos + min(chunk.find(p) for p in hits), 0
            pos = end
        return None, 0

    def _gap(self, s: str) -> str:
        # Text between marked words, with over-long non-space runs shortened.
        if len(s) >= GAP_CHARS // 2:
            s = _LONG_RUN.sub(lambda m: m[0][: GAP_CHARS // 4] + "…" + m[0][-GAP_CHARS // 4 :], s)
        return s
