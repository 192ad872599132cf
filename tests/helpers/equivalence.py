"""One way to say "the same results": the hits of a list of queries, each call site
stating the rounding and the ordering it compares with."""

from __future__ import annotations


def hits_of(ix, queries, *, limit: int = 10, mode: str = "auto", digits: int | None = None,
            ordered: bool = True) -> dict:
    """``{query: [(id, score), ...]}`` from ``ix.search`` for each query.

    A query is a string, searched in ``mode``, or a ``(query, mode)`` pair. ``limit``
    and ``mode`` default to those of ``Index.search``. ``digits``: scores rounded to
    that many digits (None: compared to the bit). ``ordered=False``: the hits sorted by
    id, for results whose ties may come in another order.
    """
    out = {}
    for query in queries:
        text, query_mode = query if isinstance(query, tuple) else (query, mode)
        hits = [(h.id, h.score if digits is None else round(h.score, digits))
                for h in ix.search(text, limit=limit, mode=query_mode)]
        out[query] = hits if ordered else sorted(hits)
    return out


def whoosh_hits(searcher, q, limit: int | None = None) -> list[tuple[int, float]]:
    """``[(docnum, score), ...]`` of a Whoosh query searched by Whoosh, in its order,
    scores to the bit."""
    return [(r.docnum, r.score) for r in searcher.search(q, limit=limit)]
