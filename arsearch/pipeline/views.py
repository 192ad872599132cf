"""The default analysis as plain functions: tokenize → normalize → stopwords → stem."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from . import chars as c
from .lexicon import is_stopword, stopwords, yeh_words
from .normalization import DEFAULT_HAMZA_SEATS, HAMZA_SEAT_POLICIES, normalize
from .stemming import STEMMERS, light_readings, protected_words, stem_normalized
from .tokenizer import iter_tokens

__all__ = [
    "AnalysisConfig",
    "VIEWS",
    "DEFAULT_CONFIG",
    "Term",
    "analyze",
    "analyze_terms",
    "stem",
    "token_normalizer",
    "token_terms",
    "token_views",
    "clear_caches",
]

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

    @property
    def protected_names(self) -> frozenset[str]:
        """The names the stemmer leaves whole: the shipped list and ``protected``."""
        return _protected_names(self.protected)

    def view_term(self, normalized: str, view: str) -> str:
        """The term of an already normalized word in one view: the first of
        :meth:`view_terms` (its proclitics stripped as far as the guards allow)."""
        return self.view_terms(normalized, view)[0]

    def whole_term(self, normalized: str, view: str) -> str:
        """The term of an already normalized word in one view with its first letters read as
        its own: the last of :meth:`view_terms`, the least stripped. A name spelled out
        letter by letter (Bashir: بشير) keeps a first letter that may be a proclitic: شير is
        another word."""
        return self.view_terms(normalized, view)[-1]

    def view_terms(self, normalized: str, view: str) -> tuple[str, ...]:
        """Every term of an already normalized word in one view, one per reading of its
        first letters (:func:`arsearch.pipeline.stemming.readings`: كتاب is ك + تاب or a book),
        the most stripped first. The ``exact`` view, and every view without a stemmer,
        has one term; so has the ``stem`` view of another stemmer than ``"light"``."""
        if view == "exact" or self.stemmer == "none":
            return (normalized,)
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
        return _view_terms(self, normalized, view)

    def written_view_terms(self, written: str, normalized: str, view: str) -> tuple[str, ...]:
        """:meth:`view_terms` of a token as ``written`` (``normalized`` its normalized form),
        of its :meth:`written_readings`."""
        terms = self.view_terms(normalized, view)
        if len(terms) < 2 or not _drops_readings(self, written):
            return terms
        pairs = self.written_readings(written, normalized)
        if view == "clitic":
            return tuple(clitic for clitic, _ in pairs)
        return tuple(dict.fromkeys(stem for _, stem in pairs if stem))

    def written_readings(self, written: str, normalized: str) -> tuple[tuple[str, str | None], ...]:
        """:meth:`readings` of a token as ``written``: but a reading that leaves a stopword
        the token writes with ى once its proclitics are off. وعلى is و + على ("and on"):
        normalized, its clitic reading would be علي, the name Ali, and every وعلى would match
        it (in news, more documents than the name)."""
        readings = self.readings(normalized)
        if len(readings) < 2 or not _drops_readings(self, written):
            return readings
        # yeh_words: the stopwords the list writes with ى
        kept = tuple((clitic, stem) for clitic, stem in readings if clitic == normalized or clitic not in yeh_words())
        if self.stemmer != "light" and kept[0] is not readings[0]:
            kept = ((kept[0][0], readings[0][1]),) + kept[1:]  # the word's one stem stays with it
        return kept

    def _view_terms(self, normalized: str, view: str) -> tuple[str, ...]:
        if view == "clitic":
            return tuple(c for c, _ in self.readings(normalized))
        return tuple(dict.fromkeys(s for _, s in self.readings(normalized) if s))

    def readings(self, normalized: str) -> tuple[tuple[str, str | None], ...]:
        """``(clitic term, stem term)`` of each reading of an already normalized word's
        first letters (:func:`arsearch.pipeline.stemming.readings`), the most stripped first. With
        another stemmer than ``"light"``, the stem is the word's, given with the first
        reading only (``None`` for the others)."""
        if self.stemmer == "none":
            return ((normalized, normalized),)
        bases, stems = light_readings(normalized, self.protected_names)
        if self.stemmer == "light":
            return tuple(zip(bases, stems))
        stem = _stemmed(normalized, self.stemmer, self.protected)
        return ((bases[0], stem),) + tuple((b, None) for b in bases[1:])


DEFAULT_CONFIG = AnalysisConfig()


_MARKS = "".join(c.MARKS) + c.TATWEEL


def _drops_readings(config: AnalysisConfig, written: str) -> bool:
    """Whether a token may have readings :meth:`AnalysisConfig.written_readings` drops."""
    return config.stopwords and written.rstrip(_MARKS)[-1:] == c.ALEF_MAKSURA


@cache
def _protected_names(extra: frozenset[str]) -> frozenset[str]:
    return protected_words() | extra if extra else protected_words()

#: Distinct tokens remembered per (view, config). Arabic vocabulary is Zipfian: 1.2M
#: tokens of news hold 99k distinct tokens, 5.5M hold 208k, and the rare ones an LRU
#: evicts are the ones seldom asked for again, so nearly every token is a cache hit.
TERM_CACHE_SIZE = 1 << 17


@lru_cache(maxsize=TERM_CACHE_SIZE)
def _view_terms(config: AnalysisConfig, normalized: str, view: str) -> tuple[str, ...]:
    # AnalysisConfig.view_terms of the clitic and stem views, cached (the unfused
    # ViewFilter and the query builder ask for the same words again and again)
    return config._view_terms(normalized, view)


class Term(NamedTuple):
    """A term of one view, with the token it came from."""

    term: str
    start: int
    end: int
    position: int


@cache
def token_terms(view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG) -> Callable[[str], tuple[tuple[str, ...], bool]]:
    """The cached step from a token as written to ``(terms, is_stopword)`` in one view:
    the word's terms, one per reading of its first letters, the most stripped first
    (:meth:`AnalysisConfig.view_terms`).

    The terms are ``()`` when nothing is left of the token (it was only marks or
    controls). One bounded ``lru_cache`` per view and configuration, over
    :func:`token_views`: repeated words, most of the text, cost one dictionary lookup
    instead of normalize and stem.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, not {view!r}")
    views, at = token_views(config), VIEWS.index(view)

    @lru_cache(maxsize=TERM_CACHE_SIZE)
    def terms(token: str) -> tuple[tuple[str, ...], bool]:
        found = views(token)
        return found[at], found[3]

    return terms


