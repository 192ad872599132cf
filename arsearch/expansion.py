"""Bounded prefix and fuzzy queries: a query word ending in ``*`` or ``~`` expands to at
most :data:`MAX_EXPANSIONS` index terms, the most frequent of the first
:data:`MAX_SCANNED` that match.

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

from whoosh import query as wq

__all__ = ["MAX_EXPANSIONS", "MAX_SCANNED", "BoundedPrefix", "BoundedFuzzyTerm", "kept_on_reader"]

#: Index terms one prefix or fuzzy word expands to, at most (per field and view).
MAX_EXPANSIONS = 32
#: Matching terms looked at to choose them (in lexicon order).
MAX_SCANNED = 512
#: Expansions kept per index reader.
_KEPT = 256


def kept_on_reader(ixreader, name: str, key, make, limit: int = _KEPT) -> tuple:
    """``make()``, kept on ``ixreader`` (a reader belongs to one index generation) under
    ``key`` in its table ``name``, which holds ``limit`` of them at most."""
    kept = ixreader.__dict__.setdefault(name, {})
    found = kept.get(key)
    if found is None:
        if len(kept) >= limit:
            kept.clear()
        found = kept[key] = make()
    return found


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


class BoundedPrefix(_Bounded, wq.Prefix):
    """:class:`whoosh.query.Prefix` expanding to at most ``MAX_EXPANSIONS`` terms."""

    def _expand(self, ixreader) -> tuple:
        # The same choice as _Bounded's, with each term's frequency read from the
        # lexicon walk instead of looked up again.
        scanned = list(itertools.islice(ixreader.iter_prefix(self.fieldname, self.text), MAX_SCANNED))
        if len(scanned) > MAX_EXPANSIONS:
            scanned = heapq.nlargest(MAX_EXPANSIONS, scanned, key=lambda item: item[1].doc_frequency())
        return tuple(sorted(btext for btext, _ in scanned))


class BoundedFuzzyTerm(_Bounded, wq.FuzzyTerm):
    """:class:`whoosh.query.FuzzyTerm` expanding to at most ``MAX_EXPANSIONS`` terms."""
