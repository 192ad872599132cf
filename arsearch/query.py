"""The query layer: a small, linear-time parser for arsearch's query language and the
builder that turns a parsed query into Whoosh queries over the analysis views.

Storage-independent: this module knows the field *names* of the schema, not the index.

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
  (:mod:`arsearch.expansion`), as autocompletion wants;
- ``word~`` (or ``word~1``, ``word~2``): fuzzy, after normalization and clitic
  stripping, so حفطر~ finds حفتر; ``~`` alone or ``~0`` sets the distance by the word's
  length. Another distance (``~3``, ``~1.5``, ``~-1``; Arabic-Indic digits count as
  digits) is refused (strict), or else its whole part is held to 0 to
  :data:`MAX_FUZZY_DISTANCE` (``~3`` is ``~2``; ``~-1`` is ``~``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
import math
from functools import lru_cache, partial

import regex
from whoosh import matching
from whoosh import query as wq
from whoosh import scoring
from whoosh.query.spans import SpanFirst

from .chars import MARKS
from .derivation import relatives
from .errors import QueryError
from .expansion import BoundedFuzzyTerm, BoundedPrefix, kept_on_reader
from .normalization import normalize
from .pipeline import AnalysisConfig
from .phrases import PAIR_VIEW, PairPhrase, pair_terms
from .scoring import BM25Plus
from .stemming import _ARTICLE, protected_words, stopwords
from .tokenizer import iter_tokens

__all__ = ["MAX_QUERY_CHARS", "MAX_QUERY_WORDS", "MAX_FUZZY_DISTANCE", "MAX_PHRASE_SLOP", "FIELDS", "FIELD_NAMES",
           "ParsedQuery", "Readings", "parse_query", "MODES"]

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
MODES = ("auto", "all", "any")
#: The fields a word without a field name is searched in.
FIELDS = ("title", "body")
#: The field names a query may give (``title:word``), each with the field it searches.
FIELD_NAMES = {"title": "title", "body": "body", "text": "body"}

# Weights: a match in a more exact view adds more.
VIEW_BOOSTS = {"exact": 1.0, "clitic": 0.6, "stem": 0.4}


@dataclass(frozen=True)
class Ranking:
    """How one kind of query is scored (see :data:`RANKINGS`)."""

    views: tuple[float, float, float]  # boosts of a match in the exact, clitic, stem view
    b: float = 0.75  # BM25 length normalization (k1 is 1.2)
    delta: float = 0.0  # BM25+: each term a document holds adds delta × idf (0: plain BM25)
    proximity: float = 0.0  # boost of neighbouring query words found side by side; 0: off
    tiered: bool = True  # mode="auto": documents holding every word come first
    coord: float = 0.0  # mode="any": scores times (words matched / words) ** coord
    lead: float = 0.0  # boost of query words among a passage's first LEAD_WORDS words; 0: off
    verb_forms: float = 0.0  # weight of a word's other verb prefixes (يقع: تقع، نقع، اقع); 0: off
    derived: float = 0.0  # weight of a word's relatives of the same root (ولد: مولد، ميلاد); 0: off
    title: float = 1.5  # boost of a match in the title (a match in the body counts 1)

    def boost(self, view: str) -> float:
        return self.views[("exact", "clitic", "stem").index(view)]

    def field_boost(self, field_name: str) -> float:
        return self.title if field_name == "title" else 1.0


#: How each kind of query is ranked, chosen on ``benchmarks/relevance.py``:
#:
#: - ``name``: words without a question (حفتر، حكومة الوفاق). Layered views (an exact
#:   match beats a clitic-stripped one, which beats a stem match); weak length
#:   normalization, since a sentence naming the entity is no less about it for being
#:   long; neighbouring query words found together add a bonus (multi-word names);
#:   ``mode="auto"`` puts documents holding every word first; a title match counts half
#:   as much again as a body match.
#: - ``question``: a question in natural language (متى ولد نزار قباني؟), told by ``؟`` or
#:   an interrogative. Its content words come in any inflection (تأسست / تأسيس), so the
#:   stem view counts most; scored with BM25+ (:mod:`arsearch.scoring`: b 1, as a short
#:   passage that holds the words is a targeted answer, and each term held adds a quarter
#:   of its idf, so that a long passage holding the words is not buried); interrogatives
#:   and framing words are dropped; one ranking without tiers (the passage holding every
#:   word of a long question is rare, and often not the answer), where a passage's score
#:   grows with the share of the question's words it holds; a verb matches with its other
#:   prefixes too, at half weight (أين يقع المغرب finds تقع في); its words among a
#:   passage's first words add a bonus (a passage that opens with its subject is about it);
#:   a word also matches the words of its root (:mod:`arsearch.derivation`: ولد finds مولد،
#:   إقليم finds أقاليم) at a fifth of a stem match, and such a match counts as the word in
#:   the share of words; a title match counts as a body match (a passage's title is often
#:   its article's, about every passage of it).
RANKINGS = {
    "name": Ranking((1.0, 0.6, 0.4), b=0.3, proximity=1.0, coord=1.0),
    "question": Ranking((0.5, 0.5, 1.0), b=1.0, delta=0.25, tiered=False, coord=1.0, verb_forms=0.5, lead=0.5, derived=0.2,
                        title=1.0),
}
#: Interrogatives, dropped from a question that holds other words: its content is in
#: the other words (متى ولد نزار قباني → ولد نزار قباني). Any spelling; normalized when
#: first used. A leading و ف ب is tolerated (ومتى، فكيف، بماذا).
QUESTION_WORDS = ("ما", "ماذا", "ماهو", "ماهي", "ماهى", "متى", "من", "أين", "كم", "كيف", "لماذا", "لم", "هل", "أي", "أية")
#: Words a question is framed with rather than about (ما اسم…، ما عدد…، في أي سنة/عام…),
#: dropped from it like its interrogatives, compared after clitic stripping (والاسم، بعدد،
#: للعام); and a bare article ال, which is no word (a question cut off after it).
QUESTION_FRAME_WORDS = ("اسم", "عدد", "سنة", "عام", "ال")
DROP_QUESTION_WORDS = True
#: How many words open a passage, for the ``lead`` bonus of :class:`Ranking`.
LEAD_WORDS = 4
#: Letters an imperfect verb begins with (أ ن ي ت: أكتب نكتب يكتب تكتب; أ normalized to
#: ا), and ا also begins the perfect of derived verbs (انتقل / ينتقل، اشتهر / يشتهر).
VERB_PREFIXES = "اينت"
_NEGLIGIBLE = 1e-9  # a boost that keeps a subquery's documents but not its score
ARABIC_QUESTION_MARK = "\u061f"


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


@dataclass(frozen=True)
class Group:
    """Alternatives (``OR``) of conjunctions."""

    alternatives: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Clause:
    node: object
    negated: bool = False


# word~, word~1, and any other number after the ~ (refused or held in range)
_FUZZY = regex.compile(r"(.*?)~([-+]?(?:\d+(?:\.\d*)?|\.\d+))?")
_SLOP = regex.compile(r"~([-+]?(?:\d+(?:\.\d*)?|\.\d+))?")  # after a phrase's closing quote
_LEX = regex.compile(
    r'(?P<space>\s+)|(?P<quote>")|(?P<lpar>\()|(?P<rpar>\))'
    r"|(?P<field>[A-Za-z_]+):(?=\S)|(?P<chunk>[^\s\"()]+)"
)


def _lex(text: str):
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        if kind != "space":
            yield kind, m.group(kind), m.start()


class _Parser:
    def __init__(self, text: str, strict: bool):
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
        elif kind == "chunk" and value[0] in "-+" and len(value) > 1:
            negated = value[0] == "-"
            self.tokens[self.i] = (kind, value[1:], pos + 1)
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
            return Phrase(tuple(words), field_name)
        return Word(words[0], field_name, bool(prefix), fuzzy)


# --- building Whoosh queries ------------------------------------------------------
class _Deferred(partial):
    """A query built when first asked for."""


@dataclass
class ParsedQuery:
    """A query ready to run: Whoosh queries for each mode, and what to highlight."""

    text: str
    all: wq.Query | None
    _any: wq.Query | _Deferred | None  # see ``any``
    n_positive: int
    highlight: dict[str, frozenset[str]] = field(default_factory=dict)
    vocalized: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    expands: bool = False  # holds prefix or fuzzy terms, expanded against the index
    kind: str = "name"  # "name" or "question": which of RANKINGS scored it
    tiered: bool = True  # mode="auto": documents holding every word first

    @property
    def empty(self) -> bool:
        return self.all is None

    @property
    def any(self) -> wq.Query | None:
        """The query of ``mode="any"``. A name's is built when first asked for: a search
        in ``mode="all"``, or in ``mode="auto"`` with enough documents holding every word,
        never needs it."""
        q = self._any
        if type(q) is _Deferred:
            q = self._any = q()
        return q

    @property
    def has_partial_matches(self) -> bool:
        """Whether ``mode="any"`` can find documents ``mode="all"`` does not."""
        return self._any is not self.all


class _Builder:
    def __init__(self, config: AnalysisConfig, drop_questions: bool = False, ranking: Ranking | None = None,
                 relatives: bool = False):
        self.config = config
        self.ranking = ranking or RANKINGS["name"]
        self.relatives = relatives and bool(self.ranking.derived)  # a word also matches its root's words
        self.stop = stopwords() if config.stopwords else frozenset()
        self.drop_questions = drop_questions
        self.highlight: dict[str, set[str]] = {"exact": set(), "clitic": set(), "stem": set()}
        self.vocalized: list[str] = []
        self.words: list[str] = []
        self.n_words = 0
        self.n_expanding = 0
        self.expands = False

    def views(self, raw: str):
        if self.n_words >= MAX_QUERY_WORDS:
            return None
        norm = normalize(raw, hamza_seats=self.config.hamza_seats)
        if not norm or norm in self.stop or self.dropped(norm):
            return None
        self.n_words += 1
        if any(ch in MARKS for ch in raw):
            self.vocalized.append(raw)
        self.words.append(norm)
        readings = self.config.readings(norm)
        return {"exact": norm, "clitic": readings[0][0], "stem": readings[0][1] or readings[0][0],
                "readings": readings}

    def dropped(self, norm: str) -> bool:
        """A question's interrogative or framing word, when those are dropped."""
        if not self.drop_questions:
            return False
        return _is_question_word(norm) or self.config.view_term(norm, "clitic") in _frame_words()

    def verb_forms(self, stem: str) -> list[str]:
        """The stem with each other verb prefix (يقع → اقع، نقع، تقع); none for a name."""
        if len(stem) < 3 or stem[0] not in VERB_PREFIXES:
            return []
        if stem in protected_words() or stem in self.config.protected:
            return []  # تونس is not a verb (يونس is another name)
        return [p + stem[1:] for p in VERB_PREFIXES if p != stem[0]]

    def derived(self, terms: dict[str, str]) -> list[str]:
        """Stems of the word's relatives of the same root (ولد → مولد، ميلاد), other than
        its own stem and verb forms; none for a name."""
        stem = terms["stem"]
        if stem in protected_words() or stem in self.config.protected:
            return []
        own = {stem, *self.verb_forms(stem)}
        found = dict.fromkeys(_relatives(stem, self.config) + _relatives(terms["clitic"], self.config))
        return [t for t in found if t not in own]

    def fields(self, field_name):
        return (field_name,) if field_name else FIELDS

    def word(self, node: Word, negated: bool):
        if node.prefix or node.fuzzy is not None:
            if self.n_expanding >= MAX_EXPANDING_WORDS:
                node = Word(node.text, node.field)
            self.n_expanding += 1
        terms = self.views(node.text)
        if terms is None:
            return None
        derived = self.derived(terms) if self.relatives and not negated and not node.prefix else []
        subs = []
        for f in self.fields(node.field):
            fb = self.ranking.field_boost(f)
            self.expands = self.expands or node.prefix or node.fuzzy is not None
            if node.prefix:
                subs.append(BoundedPrefix(f"{f}_exact", terms["exact"], boost=self.ranking.boost("exact") * fb))
                # a prefix whose first letter may be a proclitic: each reading's completions
                subs.extend(BoundedPrefix(f"{f}_clitic", clitic, boost=self.ranking.boost("clitic") * fb)
                            for clitic, _ in terms["readings"])
                continue
            subs.append(wq.Term(f"{f}_exact", terms["exact"], boost=self.ranking.boost("exact") * fb))
            if len(terms["readings"]) == 1:
                subs.append(wq.Term(f"{f}_clitic", terms["clitic"], boost=self.ranking.boost("clitic") * fb))
                if not negated:
                    subs.append(wq.Term(f"{f}_stem", terms["stem"], boost=self.ranking.boost("stem") * fb))
            if self.ranking.verb_forms and not negated:
                boost = self.ranking.verb_forms * self.ranking.boost("stem") * fb
                subs.extend(wq.Term(f"{f}_stem", t, boost=boost) for t in self.verb_forms(terms["stem"]))
            if derived:
                subs.append(TermSet(f"{f}_stem", derived, boost=self.ranking.derived * self.ranking.boost("stem") * fb))
            if node.fuzzy is not None and not negated:
                dist = node.fuzzy or _auto_distance(terms["clitic"])
                if dist:
                    subs.append(
                        BoundedFuzzyTerm(
                            f"{f}_clitic", terms["clitic"], boost=self.ranking.boost("stem") * fb,
                            maxdist=dist, prefixlength=1,
                        )
                    )
        if len(terms["readings"]) > 1 and not node.prefix:
            subs.append(self.readings(terms["readings"], node.field, negated))
        for v in ("exact", "clitic", "stem"):
            self.highlight[v].add(terms[v])
        for clitic, stem in terms["readings"][1:]:
            self.highlight["clitic"].add(clitic)
            if stem:
                self.highlight["stem"].add(stem)
        if self.ranking.verb_forms and not negated:
            self.highlight["stem"].update(self.verb_forms(terms["stem"]))
        self.highlight["stem"].update(derived)
        return wq.Or(subs)

    def readings(self, readings, field_name: str | None, negated: bool) -> Readings:
        """A word whose first letters read several ways: each reading's clitic and stem
        terms in each field, weighted when searched by how much the index uses it."""
        alternatives = []
        for clitic, stem in readings:
            terms = []
            for f in self.fields(field_name):
                fb = self.ranking.field_boost(f)
                terms.append(wq.Term(f"{f}_clitic", clitic, boost=self.ranking.boost("clitic") * fb))
                if stem and not negated:
                    terms.append(wq.Term(f"{f}_stem", stem, boost=self.ranking.boost("stem") * fb))
            alternatives.append(wq.Or(terms))
        return Readings(tuple(c for c, _ in readings), tuple(alternatives),
                        tuple(f"{f}_exact" for f in self.fields(field_name)), boolean=negated)

    def phrase(self, node: Phrase, negated: bool):
        views = []
        slops = []
        gap = 0
        for raw in node.words:
            terms = self.views(raw)
            if terms is None:
                gap += 1
                continue
            views.append(terms)
            slops.append(gap)
            gap = 0
        if not views:
            return None
        if len(views) == 1:
            return self.word(Word(node.words[0] if len(node.words) == 1 else views[0]["exact"], node.field), negated)
        # Whoosh's slop: each word 1 to ``slop`` positions after the one before.
        slop = 1 + max(slops[1:], default=0) + node.slop
        # Adjacent words: answered through the index's word pairs, same results.
        pairs = pair_terms([t[PAIR_VIEW] for t in views]) if slop == 1 else []
        subs = []
        for f in self.fields(node.field):
            for v in ("exact", "clitic"):
                words, boost = [t[v] for t in views], self.ranking.boost(v) * self.ranking.field_boost(f)
                if pairs:
                    subs.append(PairPhrase(f"{f}_{v}", words, f"{f}_pair", pairs, boost=boost))
                else:
                    subs.append(wq.Phrase(f"{f}_{v}", words, slop=slop, boost=boost))
        for terms in views:
            for v in ("exact", "clitic"):
                self.highlight[v].add(terms[v])
        return wq.Or(subs)

    def node(self, node, negated=False):
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, Phrase):
            return self.phrase(node, negated)
        if isinstance(node, Group):
            alts = [self.conjunction(a, "all") for a in node.alternatives]
            alts = [a for a in alts if a is not None]
            return wq.Or(alts) if alts else None
        raise TypeError(node)

    def conjunction(self, clauses, mode: str):
        clauses = list(dict.fromkeys(clauses))  # a repeated word or phrase adds nothing
        positive = [q for c in clauses if not c.negated and (q := self.node(c.node)) is not None]
        negative = [q for c in clauses if c.negated and (q := self.node(c.node, negated=True)) is not None]
        if not positive:
            return None
        if len(positive) == 1:
            combined = positive[0]
        elif mode == "all":
            combined = wq.And(positive)
        elif self.ranking.coord:
            combined = CoordOr(positive, self.ranking.coord)
        else:
            combined = wq.Or(positive)
        for bonus in (self.proximity(clauses), self.lead(clauses)):
            if bonus is not None:
                # combined, plus the bonus where both match (AndMaybe, built of the
                # Or/And/boost nodes that arsearch.topk evaluates itself)
                combined = wq.Or([combined, wq.And([bonus, _reboosted(combined, _NEGLIGIBLE)])])
        if negative:
            combined = wq.AndNot(combined, wq.Or(negative))
        return combined


    def plain_words(self, clauses) -> list[str]:
        """The query's plain words (no field, prefix, fuzziness or negation), clitic view;
        only words searched (past :data:`MAX_QUERY_WORDS`, a word adds nothing)."""
        searched = set(self.words)
        words = []
        for c in clauses:
            if isinstance(c.node, Word) and not c.negated and c.node.field is None and not c.node.prefix and c.node.fuzzy is None:
                norm = normalize(c.node.text, hamza_seats=self.config.hamza_seats)
                if norm in searched and not self.dropped(norm):
                    words.append(self.config.view_term(norm, "clitic"))
        return list(dict.fromkeys(words))  # a repeated word is searched once

    def lead(self, clauses):
        """Plain query words among the first words of a passage's body, or None."""
        if not self.ranking.lead:
            return None
        words = self.plain_words(clauses)
        if not words:
            return None
        field_name = f"body_{PAIR_VIEW}"
        return wq.Or([LeadTerm(wq.Term(field_name, w), limit=LEAD_WORDS - 1) for w in words], boost=self.ranking.lead)

    def proximity(self, clauses):
        """Phrase matches of neighbouring plain query words (clitic view), or None."""
        if not self.ranking.proximity:
            return None
        words = self.plain_words(clauses)
        pairs = list(zip(words, words[1:]))
        if not pairs:
            return None
        return wq.Or(
            [
                PairPhrase(f"{f}_{PAIR_VIEW}", list(pair), f"{f}_pair", pair_terms(list(pair)),
                           boost=self.ranking.proximity * self.ranking.field_boost(f))
                for f in FIELDS
                for pair in pairs
            ]
        )