#: The terms of a token in every view: ``(exact, clitic, stem, is_stopword)``.
ViewTerms = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]


@cache
def token_views(config: AnalysisConfig = DEFAULT_CONFIG) -> Callable[[str], ViewTerms]:
    """The cached step from a token as written to its terms in every view at once,
    ``(exact, clitic, stem, is_stopword)``: normalize, then each view's terms of the word
    (:meth:`AnalysisConfig.view_terms`, one per reading, the most stripped first; one
    ``exact`` term); ``()`` when nothing is left of the token.

    What indexing uses, as it needs every view of every token: one cache entry a token
    holds what a cache per view (and the normalizer's and stemmer's caches behind them)
    would, in about half the memory, and costs one lookup instead of three.
    """
    stop = stopwords() if config.stopwords else frozenset()
    # arsearch's stemmer takes the proclitics off first, as the clitic view does: once for both
    light = config.protected_names if config.stemmer == "light" else None

    @lru_cache(maxsize=TERM_CACHE_SIZE)
    def terms(token: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
        word = normalize(token, hamza_seats=config.hamza_seats)
        if not word:
            return (), (), (), False
        stopped = is_stopword(token, word, stop)
        if light is not None and not _drops_readings(config, token):  # most tokens: readings as they come
            clitic, stems = light_readings(word, light)
            return (word,), clitic, tuple(dict.fromkeys(stems)), stopped
        return ((word,), config.written_view_terms(token, word, "clitic"), config.written_view_terms(token, word, "stem"),
                stopped)

    return terms


def clear_caches() -> None:
    """Empty every term cache (normalized tokens, stems, view terms, the protected names)."""
    for cached in (token_terms, token_views, token_normalizer, _view_terms, _stemmed, _protected_names, protected_words):
        cached.cache_clear()


def analyze_terms(text: str, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG) -> Iterator[Term]:
    """Yield the terms of ``text`` in one view with their offsets and positions: what
    the index holds. A word whose first letters read several ways (كتاب: a book, or
    ك + تاب) gives a term per reading, at its one position, the most stripped first
    (:meth:`AnalysisConfig.view_terms`).

    Positions count every word, stopwords included, so that phrases stay exact.
    """
    term_of = token_terms(view, config)
    for token in iter_tokens(text):
        terms, is_stop = term_of(token.text)
        if terms and not is_stop:
            for term in terms:
                yield Term(term, token.start, token.end, token.position)


def analyze(text: str, view: str = "stem", config: AnalysisConfig = DEFAULT_CONFIG) -> list[str]:
    """Return the terms of ``text`` in order: tokenize → normalize → stopwords → stem.

    ``view`` picks ``"exact"`` (normalized only), ``"clitic"`` (proclitics removed) or
    ``"stem"`` (the default: proclitics and suffixes removed). A word whose first letter
    may be a proclitic or its own gives both readings (بلجنة: جنه، لجن).

    >>> analyze("وصل حفتر إلى دِمَشْقَ والتقى بالحكومة")
    ['وصل', 'حفتر', 'دمشق', 'تقي', 'والتقي', 'حكوم', 'بالحكوم']
    """
    return [t.term for t in analyze_terms(text, view, config)]


@lru_cache(maxsize=200_000)
def _stemmed(word: str, stemmer: str, extra: frozenset[str]) -> str:
    return stem_normalized(word, stemmer, _protected_names(extra))


def stem(word: str, stemmer: str = "light", protected: frozenset[str] = frozenset()) -> str:
    """Normalize ``word``, then stem it with ``stemmer`` (``"light"``, ``"tashaphyne"``, ``"none"``).

    ``protected`` adds names to the shipped protected list (written in any spelling).
    Results are cached (bounded, thread-safe), so repeated words cost a dict lookup.

    >>> stem("وَالحُكُومَاتُ"), stem("بنغازي"), stem("وليد"), stem("الحكومة", "none")
    ('حكوم', 'بنغازي', 'وليد', 'الحكومه')
    """
    if not isinstance(word, str):
        raise TypeError(f"stem() expects str, not {type(word).__name__}")
    if stemmer not in STEMMERS:
        raise ValueError(f"stemmer must be one of {STEMMERS}, not {stemmer!r}")
    extra = frozenset(normalize(w) for w in protected) if protected else frozenset()
    return _stemmed(normalize(word), stemmer, extra)


@cache
def token_normalizer(hamza_seats: str = DEFAULT_HAMZA_SEATS) -> Callable[[str], str]:
    """A cached one-argument :func:`normalize` for one hamza-seat policy (the fastest
    cache Python has is an ``lru_cache`` keyed on a single ``str``)."""
    if hamza_seats not in HAMZA_SEAT_POLICIES:
        raise ValueError(f"hamza_seats must be one of {HAMZA_SEAT_POLICIES}, not {hamza_seats!r}")

    @lru_cache(maxsize=1 << 17)
    def normalize_one(word: str) -> str:
        return normalize(word, hamza_seats=hamza_seats)

    return normalize_one
