"""BM25 with a lower bound on a matched term's score (BM25+, Lv & Zhai, CIKM 2011).

With full length normalization (b near 1), BM25 scores a word found in a long passage
close to zero, below a short passage that holds fewer of the query's words. BM25+ adds
``delta × idf`` to the score of every term a document holds, so that holding a word is
always worth something, however long the document. Questions are ranked with it
(:data:`arsearch.query.RANKINGS`): their answers are short passages among long ones.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whoosh import scoring

__all__ = ["K1", "B", "BM25Plus", "BM25PlusScorer", "weighting"]

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


@lru_cache(maxsize=None)
def weighting(b: float, delta: float = 0.0) -> scoring.BM25F:
    """The weighting model of a ranking: BM25 with length normalization ``b``, or BM25+
    when ``delta`` is above 0. One instance per pair (Whoosh caches per model)."""
    return BM25Plus(B=b, K1=K1, delta=delta) if delta else scoring.BM25F(B=b, K1=K1)