def _weighted(q: wq.Query, ranking: Ranking) -> wq.Query:
    """``q`` scored with the ranking's BM25 (its b, and BM25+'s delta)."""
    return q if ranking.b == 0.75 and not ranking.delta else _Weighted(q, _bm25(ranking.b, ranking.delta))


def _any_query(clauses, config: AnalysisConfig, drop: bool, ranking: Ranking) -> wq.Query | None:
    """The query of ``mode="any"`` of a name (no relatives of the root)."""
    return _weighted(_Builder(config, drop, ranking, relatives=True).conjunction(clauses, "any"), ranking)


@lru_cache(maxsize=4096)
def _relatives(word: str, config: AnalysisConfig) -> tuple[str, ...]:
    """Stem-view terms of ``word``'s relatives of the same root."""
    return relatives(word, partial(config.view_term, view="stem"))


def _frame_words() -> frozenset[str]:
    return _normalized(QUESTION_FRAME_WORDS)


@lru_cache(maxsize=4)
def _normalized(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


@lru_cache(maxsize=1)
def _question_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in QUESTION_WORDS)


def _is_question_word(norm: str) -> bool:
    words = _question_words()
    return norm in words or (norm[:1] in ("و", "ف", "ب") and norm[1:] in words)


# Interrogatives that are also common other words (ما: what/not, من: who/from,
# كم: how many/you): they make a question only as its first word.
_AMBIGUOUS_QUESTION_WORDS = frozenset({"ما", "من", "كم", "اي", "لم"})


