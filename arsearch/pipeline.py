"""The default analysis as plain functions: tokenize → normalize → stopwords → stem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from .normalization import DEFAULT_HAMZA_SEATS, HAMZA_SEAT_POLICIES, normalize
from .stemming import STEMMERS, _cached_stem, protected_words, stopwords, strip_proclitics
from .tokenizer import iter_tokens

__all__ = ["AnalysisConfig", "VIEWS", "Term", "analyze", "analyze_terms"]

#: The views a word is indexed in, from the most to the least exact.
VIEWS = ("exact", "clitic", "stem")


@dataclass(frozen=True)
class AnalysisConfig:
    """How text becomes terms. Immutable, hashable and picklable (it is stored in indexes).

    - ``stemmer``: ``"light"`` (arsearch's), ``"tashaphyne"`` or ``"none"``;
    - ``stopwords``: drop the shipped Arabic function words;
    - ``protected``: extra names never suffix-stripped, in any spelling;
    - ``hamza_seats``: see :func:`arsearch.normalize`.
    """

    stemmer: str = "light"
    stopwords: bool = True
    protected: frozenset[str] = field(default_factory=frozenset)
    hamza_seats: str = DEFAULT_HAMZA_SEATS

    def __post_init__(self):
        if self.stemmer not in STEMMERS:
            raise ValueError(f"stemmer must be one of {STEMMERS}, not {self.stemmer!r}")
        if self.hamza_seats not in HAMZA_SEAT_POLICIES:
            raise ValueError(f"hamza_seats must be one of {HAMZA_SEAT_POLICIES}, not {self.hamza_seats!r}")
        if isinstance(self.protected, str) or not all(isinstance(w, str) for w in self.protected):
            raise TypeError("protected must be a collection of words (str)")
        object.__setattr__(
            self, "protected", frozenset(normalize(w, hamza_seats=self.hamza_seats) for w in self.protected)
        )

    def view_term(self, normalized: str, view: str) -> str:
        """The term of an already normalized word in one view."""
        if view == "exact" or self.stemmer == "none":
            return normalized
        if view == "clitic":
            protected = protected_words() | self.protected if self.protected else None
            return strip_proclitics(normalized, protected)
        if view == "stem":
            return _cached_stem(normalized, self.stemmer, self.protected)
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")


DEFAULT_CONFIG = AnalysisConfig()


class Term(NamedTuple):
    """A term of one view, with the token it came from."""

    term: str
    start: int
    end: int
    position: int


def analyze_terms(text: str, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG) -> Iterator[Term]:
    """Yield the terms of ``text`` in one view with their offsets and positions.

    Positions count every word, stopwords included, so that phrases stay exact.
    """
    stop = stopwords() if config.stopwords else frozenset()
    for token in iter_tokens(text):
        word = normalize(token.text, hamza_seats=config.hamza_seats)
        if not word or word in stop:
            continue
        term = config.view_term(word, view)
        if term:
            yield Term(term, token.start, token.end, token.position)


def analyze(text: str, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG) -> list[str]:
    """Return the terms of ``text`` in order: tokenize → normalize → stopwords → stem.

    ``view`` picks ``"exact"`` (normalized only), ``"clitic"`` (proclitics removed) or
    ``"stem"`` (the default: proclitics and suffixes removed).

    >>> analyze("وصل حفتر إلى دِمَشْقَ والتقى بالحكومة")
    ['وصل', 'حفتر', 'دمشق', 'تقي', 'حكوم']
    """
    return [t.term for t in analyze_terms(text, view, config)]
