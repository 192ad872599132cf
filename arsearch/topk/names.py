"""Latin-script names against an index: the Arabic terms a Latin word may write, from
the index's own vocabulary (:mod:`arsearch.pipeline.latin`).

Each segment's clitic-view terms (title and body: normalized, proclitics and article off,
as names are indexed) are grouped by their consonant keys once per process, kept in a
small cache keyed by storage and segment as decoded postings are; a searcher merges its
segments' groups for the words asked. A Latin word's candidates are the terms sharing a
key with it, and the exonyms GeoNames gives for it; they are ranked by alignment, with
the index's document frequency breaking near-ties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from ..pipeline.arabic_names import spelling_skeleton, written_apart
from ..pipeline.latin import (
    arabic_keys,
    joins_article,
    latin_exonyms,
    latin_keys,
    latin_length,
    latin_starts,
    name_particles,
    scored_candidates,
    split_joined,
    weights,
)
from ..pipeline.stemming import ARTICLE, FEH, WAW
from ..readercache import kept_on_reader
from ..schema import FIELDS, field_name
from .postings import SegmentCache

#: Segments whose key groups are kept per process, least recently used out first.
KEPT_SEGMENTS = 64

#: At most this many Arabic alternatives for one Latin word (the issue's "small expansion").
ALTERNATIVES = 8

#: An alternative weighing less is dropped: its documents would rank below every other's
#: (and the first page brings forward no reading weighing less: arsearch.topk.readings).
MIN_WEIGHT = 0.05

#: A name with its article apart (al-Assad) aligns this many candidates as the index writes them.
RESPELLED = 20

#: At most this many other spellings of an Arabic word (ترمب: ترامب), each at this weight.
VARIANTS = 2
VARIANT_WEIGHT = 0.5

#: What writing as two words a name Latin joins costs, as a cost of the whole alignment
#: (Bourhane is more often بورهان than بو رهان).
SPLIT_COST = 0.3

#: A two-part name (Abdelaziz: عبد العزيز) tries this many candidates for each part.
PART_CANDIDATES = 3

# How a Latin word may begin when a proclitic's letter is the first letter of its name
# (Wakim واكيم, Fares فارس, Bashir بشير, Karim كريم, Layla ليلى)
_CLITIC_LETTER_STARTS = {WAW: ("w", "ou", "o", "u", "v"), FEH: ("f", "ph", "p"), "ب": ("b", "p"),
                         "ك": ("k", "c", "q", "g"), "ل": ("l",)}

# Latin articles written apart (al-Assad, el-Sisi, as-Salt, ash-Shihr, ad-Dawha)
_ARTICLES = frozenset({"al", "el", "ul", "il", "l", "as", "ash", "at", "ath", "ad", "adh", "az", "an", "ar",
                       "es", "esh", "et", "ed", "ez", "en", "er", "ech"})

_CACHE = SegmentCache(KEPT_SEGMENTS)


def _segment_terms(reader) -> tuple[dict[str, dict[str, int]], frozenset[str]]:
    """A segment's clitic-view terms (title and body): key -> {term: document frequency}
    of those with consonant keys, and the others (Latin words, numbers)."""
    groups: dict[str, dict[str, int]] = defaultdict(dict)
    others: set[str] = set()
    for f in FIELDS:
        name = field_name(f, "clitic")
        if name not in reader.schema:
            continue
        for btext, info in reader.iter_field(name):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            df = info.doc_frequency()
            keys = arabic_keys(term)
            if not keys:
                others.add(term)
            for key in keys:
                found = groups[key]
                found[term] = max(found.get(term, 0), df)  # a term in title and body: the larger count
    return dict(groups), frozenset(others)


def _terms(reader) -> tuple[dict[str, dict[str, int]], frozenset[str]]:
    return _CACHE.get(reader, None, lambda: _segment_terms(reader))


def _searcher_groups(searcher) -> Iterator[dict[str, dict[str, int]]]:
    """The key groups of each of the searcher's segments that holds documents."""
    for sub, _ in searcher.leaf_searchers():
        reader = sub.reader()
        if reader.doc_count_all():
            yield _terms(reader)[0]


def latin_held(searcher, term: str) -> bool:
    """Whether a clitic-view term with no consonant key (a Latin word as written: ``haftar``)
    is in the title or body of one of the searcher's documents; read from the sets built
    with the key groups, no look-up of its own."""
    return any(term in _terms(sub.reader())[1] for sub, _ in searcher.leaf_searchers() if sub.reader().doc_count_all())