def _is_question(text: str, clauses) -> bool:
    """A question mark, a leading interrogative, or an unambiguous one anywhere."""
    if "?" in text or ARABIC_QUESTION_MARK in text:
        return True
    first = True
    for c in clauses:
        if not isinstance(c.node, Word) or c.negated:
            first = False
            continue
        norm = normalize(c.node.text)
        if _is_question_word(norm) and (first or norm not in _AMBIGUOUS_QUESTION_WORDS):
            return True
        first = False
    return False


#: A reading of a word's first letters the index hardly uses is still searched, at
#: this share of the weight of the one it uses most (see :class:`Readings`).
MIN_READING_WEIGHT = 0.05
#: A negated word excludes the documents holding those of its readings that weigh at
#: least this much: -كتاب excludes الكتاب, not every تاب.
NEGATED_READING_WEIGHT = 0.5


def _whole_index(searcher):
    """The searcher of the whole index a segment's searcher belongs to."""
    return searcher.get_parent() if searcher.has_parent() else searcher


class Readings(wq.Query):
    """A word whose first letters read several ways (كتاب: a book, or ك + تاب; لحفتر:
    ل + حفتر), as the query of each reading, weighted by the index.

    A reading's support is the number of documents holding it written as a word of its
    own, bare or with the article (كتاب، الكتاب; حفتر): what the index says of how the
    word is used, with no proclitic in doubt. When searched, each reading's query is
    boosted by its support over the best supported one's, ``(s + 1) / (best + 1)``, and
    by :data:`MIN_READING_WEIGHT` at least, so the reading the index uses comes first
    and the other is still found. ``boolean`` (a negated word): the readings weighing
    :data:`NEGATED_READING_WEIGHT` or more, unweighted. Supports come from the whole
    index, whatever the segment, and are kept on its reader.
    """

    def __init__(self, readings: tuple[str, ...], alternatives: tuple[wq.Query, ...], support_fields: tuple[str, ...],
                 boolean: bool = False, boost: float = 1.0):
        if len(readings) != len(alternatives):
            raise ValueError("one alternative query per reading")
        self.readings = tuple(readings)
        self.alternatives = tuple(alternatives)
        self.support_fields = tuple(support_fields)
        self.boolean = boolean
        self.boost = boost

    def __eq__(self, other):
        return (type(self) is type(other) and self.readings == other.readings and self.alternatives == other.alternatives
                and self.support_fields == other.support_fields and self.boolean == other.boolean
                and self.boost == other.boost)

    def __hash__(self):
        return hash((type(self).__name__, self.readings, self.alternatives, self.support_fields, self.boolean, self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({list(self.readings)!r}, boolean={self.boolean}, boost={self.boost})"

    def __str__(self):
        return f"({' | '.join(self.readings)})"

    def is_leaf(self):
        return False

    def children(self):
        return iter(self.alternatives)

    def apply(self, fn):
        return Readings(self.readings, tuple(fn(q) for q in self.alternatives), self.support_fields, self.boolean,
                        self.boost)

    def normalize(self):
        return self.apply(lambda q: q.normalize())

    def estimate_size(self, ixreader):
        return min(sum(q.estimate_size(ixreader) for q in self.alternatives), ixreader.doc_count_all())

    def estimate_min_size(self, ixreader):
        return min(q.estimate_min_size(ixreader) for q in self.alternatives)

    def weights(self, searcher) -> tuple[float, ...]:
        """Each reading's weight in ``searcher``'s whole index."""
        top = _whole_index(searcher)
        return kept_on_reader(top.reader(), "_arsearch_readings", (self.readings, self.support_fields),
                              lambda: self._weights(top))

    def _weights(self, searcher) -> tuple[float, ...]:
        support = [sum(searcher.doc_frequency(f, text) + searcher.doc_frequency(f, _ARTICLE + text)
                       for f in self.support_fields) for text in self.readings]
        best = max(support)
        return tuple(max(MIN_READING_WEIGHT, (s + 1) / (best + 1)) for s in support)

    def resolved(self, searcher) -> wq.Query:
        """The Whoosh query this word stands for in ``searcher``'s index (the same
        object for every segment of it)."""
        top = _whole_index(searcher)
        return kept_on_reader(top.reader(), "_arsearch_resolved", self, lambda: self._resolved(top))

    def _resolved(self, searcher) -> wq.Query:
        weights = self.weights(searcher)
        if self.boolean:
            subs = [q for q, w in zip(self.alternatives, weights) if w >= NEGATED_READING_WEIGHT]
        else:
            subs = [_reboosted(q, q.boost * w) for q, w in zip(self.alternatives, weights)]
        return wq.Or(subs, boost=self.boost)

    def matcher(self, searcher, context=None):
        return self.resolved(searcher).matcher(searcher, context)


class LeadTerm(SpanFirst):
    """A term within the first ``limit + 1`` positions of its field: Whoosh's ``SpanFirst``,
    which cannot estimate its size for Whoosh's ``Or``."""

    def estimate_size(self, ixreader):
        return self.q.estimate_size(ixreader)


class TermSet(wq.MultiTerm):
    """Any of ``texts`` in one field, each scored as its own ``Term`` (times the boost):
    the ``Or`` of those of them the index holds, chosen when the query is matched (a
    question word's relatives of the same root: dozens of patterns, a few of them words)."""

    def __init__(self, fieldname: str, texts, boost: float = 1.0):
        self.fieldname = fieldname
        self.texts = tuple(texts)
        self.boost = boost

    def __eq__(self, other):
        return (type(self) is type(other) and self.fieldname == other.fieldname
                and self.texts == other.texts and self.boost == other.boost)

    def __hash__(self):
        return hash((type(self).__name__, self.fieldname, self.texts, self.boost))

    def __repr__(self):
        return f"{type(self).__name__}({self.fieldname!r}, {list(self.texts)!r}, boost={self.boost})"

    def __str__(self):
        return f"{self.fieldname}:({' | '.join(self.texts)})^{self.boost}"

    def __deepcopy__(self, memo):
        return TermSet(self.fieldname, self.texts, self.boost)  # the texts are a tuple

    def _btexts(self, ixreader):
        # The terms the segment holds, in the given order; looked up once per reader.
        key = (self.fieldname, self.texts)
        return list(kept_on_reader(ixreader, "_arsearch_termsets", key, lambda: self._existing(ixreader), _TERMSETS_KEPT))

    def _existing(self, ixreader) -> tuple[bytes, ...]:
        if self.fieldname not in ixreader.schema:
            return ()
        field = ixreader.schema[self.fieldname]
        out = []
        for text in self.texts:
            btext = field.to_bytes(text)
            if (self.fieldname, btext) in ixreader:
                out.append(btext)
        return tuple(out)


_TERMSETS_KEPT = 1024  # term sets whose terms in the index are kept per reader


class CoordOr(wq.Or):
    """Any of the subqueries (a query's words); a document's summed score is multiplied
    by (subqueries it matches / subqueries) ** ``exponent``: the more of a question's
    words a passage holds, the better, beyond what adding their scores gives."""

    def __init__(self, subqueries, exponent: float = 1.0, boost: float = 1.0):
        super().__init__(subqueries, boost=boost)
        self.exponent = exponent

    def __eq__(self, other):
        return super().__eq__(other) and self.exponent == other.exponent

    def __hash__(self):
        return super().__hash__() ^ hash(self.exponent)

    def normalize(self):
        norm = super().normalize()
        return CoordOr(norm.subqueries, self.exponent, norm.boost) if isinstance(norm, wq.Or) else norm

    def _matcher(self, subs, searcher, context):
        matchers = [q.matcher(searcher, context) for q in subs]
        return _CoordMatcher(matchers, self.exponent, self.boost)


class _CoordMatcher(matching.Matcher):
    def __init__(self, subs, exponent: float, boost: float = 1.0):
        self._subs = subs
        self._n = len(subs)
        self._exponent = exponent
        self._boost = boost
        self._id = self._min_id()

    def _min_id(self):
        ids = [m.id() for m in self._subs if m.is_active()]
        return min(ids) if ids else None

    def copy(self):
        return _CoordMatcher([m.copy() for m in self._subs], self._exponent, self._boost)

    def children(self):
        return self._subs

    def is_active(self):
        return self._id is not None

    def id(self):
        return self._id

    def reset(self):
        for m in self._subs:
            m.reset()
        self._id = self._min_id()

    def supports_block_quality(self):
        return False

    def max_quality(self):
        # Whoosh's union of this and a bonus (lead, proximity) asks for an upper bound of
        # the scores: the share is ≤ 1; a sub-matcher without one leaves it unbounded.
        try:
            return self._boost * sum(m.max_quality() for m in self._subs if m.is_active())
        except matching.NoQualityAvailable:
            return math.inf

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def next(self):
        if self._id is None:
            raise matching.ReadTooFar
        current = self._id
        for m in self._subs:
            if m.is_active() and m.id() == current:
                m.next()
        self._id = self._min_id()

    def skip_to(self, id):
        if self._id is None:
            raise matching.ReadTooFar
        for m in self._subs:
            if m.is_active() and m.id() < id:
                m.skip_to(id)
        self._id = self._min_id()

    def score(self):
        current, total, k = self._id, 0.0, 0
        for m in self._subs:
            if m.is_active() and m.id() == current:
                total += m.score()
                k += 1
        return total * self._boost * (k / self._n) ** self._exponent

    def weight(self):
        current = self._id
        return sum(m.weight() for m in self._subs if m.is_active() and m.id() == current)


@lru_cache(maxsize=None)
def _bm25(b: float, delta: float = 0.0) -> scoring.BM25F:
    return BM25Plus(B=b, K1=1.2, delta=delta) if delta else scoring.BM25F(B=b, K1=1.2)


class _Weighted(wq.WeightingQuery):
    """Score the wrapped query with its own weighting model (Whoosh's WeightingQuery
    discards the context it sets: ``SearchContext.set`` returns a copy)."""

    def __eq__(self, other):
        return type(self) is type(other) and self.child == other.child and self.weighting is other.weighting

    def __hash__(self):
        return hash(self.child) ^ id(self.weighting)

    def __repr__(self):
        delta = getattr(self.weighting, "delta", 0.0)
        return f"{type(self).__name__}({self.child!r}, B={self.weighting.B}, delta={delta})"

    def _rewrap(self, child):
        return _Weighted(child, self.weighting)

    def matcher(self, searcher, context=None):
        context = context or searcher.context()
        return self.child.matcher(searcher, context.set(weighting=self.weighting))


def _reboosted(q: wq.Query, boost: float) -> wq.Query:
    """``q`` with another boost, sharing its subqueries (Whoosh's ``with_boost`` copies
    the whole tree, which was half the time of parsing a two-word query)."""
    q = copy.copy(q)
    q.boost = boost
    return q


def _auto_distance(word: str) -> int:
    # Like Lucene's AUTO, but Arabic names are short (حفتر, 4 letters), so a
    # 3-letter word already allows one edit.
    if len(word) < 3:
        return 0
    return 1 if len(word) <= 6 else 2


@lru_cache(maxsize=1024)
def parse_query(text: str, config: AnalysisConfig, strict: bool = False) -> ParsedQuery:
    """Parse ``text`` into Whoosh queries for the views and fields of an arsearch index.

    Lenient unless ``strict``: then a malformed query raises :class:`QueryError`
    giving the character position.
    """
    if not isinstance(text, str):
        raise TypeError(f"query must be str, not {type(text).__name__}")
    if len(text) > MAX_QUERY_CHARS:
        if strict:
            raise QueryError(
                f"query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}: shorten it",
                MAX_QUERY_CHARS,
            )
        text = text[:MAX_QUERY_CHARS]
    clauses = _Parser(text, strict).parse()
    if strict and not clauses:
        raise QueryError("empty query: give at least one word", 0)
    kind = "question" if _is_question(text, clauses) else "name"
    ranking = RANKINGS[kind]
    drop = DROP_QUESTION_WORDS and kind == "question"
    builder = _Builder(config, drop, ranking)
    q_all = builder.conjunction(clauses, "all")
    if q_all is None and drop:  # nothing but question words: search them after all
        drop = False
        builder = _Builder(config, drop, ranking)
        q_all = builder.conjunction(clauses, "all")
    # mode="any" has a builder of its own: the word limit counts the words of one query,
    # not of both. A question's words meet their relatives of the same root in its one
    # ranking, not in mode="all", where a passage holds every word.
    n_positive = sum(1 for c in clauses if not c.negated)
    highlight = builder.highlight
    if q_all is None:
        q_any = None
    elif n_positive <= 1 and not ranking.derived:
        # One word or phrase, and no relatives: mode="any" builds the very same query.
        q_any = q_all = _weighted(q_all, ranking)
    elif not ranking.derived:
        # Without relatives, mode="any" meets the words of mode="all": same highlights.
        q_all = _weighted(q_all, ranking)
        q_any = _Deferred(_any_query, clauses, config, drop, ranking)
    else:
        any_builder = _Builder(config, drop, ranking, relatives=True)
        q_any = _weighted(any_builder.conjunction(clauses, "any"), ranking)
        q_all = _weighted(q_all, ranking)
        # its relatives are highlighted too
        highlight = {k: v | any_builder.highlight[k] for k, v in highlight.items()}
    return ParsedQuery(
        text=text,
        all=q_all,
        _any=q_any,
        n_positive=n_positive,
        highlight={k: frozenset(v) for k, v in highlight.items()},
        vocalized=tuple(builder.vocalized),
        words=tuple(dict.fromkeys(builder.words)),
        expands=builder.expands,
        kind=kind,
        tiered=ranking.tiered,
    )
