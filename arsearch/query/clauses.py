"""What the query's clauses hold besides words to search, taken out before the builder
runs: metadata filters (``source:x``, as conditions) and names typed in Latin script
(runs of Latin words read as names: ``Khalifa Haftar`` is two, ``Al Assad`` one, its
article joined), each a :class:`arsearch.query.syntax.LatinName` the builder searches as
written and as the Arabic words the index says it may stand for
(:mod:`arsearch.topk.names`)."""

from __future__ import annotations

from collections.abc import Callable

import regex

from ..errors import QueryError
from ..metadata import Condition, written_condition
from ..pipeline.latin import fold_latin, latin_exonyms, latin_words
from ..pipeline.tokenizer import iter_tokens
from .syntax import MAX_QUERY_CHARS, Clause, Filter, Group, LatinName, Parser, Phrase, Word

# Letters joined by apostrophes (any of the marks fold_latin reads as one) or hyphens, an
# apostrophe before two letters at least among them: Haftar's is Haftar and an English s
_JOINED_LETTERS = regex.compile(r"[\p{L}\p{M}]+(?:[-'’‘ʿʾ`´ʼ][\p{L}\p{M}]+)*")
_APOSTROPHE_INSIDE = regex.compile(r"['’‘ʿʾ`´ʼ][\p{L}\p{M}]{2}")


def apostrophe_word(written: str) -> bool:
    """Whether ``written`` (a chunk of a query) is one Latin name written with an apostrophe
    for ع or ء (Sha'ban), not words the index reads apart."""
    return bool(_JOINED_LETTERS.fullmatch(written) and _APOSTROPHE_INSIDE.search(written))

#: A place's name in the exonym table is read in at most this many Latin words.
MAX_PHRASE_WORDS = 4


def _latin_word(c: Clause) -> tuple[str, ...] | None:
    """The Latin words of a clause that may be (part of) a name typed in Latin script."""
    node = c.node
    if c.negated or getattr(node, "field", None) is not None:
        return None
    if isinstance(node, Word) and not node.prefix and node.fuzzy is None:
        words: tuple[str, ...] = (node.text,)
    elif isinstance(node, Phrase) and node.slop == 0:
        # a name Latin writes with an apostrophe for ع or ء (Sha'ban, Ma'an, Ha'il) is one word
        words = (node.written,) if apostrophe_word(node.written) else node.words
    else:
        return None
    return words if all(fold_latin(w) is not None for w in words) else None


def latin_names(clauses: list[Clause], phrases: Callable[[str], bool] | None = None,
                ) -> tuple[list[Clause], tuple[str, ...]]:
    """The clauses with each run of Latin words read as names (an article written apart
    joins its word: ``Al Assad`` is one name), and the names' units. A run of words the
    exonym table names a place by (East Jerusalem: القدس الشرقيه) is one unit, its words
    folded and spaced, if ``phrases`` says the index holds it; with no ``phrases`` (the
    syntax alone), the units are both the phrase and its words."""
    out: list[Clause] = []
    units: list[str] = []
    run: list[str] = []

    def words_of(words: list[str], emit: bool = True) -> None:
        units_of_run = latin_words(" ".join(words)) if words else []
        folded = [fold_latin(w) for w in words]
        i = 0
        for unit in units_of_run:
            # the words as written that the unit reads: two for an article written apart
            n = 2 if i + 1 < len(words) and f"{folded[i]}-{folded[i + 1]}" == unit else 1
            if emit:
                out.append(Clause(LatinName(unit, tuple(words[i:i + n]))))
            units.append(unit)
            i += n
        for word in words[i:] if emit else ():  # words no unit read (none expected): searched as written
            out.append(Clause(Word(word)))

    def flush():
        folded = [(fold_latin(w) or "").replace("-", " ") for w in run]
        start = i = 0
        while i < len(run):
            for n in range(min(len(run) - i, MAX_PHRASE_WORDS), 1, -1):
                phrase = " ".join(" ".join(folded[i:i + n]).split())
                if latin_exonyms(phrase) and (phrases is None or phrases(phrase)):
                    words_of(run[start:i])
                    if phrases is None:  # the syntax alone: the phrase's words may be units too
                        words_of(run[i:i + n], emit=False)
                    out.append(Clause(LatinName(phrase, tuple(run[i:i + n]))))
                    units.append(phrase)
                    start = i = i + n
                    break
            else:
                i += 1
        words_of(run[start:])
        run.clear()

    for c in clauses:
        words = _latin_word(c)
        if words is None:
            flush()
            out.append(c)
        else:
            run.extend(words)
    flush()
    return out, tuple(dict.fromkeys(units))


def metadata_filters(clauses: list[Clause]) -> tuple[list[Clause], tuple[Condition, ...]]:
    """The query's clauses without its metadata filters, and the filters' conditions.
    A filter must stand beside the words, not among alternatives."""
    kept, found = [], []
    for c in clauses:
        if isinstance(c.node, Filter):
            try:
                found.append(written_condition(c.node.field, c.node.kind, c.node.texts, c.negated))
            except ValueError as e:
                raise QueryError(f"{e} (at character {c.node.position})", c.node.position) from None
        else:
            if isinstance(c.node, Group):
                _no_filter_in(c.node)
            kept.append(c)
    return kept, tuple(found)


def _no_filter_in(group: Group) -> None:
    for alternative in group.alternatives:
        for c in alternative:
            if isinstance(c.node, Filter):
                raise QueryError(
                    f"the filter {c.node.field}: at character {c.node.position} stands among alternatives (OR) "
                    "or in parentheses: write it beside the words, as in (a OR b) "
                    f"{c.node.field}:value", c.node.position)
            if isinstance(c.node, Group):
                _no_filter_in(c.node)


_LATIN_LETTER = regex.compile(r"\p{Latin}")


def latin_units(text: str, strict: bool = False, meta: tuple[tuple[str, str], ...] = (),
                phrases: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The names typed in Latin script in a query (its ``ParsedQuery.latin_units``), read
    from its syntax alone: what :func:`arsearch.query.builder.parse_query` needs to be
    given as ``latin`` (with ``phrases``, as :func:`latin_names` reads them)."""
    return latin_names_in(text, strict, meta, phrases)[0]


def latin_names_in(text: str, strict: bool = False, meta: tuple[tuple[str, str], ...] = (),
                   phrases: Callable[[str], bool] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """:func:`latin_units`, and the words as written of those names."""
    if not isinstance(text, str) or not _LATIN_LETTER.search(text):
        return (), ()
    clauses, _ = metadata_filters(Parser(text[:MAX_QUERY_CHARS], strict, dict(meta)).parse())
    clauses, units = latin_names(clauses, phrases)
    words = (w for c in clauses if isinstance(c.node, LatinName) for w in searched_words(c.node))
    return units, tuple(dict.fromkeys(words))


def searched_words(name: LatinName) -> tuple[str, ...]:
    """The words a Latin name is searched as written with: its words as the index reads
    them (Sha'ban is sha and ban there)."""
    return tuple(t.text for w in name.words for t in iter_tokens(w))
