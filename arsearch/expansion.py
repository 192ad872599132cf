"""Bounded prefix and fuzzy queries: a query word ending in ``*`` or ``~`` expands to at
most :data:`MAX_EXPANSIONS` index terms, the most frequent of the first
:data:`MAX_SCANNED` that match.

Whoosh ORs every matching term together, so ``ال*`` (half the lexicon of an Arabic index)
took minutes on 5,000 news articles; Lucene bounds the same rewrite (top terms, or a
clause limit). The cap changes nothing for ordinary prefixes and typos, which match a few
terms.
"""

from __future__ import annotations

import heapq
import itertools

from whoosh import query as wq

__all__ = ["MAX_EXPANSIONS", "MAX_SCANNED", "BoundedPrefix", "BoundedFuzzyTerm"]

#: Index terms one prefix or fuzzy word expands to, at most (per field and view).
MAX_EXPANSIONS = 32
#: Matching terms looked at to choose them (in lexicon order).
MAX_SCANNED = 512


class _Bounded:
    fieldname: str

    def _btexts(self, ixreader):
        terms = list(itertools.islice(super()._btexts(ixreader), MAX_SCANNED))
        if len(terms) <= MAX_EXPANSIONS:
            return terms
        frequency = ixreader.doc_frequency
        top = heapq.nlargest(MAX_EXPANSIONS, terms, key=lambda t: frequency(self.fieldname, t))
        return sorted(top)


class BoundedPrefix(_Bounded, wq.Prefix):
    """:class:`whoosh.query.Prefix` expanding to at most ``MAX_EXPANSIONS`` terms."""


class BoundedFuzzyTerm(_Bounded, wq.FuzzyTerm):
    """:class:`whoosh.query.FuzzyTerm` expanding to at most ``MAX_EXPANSIONS`` terms."""