def _candidates(searcher, word: str) -> dict[str, int]:
    """The terms sharing a key with the Latin ``word``, with their document frequency
    summed over the searcher's segments (a term under two of its keys counted once)."""
    keys = latin_keys(word)
    found: dict[str, int] = {}
    for groups in _searcher_groups(searcher):
        here: dict[str, int] = {}
        for key in keys:
            group = groups.get(key)
            if group:
                here.update(group)
        if not found:
            found = here
        else:
            for term, df in here.items():
                found[term] = found.get(term, 0) + df
    return found


def _without_clitics(pool: dict[str, int], word: str) -> dict[str, int]:
    """The candidates but those that are another candidate behind a proclitic (وترمب
    beside ترمب: a word whose first letter may be a clitic is indexed both ways), unless
    the Latin ``word`` writes that letter (Wakim: واكيم beside اكيم), also after a joined
    article (Alwaleed: الوليد, its clitic term وليد), though not as a bare o or u there,
    nor before fewer than four letters (Alosali is العسالي, not وسالي; Aloul العالول, not ول)."""
    starts = latin_starts(word)
    if not starts:
        return pool  # no word: no candidates either
    first, *after_article = starts
    written = {letter: first.startswith(opts) or any(
        len(start) > 3 and start.startswith(tuple(o for o in opts if o not in ("o", "u"))) for start in after_article)
        for letter, opts in _CLITIC_LETTER_STARTS.items()}
    return {t: df for t, df in pool.items() if not (t[:1] in written and not written[t[0]] and t[1:] in pool)}


def _articled(searcher, word: str, pool: dict[str, int]) -> frozenset[str]:
    """The candidates the index writes with ال, for a Latin ``word`` that may begin with a
    joined article (Essebsi: سبسي, written السبسي); none for another word (no look-ups)."""
    if not joins_article(word):
        return frozenset()
    return frozenset(term for term in pool if _article_counts(searcher, term))


def _spelling(searcher, term: str, frequency: int) -> str:
    """A clitic-view term (in ``frequency`` documents) as the index mostly writes it: with
    the article when more than half of its documents write it so (كيب → الكيب), so that it
    is aligned and searched as an Arabic query is."""
    return kept_on_reader(searcher, "_arsearch_spelling", term, lambda: _written(searcher, term, frequency))


def _segment_articles(reader) -> dict[str, tuple[int, ...]]:
    """term -> its document frequency in each field's exact view with the article, for each
    term a segment writes with the article: read once, with the key groups, so that most of
    a query's alternatives (never written so) need no lookup of their own."""
    exact = [field_name(f, "exact") for f in FIELDS]
    article: dict[str, list[int]] = {}
    for n, name in enumerate(exact):
        if name not in reader.schema:
            continue
        for btext, info in reader.iter_prefix(name, ARTICLE):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            article.setdefault(term[len(ARTICLE):], [0] * len(exact))[n] = info.doc_frequency()
    return {term: tuple(counts) for term, counts in article.items()}


def _articles(reader) -> dict[str, tuple[int, ...]]:
    return _CACHE.get(reader, "articles", lambda: _segment_articles(reader))


def _article_counts(searcher, term: str) -> list[int]:
    """How many documents write ``term`` with the article, in each field's exact view
    (``[]``: none)."""
    totals: list[int] = []
    for sub, _ in searcher.leaf_searchers():
        counts = _articles(sub.reader()).get(term)
        if counts is not None:
            totals = [a + b for a, b in zip(totals, counts)] if totals else list(counts)
    return totals


def _written(searcher, term: str, frequency: int) -> str:
    totals = _article_counts(searcher, term)
    return ARTICLE + term if totals and 2 * max(totals) > frequency else term


def _with_article(searcher, term: str) -> str:
    """A clitic-view term with the article when some document writes it so."""
    return ARTICLE + term if _article_counts(searcher, term) else term


def _frequency(searcher, term: str) -> int:
    reader = searcher.reader()
    return max(reader.doc_frequency(field_name(f, "clitic"), term) for f in FIELDS)


def latin_alternatives(searcher, unit: str, clitic: Callable[[str], str]) -> tuple[tuple[tuple[str, ...], float], ...]:
    """The Arabic words a Latin name ``unit`` (a word, or an article and its word:
    ``al-assad``) may stand for in this index: up to :data:`ALTERNATIVES` of
    ``(words, weight)``, best first, weight 1 for the best. ``words`` is one term, or two
    for a name Latin writes joined (Abdelaziz: عبد العزيز), or an exonym's words as the
    table writes them (``clitic`` gives a normalized word's term in the clitic view)."""
    return kept_on_reader(searcher, "_arsearch_latin", unit, lambda: _alternatives(searcher, unit, clitic))


