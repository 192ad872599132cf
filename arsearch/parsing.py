"""A query parsed for one index (:func:`parsed_query`): the names typed in Latin script
stand for the Arabic words this index holds that they may write, and a name's words for
their other spellings here; both read from the index's vocabulary
(:mod:`arsearch.topk.names`) before :func:`arsearch.query.builder.parse_query` builds the
query, which itself never reads an index."""

from __future__ import annotations

import functools

from .pipeline.normalization import normalize
from .query.builder import ParsedQuery, parse_query
from .query.clauses import latin_names_in, latin_units
from .topk.names import VARIANTS, latin_alternatives, latin_held
from .topk.names import spelling_variants as spelling_variants_of


def parsed_query(searcher, query: str, config, strict: bool, meta: tuple, latin_names: bool,
                 spelling_variants: bool = False) -> ParsedQuery:
    """The query parsed for this searcher's index: with ``latin_names``, each name typed
    in Latin script also stands for the Arabic words the index holds that it may write
    (:func:`arsearch.topk.names.latin_alternatives`); with ``spelling_variants``, each
    word of a name query also stands for the other spellings the index holds
    (:func:`arsearch.topk.names.spelling_variants`), in a second parse."""
    units, written = latin_names_in(query, strict, meta) if latin_names else ((), ())
    names: tuple | None = () if latin_names else None
    unheld: frozenset[str] = frozenset()
    if units:
        clitic = functools.partial(config.whole_term, view="clitic")
        names = tuple((unit, latin_alternatives(searcher, unit, clitic)) for unit in units)
        # a name's words as written that no document holds are not searched (most Latin
        # names in an Arabic index): their look-ups cost as much as an alternative's search
        norms = (normalize(w, hamza_seats=config.hamza_seats) for w in written)
        unheld = frozenset(n for n in norms if n and not latin_held(searcher, n))
    parsed = parse_query(query, config, strict, meta, names, unheld=unheld)
    variants: tuple = ()
    if spelling_variants and parsed.kind == "name":
        for word in dict.fromkeys(parsed.words):
            # each reading of a first letter that may be a clitic (بوتن: ب + وتن, or بوتن)
            found = {v: w for term in config.view_terms(word, "clitic") for v, w in spelling_variants_of(searcher, term)}
            if found:
                variants += ((word, tuple(found.items())[:VARIANTS]),)
    if variants:
        parsed = parse_query(query, config, strict, meta, names, variants, unheld)
    return parsed


def latin_terms(searcher, word: str, config) -> list[tuple[str, float]]:
    """The Arabic words a Latin name may write in this searcher's index, with weights
    (:meth:`arsearch.Index.latin_terms`): of each name unit of ``word`` (a place's name in
    the exonym table is one), the words of each alternative joined by a space."""
    clitic = functools.partial(config.whole_term, view="clitic")
    found = {unit: latin_alternatives(searcher, unit, clitic) for unit in latin_units(word)}
    out: list[tuple[str, float]] = []
    for unit in latin_units(word, phrases=lambda phrase: bool(found.get(phrase))):
        out.extend((" ".join(words), weight) for words, weight in found[unit])
    return out
