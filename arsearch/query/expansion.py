"""Bounded prefix and fuzzy queries: a query word ending in ``*`` or ``~`` expands to at
most :data:`MAX_EXPANSIONS` index terms, the most frequent of the first
:data:`MAX_SCANNED` that match.

A prefix ranks the documents holding its more frequent completions first, as
autocompletion wants (السعو* puts السعودية before السعوديين when more documents hold it):
each completion scores, in each document holding it, the idf of the most frequent
completion times its share of that one's document frequency (times the word's boost),
whatever its frequency in the document. The completions are chosen and weighed over the
whole index, so that every segment scores them alike.

Whoosh ORs every matching term together, so ``ال*`` (half the lexicon of an Arabic index)
took minutes on 5,000 news articles; Lucene bounds the same rewrite (top terms, or a
clause limit). The cap changes nothing for ordinary prefixes and typos, which match a few
terms.

A query expands its words several times (to plan its matchers, to size them, to mark
snippets), and a fuzzy expansion walks the lexicon: each expansion is kept on the index
reader it was made with (readers belong to one index generation), a bounded number of them.
"""

from __future__ import annotations

import heapq
import itertools

from whoosh import matching
from whoosh import query as wq
from whoosh.scoring import BaseScorer, WeightingModel

from ..readercache import kept_on_reader

__all__ = ["MAX_EXPANSIONS", "MAX_SCANNED", "BoundedPrefix", "BoundedFuzzyTerm", "Presence", "PRESENCE"]

#: Index terms one prefix or fuzzy word expands to, at most (per field and view).
MAX_EXPANSIONS = 32
#: Matching terms looked at to choose them (in lexicon order): a prefix with more
#: completions (ال* on a large index) keeps the most frequent of the first ones. Reading
#: a term's frequency from the lexicon walk takes a few microseconds, once per index reader.
MAX_SCANNED = 4096


class _Bounded:
    fieldname: str

    def _btexts(self, ixreader):
        key = (type(self), self.fieldname, self.text, getattr(self, "maxdist", None), getattr(self, "prefixlength", None))
        return list(kept_on_reader(ixreader, "_arsearch_expansions", key, lambda: self._expand(ixreader)))

    def _expand(self, ixreader) -> tuple:
        terms = list(itertools.islice(super()._btexts(ixreader), MAX_SCANNED))
        if len(terms) <= MAX_EXPANSIONS:
            return tuple(terms)
        frequency = ixreader.doc_frequency
        top = heapq.nlargest(MAX_EXPANSIONS, terms, key=lambda t: frequency(self.fieldname, t))
        return tuple(sorted(top))


class Presence(WeightingModel):
    """Each document holding a term scores 1 (times the term's boost), whatever the
    term's frequency in it or its length: a prefix's completions score their weight."""

    def scorer(self, searcher, fieldname, text, qf=1):
        return _PresenceScorer()


class _PresenceScorer(BaseScorer):
    def supports_block_quality(self) -> bool:
        return True

    def score(self, matcher) -> float:
        return 1.0

    def max_quality(self) -> float:
        return 1.0

    def block_quality(self, matcher) -> float:
        return 1.0


PRESENCE = Presence()


class BoundedPrefix(_Bounded, wq.Prefix):
    """:class:`whoosh.query.Prefix` expanding to at most ``MAX_EXPANSIONS`` terms, each
    weighed by its document frequency (see the module's docstring)."""

    def completions(self, searcher) -> list[tuple[bytes, float]]:
        """The terms the word expands to in the index ``searcher`` (or its segment
        searcher) belongs to, each with its boost: the word's boost × the idf of the
        most frequent completion × the completion's document frequency over that one's."""
        parent = searcher.get_parent()
        reader = parent.reader()
        key = (self.fieldname, self.text)
        weights = kept_on_reader(reader, "_arsearch_completions", key, lambda: self._weigh(parent))
        return [(btext, self.boost * weight) for btext, weight in weights]

    def _weigh(self, parent) -> tuple[tuple[bytes, float], ...]:
        terms = [btext for btext in self._btexts(parent.reader()) if btext]
        if not terms:
            return ()
        frequencies = [parent.doc_frequency(self.fieldname, btext) for btext in terms]
        top = max(frequencies)
        idf = parent.idf(self.fieldname, terms[frequencies.index(top)])
        return tuple((btext, idf * n / top) for btext, n in zip(terms, frequencies))

    def matcher(self, searcher, context=None):
        # As MultiTerm.matcher, with each completion's own boost, scored by PRESENCE.
        terms = [wq.Term(self.fieldname, btext, boost=boost) for btext, boost in self.completions(searcher)]
        if not terms:
            return matching.NullMatcher()
        context = (context or searcher.context()).set(weighting=PRESENCE)
        return (terms[0] if len(terms) == 1 else wq.Or(terms)).matcher(searcher, context)

    def _expand(self, ixreader) -> tuple:
        # The same choice as _Bounded's, with each term's frequency read from the
        # lexicon walk instead of looked up again.
        scanned = list(itertools.islice(ixreader.iter_prefix(self.fieldname, self.text), MAX_SCANNED))
        if len(scanned) > MAX_EXPANSIONS:
            scanned = heapq.nlargest(MAX_EXPANSIONS, scanned, key=lambda item: item[1].doc_frequency())
        return tuple(sorted(btext for btext, _ in scanned))


class BoundedFuzzyTerm(_Bounded, wq.FuzzyTerm):
    """:class:`whoosh.query.FuzzyTerm` expanding to at most ``MAX_EXPANSIONS`` terms."""
