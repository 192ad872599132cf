"""The query layer: a small, linear-time parser for arsearch's query language and the
builder that turns a parsed query into Whoosh queries over the analysis views.

Storage-independent: the package knows the field *names* of the schema, not the index.
Its modules, from the string to the Whoosh tree:

- ``syntax``: the lexer and parser, and the query limits;
- ``ranking``: how names and questions are ranked, and how a question is told;
- ``builder``: :func:`parse_query`, from clauses to Whoosh queries over the views;
- ``nodes`` and ``matchers``: arsearch's own query nodes and their matchers;
- ``expansion``: bounded prefix and fuzzy words.

Syntax (lenient by default: what cannot be understood is searched as plain words):

- ``حفتر دمشق``: plain words; ``mode`` decides whether all or any must match;
- ``"حكومة الوفاق"``: a phrase, clitics tolerated (وحكومة الوفاق matches);
- ``"حكومة الوفاق"~2``: the phrase's words in order, with up to 2 other words between
  neighbouring ones (حكومة الوحدة الوطنية والوفاق matches, حكومة الوحدة الوطنية الليبية
  والوفاق does not, nor الوفاق وحكومة); at most :data:`MAX_PHRASE_SLOP`, a larger or
  fractional slop is cut to a whole number in range (lenient) or refused (strict);
- ``a OR b``, ``(a OR b) c``: alternatives and grouping; ``AND`` is accepted;
- ``-word``, ``NOT word``: exclude documents holding the word (any clitic form);
- ``title:word``, ``body:"a phrase"``: restrict to one field (the names of
  :data:`FIELD_NAMES`; ``text`` is ``body``); another name is searched as if absent
  (``colour:حفتر`` searches حفتر) or refused (strict), the error listing the names;
- ``word*``: prefix, the documents holding the word's more frequent completions first
  (:mod:`arsearch.query.expansion`), as autocompletion wants;
- ``word~`` (or ``word~1``, ``word~2``): fuzzy, after normalization and clitic
  stripping, so حفطر~ finds حفتر; ``~`` alone or ``~0`` sets the distance by the word's
  length. Another distance (``~3``, ``~1.5``, ``~-1``; Arabic-Indic digits count as
  digits) is refused (strict), or else its whole part is held to 0 to
  :data:`MAX_FUZZY_DISTANCE` (``~3`` is ``~2``; ``~-1`` is ``~``).
"""

from __future__ import annotations

from .builder import MODES, ParsedQuery, parse_query
from .nodes import Readings
from .ranking import RANKINGS, Ranking
from .syntax import (
    FIELD_NAMES,
    MAX_EXPANDING_WORDS,
    MAX_FUZZY_DISTANCE,
    MAX_PHRASE_SLOP,
    MAX_QUERY_CHARS,
    MAX_QUERY_DEPTH,
    MAX_QUERY_WORDS,
)

__all__ = [
    "FIELD_NAMES",
    "MAX_EXPANDING_WORDS",
    "MAX_FUZZY_DISTANCE",
    "MAX_PHRASE_SLOP",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_DEPTH",
    "MAX_QUERY_WORDS",
    "MODES",
    "ParsedQuery",
    "RANKINGS",
    "Ranking",
    "Readings",
    "parse_query",
]
