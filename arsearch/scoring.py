"""BM25 in its two forms, side by side: Whoosh's scorer (with BM25+) and the same
arithmetic over numpy arrays (:func:`term_scores`, what ``arsearch.topk`` evaluates).

BM25+ puts a lower bound on a matched term's score (Lv & Zhai, CIKM 2011).

With full length normalization (b near 1), BM25 scores a word found in a long passage
close to zero, below a short passage that holds fewer of the query's words. BM25+ adds
``delta × idf`` to the score of every term a document holds, so that holding a word is
always worth something, however long the document. Questions are ranked with it
(:data:`arsearch.query.RANKINGS`): their answers are short passages among long ones.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

import numpy as np
from whoosh import scoring
from whoosh.scoring import BM25F, BM25FScorer

from .codec.lengths import LENGTH_OF_BYTE
from .readercache import kept_on_reader

__all__ = ["K1", "B", "BM25Plus", "BM25PlusScorer", "weighting", "BM25Params", "term_scores"]

#: BM25's term-frequency saturation, Whoosh's default and every ranking's.
K1 = 1.2
#: BM25's length normalization by default (Whoosh's ``BM25F``).
B = 0.75


class BM25Plus(scoring.BM25F):
    """Whoosh's ``BM25F``, plus ``delta × idf`` for each term a document holds."""

    def __init__(self, B: float = B, K1: float = K1, delta: float = 1.0) -> None:
        if not delta >= 0:
            raise ValueError(f"BM25Plus: delta must be 0 or more, not {delta!r}")
        super().__init__(B=B, K1=K1)
        self.delta = delta

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        return BM25PlusScorer(searcher, fieldname, text, B, self.K1, self.delta, qf=qf)


class BM25PlusScorer(scoring.BM25FScorer):
    """``bm25(...) + delta × idf``: the floats :func:`arsearch.topk._term_scores` gives."""

    def __init__(self, searcher: Any, fieldname: str, text: str, B: float, K1: float, delta: float,
                 qf: int = 1) -> None:
        self.delta = delta  # before the parent's setup, which may score a block's best
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)

    def _score(self, weight: float, length: int) -> float:
        return scoring.bm25(self.idf, weight, length, self.avgfl, self.B, self.K1) + self.delta * self.idf


@cache
def weighting(b: float, delta: float = 0.0) -> scoring.BM25F:
    """The weighting model of a ranking: BM25 with length normalization ``b``, or BM25+
    when ``delta`` is above 0. One instance per pair (Whoosh caches per model)."""
    return BM25Plus(B=b, K1=K1, delta=delta) if delta else scoring.BM25F(B=b, K1=K1)


#: Length-part arrays kept per segment reader (fields × BM25 parameters).
PARTS_KEPT = 16


class BM25Params(NamedTuple):
    """What :func:`term_scores` reads of a ``BM25FScorer`` (or ``BM25PlusScorer``), as
    its initializer sets it."""

    idf: float
    avgfl: float
    B: float
    K1: float
    delta: float = 0.0  # BM25+'s lower bound (0: BM25)


#: The weighting models and scorers whose scores :func:`term_scores` computes itself.
BM25_MODELS = (BM25F, BM25Plus)
BM25_SCORERS = (BM25FScorer, BM25PlusScorer)


def term_scores(reader, fieldname: str, sc: BM25FScorer | BM25PlusScorer | BM25Params, lengths: np.ndarray,
                 ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
    """``whoosh.scoring.bm25`` of a term's documents ``ids`` (weights ``tf``) in one
    segment, operation for operation, in two parts: BM25's length part of every
    document (from its length byte in ``lengths``, through a table of the 256), kept per
    segment reader, field and parameters; then the term's part (plus BM25+'s
    ``delta × idf``, as :class:`arsearch.scoring.BM25PlusScorer` adds it)."""
    idf, avgfl, B, K1 = sc.idf, sc.avgfl, sc.B, sc.K1
    parts = kept_on_reader(reader._perdoc, "_arsearch_length_parts", (fieldname, avgfl, B, K1),
                           lambda: (K1 * ((1 - B) + B * LENGTH_OF_BYTE / avgfl))[lengths], PARTS_KEPT)
    scores = idf * ((tf * (K1 + 1)) / (tf + parts[ids]))
    delta = getattr(sc, "delta", 0.0)
    if delta:
        scores += delta * idf
    return scores
