"""The query language's syntax: a linear-time lexer and parser from the user's string
to :class:`Word`, :class:`Phrase` and :class:`Group` clauses, with the query limits.

The syntax is described in :mod:`arsearch.query`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import regex

from ..errors import QueryError
from ..pipeline.tokenizer import iter_tokens

#: Longer queries are cut (lenient) or refused (strict). Whoosh's own parser is
#: quadratic in the length of a word; this one is linear, but no real query is longer.
MAX_QUERY_CHARS = 2_000


#: At most this many distinct words are searched; further ones are ignored.
MAX_QUERY_WORDS = 64


#: At most this many prefix (``*``) or fuzzy (``~``) words expand; further ones are
#: searched as plain words (each expansion costs about as much as a whole plain query).
MAX_EXPANDING_WORDS = 4


#: Parentheses nested deeper than this are ignored (lenient) or refused (strict).
MAX_QUERY_DEPTH = 32


#: The largest edit distance of a fuzzy word (``word~2``): beyond it, a short Arabic
#: word matches most words of its length.
MAX_FUZZY_DISTANCE = 2


#: The largest slop of a phrase (``"a b"~10``: up to 10 other words between neighbouring
#: words); the words of a wider window are seldom about one thing.
MAX_PHRASE_SLOP = 10


#: The field names a query may give (``title:word``), each with the field it searches.
FIELD_NAMES = {"title": "title", "body": "body", "text": "body"}




# --- the parse tree -------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    text: str  # as the user wrote it
    field: str | None = None
    prefix: bool = False
    fuzzy: int | None = None  # None: not fuzzy; 0: automatic distance


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None
    slop: int = 0  # other words allowed between neighbouring words (``"a b"~2``)
    written: str = ""  # the one chunk of the query its words were read from, if not quoted (Sha'ban)


@dataclass(frozen=True)
class Group:
    """Alternatives (``OR``) of conjunctions."""

    alternatives: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Filter:
    """``source:x``, ``category:(a OR b)``, ``date:a..b``: a condition on a metadata
    field, as written (each value's text)."""

    field: str
    kind: str  # the field's type
    texts: tuple[str, ...]
    position: int


@dataclass(frozen=True)
class LatinName:
    """A name typed in Latin script (``Haftar``, ``al-Assad``): ``unit`` is its folded
    form (:func:`arsearch.pipeline.latin.latin_words`), ``words`` the Latin words as
    written, searched literally beside the Arabic words the name may stand for."""

    unit: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Clause:
    node: object
    negated: bool = False


# word~, word~1, and any other number after the ~ (refused or held in range)
_FUZZY = regex.compile(r"(.*?)~([-+]?(?:\d+(?:\.\d*)?|\.\d+))?")


_SLOP = regex.compile(r"~([-+]?(?:\d+(?:\.\d*)?|\.\d+))?")  # after a phrase's closing quote


_LEX = regex.compile(
    r'(?P<space>\s+)|(?P<quote>")|(?P<lpar>\()|(?P<rpar>\))'
    r"|(?P<field>[-+]?[A-Za-z_]+):(?=\S)|(?P<chunk>[^\s\"()]+)"
)


def _lex(text: str):
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind != "space":
            yield kind, m.group(kind), m.start()


class Parser:
    def __init__(self, text: str, strict: bool, meta: Mapping[str, str] | None = None):
        self.text = text
        self.meta = meta or {}  # metadata field names and their types: name:value filters
        self.tokens = list(_lex(text))
        self.i = 0
        self.strict = strict
        self.depth = 0

    def error(self, message: str, position: int):
        if self.strict:
            raise QueryError(f"{message} at character {position}", position)

    def number(self, text: str | None, largest: int, what: str, usage: str, position: int) -> int:
        """The whole number ``text`` (None: 0) if it lies in 0..``largest``; another is
        refused (strict) or has its whole part held in 0..``largest`` (lenient)."""
        if text is None:
            return 0
        value = float(text)  # int() and float() read any Unicode digits (٣ is 3)
        if value.is_integer() and 0 <= value <= largest:
            return int(value)
        self.error(f"{what} {text!r} is not a whole number from 0 to {largest} ({usage})", position)
        return math.floor(min(max(value, 0), largest))  # held before floor(): 1e400 is inf

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> list[Clause]:
        alternatives = self.alternatives(top=True)
        if len(alternatives) == 1:
            return list(alternatives[0])
        return [Clause(Group(tuple(tuple(a) for a in alternatives)))]

    def alternatives(self, top: bool) -> list[list[Clause]]:
        groups: list[list[Clause]] = [[]]
        while (tok := self.peek()) is not None:
            kind, value, pos = tok
            if kind == "rpar":
                if top:
                    self.error("unbalanced ')'", pos)
                    self.i += 1
                    continue
                break
            if kind == "chunk" and value == "OR":
                self.i += 1
                if not groups[-1] or self.peek() is None or self.peek()[0] == "rpar":
                    self.error("'OR' needs a word on each side", pos)
                if groups[-1]:
                    groups.append([])
                continue
            if kind == "chunk" and value == "AND":
                self.i += 1
                if not groups[-1] or self.peek() is None:
                    self.error("'AND' needs a word on each side", pos)
                continue
            clause = self.clause()
            if clause is not None:
                groups[-1].append(clause)
        return [g for g in groups if g] or [[]]

    def clause(self) -> Clause | None:
        kind, value, pos = self.peek()
        negated = False
        if kind == "chunk" and value == "NOT":
            self.i += 1
            negated = True
            if self.peek() is None:
                self.error("'NOT' needs a word after it", pos)
                return None
            kind, value, pos = self.peek()
        elif kind == "field" and value[0] in "-+":  # -source:x, -title:"a b"
            negated = value[0] == "-"
            self.tokens[self.i] = (kind, value[1:], pos + 1)
            kind, value, pos = self.peek()
        elif kind == "chunk" and value[0] in "-+" and len(value) > 1:
            negated = value[0] == "-"
            # what follows the sign, lexed again: -source:x is a field and its value
            self.tokens[self.i:self.i + 1] = [(k, v, pos + 1 + p) for k, v, p in _lex(value[1:])]
            kind, value, pos = self.peek()
        elif kind == "chunk" and value in ("-", "+"):
            self.error(f"'{value}' needs a word right after it", pos)
            self.i += 1
            return None
        node = self.atom(None)
        return Clause(node, negated) if node is not None else None

    def atom(self, field_name: str | None):
        kind, value, pos = self.peek()
        self.i += 1
        if kind == "field" and value in self.meta and field_name is None:
            return self.filter(value, pos)
        if kind == "field":
            name = FIELD_NAMES.get(value.lower())
            if name is None:
                names = ", ".join(f"{n}:" for n in FIELD_NAMES)
                self.error(f"unknown field {value!r}: use one of {names} (or no field name)", pos)
            if self.peek() is None:
                return None
            return self.atom(name or field_name)
        if kind == "quote":
            words = []
            while (tok := self.peek()) is not None and tok[0] != "quote":
                # the words of each piece, as the index has them: "حفتر،" is حفتر
                words.extend(t.text for t in iter_tokens(tok[1]))
                self.i += 1
            if self.peek() is None:
                self.error("unbalanced '\"'", pos)
                slop = 0
            else:
                slop = self.slop(self.peek()[2] + 1)
                self.i += 1
            return Phrase(tuple(words), field_name, slop) if words else None
        if kind == "lpar":
            if self.depth >= MAX_QUERY_DEPTH:
                self.error(f"parentheses nested deeper than {MAX_QUERY_DEPTH}", pos)
                return None  # lenient: this '(' is ignored, its words are searched
            self.depth += 1
            alternatives = self.alternatives(top=False)
            self.depth -= 1
            if self.peek() is None:
                self.error("unbalanced '('", pos)
            else:
                self.i += 1
            alts = tuple(tuple(a) for a in alternatives if a)
            return Group(alts) if alts else None
        if kind == "rpar":
            self.error("unbalanced ')'", pos)
            return None
        return self.word(value, field_name, pos)

    def filter(self, name: str, pos: int) -> Filter | None:
        """The values after ``name:``: one (a word, or a quoted string taken as written)
        or several in parentheses, separated by ``OR``."""
        texts: list[str] = []
        tok = self.peek()
        if tok is None:
            raise QueryError(f"{name}: needs a value at character {pos}", pos)
        if tok[0] == "lpar":
            self.i += 1
            while (tok := self.peek()) is not None and tok[0] != "rpar":
                if tok[0] == "chunk" and tok[1] == "OR":
                    self.i += 1
                else:
                    texts.append(self.value())
            if tok is None:
                raise QueryError(f"unbalanced '(' after {name}: at character {pos}", pos)
            self.i += 1
        else:
            texts.append(self.value())
        if not texts:
            raise QueryError(f"{name}: needs a value at character {pos}", pos)
        return Filter(name, self.meta[name], tuple(texts), pos)

    def value(self) -> str:
        """One value of a filter, consumed: a quoted string as written, or a chunk."""
        kind, text, _ = self.peek()
        if kind == "quote":
            return self.quoted()
        self.i += 1
        return text

    def quoted(self) -> str:
        """The text between the quote at the current token and the next one, as written."""
        start = self.peek()[2] + 1
        self.i += 1
        while (tok := self.peek()) is not None and tok[0] != "quote":
            self.i += 1
        if tok is None:
            raise QueryError(f"unbalanced '\"' at character {start - 1}", start - 1)
        self.i += 1
        return self.text[start:tok[2]]

    def slop(self, end: int) -> int:
        """The slop ``~N`` written right after a phrase's closing quote (which ends at
        ``end``), consumed; 0 if there is none."""
        after = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        if after is None or after[0] != "chunk" or after[2] != end or not (m := _SLOP.fullmatch(after[1])):
            return 0
        del self.tokens[self.i + 1]
        return self.number(m.group(1), MAX_PHRASE_SLOP, "phrase slop",
                           '"a b"~N allows up to N words between neighbouring words', end)

    def word(self, value: str, field_name: str | None, pos: int):
        prefix = fuzzy = None
        written = value
        m = _FUZZY.fullmatch(value) if "~" in value else None
        if m and m.group(1):
            fuzzy = self.number(m.group(2), MAX_FUZZY_DISTANCE, "fuzzy distance",
                                "word~ chooses the distance by the word's length", pos + len(m.group(1)))
            value = m.group(1)
        elif m:
            value, fuzzy = "", 0  # a ~ without a word
        elif value.endswith("*"):
            value, prefix = value.rstrip("*"), True
        words = [t.text for t in iter_tokens(value)]
        if not words:
            if value.strip("*~"):
                return None  # punctuation only: nothing to search
            self.error(f"operator {written!r} needs a word", pos)
            return None
        if len(words) > 1:
            return Phrase(tuple(words), field_name, written=value)
        return Word(words[0], field_name, bool(prefix), fuzzy)
