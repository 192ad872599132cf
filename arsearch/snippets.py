"""Snippets: fragments of the original text with the matched words marked."""

from __future__ import annotations

import html
import unicodedata

import regex

from . import chars as c
from .normalization import normalize
from .pipeline import AnalysisConfig, token_terms
from .tokenizer import iter_tokens

__all__ = ["Highlighter", "vocalized_key"]

#: Words around the best cluster of matches shown in a snippet.
WINDOW_WORDS = 24
#: Characters of text scanned for matches (a 10 MB document is not tokenized whole).
SCAN_CHARS = 200_000
#: Runs of GAP_CHARS / 2 or more non-space characters between shown words (an
#: over-long token, which is not indexed) are shortened to their ends.
GAP_CHARS = 80


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


class Highlighter:
    """Marks the words of a text whose term, in some view, is one the query asked for."""

    def __init__(
        self,
        terms: dict[str, frozenset[str]],
        config: AnalysisConfig,
        markers: tuple[str, str] = ("[", "]"),
        escape_html: bool = False,
    ):
        if not (isinstance(markers, tuple) and len(markers) == 2 and all(isinstance(m, str) for m in markers)):
            raise TypeError("markers must be a pair of strings, e.g. ('<b>', '</b>')")
        self.terms = terms
        self.config = config
        self.markers = markers
        self.escape_html = escape_html

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
        tokens = list(iter_tokens(text[:SCAN_CHARS]))
        if not tokens:
            return self._esc(text[:200])
        hit_idx = [i for i, t in enumerate(tokens) if self.matches(t.text)]
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
            first = max(0, best_start - 4)
        else:
            first = 0
        last = min(len(tokens), first + WINDOW_WORDS) - 1
        start = tokens[first].start if first > 0 else 0
        end = tokens[last].end
        marked = set(hit_idx)
        out, pos = [], start
        for k in range(first, last + 1):
            t = tokens[k]
            if k in marked:
                out.append(self._gap(text[pos : t.start]))
                out.append(self.markers[0] + self._esc(text[t.start : t.end]) + self.markers[1])
                pos = t.end
        out.append(self._gap(text[pos:end]))
        body = "".join(out).strip()
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text.rstrip()) else ""
        return prefix + " ".join(body.split()) + suffix

    def _gap(self, s: str) -> str:
        # Text between marked words, with over-long non-space runs shortened.
        if len(s) > GAP_CHARS // 2:
            s = regex.sub(rf"\S{{{GAP_CHARS // 2},}}", lambda m: m[0][: GAP_CHARS // 4] + "…" + m[0][-GAP_CHARS // 4 :], s)
        return self._esc(s)

    def _esc(self, s: str) -> str:
        return html.escape(s, quote=False) if self.escape_html else s