def _alternatives(searcher, unit: str, clitic: Callable[[str], str]) -> tuple[tuple[tuple[str, ...], float], ...]:
    # every alternative scored on one scale, its alignment cost per Latin letter (less the
    # frequency bonus): a name Latin writes joined (Bourhane) is one word or two (بورهان,
    # بو رهان) by which aligns better, not both at the top
    scored: dict[tuple[str, ...], float] = {}
    exonym_phrases = []
    known: set[str] = set()  # the exonyms of one word, as the candidates write them
    pool = _without_clitics(_candidates(searcher, unit), unit)
    particles = frozenset(name_particles(unit))
    for written in (tuple(e.split()) for e in (*latin_exonyms(unit), *particles)):
        words = tuple(clitic(w) for w in written)
        if len(words) == 1:
            pool.setdefault(words[0], _frequency(searcher, words[0]))
            known.add(words[0])
        elif all(_frequency(searcher, w) for w in words):
            exonym_phrases.append(written)  # searched as a phrase is: as written, and in the clitic view
    if unit.partition("-")[0] in _ARTICLES and "-" in unit:
        # al-Assad: each candidate with the article when a document writes it so, so that
        # one written with it (الاسد, العباس) aligns with the Latin article and one never so
        # written (اسعد) does not; the search reads the article form as its likeliest reading
        # (the respelling reads the index: only for the likelier candidates)
        written: dict[str, int] = {}
        for term, _ in scored_candidates(unit, pool.items(), RESPELLED):
            written[_with_article(searcher, term)] = pool[term]
        for term, score in scored_candidates(unit, written.items(), ALTERNATIVES, min_weight=MIN_WEIGHT):
            if written.get(term):
                scored[(term,)] = score
    else:
        for term, score in scored_candidates(unit, pool.items(), ALTERNATIVES, min_weight=MIN_WEIGHT, known=known,
                                             articled=_articled(searcher, unit, pool)):
            if pool.get(term):  # in this index; a particle as written (ام, not الام)
                scored.setdefault((term if term in particles else _spelling(searcher, term, pool[term]),), score)
    parts = split_joined(unit) if " " not in unit else ()
    if len(parts) == 2:
        sizes = [latin_length(part) for part in parts]
        pools = [_without_clitics(_candidates(searcher, part), part) for part in parts]
        first, second = (scored_candidates(part, pool.items(), PART_CANDIDATES, min_weight=MIN_WEIGHT,
                                           articled=_articled(searcher, part, pool)) for part, pool in zip(parts, pools))
        for a, sa in first:
            for b, sb in second:
                scored.setdefault((a, b), (sa * sizes[0] + sb * sizes[1] + SPLIT_COST) / sum(sizes))
    for words, score in list(scored.items()):  # عبدالعزيز is also written عبد العزيز
        apart = written_apart(words[0]) if len(words) == 1 else ()
        if apart:
            scored.setdefault(apart, score)
    best = min(scored.values(), default=0.0)
    for words in exonym_phrases:  # GeoNames' name of the place: as good as the best
        scored[words] = min(best, 0.0)
    ranked = sorted(scored.items(), key=lambda item: (item[1], item[0]))[:ALTERNATIVES]
    return tuple(weights(ranked, MIN_WEIGHT))




def spelling_variants(searcher, term: str) -> tuple[tuple[str, float], ...]:
    """Other spellings of the clitic-view ``term`` that this index holds: terms with its
    consonant key and its :func:`~arsearch.pipeline.arabic_names.spelling_skeleton` (ترمب:
    ترامب), at most :data:`VARIANTS`, the most frequent first, each weighted
    :data:`VARIANT_WEIGHT`. A term of fewer than three consonants has none (too many
    words share them)."""
    return kept_on_reader(searcher, "_arsearch_variants", term, lambda: _variants(searcher, term))


def _variants(searcher, term: str) -> tuple[tuple[str, float], ...]:
    skeleton = spelling_skeleton(term)
    if len(skeleton) < 3:
        return ()
    found: dict[str, int] = defaultdict(int)
    for groups in _searcher_groups(searcher):
        here = {other: df for key in arabic_keys(term) for other, df in groups.get(key, {}).items()
                if other != term and abs(len(other) - len(term)) <= 2 and spelling_skeleton(other) == skeleton}
        for other, df in here.items():
            found[other] += df
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:VARIANTS]
    return tuple((other, VARIANT_WEIGHT) for other, _ in ranked)
