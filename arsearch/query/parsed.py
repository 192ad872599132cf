"""A parsed query, ready to run: :class:`ParsedQuery` (what
:func:`arsearch.query.builder.parse_query` gives)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from whoosh import query as wq

from ..metadata import Condition


class Deferred(partial):
    """A query built when first asked for."""


@dataclass
class ParsedQuery:
    """A query ready to run: Whoosh queries for each mode, and what to highlight."""

    text: str
    all: wq.Query | None
    _any: wq.Query | Deferred | None  # see ``any``
    n_positive: int
    highlight: dict[str, frozenset[str]] = field(default_factory=dict)
    vocalized: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    expands: bool = False  # holds prefix or fuzzy terms, expanded against the index
    kind: str = "name"  # "name" or "question": which of RANKINGS scored it
    tiered: bool = True  # mode="auto": documents holding every word first
    filters: tuple[Condition, ...] = ()  # source:x, date:a..b: conditions on metadata
    exclude: wq.Query | None = None  # a query of excluded words only: what filters alone leave out
    latin_units: tuple[str, ...] = ()  # the names typed in Latin script (``latin=`` of parse_query)
    # A query of one Latin name alone: the query of each of its readings (as written, then
    # each Arabic alternative), whose best matches the first page shows (run_search)
    readings: tuple[tuple[wq.Query, float], ...] = ()  # (query, weight)

    @property
    def empty(self) -> bool:
        return self.all is None

    @property
    def any(self) -> wq.Query | None:
        """The query of ``mode="any"``. A name's is built when first asked for: a search
        in ``mode="all"``, or in ``mode="auto"`` with enough documents holding every word,
        never needs it."""
        q = self._any
        if type(q) is Deferred:
            q = self._any = q()
        return q

    @property
    def has_partial_matches(self) -> bool:
        """Whether ``mode="any"`` can find documents ``mode="all"`` does not."""
        return self._any is not self.all
